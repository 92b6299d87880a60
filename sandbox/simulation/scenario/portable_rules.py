"""Portable scenarios, the expected SOP steps: rule conditions resolved like the steps.

A rule names the same concepts as the steps it checks (`where: {details.service_type:
family_tracing}`); each value is resolved the same way, so that the rule matches what
the step recorded on this bundle. A rule whose values have no id on the bundle cannot
be checked there: it is left out of the score, and the reason is kept for the go-live
report (`Resolved.dropped_rules`).
"""

from __future__ import annotations

from typing import Any

from sandbox.configuration.runtime import FieldDef
from sandbox.configuration.vocabulary import unmapped
from sandbox.configuration.vocabulary.concepts import KIND_WORDS

#: Event details -> the concept kind of their value (in rules' `where`).
DETAIL_KINDS: dict[str, str] = {
    "consent_type": "consent", "service_type": "services", "urgency": "urgency",
    "to_agency": "agencies", "provider_agency": "agencies", "followup_type": "followup_types",
    "risk_level": "risk", "location": "locations", "risk_after": "risk", "risk_before": "risk",
    "reason": "referral_reasons", "agency": "agencies", "to_provider": "providers"}
#: Case columns (in rules' `when` and `final`) whose values are concepts.
COLUMN_KINDS = {"risk_level": "risk", "location": "locations", "agency": "agencies"}
Keys = tuple[str | int, ...]


def condition_actions(rule: Any) -> list[tuple[str, str]]:
    """Each condition mapping of a rule, with the action whose events (or whose case, for
    `when`) it tests: `where` tests the trainee's action, `first_where` and `after_where`
    the reference event."""
    if rule.rule == "before":
        return [("where", rule.then), ("first_where", rule.first)]
    if rule.rule == "within":
        return [("where", rule.action), ("after_where", rule.after)]
    if rule.rule in ("final", "record"):
        return []
    return [("where", rule.action), ("when", rule.action)]


#: The action whose event records the same fields as a record (for resolving concepts).
RECORD_ACTIONS = {"referral": "referral.create", "service": "service.add",
                  "approval": "approval.request", "task": ""}


class RulesMixin:
    """The rule half of a scenario's resolution (`portable._Resolution`)."""

    r: Any
    out: Any
    config: Any
    strict: bool

    def gap(self, message: str, keys: Keys, **kwargs: Any) -> None:  # pragma: no cover
        raise NotImplementedError


    def rule(self, rule: Any, keys: Keys) -> Any:
        why: list[tuple[str, str]] = []
        update: dict[str, Any] = {}
        from .portable import OPTIONAL_CAPABILITIES

        for name in ("action", "first", "then", "after"):
            action = getattr(rule, name, None)
            if action in OPTIONAL_CAPABILITIES and not self.strict and not any(
                    role.can(action) for role in self.config.roles.values()):
                why.append((f"no role of the bundle may take '{action}'",
                            f"no role may take '{action}'"))
        for name, action in condition_actions(rule):
            conditions = getattr(rule, name, None)
            if conditions:
                update[name] = self.conditions(conditions, why, action)
        if rule.rule == "final":
            self.final(rule, update, why)
        if rule.rule == "record" and rule.where:
            # The record's fields carry the same concepts as its creating event's details.
            resolved = self.conditions({f"details.{k}": v for k, v in rule.where.items()}, why,
                                       RECORD_ACTIONS[rule.record])
            update["where"] = {k[len("details."):]: v for k, v in resolved.items()}
        if why:
            self.out.dropped_rules[rule.id] = [reason for reason, _strict in why]
            for reason, strict in why:
                self.gap(f"SOP step '{rule.id}' cannot be checked on this bundle: {reason}", keys,
                         step=rule.id, strict_message=f"rule '{rule.id}': {strict}")
            return None
        return rule.model_copy(update=update)

    def conditions(self, conditions: dict[str, Any], why: list[tuple[str, str]],
                   action: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, condition in conditions.items():
            if key.startswith("details."):
                name = key[8:]
                if name == "kind":
                    out[key] = condition
                    continue
                kind = DETAIL_KINDS.get(name)
                if name == "reason" and action != "referral.create":
                    kind = None
                out[key] = self.condition(condition, why, lambda v, k=kind: self.r.id(k, v)
                                          if k else v, kind or "")
            elif key.startswith("data."):
                fdef = self.r.field(key[5:])
                if fdef is None:
                    why.append((f"no field for '{key[5:]}': map `fields.{key[5:]}` in mapping.yaml",
                                f"unknown field '{key[5:]}'"))
                    continue
                out[f"data.{fdef.code}"] = self.condition(
                    condition, why, lambda v, f=fdef, c=key[5:]: self.plain(c, f, v), f"options.{key[5:]}")
            elif key in COLUMN_KINDS:
                kind = COLUMN_KINDS[key]
                out[key] = self.condition(condition, why, lambda v, k=kind: self.r.id(k, v), kind)
            else:
                out[key] = condition
        return out

    def plain(self, concept: str, fdef: FieldDef, value: Any) -> Any:
        if fdef.lookup and isinstance(value, str):
            return self.r.option(concept, fdef, value)
        if fdef.type == "location" and isinstance(value, str):
            return self.r.id("locations", value)
        return value

    def condition(self, condition: Any, why: list[tuple[str, str]], resolve: Any, kind: str) -> Any:
        """A plain value, {in: [...]}, {not: v} or {exists: b}, its values resolved."""
        def one(value: Any) -> Any:
            if not isinstance(value, str):
                return value
            found = resolve(value)
            if found is None:
                why.append((unmapped(kind, value) if "." not in kind
                            else f"no option for '{value}': map `{kind}.{value}` in mapping.yaml",
                            f"unknown {KIND_WORDS.get(kind, 'value')} '{value}'" if "." not in kind
                            else f"unknown option '{value}'"))
            return found

        if isinstance(condition, dict) and "in" in condition and isinstance(condition["in"], list):
            values = [resolve(v) if isinstance(v, str) else v for v in condition["in"]]
            kept = [v for v in values if v is not None]
            if not kept:
                one(condition["in"][0] if condition["in"] else "")
            return {**condition, "in": kept}
        if isinstance(condition, dict) and "not" in condition:
            return {**condition, "not": one(condition["not"])}
        for op in ("has", "has_any", "lacks"):
            if isinstance(condition, dict) and op in condition:
                # Values in a list (what a referral disclosed, the providers consented):
                # concepts resolved one by one; plain values (disclosures) kept.
                values = condition[op] if isinstance(condition[op], list) else [condition[op]]
                return {op: [one(v) if kind else v for v in values]}
        if isinstance(condition, dict):
            return condition
        return one(condition)

    def final(self, rule: Any, update: dict[str, Any], why: list[tuple[str, str]]) -> None:
        name = rule.field
        if name.startswith("data."):
            fdef = self.r.field(name[5:])
            if fdef is None:
                why.append((f"no field for '{name[5:]}': map `fields.{name[5:]}` in mapping.yaml",
                            f"unknown field '{name[5:]}'"))
                return
            update["field"] = f"data.{fdef.code}"
            resolve = lambda v: self.plain(name[5:], fdef, v)  # noqa: E731
            kind = f"options.{name[5:]}"
        elif name in COLUMN_KINDS:
            kind = COLUMN_KINDS[name]
            resolve = lambda v: self.r.id(kind, v)  # noqa: E731
        else:
            return
        if rule.equals is not None:
            update["equals"] = self.condition(rule.equals, why, resolve, kind)
        if rule.not_equals is not None:
            update["not_equals"] = self.condition(rule.not_equals, why, resolve, kind)
        if rule.in_ is not None:
            update["in_"] = self.condition({"in": rule.in_}, why, resolve, kind)["in"]

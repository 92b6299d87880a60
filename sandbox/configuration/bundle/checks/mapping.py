"""mapping.yaml: the SOP concepts that portable scenarios name, checked against the
ids this bundle really has (the rules themselves are in `sandbox.configuration.vocabulary`).

The ids are taken from the parsed files, so a mapping is checked by `validate_config`
before anything is loaded, with the same messages the go-live report gives after.
"""

from __future__ import annotations

from sandbox.configuration.vocabulary.concepts import SYSTEM_LOOKUP_OF
from sandbox.configuration.vocabulary.mapping import check_mapping
from sandbox.configuration.vocabulary.resolve import BundleIds, field_options

from .context import Context


def _ids(ctx: Context, concept: str = "cp") -> BundleIds | None:
    """The ids of the bundle's module for a module concept: the one mapping.yaml names for
    it, else the module of that id; for `cp`, else the first module."""
    data = ctx.parsed.mapping.data if ctx.parsed.mapping is not None else None
    mapped = ((data or {}).get("modules") or {}).get(concept) if isinstance(data, dict) else None
    module = ctx.modules.get(str(mapped)) or ctx.modules.get(concept) or (
        next(iter(ctx.modules.values()), None) if concept == "cp" else None)
    if module is None:
        return None

    def lookup(name: str | None) -> frozenset[str]:
        return frozenset(ctx.options.get(name or "", []))

    ids: dict[str, frozenset[str]] = {
        "modules": frozenset(ctx.modules), "roles": frozenset(ctx.roles), "agencies": frozenset(ctx.agencies),
        "user_groups": frozenset(ctx.user_groups),
        "locations": frozenset(row.code for row in ctx.parsed.locations),
    }
    for kind, system in SYSTEM_LOOKUP_OF.items():
        ids[kind] = lookup(module.system_lookups.get(system))
    consent_fields: set[str] = set()
    providers: frozenset[str] = frozenset()
    for policy in ctx.parsed.policies:
        if policy.spec.module == module.id:
            consent_fields = set(policy.spec.consent.field_ids())
            for code in policy.spec.consent.providers.values():
                refs = ctx.fields.get(module.id, {}).get(code)
                providers |= lookup(refs[0].spec.lookup if refs else None)
    ids["providers"] = providers
    if consent_fields:
        ids["consent"] = ids["consent"] & frozenset(consent_fields)
    risk = ctx.field(module.id, module.core_fields.get("risk_level", ""))
    ids["risk"] = lookup(risk.spec.lookup if risk else None)
    options, columns = field_options(
        ((code, refs[0].spec.lookup, [(c.id, c.lookup) for c in refs[0].spec.fields or []])
         for code, refs in ctx.fields.get(module.id, {}).items()), lookup)
    return BundleIds(ids=ids, fields=frozenset(ctx.fields.get(module.id, {})), options=options,
                     columns=columns)


#: Mapping kinds whose targets come from lookups (their options).
OPTION_KINDS = (*SYSTEM_LOOKUP_OF, "risk", "options")


def _unknown_kinds(ctx: Context) -> frozenset[str]:
    """Mapping kinds whose ids are not all known because a file or an item was broken."""
    parsed = ctx.parsed

    def damaged(*kinds: str) -> bool:
        return any(k in parsed.unreadable or parsed.broken.get(k) for k in kinds)

    unknown: set[str] = set()
    for kind, item_kind in (("modules", "module"), ("roles", "role"), ("agencies", "agency"),
                            ("user_groups", "user_group")):
        if damaged(item_kind):
            unknown.add(kind)
    if damaged("lookup", "option") or ctx.lookup_refs_broken:
        unknown.update(OPTION_KINDS)
    if damaged("section", "field"):
        unknown.update(("fields", "options"))
    if not parsed.locations:
        unknown.add("locations")
    return frozenset(unknown)


def check_bundle_mapping(ctx: Context) -> None:
    if ctx.parsed.mapping is None:
        return
    ids = _ids(ctx)
    if ids is None:
        return
    for problem in check_mapping(ctx.parsed.mapping, ids, _unknown_kinds(ctx),
                                 lambda concept: _ids(ctx, concept)):
        ctx.add(problem)

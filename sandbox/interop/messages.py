"""The messages exchanged with partner systems: what they hold, and their JSON Schemas.

Three messages (`docs/reference/interop.md` shows each with an example):

- `referral`: a referral leaving the space, carrying only what may be shared. The
  case worker chose the kinds of information (`Referral.disclosed`); the case's
  consent record decides whether anything identifying may leave at all: without every
  consent the policy requires for referrals (the consent to share information, in most
  bundles: the referral was made on a supervisor's override), names, date of birth,
  contact and family stay home.
- `status`: the answer about a referral: accepted, declined (with a reason) or done.
- an inbound `referral` (the same shape) creates an identified case in the space.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from sandbox.cases.disclosures import Disclosure

if TYPE_CHECKING:
    from sandbox.cases.models import Case, Referral
    from sandbox.configuration.runtime import BundleConfig, ModuleDef

VERSION = 1
STATUSES = ("accepted", "declined", "done")
#: The core columns that say who the child is, and those that do not identify them.
IDENTITY_CORE = ("name_first", "name_last", "date_of_birth")
PLAIN_CORE = ("sex", "age")
CONCERN_FIELDS = ("protection_concerns",)
#: What the exchange carries of each kind of information; other kinds disclosed
#: (assessment, case plan, health, incident) are named in `disclosed` but their
#: content stays with the case worker, who shares it by other means when asked.
CARRIED = (Disclosure.IDENTITY, Disclosure.CONTACT, Disclosure.FAMILY, Disclosure.CONCERNS)


def _identifying(config: BundleConfig) -> set[str]:
    return set((config.real_data or {}).get("identifying_fields") or ())


def fields_by_kind(module: ModuleDef, config: BundleConfig) -> dict[str, list[str]]:
    """The case's form fields each kind of information carries, in form order.

    Identity: the other names the bundle lists as identifying; contact: the other
    identifying fields of the child; family: the fields of family sections (their
    identifying columns included); concerns: the protection concerns.
    """
    listed = _identifying(config)
    kinds: dict[str, list[str]] = {str(k): [] for k in CARRIED}
    for fdef in module.fields.values():
        if fdef.type == "separator" or fdef.hidden:
            continue
        if "family" in fdef.section:
            kinds[Disclosure.FAMILY].append(fdef.code)
        elif fdef.code in listed and fdef.code.startswith("name_"):
            kinds[Disclosure.IDENTITY].append(fdef.code)
        elif fdef.code in listed:
            kinds[Disclosure.CONTACT].append(fdef.code)
        elif fdef.code in CONCERN_FIELDS:
            kinds[Disclosure.CONCERNS].append(fdef.code)
    return kinds


def consent_to_share(case: Case, config: BundleConfig) -> bool:
    """Whether the case records every consent the policy requires to refer it (the
    consent to share information, in most bundles)."""
    policy = config.modules[case.module].policy
    return all(policy.consent_is_given(kind, case.data or {})
               for kind in policy.consent_required.get("referral.create", []))


def child_fields(case: Case, referral: Referral, config: BundleConfig) -> dict[str, Any]:
    """What the referral may carry about the child: the kinds disclosed, and nothing
    identifying without the recorded consent to share information."""
    module = config.modules[case.module]
    consented = consent_to_share(case, config)
    shared = set(referral.disclosed or ())
    if not consented:
        shared -= {Disclosure.IDENTITY, Disclosure.CONTACT, Disclosure.FAMILY}
    child: dict[str, Any] = {}
    if Disclosure.IDENTITY in shared or not consented:
        # Sex and age do not identify a child; they travel with any referral.
        child.update({"sex": case.sex, "age": case.age})
    if Disclosure.IDENTITY in shared:
        child.update({"name_first": case.name_first, "name_last": case.name_last,
                      "date_of_birth": case.date_of_birth.isoformat() if case.date_of_birth else None})
    if Disclosure.CONTACT in shared:
        child["location"] = case.location
    if Disclosure.CONCERNS in shared:
        child["risk_level"] = case.risk_level
    data = case.data or {}
    for kind, codes in fields_by_kind(module, config).items():
        if kind in shared:
            child.update({code: data[code] for code in codes if data.get(code) not in (None, "", [])})
    return {k: v for k, v in child.items() if v not in (None, "", [])}


def referral_message(referral: Referral, config: BundleConfig, *, key: str, sender: str) -> dict[str, Any]:
    case = referral.case
    return {
        "type": "referral", "version": VERSION, "id": key, "from": sender,
        "sim_time": referral.created_at.isoformat(),
        "referral": {
            "id": str(referral.pk), "case_id": case.display_id,
            "service_type": referral.service_type, "reason": referral.reason,
            "urgency": referral.urgency, "notes": referral.notes,
            "disclosed": [str(d) for d in referral.disclosed or ()],
            "consent_to_share": consent_to_share(case, config),
        },
        "child": child_fields(case, referral, config),
    }


def status_message(*, key: str, sender: str, referral_id: str, status: str, reason: str = "",
                   sim_time: dt.datetime | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {"type": "status", "version": VERSION, "id": key, "from": sender,
                               "referral_id": referral_id, "status": status}
    if reason:
        message["reason"] = reason
    if sim_time is not None:
        message["sim_time"] = sim_time.isoformat()
    return message


_STRING = {"type": "string"}
_ENVELOPE = {
    "version": {"const": VERSION},
    "id": {"type": "string", "minLength": 1, "maxLength": 64,
           "description": "The idempotency key: the same message sent again has the same id."},
    "from": {"type": "string", "description": "The sender's partner ID."},
    "sim_time": {"type": "string", "format": "date-time",
                 "description": "When it happened in the sender's (simulated) time."},
}

REFERRAL_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://cp-sandbox.example/interop/v1/referral.json",
    "title": "Referral",
    "type": "object",
    "required": ["type", "version", "id", "from", "referral", "child"],
    "additionalProperties": False,
    "properties": {
        "type": {"const": "referral"}, **_ENVELOPE,
        "referral": {
            "type": "object", "required": ["id", "service_type", "reason", "disclosed"],
            "additionalProperties": False,
            "properties": {
                "id": {"type": "string", "description": "The sender's referral ID; answers name it."},
                "case_id": _STRING, "service_type": _STRING, "reason": _STRING, "urgency": _STRING,
                "notes": _STRING,
                "disclosed": {"type": "array", "uniqueItems": True,
                              "items": {"enum": [str(v) for v in Disclosure.values]}},
                "consent_to_share": {"type": "boolean"},
            },
        },
        "child": {
            "type": "object",
            "description": "Only what was disclosed and consented; other keys are form field IDs.",
            "properties": {
                "name_first": _STRING, "name_last": _STRING,
                "date_of_birth": {"type": "string", "format": "date"},
                "sex": _STRING, "age": {"type": "integer", "minimum": 0, "maximum": 25},
                "location": _STRING, "risk_level": _STRING,
            },
        },
    },
}

STATUS_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://cp-sandbox.example/interop/v1/status.json",
    "title": "Status update",
    "type": "object",
    "required": ["type", "version", "id", "from", "referral_id", "status"],
    "additionalProperties": False,
    "properties": {
        "type": {"const": "status"}, **_ENVELOPE,
        "referral_id": {"type": "string", "description": "The referral's ID in its sender's system."},
        "status": {"enum": list(STATUSES)},
        "reason": {"type": "string", "maxLength": 2000,
                   "description": "Why it was declined (required then), or a comment."},
    },
    "if": {"properties": {"status": {"const": "declined"}}},
    "then": {"required": ["reason"]},
}

SCHEMAS = {"referral": REFERRAL_SCHEMA, "status": STATUS_SCHEMA}


def problems(message: Any) -> list[str]:
    """What is wrong with a received message (empty: it is valid), by its schema."""
    import jsonschema

    if not isinstance(message, dict) or message.get("type") not in SCHEMAS:
        return ["type: expected 'referral' or 'status'"]
    validator = jsonschema.Draft202012Validator(SCHEMAS[message["type"]])
    return [f"{'/'.join(str(p) for p in error.absolute_path) or '(message)'}: {error.message}"
            for error in sorted(validator.iter_errors(message), key=lambda e: list(e.absolute_path))]


def render(kind: str) -> str:
    """The published schema of a message (docs/reference/interop-<kind>.schema.json)."""
    return json.dumps(SCHEMAS[kind], ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    import sys
    from pathlib import Path

    # python -m sandbox.interop.messages docs/reference: writes both schemas there.
    for name in SCHEMAS:
        Path(sys.argv[1], f"interop-{name}.schema.json").write_text(render(name), encoding="utf-8")

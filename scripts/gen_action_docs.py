"""Write docs/reference/actions.md from sandbox/common/actions.py (run: make docs-actions)."""

from pathlib import Path

from sandbox.common.actions import ACTIONS
from sandbox.simulation.scenario.details import EVENT_DETAILS

HEADER = """# Action names

Every action in the case system has a name. The names appear in the event log,
in the `permissions` of roles in configuration bundles, and in scenario files. They
are a contract: names are added, never renamed or removed. The list lives in
`sandbox/common/actions.py`; a test keeps this page in step with it.

Names marked *permission only* grant a permission and never appear as events.
Names ending in `.refused` are events only: an attempt the SOP policy refused
(a referral or transfer without the consent the policy requires, a closure not
approved, a case plan on an assessment not approved). The attempt changes nothing
in the case; its event records the refusal's `code` (`consent_required`,
`consent_override_forbidden`, `closure_not_approved`, `assessment_not_approved`),
the `consent_missing` when consent was the reason, and what was attempted. A rule
can score it: `{rule: never, action: referral.create.refused, penalty: 5}`.

| action | what it does | details its event records |
|---|---|---|
"""

FOOTER = """
The third column lists the keys of the event's `details`: what a scenario rule's
`where` may test as `details.<key>` (`validate_scenarios` refuses any other key for
that action). Every event also records its `changes` to the case (`changes.<column>`
or `changes.data.<field>`), its `actor` role and its `case`. A referral or transfer
made without the consent the policy requires also records `consent_missing` and
`consent_override_reason`. `case.register` records `duplicate_of`: the case numbers of
records likely to be the same child (same first name, and two of last name, sex, age
give or take a year, location agreeing; none known on both sides and different), an
empty list when there is none. `referral.create` records `disclosed`: the kinds of
information the referral shares (`identity`, `contact`, `family`, `concerns`,
`assessment`, `case_plan`, `health`, `incident`).
"""


def main() -> None:
    rows = [
        f"| `{a.name}` | {a.summary}{' *(permission only)*' if a.permission_only else ''}"
        f"{' *(event only)*' if a.event_only else ''} | "
        f"{_details(a.name)} |"
        for a in ACTIONS
    ]
    target = Path(__file__).resolve().parent.parent / "docs" / "reference" / "actions.md"
    target.write_text(HEADER + "\n".join(rows) + "\n" + FOOTER, encoding="utf-8")


def _details(action: str) -> str:
    keys = EVENT_DETAILS.get(action)
    if keys is None:
        return ""
    return ", ".join(f"`{k}`" for k in keys) or "—"


if __name__ == "__main__":
    main()

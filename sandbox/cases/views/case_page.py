"""The case page: header, SOP step menu, a form section or the overview, and the action panel.

`render_case_page` is shared by the page itself and by every action of the
panel: when an action fails, the page is shown again with that action's dialog
open, the values the user typed and the errors next to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from sandbox.common.i18n import pick
from sandbox.configuration.models import Step
from sandbox.configuration.runtime import SectionDef
from sandbox.spaces.models import Member

from ..formdata import is_visible
from ..models import (
    Approval,
    ApprovalKind,
    Case,
    Disclosure,
    Flag,
    FollowUp,
    Note,
    Referral,
    Service,
    Task,
    Transfer,
)
from ..permissions import case_section_access, identity_visible
from ..selectors import documents_of, tasks_for
from ..services import member_options
from ..services._core import missing_lookup
from . import display as d
from .action_forms import (
    ApprovalRequestForm,
    AssignForm,
    ConsentForm,
    FollowUpForm,
    NoteForm,
    ReasonForm,
    ReferralForm,
    ServiceAddForm,
    TransferForm,
)
from .base import Here, choice_members, page
from .guidance import next_step, step_bar
from .panel import CASE_ACTIONS, approval_alerts, case_panel

#: Titles of the dialogs of the action panel.
DIALOG_TITLES: dict[str, Any] = {
    "consent": _("Record consent"),
    "approval-request": _("Request approval"),
    "service-add": _("Add a service"),
    "refer": _("Refer the case"),
    "followup": _("Record a follow-up"),
    "reopen": _("Reopen the case"),
    "transfer": _("Transfer the case"),
    "assign": _("Assign the case"),
    "note": _("Add a note"),
    "flag": _("Flag the case"),
}

#: What the SOP says at each action, shown in its dialog.
DIALOG_HELP: dict[str, Any] = {
    "consent": _("Explain, in a language the person understands, what will be done and what "
                 "will be shared, with whom and why. Record each answer."),
    "approval-request": _("A supervisor reviews the assessment, the case plan or the closure "
                          "before the case moves on."),
    "refer": _("Refer only with the consent to share information. Say what the service is for "
               "and how urgent it is."),
    "followup": _("Record what you saw and heard. If the risk has changed, say so: the "
                  "deadlines of the case follow the risk level."),
    "transfer": _("The recipient accepts or rejects the transfer; until then the case stays yours."),
    "assign": _("The case moves at once to the person you choose."),
    "flag": _("A flag draws the attention of everyone who opens the case."),
}


@dataclass
class CaseRecords:
    """The records attached to a case, read once for the page."""

    approvals: list[Approval]
    services: list[Service]
    referrals: list[Referral]
    transfers: list[Transfer]
    followups: list[FollowUp]
    notes: list[Note]
    flags: list[Flag]
    tasks: list[Task]
    members: list[Member] = field(default_factory=list)


def case_records(at: Here, case: Case) -> CaseRecords:
    # `case` comes from the space-scoped selector `case_get`: its related rows are
    # of the same space by construction.
    return CaseRecords(
        approvals=list(case.approval_set.select_related("created_by", "decided_by")
                       .order_by("-created_at", "-pk")),
        services=list(case.service_set.order_by("created_at", "pk")),
        referrals=list(case.referral_set.select_related("to_member", "created_by")
                       .order_by("-created_at", "-pk")),
        transfers=list(case.transfer_set.select_related("to_member", "created_by")
                       .order_by("-created_at", "-pk")),
        followups=list(case.followup_set.select_related("created_by").order_by("-date", "-pk")),
        notes=list(case.note_set.select_related("created_by").order_by("-created_at", "-pk")),
        flags=list(case.flag_set.select_related("created_by").filter(removed_at__isnull=True)),
        tasks=list(tasks_for(viewer=at.member, case=case)),
        members=list(at.space.members.order_by("name", "pk")),
    )


def _agencies(at: Here) -> list[tuple[str, str]]:
    return [(code, pick(a.name)) for code, a in at.config.agencies.items()]


def make_action_form(at: Here, case: Case, name: str, *, members: list[Member],
                     approval_kinds: list[str], data: Any = None) -> forms.Form | None:
    """The form of one dialog action of the case page (bound when `data` is given)."""
    form = _action_form(at, case, name, members=members, approval_kinds=approval_kinds, data=data)
    if form is not None:
        form.auto_id = f"{name}_%s"  # unique ids: every dialog is on the same page
    return form


def _action_form(at: Here, case: Case, name: str, *, members: list[Member],
                 approval_kinds: list[str], data: Any = None) -> forms.Form | None:
    config, module = at.config, at.module
    can_override = at.role.can("consent.override")

    def overrides(action: str) -> bool:
        return can_override and bool(module.policy.consent_required.get(action))

    if name == "consent":
        return ConsentForm(data, config=config, module=module)
    if name == "approval-request":
        # A posted kind is checked by the service, which says why it cannot be asked for.
        kinds = approval_kinds if data is None else list(module.policy.approvals)
        kinds = [k for k in kinds if at.role.can_request(k)]
        return ApprovalRequestForm(data, choices={"kind": [
            (k, str(ApprovalKind(k).label) if k in ApprovalKind.values else k) for k in kinds]})
    if name == "service-add":
        return without_missing_lists(at, ServiceAddForm(
            data, can_override=overrides("service.add"), choices={
                "service_type": forms_choices(d.system_options(config, module, "service_type")),
                "provider_agency": forms_choices(_agencies(at))}), {"service_type": "service_type"})
    if name == "refer":
        recipients = [m for m in members if m.pk != at.member.pk and m.role in config.roles
                      and config.roles[m.role].referral_recipient
                      and config.roles[m.role].can("referral.accept")]
        return without_missing_lists(at, ReferralForm(data, can_override=can_override, choices={
            "service_type": forms_choices(d.system_options(config, module, "service_type")),
            "reason": forms_choices(d.system_options(config, module, "referral_reason")),
            "to_member": forms_choices(choice_members(recipients, config)),
            "to_agency": forms_choices(_agencies(at)),
            "urgency": forms_choices(d.options(config, "urgency")),
        }), {"service_type": "service_type", "reason": "referral_reason"})
    if name == "followup":
        return without_missing_lists(at, FollowUpForm(
            data, initial={"date": at.space.clock.date()}, can_override=overrides("followup.record"),
            choices={
                "followup_type": forms_choices(d.system_options(config, module, "followup_type")),
                "risk_level": forms_choices(d.options(config, d.core_lookup(module, "risk_level")))}),
            {"followup_type": "followup_type"})
    if name == "transfer":
        people = [m for m in members if config.roles.get(m.role) is not None
                  and config.roles[m.role].can("transfer.accept")]
        return TransferForm(data, can_override=can_override, choices={
            "to_member": forms_choices(choice_members(people, config,
                                                      exclude={case.owner_id or 0}))})
    if name == "assign":
        people = [m for m in members if config.roles.get(m.role) is not None
                  and config.roles[m.role].can("case.update")]
        return AssignForm(data, can_override=overrides("case.assign"), choices={
            "to_member": forms_choices(choice_members(people, config, exclude={case.owner_id or 0}))})
    if name in ("reopen", "flag"):
        return ReasonForm(data)
    if name == "note":
        return NoteForm(data)
    return None


def forms_choices(items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", "—"), *items]


def without_missing_lists(at: Here, form: forms.Form, lists: dict[str, str]) -> forms.Form:
    """Leave out the selects whose system lookup this configuration lacks, and say why
    (`form.notices`): the action cannot be taken until the list exists."""
    notices = getattr(form, "notices", [])
    for field_name, lookup in lists.items():
        if at.module.system_lookup(lookup) in at.config.lookups:
            continue
        form.fields.pop(field_name, None)
        notices.append(str(missing_lookup(lookup).message))
    form.notices = notices  # type: ignore[attr-defined]
    return form


def section_menu(at: Here, selected: str, case: Case) -> list[dict[str, Any]]:
    """Form sections the role may read on this case, grouped by SOP step."""
    groups = []
    access = {s.code: case_section_access(at.role, s.code, case, at.module) for s in at.module.sections}
    for step in Step:
        sections = [{"code": s.code, "name": pick(s.name), "access": access[s.code],
                     "active": s.code == selected}
                    for s in at.module.sections
                    if s.step == step.value and access[s.code]]
        if sections:
            groups.append({"step": step.label, "code": step.value, "sections": sections})
    return groups


def section_view(at: Here, section: SectionDef, case: Case) -> list[dict[str, Any]]:
    """The fields of a section with their values as people read them: fields the
    configuration hides and those skip logic hides are left out; separators are
    headings; upload fields list the documents the viewer may download."""
    data = case.data
    rows: list[dict[str, Any]] = []
    members: dict[str, str] | None = None
    documents = None
    for fdef in section.fields:
        if fdef.hidden or not is_visible(fdef, data):
            continue
        if fdef.type == "separator":
            rows.append({"def": fdef, "label": pick(fdef.label), "is_separator": True,
                         "help": pick(fdef.help)})
            continue
        if fdef.options_from == "users" and members is None:
            members = member_options(at.space)
        if fdef.type == "upload":
            if documents is None:
                documents = documents_of(viewer=at.member, case=case)
            rows.append({"def": fdef, "label": pick(fdef.label), "is_upload": True,
                         "documents": documents.get(fdef.code, [])})
            continue
        value = d.field_display(at.config, fdef, data.get(fdef.code), members)
        rows.append({"def": fdef, "label": pick(fdef.label), "value": value,
                     "is_subform": fdef.type == "subform",
                     "columns": [pick(c.label) for c in fdef.columns if not c.hidden
                                 and c.stores_value]})
    return rows


def case_summary(at: Here, case: Case) -> dict[str, Any]:
    """The header of a case: labels from the configuration in memory."""
    module = at.module
    return {
        "identity_hidden": not identity_visible(at.role, case, module),
        "risk": d.risk_label(at.config, module, case.risk_level),
        "risk_colour": d.RISK_COLOURS.get(case.risk_level, "secondary"),
        "sex": d.lookup_label(at.config, d.core_lookup(module, "sex"), case.sex),
        "location": at.config.location_label(case.location),
        "owner": case.owner.name if case.owner else "",
        "agency": pick(at.config.agencies[case.agency].name) if case.agency in at.config.agencies
        else case.agency,
    }


def render_case_page(request: HttpRequest, at: Here, case: Case, *,
                     bound: dict[str, forms.Form] | None = None, open_action: str = "",
                     status: int = 200) -> HttpResponse:
    records = case_records(at, case)
    label_records(at, records)
    panel = case_panel(at, case, approvals=records.approvals, services=records.services,
                       referrals=records.referrals, transfers=records.transfers)
    selected = request.GET.get("section", "")
    section = at.module.section(selected) if selected else None
    if section is not None and not case_section_access(at.role, section.code, case, at.module):
        section = None
    dialogs = []
    for name in CASE_ACTIONS:
        if name not in panel.allowed:
            continue
        form = (bound or {}).get(name) or make_action_form(
            at, case, name, members=records.members, approval_kinds=panel.approval_kinds)
        if form is not None:
            dialogs.append({"name": name, "title": DIALOG_TITLES.get(name, name), "form": form,
                            "help": DIALOG_HELP.get(name, "")})
    upcoming = at.module.policy.upcoming_days
    tasks = [{"task": t, "state": t.state(at.space.clock, upcoming)} for t in records.tasks]
    context = {
        "case": case, "summary": case_summary(at, case),
        "steps": step_bar(case, at.module.policy, approvals=records.approvals,
                          services=records.services),
        "hint": next_step(case, at.module.policy, panel, approvals=records.approvals,
                          services=records.services, person=at.person),
        "menu": section_menu(at, section.code if section else "", case), "section": section,
        "section_rows": section_view(at, section, case) if section else [],
        "section_access": (case_section_access(at.role, section.code, case, at.module)
                           if section else None),
        "records": records, "panel": panel, "dialogs": dialogs, "open_action": open_action,
        "alerts": approval_alerts(records.approvals), "tasks": tasks,
        "close_blocked": panel.close_blocked, "consent": consent_status(at, case),
        "can_decide_any": at.role.can("approval.decide"),
    }
    return page(request, at, "cases/case_detail.html", context, status=status, nav="cases")


def label_records(at: Here, records: CaseRecords) -> None:
    """Give the records readable labels for their codes (service types, reasons...), from
    the configuration in memory, as attributes the templates show."""
    config, module = at.config, at.module

    def lookup(name: str, code: str) -> str:
        return d.lookup_label(config, module.system_lookups.get(name), code)

    def agency(code: str) -> str:
        found = config.agencies.get(code)
        return pick(found.name) if found else code

    for service in records.services:
        service.type_label = lookup("service_type", service.service_type)  # type: ignore[attr-defined]
        service.agency_label = agency(service.provider_agency)  # type: ignore[attr-defined]
    for referral in records.referrals:
        referral.type_label = lookup("service_type", referral.service_type)  # type: ignore[attr-defined]
        referral.reason_label = lookup("referral_reason", referral.reason)  # type: ignore[attr-defined]
        referral.urgency_label = d.lookup_label(config, "urgency", referral.urgency)  # type: ignore[attr-defined]
        referral.disclosed_labels = [  # type: ignore[attr-defined]
            str(Disclosure(v).label) for v in referral.disclosed or [] if v in Disclosure.values]
        referral.agency_label = agency(referral.to_agency)  # type: ignore[attr-defined]
    for followup in records.followups:
        followup.type_label = lookup("followup_type", followup.followup_type)  # type: ignore[attr-defined]
        followup.before_label = d.risk_label(config, module, followup.risk_before)  # type: ignore[attr-defined]
        followup.after_label = d.risk_label(config, module, followup.risk_after)  # type: ignore[attr-defined]


def consent_status(at: Here, case: Case) -> list[dict[str, Any]]:
    """Each consent type of the policy, with the answer recorded (True, False or None)."""
    module = at.module
    lookup = module.system_lookups.get("consent_type")
    rows = []
    policy = module.policy
    for ctype, code in policy.consent_fields.items():
        field_def = module.fields.get(code)
        label = at.config.lookups[lookup].label(ctype) if lookup in at.config.lookups else ""
        if not label or label == ctype:
            label = pick(field_def.label) if field_def else ctype
        # A tick box or a yes/no field: given, answered otherwise (refused), or not asked.
        stored = case.data.get(code)
        value = True if policy.consent_is_given(ctype, case.data) else (
            None if stored is None or stored == "" else False)
        rows.append({"type": ctype, "label": label, "value": value})
    return rows

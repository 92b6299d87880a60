"""Serializers of the case API's answers: cases, their records, tasks and events.

Read-only: writes go through the services, with the request bodies of
`bodies.py`. A serializer that needs the viewer finds their member in the
context (`context["member"]`): what a case shows depends on who looks.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from sandbox.configuration.runtime import BundleConfig, ModuleDef
from sandbox.spaces.models import Member, Space

from ..models import (
    ApprovalKind,
    ApprovalStatus,
    Case,
    Event,
    ReferralStatus,
    RegistrationStatus,
    ServiceStatus,
    Stage,
    Status,
    Task,
    TaskKind,
    TransferRequestStatus,
    TransferStatus,
)
from ..permissions import case_section_access, identity_visible
from ..selectors import tasks_for
from .fields import EnumCode


def viewer(context: dict[str, Any]) -> Member:
    return context["member"]


def readable_sections(member: Member, config: BundleConfig, module: ModuleDef,
                      case: Case | None = None) -> dict[str, str]:
    """{section: "read" | "read_write"} for the form sections the member's role may read
    (of `case` when given: consent-gated sections open only where the survivor consented)."""
    role = config.roles.get(member.role)
    if role is None:
        return {}
    access = {section.code: (case_section_access(role, section.code, case, module) if case
                             else role.section_access(section.code))
              for section in module.sections}
    return {code: level for code, level in access.items() if level in ("read", "read_write")}


def readable_field(code: str, sections: dict[str, str], module: ModuleDef) -> bool:
    """May a member who reads `sections` see this field? Not if the configuration hides
    it; yes if it is on one of those sections (a field may be on several)."""
    field = module.fields.get(code)
    if field is None or field.hidden:
        return False
    return field.section in sections or any(s in sections for s in module.sections_of(code))


def readable_data(data: dict[str, Any], member: Member, module: ModuleDef,
                  case: Case | None = None) -> dict[str, Any]:
    """The form values of the sections the member may read, without hidden fields;
    nothing else leaves the server."""
    sections = readable_sections(member, member.space.config, module, case)
    return {key: value for key, value in data.items() if readable_field(key, sections, module)}


class MemberRefSerializer(serializers.Serializer):
    """Someone in the space's world (a trainee or a simulated actor)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    agency = serializers.CharField()


class MemberSerializer(MemberRefSerializer):
    user_groups = serializers.ListField(child=serializers.CharField())
    is_simulated = serializers.BooleanField()


class SpaceSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    bundle = serializers.CharField(source="bundle.code")
    module = serializers.CharField()
    clock = serializers.DateTimeField(help_text=_("The space's simulated time."))
    member = serializers.SerializerMethodField(help_text=_("You, in this space's world."))

    @extend_schema_field(MemberSerializer)
    def get_member(self, space: Space) -> dict[str, Any]:
        return MemberSerializer(space.my_members[0]).data  # type: ignore[attr-defined]


#: The core columns that say who the person is: empty when the viewer may not know.
IDENTITY_COLUMNS = ("name_first", "name_last", "full_name", "date_of_birth")


class IdentityMaskMixin:
    """Leave the name and date of birth empty for a viewer who may not read who the
    person is (a GBV provider the survivor did not agree to share them with)."""

    context: dict[str, Any]

    def to_representation(self, case: Case) -> dict[str, Any]:
        data = super().to_representation(case)  # type: ignore[misc]
        member = viewer(self.context)
        config = member.space.config
        role = config.roles.get(member.role)
        module = config.modules.get(case.module)
        if role is None or module is None or not identity_visible(role, case, module):
            for column in IDENTITY_COLUMNS:
                if column in data:
                    data[column] = None if column == "date_of_birth" else ""
        return data


class CaseRefSerializer(IdentityMaskMixin, serializers.Serializer):
    display_id = serializers.CharField()
    full_name = serializers.CharField()
    status = EnumCode(Status)
    risk_level = serializers.CharField()


class CaseSummarySerializer(IdentityMaskMixin, serializers.Serializer):
    """The core columns of a case: what lists and searches show."""

    display_id = serializers.CharField(help_text=_("The case ID, unique in the space: CP-0001."))
    module = serializers.CharField()
    registration_status = EnumCode(RegistrationStatus)
    status = EnumCode(Status)
    stage = EnumCode(Stage)
    risk_level = serializers.CharField()
    name_first = serializers.CharField()
    name_last = serializers.CharField()
    full_name = serializers.CharField()
    sex = serializers.CharField()
    age = serializers.IntegerField(allow_null=True)
    date_of_birth = serializers.DateField(allow_null=True)
    location = serializers.CharField()
    location_name = serializers.SerializerMethodField(help_text=_(
        "The place with its parents, most specific first."))
    owner = MemberRefSerializer(allow_null=True, help_text=_("The case worker."))
    agency = serializers.CharField()
    flagged = serializers.BooleanField()
    created_at = serializers.DateTimeField(help_text=_("Simulated time, as every time of a case."))
    registered_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)

    def get_location_name(self, case: Case) -> str:
        return viewer(self.context).space.config.location_label(case.location)


class CaseListItemSerializer(CaseSummarySerializer):
    is_overdue = serializers.BooleanField(help_text=_("An open task is past due on the space's clock."))


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = EnumCode(TaskKind)
    case = CaseRefSerializer()
    referral = serializers.IntegerField(source="referral_id", allow_null=True)
    started_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    state = serializers.SerializerMethodField(help_text=_(
        "overdue, upcoming (due within the policy's window), later, or done; on the simulated clock."))

    def get_state(self, task: Task) -> str:
        space = viewer(self.context).space
        return task.state(space.clock, space.module_config.policy.upcoming_days)


class RecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = CaseRefSerializer()
    created_by = MemberRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class ApprovalSerializer(RecordSerializer):
    kind = EnumCode(ApprovalKind)
    status = EnumCode(ApprovalStatus)
    request_comment = serializers.CharField()
    decided_by = MemberRefSerializer(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_comment = serializers.CharField()


class ServiceSerializer(RecordSerializer):
    service_type = serializers.CharField()
    description = serializers.CharField()
    provider_agency = serializers.CharField()
    status = EnumCode(ServiceStatus)
    due_at = serializers.DateTimeField(allow_null=True)
    implemented_at = serializers.DateTimeField(allow_null=True)
    implementation_notes = serializers.CharField()


class ReferralSerializer(RecordSerializer):
    service = serializers.IntegerField(source="service_id", allow_null=True)
    service_type = serializers.CharField()
    reason = serializers.CharField()
    urgency = serializers.CharField()
    notes = serializers.CharField()
    to_member = MemberRefSerializer(allow_null=True)
    to_agency = serializers.CharField()
    status = EnumCode(ReferralStatus)
    consent_override_reason = serializers.CharField(help_text=_(
        "Why the referral was made without the consent the policy requires (empty if it was given)."))
    disclosed = serializers.ListField(child=serializers.CharField(), help_text=_(
        "The kinds of information the referral shared (identity, contact, family, concerns, "
        "assessment, case_plan, health, incident)."))
    responded_at = serializers.DateTimeField(allow_null=True)
    response_comment = serializers.CharField()
    done_at = serializers.DateTimeField(allow_null=True)


class TransferSerializer(RecordSerializer):
    to_member = MemberRefSerializer()
    reason = serializers.CharField()
    status = EnumCode(TransferStatus)
    consent_override_reason = serializers.CharField()
    responded_at = serializers.DateTimeField(allow_null=True)
    response_comment = serializers.CharField()


class TransferRequestSerializer(serializers.Serializer):
    """A request to hand a case over. It names the case by its ID only: the requester
    does not see the child's file until the request is accepted."""

    id = serializers.IntegerField()
    case = serializers.CharField(source="case.display_id", help_text=_("The case ID."))
    created_by = MemberRefSerializer(allow_null=True, help_text=_("Who asked for the case."))
    created_at = serializers.DateTimeField()
    reason = serializers.CharField()
    status = EnumCode(TransferRequestStatus)
    answered_by = MemberRefSerializer(allow_null=True)
    consent_override_reason = serializers.CharField()
    responded_at = serializers.DateTimeField(allow_null=True)
    response_comment = serializers.CharField()


class FollowUpSerializer(RecordSerializer):
    date = serializers.DateField()
    followup_type = serializers.CharField()
    findings = serializers.CharField()
    risk_before = serializers.CharField()
    risk_after = serializers.CharField()


class NoteSerializer(RecordSerializer):
    subject = serializers.CharField()
    text = serializers.CharField()


class FlagSerializer(RecordSerializer):
    reason = serializers.CharField()
    removed_at = serializers.DateTimeField(allow_null=True)
    removed_by = MemberRefSerializer(allow_null=True)


class DocumentSerializer(serializers.Serializer):
    """A document of an upload field (its content: GET documents/<id>/)."""

    id = serializers.CharField(source="key", help_text=_("The id case data stores for it."))
    field = serializers.CharField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text=_("In bytes."))
    created_by = MemberRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


class CaseDetailSerializer(CaseSummarySerializer):
    """A whole case: core columns, the form data the viewer's role may read, and its records."""

    user_groups = serializers.ListField(child=serializers.CharField())
    assessment_started = serializers.BooleanField()
    assessment_completed_at = serializers.DateTimeField(allow_null=True)
    case_plan_saved_at = serializers.DateTimeField(allow_null=True)
    reopened_at = serializers.DateTimeField(allow_null=True)
    is_overdue = serializers.SerializerMethodField(help_text=_(
        "An open task is past due on the space's clock."))
    form_access = serializers.SerializerMethodField(help_text=_(
        "The form sections your role may read: {section: read or read_write}."))
    data = serializers.SerializerMethodField(help_text=_(
        "Form values {field code: value}, of the sections your role may read only."))
    tasks = serializers.SerializerMethodField(help_text=_("Open tasks, most urgent first."))
    approvals = serializers.SerializerMethodField(help_text=_("Approvals, oldest first."))
    services = serializers.SerializerMethodField(help_text=_("Services of the case plan."))
    referrals = serializers.SerializerMethodField(help_text=_("Referrals, oldest first."))
    transfers = serializers.SerializerMethodField(help_text=_("Transfers, oldest first."))
    followups = serializers.SerializerMethodField(help_text=_("Follow-ups, by date."))
    notes = serializers.SerializerMethodField(help_text=_("Case notes, oldest first."))
    flags = serializers.SerializerMethodField(help_text=_("Flags, active and removed."))

    def _module(self, case: Case) -> ModuleDef:
        return viewer(self.context).space.config.modules[case.module]

    def _many(self, serializer: type[serializers.Serializer], rows: Any) -> Any:
        return serializer(rows, many=True, context=self.context).data

    def get_is_overdue(self, case: Case) -> bool:
        member = viewer(self.context)
        return tasks_for(viewer=member, case=case).filter(due_at__lt=member.space.clock).exists()

    def get_form_access(self, case: Case) -> dict[str, str]:
        member = viewer(self.context)
        return readable_sections(member, member.space.config, self._module(case), case)

    def get_data(self, case: Case) -> dict[str, Any]:
        return readable_data(case.data, viewer(self.context), self._module(case), case)

    @extend_schema_field(TaskSerializer(many=True))
    def get_tasks(self, case: Case) -> Any:
        return self._many(TaskSerializer, tasks_for(viewer=viewer(self.context), case=case))

    @extend_schema_field(ApprovalSerializer(many=True))
    def get_approvals(self, case: Case) -> Any:
        rows = case.approval_set.select_related("created_by", "decided_by").order_by("created_at", "pk")
        return self._many(ApprovalSerializer, rows)

    @extend_schema_field(ServiceSerializer(many=True))
    def get_services(self, case: Case) -> Any:
        return self._many(ServiceSerializer, case.service_set.select_related("created_by").order_by("pk"))

    @extend_schema_field(ReferralSerializer(many=True))
    def get_referrals(self, case: Case) -> Any:
        rows = case.referral_set.select_related("created_by", "to_member").order_by("pk")
        return self._many(ReferralSerializer, rows)

    @extend_schema_field(TransferSerializer(many=True))
    def get_transfers(self, case: Case) -> Any:
        rows = case.transfer_set.select_related("created_by", "to_member").order_by("pk")
        return self._many(TransferSerializer, rows)

    @extend_schema_field(FollowUpSerializer(many=True))
    def get_followups(self, case: Case) -> Any:
        rows = case.followup_set.select_related("created_by").order_by("date", "pk")
        return self._many(FollowUpSerializer, rows)

    @extend_schema_field(NoteSerializer(many=True))
    def get_notes(self, case: Case) -> Any:
        return self._many(NoteSerializer, case.note_set.select_related("created_by").order_by("pk"))

    @extend_schema_field(FlagSerializer(many=True))
    def get_flags(self, case: Case) -> Any:
        rows = case.flag_set.select_related("created_by", "removed_by").order_by("pk")
        return self._many(FlagSerializer, rows)


class EventSerializer(serializers.Serializer):
    sequence = serializers.IntegerField(help_text=_("Order of the event in the space's log."))
    action = serializers.CharField(help_text=_("An action name (see the action names reference)."))
    actor_name = serializers.CharField()
    role = serializers.CharField()
    record_type = serializers.CharField()
    record_id = serializers.IntegerField(allow_null=True)
    changes = serializers.SerializerMethodField(help_text=_(
        '{field: [before, after]}; form fields as "data.<code>", of the sections your role may read.'))
    details = serializers.JSONField()
    sim_time = serializers.DateTimeField(help_text=_("When it happened on the simulated clock."))
    real_time = serializers.DateTimeField(help_text=_("When it happened in the real world."))

    def get_changes(self, event: Event) -> dict[str, list[Any]]:
        member = viewer(self.context)
        module = member.space.module_config
        sections = readable_sections(member, member.space.config, module)

        def shown(key: str) -> bool:
            if not key.startswith("data."):
                return True
            return readable_field(key.removeprefix("data."), sections, module)

        return {key: value for key, value in event.changes.items() if shown(key)}

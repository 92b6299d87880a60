"""Request bodies of the case API, one serializer per action.

They check the shape of a body (types, required keys); the services check the
rest against the configuration (options of a lookup, form fields, consent,
permissions). Each action has its own class, so that the OpenAPI schema
documents each body.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import ApprovalKind, Disclosure
from .fields import EnumChoice


def optional_text(help_text: object = "", **kwargs: object) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, default="", help_text=help_text,
                                 **kwargs)


def form_data(help_text: object) -> serializers.DictField:
    return serializers.DictField(help_text=help_text)


class CaseRegisterSerializer(serializers.Serializer):
    data = form_data(_("Values of the registration forms: {field code: value}. "
                       "See the forms of the configuration."))
    case = serializers.CharField(required=False, allow_blank=True, default="", help_text=_(
        "The case ID of a child identified earlier, to register that case instead of a new one."))


class CaseIdentifySerializer(serializers.Serializer):
    data = form_data(_("What is known so far: {field code: value}; required fields may wait "
                       "for registration."))
    summary = optional_text(_("How the child was identified or reported."))


class CaseSearchSerializer(serializers.Serializer):
    query = optional_text(_("Names or a case ID."))
    age = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0,
                                   help_text=_("Finds ages one year either side."))
    location = optional_text(_("A location code; places under it match too."))


class SectionUpdateSerializer(serializers.Serializer):
    data = form_data(_("Values of the section's fields: {field code: value}. With PATCH, fields "
                       "left out keep their values; with PUT, they are cleared."))


class ConsentRecordSerializer(serializers.Serializer):
    consent_type = serializers.CharField(help_text=_(
        "A consent type of the module's policy: services, share_information, tracing, reporting..."))
    given = serializers.BooleanField(help_text=_("Whether consent (or assent) was given."))
    given_by = optional_text(_("Who gave it: child, caregiver or both."))
    notes = optional_text()


class AssessmentCompleteSerializer(serializers.Serializer):
    data = form_data(_("Values of the assessment forms, with their required fields."))


class CasePlanSaveSerializer(serializers.Serializer):
    data = form_data(_("Values of the case plan forms: per need, goal, action, who and by when."))


class ApprovalRequestSerializer(serializers.Serializer):
    kind = EnumChoice(ApprovalKind)
    comment = optional_text()


class ServiceAddSerializer(serializers.Serializer):
    service_type = serializers.CharField(help_text=_("An option of the service type lookup."))
    description = optional_text()
    provider_agency = optional_text(_("An agency code."))
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    consent_override_reason = optional_text(_("As for referrals: the reason to act without consent."))


class ReferralCreateSerializer(serializers.Serializer):
    service_type = serializers.CharField(help_text=_("An option of the service type lookup."))
    reason = serializers.CharField(help_text=_("An option of the referral reason lookup."))
    to_member = serializers.IntegerField(required=False, allow_null=True, default=None, help_text=_(
        "The member who receives it (see the space's members); or give to_agency."))
    to_agency = optional_text(_("The agency that receives it, when no member is named."))
    urgency = optional_text(_("An option of the urgency lookup."))
    notes = optional_text()
    service = serializers.IntegerField(required=False, allow_null=True, default=None, help_text=_(
        "A service of this case's plan that the referral provides; a new one otherwise."))
    consent_override_reason = optional_text(_(
        "Without the consent the policy requires, a role that may override consent refers anyway "
        "when it gives the reason; the reason is recorded."))
    disclosed = serializers.ListField(
        child=serializers.ChoiceField(choices=Disclosure.choices), required=False,
        allow_empty=False, default=None, help_text=_(
            "The kinds of information the referral shares (default: identity, contact, concerns)."))


class FollowupRecordSerializer(serializers.Serializer):
    date = serializers.DateField(help_text=_("Not in the future of the simulated clock."))
    followup_type = serializers.CharField(help_text=_("An option of the follow-up type lookup."))
    findings = serializers.CharField()
    risk_level = optional_text(_("The risk level after the follow-up, if it changed."))
    consent_override_reason = optional_text(_("As for referrals: the reason to act without consent."))


class CaseCloseSerializer(serializers.Serializer):
    data = form_data(_("Values of the closure forms: reason, date, final situation."))


class CaseReopenSerializer(serializers.Serializer):
    reason = serializers.CharField()


class TransferCreateSerializer(serializers.Serializer):
    to_member = serializers.IntegerField(help_text=_("The member who is offered the case."))
    reason = serializers.CharField()
    consent_override_reason = optional_text(_("As for referrals: the reason to act without consent."))


class CaseAssignSerializer(serializers.Serializer):
    to_member = serializers.IntegerField(help_text=_("The member who takes the case at once."))
    reason = optional_text()
    consent_override_reason = optional_text(_("As for referrals: the reason to act without consent."))


class NoteAddSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=200)
    text = serializers.CharField()


class CaseFlagSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class ApprovalDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text=_("true to approve, false to reject."))
    comment = optional_text(_("Required to reject: say what the case worker should change."))


class ReferralAcceptSerializer(serializers.Serializer):
    comment = optional_text()


class ReferralRejectSerializer(serializers.Serializer):
    comment = serializers.CharField(help_text=_("Why you cannot take the referral."))


class ReferralDoneSerializer(serializers.Serializer):
    comment = optional_text()


class ServiceImplementSerializer(serializers.Serializer):
    notes = optional_text()


class TransferAcceptSerializer(serializers.Serializer):
    comment = optional_text()


class TransferRejectSerializer(serializers.Serializer):
    comment = serializers.CharField(help_text=_("Why you do not take the case."))


class AssessmentRequestSerializer(serializers.Serializer):
    consent_override_reason = optional_text(_("As for referrals: the reason to act without consent."))


class TransferRequestCreateSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("Why the case should be handed over to you."))


class TransferRequestAcceptSerializer(serializers.Serializer):
    comment = optional_text()
    consent_override_reason = optional_text(_("As for referrals: the reason to act without consent."))


class TransferRequestDeclineSerializer(serializers.Serializer):
    comment = serializers.CharField(help_text=_("Why the case stays where it is."))


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("Why it is withdrawn (sent by mistake...)."))


class DocumentUploadSerializer(serializers.Serializer):
    """A multipart/form-data body: the upload field and the file."""

    field = serializers.CharField(help_text=_("The code of an upload field of the case's forms."))
    file = serializers.FileField(help_text=_(
        "The document; its type must be one the field accepts, within its size limit."))

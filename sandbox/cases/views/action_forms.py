"""One Django form per action of the case pages (consent, referral, follow-up...).

Lists (service types, recipients...) are shown as selects, but a form only
converts what is posted: the services check that a value is one they accept,
and their error is shown on the field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sandbox.cases.models import DEFAULT_DISCLOSED, Disclosure
from sandbox.common.i18n import pick
from sandbox.configuration.runtime import BundleConfig, ModuleDef

from .display import options
from .forms import BootstrapForm


def _choices(items: list[tuple[str, str]], *, blank: bool = True) -> list[tuple[str, str]]:
    return [("", "—"), *items] if blank else list(items)


def _select(label: Any, *, required: bool = True, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text,
                           widget=forms.Select)


def _textarea(label: Any, *, required: bool = True, rows: int = 2, help_text: Any = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, help_text=help_text,
                           widget=forms.Textarea(attrs={"rows": rows}))


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class ChoicesForm(BootstrapForm):
    """A form whose selects get their options at run time: `choices={field: [...]}`."""

    def __init__(self, *args: Any, choices: dict[str, list[tuple[str, str]]] | None = None,
                 **kwargs: Any) -> None:
        self.choice_lists = choices or {}
        super().__init__(*args, **kwargs)

    def add_fields(self) -> None:
        for name, items in self.choice_lists.items():
            if name in self.fields:
                self.fields[name].widget.choices = items  # type: ignore[attr-defined]


class ConsentForm(BootstrapForm):
    given_by = _select(_("Given by"), required=False)
    notes = _textarea(_("Notes"), required=False)

    def __init__(self, *args: Any, config: BundleConfig, module: ModuleDef, **kwargs: Any) -> None:
        self.types: list[str] = list(module.policy.consent_fields)
        consent_lookup = module.system_lookups.get("consent_type")
        self.labels = {}
        for ctype in self.types:
            field = module.fields.get(module.policy.consent_fields[ctype])
            label = config.lookups[consent_lookup].label(ctype) \
                if consent_lookup in config.lookups else ""
            self.labels[ctype] = label if label and label != ctype else \
                (pick(field.label) if field else ctype)
        giver = module.fields.get("consent_given_by")
        self.giver_choices = options(config, giver.lookup if giver else "consent_giver")
        super().__init__(*args, **kwargs)

    def add_fields(self) -> None:
        fields: dict[str, forms.Field] = {
            f"consent__{ctype}": forms.ChoiceField(
                label=self.labels[ctype], required=False, widget=forms.RadioSelect, initial="",
                choices=[("yes", _("Given")), ("no", _("Refused")), ("", _("Not asked"))])
            for ctype in self.types}
        fields.update(self.fields)
        self.fields = fields
        self.fields["given_by"].widget.choices = _choices(self.giver_choices)  # type: ignore[attr-defined]

    def consent_fields(self) -> list[forms.BoundField]:
        return [self[f"consent__{t}"] for t in self.types]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.answers():
            raise forms.ValidationError(_("Answer at least one type of consent."))
        return data

    def answers(self) -> list[tuple[str, bool]]:
        return [(t, self.cleaned_data.get(f"consent__{t}") == "yes") for t in self.types
                if self.cleaned_data.get(f"consent__{t}") in ("yes", "no")]


class ApprovalRequestForm(ChoicesForm):
    kind = _select(_("Approval of"))
    comment = _textarea(_("Comment for the supervisor"), required=False)


class OverridableForm(ChoicesForm):
    """The form of an action the policy may require consent for: a supervisor may act
    without it, giving a reason (`can_override`: the role may, and the policy asks)."""

    consent_override_reason = _textarea(
        _("Reason for acting without consent"), required=False,
        help_text=_("Only when the consent the policy requires is missing. The reason is recorded."))

    def __init__(self, *args: Any, can_override: bool = False, **kwargs: Any) -> None:
        self.can_override = can_override
        super().__init__(*args, **kwargs)

    def add_fields(self) -> None:
        super().add_fields()
        if not self.can_override:
            del self.fields["consent_override_reason"]
        else:  # last, after the action's own fields
            self.fields["consent_override_reason"] = self.fields.pop("consent_override_reason")


class ServiceAddForm(OverridableForm):
    service_type = _select(_("Service"))
    description = _textarea(_("Description"), required=False)
    provider_agency = _select(_("Provided by (agency)"), required=False)
    due_date = _date(_("Due date"), required=False)


class ReferralForm(ChoicesForm):
    service_type = _select(_("Service"))
    reason = _select(_("Reason for referral"))
    to_member = _select(_("Refer to (person)"), required=False)
    to_agency = _select(_("or to an agency"), required=False)
    urgency = _select(_("Urgency"), required=False)
    notes = _textarea(_("Notes for the recipient"), required=False)
    disclosed = forms.MultipleChoiceField(
        label=_("Information shared with the recipient"), choices=Disclosure.choices,
        initial=[str(v) for v in DEFAULT_DISCLOSED], widget=forms.CheckboxSelectMultiple,
        help_text=_("Share only what the recipient needs to provide the service, and what the "
                    "consent covers."))
    consent_override_reason = _textarea(
        _("Reason for referring without consent"), required=False,
        help_text=_("Only when the consent the policy requires is missing. The reason is recorded."))

    def __init__(self, *args: Any, can_override: bool = False, **kwargs: Any) -> None:
        self.can_override = can_override
        super().__init__(*args, **kwargs)

    def add_fields(self) -> None:
        super().add_fields()
        if not self.can_override:
            del self.fields["consent_override_reason"]


class FollowUpForm(OverridableForm):
    date = _date(_("Date"))
    followup_type = _select(_("Type of follow-up"))
    findings = _textarea(_("Findings"), rows=3)
    risk_level = _select(_("Risk level now"), required=False,
                         help_text=_("Leave empty if the risk has not changed."))


class TransferForm(ChoicesForm):
    to_member = _select(_("Transfer to"))
    reason = _textarea(_("Reason"))
    consent_override_reason = _textarea(_("Reason for transferring without consent"), required=False)

    def __init__(self, *args: Any, can_override: bool = False, **kwargs: Any) -> None:
        self.can_override = can_override
        super().__init__(*args, **kwargs)

    def add_fields(self) -> None:
        super().add_fields()
        if not self.can_override:
            del self.fields["consent_override_reason"]


class AssignForm(OverridableForm):
    to_member = _select(_("Assign to"))
    reason = _textarea(_("Reason"), required=False)


class ReasonForm(BootstrapForm):
    reason = _textarea(_("Reason"))


class TransferRequestForm(BootstrapForm):
    """Ask for a case by its case ID (from a duplicate search, or a call from the owner)."""

    case_id = forms.CharField(label=_("Case ID"), max_length=20)
    reason = _textarea(_("Why the case should be transferred to you"))


class AnswerForm(BootstrapForm):
    """The answer to a transfer request: a comment (required to decline), and the reason to
    hand the case over without the consent the policy requires."""

    comment = _textarea(_("Comment"), required=False)
    consent_override_reason = _textarea(
        _("Reason for acting without consent"), required=False,
        help_text=_("Only when the consent the policy requires is missing. The reason is recorded."))


class NoteForm(BootstrapForm):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = _textarea(_("Note"), rows=4)


class CommentForm(BootstrapForm):
    comment = _textarea(_("Comment"), required=False)


class ImplementForm(BootstrapForm):
    notes = forms.CharField(label=_("Notes"), required=False)

"""The forms of the tracing pages: they only shape the input; the services validate it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sandbox.cases.views import display as d
from sandbox.cases.views.base import Here
from sandbox.cases.views.forms import ConfigForm, form_members
from sandbox.common.errors import SandboxError

from .formdata import sections_of
from .models import CareOutcome, TraceOutcome, TraceType, TracingRequest

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


def _place_choices(at: Here) -> list[tuple[str, str]]:
    return [("", "—"), *d.location_choices(at.config, indent=True)]


class RequestForm(forms.Form):
    inquirer_name = forms.CharField(label=_("Inquirer's name"), max_length=200,
                                    widget=forms.TextInput(TEXT))
    inquirer_relationship = forms.CharField(label=_("Relationship to the child"), max_length=100,
                                            widget=forms.TextInput(TEXT))
    inquirer_contact = forms.CharField(label=_("How to reach the inquirer"), max_length=200,
                                       required=False, widget=forms.TextInput(TEXT))
    name_first = forms.CharField(label=_("First name of the child"), max_length=120,
                                 required=False, widget=forms.TextInput(TEXT))
    name_last = forms.CharField(label=_("Last name of the child"), max_length=120,
                                required=False, widget=forms.TextInput(TEXT))
    other_names = forms.CharField(label=_("Other names or nicknames"), max_length=200,
                                  required=False, widget=forms.TextInput(TEXT))
    sex = forms.ChoiceField(label=_("Sex"), required=False, widget=forms.Select(SELECT))
    age_from = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=25,
                                  widget=forms.NumberInput(TEXT))
    age_to = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=25,
                                widget=forms.NumberInput(TEXT))
    description = forms.CharField(label=_("Description of the child"), required=False,
                                  widget=forms.Textarea({**TEXT, "rows": 2}))
    separation_date = forms.DateField(label=_("Date of separation"), required=False, widget=DATE)
    separation_place = forms.ChoiceField(label=_("Place of separation"), required=False,
                                         widget=forms.Select(SELECT))
    circumstances = forms.CharField(label=_("Circumstances of separation"), required=False,
                                    widget=forms.Textarea({**TEXT, "rows": 2}))

    def __init__(self, *args: Any, at: Here, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sex"].choices = [("", "—"), *d.options(at.config, d.core_lookup(at.module, "sex"))]
        self.fields["separation_place"].choices = _place_choices(at)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["separation_date"] = data["separation_date"].isoformat() if data["separation_date"] else ""
        return data

    @staticmethod
    def initial_of(request: TracingRequest) -> dict[str, Any]:
        """The form's values for an existing request (the edit page)."""
        return {name: getattr(request, name) for name in RequestForm.base_fields}


def configured_form(at: Here, request: TracingRequest | None = None,
                    data: Any = None) -> ConfigForm:
    """The bundle's tracing request sections as one form (no section: no field), in the
    user's language; `request`'s values when it is edited."""
    sections = list(sections_of(at.module))
    current = dict(request.data) if request is not None else {}
    return ConfigForm(data, sections=sections, config=at.config, context=current,
                      initial=current or None, members=form_members(at.space, sections),
                      uploads=False, now=at.space.clock if request is None else None)


class TraceForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    trace_type = forms.ChoiceField(label=_("Type"), choices=TraceType.choices,
                                   widget=forms.Select(SELECT))
    place = forms.ChoiceField(label=_("Place"), required=False, widget=forms.Select(SELECT))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=TraceOutcome.choices,
                                widget=forms.Select(SELECT))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({**TEXT, "rows": 2}))

    def __init__(self, *args: Any, at: Here, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = _place_choices(at)


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea({**TEXT, "rows": 2}))
    consent_override_reason = forms.CharField(
        label=_("Reason for confirming without consent (supervisors)"), required=False,
        widget=forms.TextInput(TEXT))


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("How the relationship was verified"),
                           widget=forms.Textarea({**TEXT, "rows": 2}))


class ReunificationForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Care arrangement"), choices=CareOutcome.choices,
                                widget=forms.Select(SELECT))
    date = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("Plan and follow-up"), widget=forms.Textarea({**TEXT, "rows": 2}))


def apply_errors(exc: SandboxError, form: forms.Form, configured: ConfigForm) -> None:
    """A service's refusal of a tracing request: on its fixed fields, and on the
    configured ones (their ids never are the fixed fields' names: the validator says so)."""
    fields = (exc.details or {}).get("fields") or {}
    for name, messages in fields.items():
        if name in configured.fields:
            configured.add_error(name, [str(m) for m in messages])
    apply_error(form, exc)


def apply_error(form: forms.Form, exc: SandboxError) -> None:
    """Show a service's refusal on the form: by field where it names one."""
    fields = (exc.details or {}).get("fields") or {}
    placed = False
    for name, messages in fields.items():
        if name in form.fields:
            for message in messages:
                form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))

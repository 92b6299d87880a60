"""The incident form: the GBVIMS questions, every answer a code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sandbox.configuration.runtime import BundleConfig

from .vocabulary import GbvType, IncidentContext, PerpetratorRelationship, ServiceArea


class IncidentForm(forms.Form):
    incident_date = forms.DateField(label=_("Date of the incident"),
                                    widget=forms.DateInput(attrs={"type": "date"}))
    location = forms.ChoiceField(label=_("Area where it happened"))
    acts = forms.MultipleChoiceField(
        label=_("What happened (tick every act that applies)"), choices=GbvType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The type of GBV is the first ticked in this order (the GBVIMS "
                    "classification): tick every act, the record keeps them all."))
    perpetrator_relationship = forms.ChoiceField(
        label=_("Alleged perpetrator's relationship to the survivor"),
        choices=[("", "—"), *PerpetratorRelationship.choices],
        help_text=_("Never a name."))
    context = forms.MultipleChoiceField(label=_("Context"), choices=IncidentContext.choices,
                                        widget=forms.CheckboxSelectMultiple, required=False)
    services_provided = forms.MultipleChoiceField(
        label=_("Services provided by your agency"), choices=ServiceArea.choices,
        widget=forms.CheckboxSelectMultiple, required=False)
    referred_to = forms.MultipleChoiceField(
        label=_("Referrals"), choices=ServiceArea.choices, widget=forms.CheckboxSelectMultiple,
        required=False)

    def __init__(self, *args: Any, config: BundleConfig, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        deepest = max((loc.admin_level for loc in config.locations.values()), default=0)
        self.fields["location"].choices = [("", "—"), *(
            (code, config.location_label(code)) for code, loc in
            sorted(config.locations.items(), key=lambda item: item[1].path)
            if loc.admin_level == deepest)]
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxSelectMultiple):
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs.setdefault("class", css)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["incident_date"] = data["incident_date"].isoformat()
        return data

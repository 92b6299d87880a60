from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .archive import MAX_UPLOAD_BYTES


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Configuration file"),
        help_text=_("A configuration bundle as a .zip, a Primero configuration as a .zip of its "
                    "seed files (db/configuration/), or a Primero configuration export (.json). "
                    "At most 20 MB."))

    def clean_file(self) -> forms.Field:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class TrialForm(forms.Form):
    role = forms.ChoiceField(label=_("Your role in the trial space"))

    def __init__(self, *args: object, roles: list[tuple[str, str]], initial_role: str = "",
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = roles
        if initial_role:
            self.fields["role"].initial = initial_role

"""Forms of the workshop pages. They turn posted strings into values; the services
in `services.py` validate them again and stay the only guard."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from sandbox.cases.views.forms import BootstrapForm

from .models import Enrolment, Exercise

#: A trainee list of a few hundred people is a few kilobytes; anything bigger is a mistake.
MAX_CSV_BYTES = 1_000_000

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class WorkshopForm(BootstrapForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    language = forms.ChoiceField(label=_("Main language"), choices=settings.LANGUAGES, initial="en",
                                 help_text=_("Trainees added without a language get this one."))
    starts_on = forms.DateField(label=_("First day"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE_INPUT)
    organisations = forms.CharField(label=_("Organisations"), max_length=500, required=False,
                                    help_text=_("Who takes part, e.g. DSW, Crescent Society, UNICEF."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "workshop_%s")
        super().__init__(*args, **kwargs)


class TraineeForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    language = forms.ChoiceField(label=_("Language"), required=False,
                                 choices=[("", _("The workshop's language")), *settings.LANGUAGES])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "trainee_%s")
        super().__init__(*args, **kwargs)


class ImportForm(BootstrapForm):
    file = forms.FileField(label=_("CSV or Excel file"),
                           help_text=_("Columns: name, email, organisation, language "
                                       "(en, fr, ar, es, sw or km). CSV separated by commas, "
                                       "semicolons or tabs, or an .xlsx workbook."),
                           widget=forms.ClearableFileInput(attrs={
                               "accept": ".csv,.tsv,.txt,.xlsx,text/csv"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "import_%s")
        super().__init__(*args, **kwargs)

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size and upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(
                _("The file is too big for a list of trainees: at most %(limit)s bytes.")
                % {"limit": f"{MAX_CSV_BYTES:,}"})
        return upload

    def text(self) -> str:
        """The file's text. Spreadsheets save "CSV UTF-8" with or without a BOM."""
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.name or "").lower().endswith(".xlsx"):
            from .importing import xlsx_text

            return xlsx_text(upload.read())
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                _("The file is not UTF-8 text. Save it again as \"CSV UTF-8\".")) from exc


class PairForm(BootstrapForm):
    first = forms.ChoiceField(label=_("Case worker"))
    second = forms.ChoiceField(label=_("Supervisor"))

    def __init__(self, *args: Any, enrolments: list[Enrolment], **kwargs: Any) -> None:
        self.enrolments = {str(e.pk): e for e in enrolments}
        kwargs.setdefault("auto_id", "pair_%s")
        super().__init__(*args, **kwargs)

    def add_fields(self) -> None:
        choices = [("", "—"), *((pk, e.user.display_name) for pk, e in self.enrolments.items())]
        self.fields["first"].choices = choices  # type: ignore[attr-defined]
        self.fields["second"].choices = choices  # type: ignore[attr-defined]

    def chosen(self, name: str) -> Enrolment:
        return self.enrolments[self.cleaned_data[name]]


class ExerciseForm(BootstrapForm):
    scenario_id = forms.ChoiceField(label=_("Scenario"))
    mode = forms.ChoiceField(label=_("Who plays"), choices=Exercise.Mode.choices,
                             initial=Exercise.Mode.INDIVIDUAL, widget=forms.RadioSelect)
    time_limit_minutes = forms.IntegerField(label=_("Time limit (minutes)"), required=False,
                                            min_value=1, max_value=7 * 24 * 60)
    opens_at = forms.DateTimeField(label=_("Opens"), required=False, widget=DATETIME_INPUT)
    closes_at = forms.DateTimeField(label=_("Closes"), required=False, widget=DATETIME_INPUT)
    allow_retry = forms.BooleanField(label=_("Trainees may try again after submitting"),
                                     required=False)
    submit_when_time_is_up = forms.BooleanField(
        label=_("Submit each attempt automatically when its time is up"), required=False,
        help_text=_("Otherwise the trainee's space stops taking changes and they submit it."))
    late_joiners = forms.BooleanField(
        label=_("Trainees who join with the code after the start get a space at once"),
        required=False, help_text=_("Otherwise give them a space from the board."))

    def __init__(self, *args: Any, scenarios: list[tuple[str, str, str]], **kwargs: Any) -> None:
        self.scenarios = scenarios
        kwargs.setdefault("auto_id", "exercise_%s")
        super().__init__(*args, **kwargs)

    def add_fields(self) -> None:
        self.fields["scenario_id"].choices = [  # type: ignore[attr-defined]
            ("", "—"), *((sid, f"{title} ({bundle})") for sid, title, bundle in self.scenarios)]

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in (
            "scenario_id", "mode", "time_limit_minutes", "opens_at", "closes_at", "allow_retry",
            "submit_when_time_is_up", "late_joiners")}


class MessageForm(BootstrapForm):
    to = forms.ChoiceField(label=_("To"), required=False)
    text = forms.CharField(label=_("Message"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, recipients: list[tuple[str, str]], **kwargs: Any) -> None:
        self.recipients = recipients
        kwargs.setdefault("auto_id", "message_%s")
        super().__init__(*args, **kwargs)

    def add_fields(self) -> None:
        self.fields["to"].choices = [("", _("Every trainee")), *self.recipients]  # type: ignore[attr-defined]


class JoinForm(BootstrapForm):
    code = forms.CharField(label=_("Join code"), max_length=12,
                           help_text=_("The code your trainer shared, e.g. K7QM2XPA."),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr",
                                                         "autocapitalize": "characters",
                                                         "spellcheck": "false"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "join_%s")
        super().__init__(*args, **kwargs)

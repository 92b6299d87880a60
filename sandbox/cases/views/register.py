"""Registering a child: the duplicate search first, then the registration forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sandbox.common.errors import NotFound, SandboxError
from sandbox.configuration.runtime import SectionDef

from .. import services as s
from . import display as d
from .base import Here, here, page
from .forms import BootstrapForm, ConfigForm, form_members


class SearchForm(BootstrapForm):
    q = forms.CharField(label=_("Name or case ID"), max_length=200, required=False)
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=30)
    location = forms.CharField(label=_("Location"), required=False, widget=forms.Select)

    def __init__(self, *args: Any, locations: list[tuple[str, str]], **kwargs: Any) -> None:
        self.locations = locations
        kwargs.setdefault("auto_id", "search_%s")
        super().__init__(*args, **kwargs)

    def add_fields(self) -> None:
        self.fields["location"].widget.choices = [("", "—"), *self.locations]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("q") or data.get("age") is not None or data.get("location")):
            raise forms.ValidationError(_("Search by name, case ID, age or place."))
        return data


def registration_sections(at: Here) -> list[SectionDef]:
    return [sec for sec in at.module.sections if sec.step == "registration"]


def _prefill(at: Here, search: SearchForm) -> dict[str, Any]:
    """Start the registration form with what was searched for."""
    core = at.module.core_fields
    initial: dict[str, Any] = {}
    words = (search.cleaned_data.get("q") or "").split()
    if words and not any(ch.isdigit() for ch in words[0]):
        initial[core["name_first"]] = words[0]
        if len(words) > 1:
            initial[core["name_last"]] = " ".join(words[1:])
    if search.cleaned_data.get("age") is not None:
        initial[core["age"]] = search.cleaned_data["age"]
    place = at.config.locations.get(search.cleaned_data.get("location") or "")
    field = at.module.fields.get(core["location"])
    if place is not None and field is not None and field.admin_level in (None, place.admin_level):
        initial[core["location"]] = place.code
    return initial


@login_required
def register(request: HttpRequest, space: str) -> HttpResponse:
    """GET: search for duplicates, then the form; POST: register the child."""
    at = here(request, space)
    sections = registration_sections(at)
    locations = d.location_choices(at.config, indent=True)
    status = 200
    results = None
    if request.method == "POST":
        search = SearchForm(locations=locations)
        form = ConfigForm(request.POST, sections=sections, config=at.config,
                          members=form_members(at.space, sections), uploads=False, now=at.space.clock)
        status = 400
        if form.is_valid():
            try:
                case = s.case_register(actor=at.member, data=form.service_data())
            except NotFound as exc:
                raise Http404(str(exc.message)) from exc
            except SandboxError as exc:
                form.apply_error(exc)
                status = exc.status
            else:
                messages.success(request, gettext("Case %(id)s registered.") % {"id": case.display_id})
                return redirect("cases:detail", space=space, display_id=case.display_id)
    else:
        searching = any(k in request.GET for k in ("q", "age", "location"))
        search = SearchForm(request.GET if searching else None, locations=locations)
        form = None
        if search.is_bound and search.is_valid():
            try:
                results = s.case_search(actor=at.member, query=search.cleaned_data.get("q") or "",
                                        age=search.cleaned_data.get("age"),
                                        location=search.cleaned_data.get("location") or "")
            except SandboxError as exc:
                messages.error(request, str(exc.message))
                status = exc.status
            else:
                form = ConfigForm(sections=sections, config=at.config, initial=_prefill(at, search),
                                  members=form_members(at.space, sections), uploads=False,
                                  now=at.space.clock)
    rows = [{"case": c, "location": at.config.location_label(c.location),
             "sex": d.lookup_label(at.config, d.core_lookup(at.module, "sex"), c.sex),
             "why": matching_reasons(c.match_reasons) if hasattr(c, "match_reasons") else None}
            for c in results or []]
    return page(request, at, "cases/register.html", {
        "search": search, "results": rows, "searched": results is not None, "form": form,
        "can_register": at.role.can("case.register"),
    }, status=status, nav="register")


def matching_reasons(reasons: list[tuple[str, dict[str, object]]]) -> list[str]:
    """Why a record may be the child, in words: one phrase per name matched otherwise than
    letter for letter (an exact name needs no explanation)."""
    phrases = {
        "nickname": gettext("“%(asked)s” is another form of the name “%(found)s”"),
        "sound": gettext("“%(asked)s” sounds like “%(found)s”"),
        "consonants": gettext("“%(asked)s” has the consonants of “%(found)s”"),
        "spelling": gettext("“%(asked)s” is spelt close to “%(found)s”"),
    }
    return [phrases[why] % detail for why, detail in reasons if why in phrases]

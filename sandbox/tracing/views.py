"""The pages of family tracing: the list of tracing requests, registering one, and a
request's page (traces, matches with their reasons, and the steps after a match)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from sandbox.cases.formdata import is_visible
from sandbox.cases.services import member_options
from sandbox.cases.views import display as d
from sandbox.cases.views.base import Here, here, page
from sandbox.cases.views.case_detail import case_gone
from sandbox.cases.views.register import matching_reasons
from sandbox.common.errors import NotFound, SandboxError
from sandbox.common.i18n import pick

from . import selectors as sel
from . import services as s
from .formdata import sections_of
from .forms import (
    DecisionForm,
    RequestForm,
    ReunificationForm,
    TraceForm,
    VerifyForm,
    apply_error,
    apply_errors,
    configured_form,
)
from .models import MatchStatus, RequestStatus, RequestView, TracingMatch, TracingRequest

PER_PAGE = 50


def _can_view(at: Here) -> None:
    if not at.role.can("tracing_request.view"):
        raise PermissionDenied(gettext("Your role cannot open tracing requests."))


@login_required
def request_list(request: HttpRequest, space: str) -> HttpResponse:
    at = here(request, space)
    _can_view(at)
    status = request.GET.get("status", "")
    status = status if status in RequestStatus.values else ""
    paginator = Paginator(sel.request_list(viewer=at.member, status=status), PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    rows = [{"request": r, "place": at.config.location_label(r.separation_place),
             "owner": r.owner.name if r.owner else ""} for r in page_obj]
    return page(request, at, "tracing/request_list.html", {
        "page_obj": page_obj, "rows": rows, "status": status, "statuses": RequestStatus.choices,
        "can_register": at.role.can("tracing_request.create"),
    }, nav="tracing")


def _request_form(request: HttpRequest, at: Here, tracing: TracingRequest | None,
                  save: Callable[[dict[str, Any]], TracingRequest], done: str) -> HttpResponse:
    """The tracing request's page (new or edit): the fixed fields and the configured
    sections, checked by the forms, then saved by `save` (the service), whose refusals
    are shown by field; `done` is the message once saved (`%(id)s`: the request)."""
    if request.method == "POST":
        form = RequestForm(request.POST, at=at)
        configured = configured_form(at, tracing, data=request.POST)
    else:
        form = RequestForm(initial=RequestForm.initial_of(tracing), at=at) if tracing \
            else RequestForm(at=at)
        configured = configured_form(at, tracing)
    status = 200
    if request.method == "POST":
        status = 400
        if all([form.is_valid(), configured.is_valid()]):
            try:
                saved = save({**form.service_data(), "data": configured.service_data()})
            except NotFound as exc:
                raise Http404(str(exc.message)) from exc
            except SandboxError as exc:
                apply_errors(exc, form, configured)
                status = exc.status
            else:
                messages.success(request, done % {"id": saved.display_id})
                return redirect("tracing:detail", space=at.space.slug, display_id=saved.display_id)
    return page(request, at, "tracing/register.html", {
        "form": form, "configured": configured, "tracing": tracing}, status=status, nav="tracing")


@login_required
def register(request: HttpRequest, space: str) -> HttpResponse:
    at = here(request, space)
    if not at.role.can("tracing_request.create"):
        raise PermissionDenied(gettext("Your role cannot register tracing requests."))
    return _request_form(request, at, None,
                         lambda data: s.tracing_request_create(actor=at.member, data=data),
                         gettext("Tracing request %(id)s registered."))


@login_required
def edit(request: HttpRequest, space: str, display_id: str) -> HttpResponse:
    """Change what is known of the inquirer and the child: the fixed fields and the
    configured sections, on one page."""
    at = here(request, space)
    _can_view(at)
    tracing = sel.request_get(viewer=at.member, display_id=display_id)
    if not at.role.can("tracing_request.update"):
        raise PermissionDenied(gettext("Your role cannot change tracing requests."))
    return _request_form(request, at, tracing,
                         lambda data: s.tracing_request_update(actor=at.member, request=tracing,
                                                               data=data),
                         gettext("Tracing request %(id)s saved."))


def reason_phrases(reasons: list[Any]) -> list[str]:
    """Why a case may be the child, in words."""
    pairs = [(why, detail) for why, detail in reasons]
    phrases = matching_reasons(pairs)  # type: ignore[arg-type]
    same = [detail["asked"] for why, detail in pairs if why == "same"]
    if same:
        phrases.insert(0, gettext("Same name: %(names)s") % {"names": ", ".join(same)})
    words = {"sex": gettext("same sex"), "age": gettext("age in the range sought"),
             "place": gettext("found near the place of separation"),
             "date": gettext("identified after the separation")}
    phrases.extend(words[why] for why, _detail in pairs if why in words)
    return phrases


def configured_rows(at: Here, tracing: TracingRequest) -> list[dict[str, Any]]:
    """The configured sections of a tracing request as people read them, section by
    section: fields the configuration or skip logic hides are left out, separators are
    headings. Nothing is read from the database unless a field lists the space's members."""
    data = tracing.data or {}
    members: dict[str, str] | None = None
    blocks = []
    for section in sections_of(at.module):
        rows: list[dict[str, Any]] = []
        for fdef in section.fields:
            if fdef.hidden or not is_visible(fdef, data):
                continue
            if fdef.type == "separator":
                rows.append({"code": fdef.code, "label": pick(fdef.label), "separator": True})
                continue
            if fdef.options_from == "users" and members is None:
                members = member_options(at.space)
            rows.append({"code": fdef.code, "label": pick(fdef.label),
                         "subform": fdef.type == "subform",
                         "value": d.field_display(at.config, fdef, data.get(fdef.code), members)})
        blocks.append({"section": section, "rows": rows})
    return blocks


def _detail(request: HttpRequest, at: Here, tracing: TracingRequest, *,
            bound: dict[str, forms.Form] | None = None, status: int = 200) -> HttpResponse:
    bound = bound or {}
    sex_lookup = d.core_lookup(at.module, "sex")
    matches = []
    for match in sel.matches_of(viewer=at.member, request=tracing):
        match_id = str(match.pk)
        matches.append({
            "match": match, "why": reason_phrases(match.reasons),
            "sex": d.lookup_label(at.config, sex_lookup, match.case.sex),
            "location": at.config.location_label(match.case.location),
            "decision": bound.get(f"decide-{match_id}") or DecisionForm(prefix=f"m{match_id}"),
            "verify": bound.get(f"verify-{match_id}") or VerifyForm(prefix=f"m{match_id}"),
            "reunify": bound.get(f"reunify-{match_id}") or ReunificationForm(prefix=f"m{match_id}"),
        })
    role = at.role
    return page(request, at, "tracing/request_detail.html", {
        "tracing": tracing, "matches": matches, "traces": list(tracing.traces.all()),
        "sex": d.lookup_label(at.config, sex_lookup, tracing.sex),
        "place": at.config.location_label(tracing.separation_place),
        "configured": configured_rows(at, tracing),
        "can_edit": role.can("tracing_request.update"),
        "trace_form": bound.get("trace") or TraceForm(at=at, initial={"date": at.space.clock.date()}),
        "can": {step: role.can(action) for step, action in (
            ("trace", "trace.record"), ("search", "match.search"), ("confirm", "match.confirm"),
            ("verify", "match.verify"), ("reunify", "reunification.record"))},
        "statuses": MatchStatus,
    }, status=status, nav="tracing")


@login_required
def detail(request: HttpRequest, space: str, display_id: str) -> HttpResponse:
    at = here(request, space)
    _can_view(at)
    tracing = sel.request_get(viewer=at.member, display_id=display_id)
    if not RequestView.record(at.member, tracing):  # a reset removed it after it was read
        return case_gone(request, space, "tracing:list")
    return _detail(request, at, tracing)


STEPS = ("trace", "search", "confirm", "reject", "verify", "reunify")


@login_required
@require_POST
def step(request: HttpRequest, space: str, display_id: str, action: str) -> HttpResponse:
    """One step on a tracing request, from a form of its page."""
    at = here(request, space)
    _can_view(at)
    if action not in STEPS:
        raise Http404("No such step.")
    tracing = sel.request_get(viewer=at.member, display_id=display_id)
    match: TracingMatch | None = None
    if action not in ("trace", "search"):
        try:
            match = sel.match_get(viewer=at.member, request=tracing, pk=int(request.POST.get("match", "")))
        except ValueError:
            raise Http404("No such match.") from None
    form: forms.Form | None = None
    key = action
    done = ""
    try:
        if action == "search":
            found = s.match_search(actor=at.member, request=tracing)
            done = ngettext("%(count)d possible match.", "%(count)d possible matches.",
                            len(found)) % {"count": len(found)}
        elif action == "trace":
            form = TraceForm(request.POST, at=at)
            if form.is_valid():
                s.trace_record(actor=at.member, request=tracing, **form.cleaned_data)
                done = gettext("Trace recorded.")
        else:
            assert match is not None
            prefix = f"m{match.pk}"
            if action in ("confirm", "reject"):
                key, form = f"decide-{match.pk}", DecisionForm(request.POST, prefix=prefix)
                if form.is_valid():
                    if action == "confirm":
                        s.match_confirm(actor=at.member, match=match, **form.cleaned_data)
                        done = gettext("Match confirmed.")
                    else:
                        s.match_reject(actor=at.member, match=match,
                                       reason=form.cleaned_data["reason"])
                        done = gettext("Match rejected.")
            elif action == "verify":
                key, form = f"verify-{match.pk}", VerifyForm(request.POST, prefix=prefix)
                if form.is_valid():
                    s.match_verify(actor=at.member, match=match, **form.cleaned_data)
                    done = gettext("Verification recorded.")
            else:
                key, form = f"reunify-{match.pk}", ReunificationForm(request.POST, prefix=prefix)
                if form.is_valid():
                    s.reunification_record(actor=at.member, match=match, **form.cleaned_data)
                    done = gettext("Care arrangement recorded.")
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except SandboxError as exc:
        if form is None:
            messages.error(request, str(exc.message))
            return _detail(request, at, tracing, status=exc.status)
        apply_error(form, exc)
        return _detail(request, at, tracing, bound={key: form}, status=exc.status)
    if not done:
        assert form is not None
        return _detail(request, at, tracing, bound={key: form}, status=400)
    messages.success(request, done)
    return redirect("tracing:detail", space=at.space.slug, display_id=tracing.display_id)

"""Pages of the GBV module: the incident from the case, the incidents, and the
de-identified incident data (statistics and the Incident Recorder download)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from sandbox.cases.selectors import case_get
from sandbox.cases.views.base import Here, here, page
from sandbox.cases.views.case_page import case_summary
from sandbox.common.errors import SandboxError

from . import services
from .forms import IncidentForm
from .models import Incident
from .recorder import DIMENSIONS, recorder_csv
from .selectors import incident_get, incident_list
from .vocabulary import AgeGroup, GbvType, ServiceArea


def _require(at: Here, permission: str) -> None:
    if not at.role.can(permission):
        raise PermissionDenied(_("Your role does not allow this action: %(action)s.")
                               % {"action": permission})


def _save(request: HttpRequest, form: IncidentForm, call: Any) -> tuple[Incident | None, int]:
    if not form.is_valid():
        return None, 400
    try:
        return call(form.service_data()), 200
    except SandboxError as exc:
        fields = (exc.details or {}).get("fields", {})
        for name, problems in fields.items():
            form.add_error(name if name in form.fields else None, problems)
        if not fields:
            form.add_error(None, str(exc.message))
        return None, exc.status


@login_required
def incident_new(request: HttpRequest, space: str, display_id: str) -> HttpResponse:
    """Incident from case: the form starts from the case's area and referrals."""
    at = here(request, space)
    case = case_get(viewer=at.member, display_id=display_id)
    _require(at, "incident.create")
    status = 200
    if request.method == "POST":
        form = IncidentForm(request.POST, config=at.config)
        incident, status = _save(request, form, lambda data: services.incident_create(
            actor=at.member, case=case, data=data))
        if incident is not None:
            messages.success(request, _("Incident %(incident)s recorded: %(type)s.") % {
                "incident": incident.display_id, "type": incident.get_gbv_type_display()})
            return redirect("gbv:incident", space=space, incident=incident.display_id)
    else:
        form = IncidentForm(initial=services.incident_defaults(case), config=at.config)
    return page(request, at, "gbv/incident_form.html", {
        "case": case, "summary": case_summary(at, case), "form": form,
        "title": _("Record an incident"), "submit_label": _("Record the incident"),
        "back_url": reverse("cases:detail", kwargs={"space": space, "display_id": display_id}),
    }, status=status, nav="incidents")


@login_required
def incident_detail(request: HttpRequest, space: str, incident: str) -> HttpResponse:
    """One incident; the roles that may correct it get the form."""
    at = here(request, space)
    record = incident_get(viewer=at.member, display_id=incident)
    can_edit = at.role.can("incident.update")
    status = 200
    if request.method == "POST":
        _require(at, "incident.update")
        form = IncidentForm(request.POST, config=at.config)
        saved, status = _save(request, form, lambda data: services.incident_update(
            actor=at.member, incident=record, data=data))
        if saved is not None:
            messages.success(request, _("Incident %(incident)s saved.") % {"incident": saved.display_id})
            return redirect("gbv:incident", space=space, incident=saved.display_id)
    else:
        form = IncidentForm(initial={
            "incident_date": record.incident_date, "location": record.location, "acts": record.acts,
            "perpetrator_relationship": record.perpetrator_relationship, "context": record.context,
            "services_provided": record.services_provided, "referred_to": record.referred_to},
            config=at.config)
    return page(request, at, "gbv/incident_detail.html", {
        "incident": record, "form": form if can_edit else None,
        "area": at.config.location_label(record.location),
        "acts": [GbvType(a).label for a in record.acts],
        "services": [ServiceArea(a).label for a in record.services_provided],
        "referrals": [ServiceArea(a).label for a in record.referred_to],
    }, status=status, nav="incidents")


@login_required
def incidents(request: HttpRequest, space: str) -> HttpResponse:
    at = here(request, space)
    _require(at, "incident.view")
    rows = [{"incident": i, "area": at.config.location_label(i.location)}
            for i in incident_list(viewer=at.member)[:200]]
    return page(request, at, "gbv/incidents.html", {
        "rows": rows, "can_export": at.role.can("incident.export")}, nav="incidents")


#: The headings of the statistics tables and how their values read.
def _labels(at: Here) -> dict[str, dict[str, str]]:
    sex_field = at.module.fields.get(at.module.core_fields.get("sex", ""))
    sex = at.config.lookups.get(sex_field.lookup or "") if sex_field else None
    return {
        "gbv_type": dict(GbvType.choices), "age_group": dict(AgeGroup.choices),
        "sex": {code: option.text() for code, option in sex.options.items()} if sex else {},
        "area": {code: at.config.location_label(code) for code in at.config.locations},
        "services": dict(ServiceArea.choices),
    }


@login_required
def incident_data(request: HttpRequest, space: str) -> HttpResponse:
    """Monthly statistics of the de-identified incident data, suppressed small cells shown as
    such; showing them is an export, recorded as one event."""
    at = here(request, space)
    _require(at, "incident.export")
    labels = _labels(at)
    titles = {"gbv_type": _("Type of GBV"), "age_group": _("Age group"), "sex": _("Sex"),
              "area": _("District"), "services": _("Services and referrals")}
    months = [{"month": m.month, "total": m.total, "tables": [
        {"dimension": t.dimension, "title": titles[t.dimension],
         "cells": [(labels[t.dimension].get(k, k), v) for k, v in t.cells.items()]}
        for t in m.tables]} for m in services.statistics_export(actor=at.member, file_format="page")]
    return page(request, at, "gbv/incident_data.html", {
        "months": months, "minimum": at.module.policy.min_cell_count,
        "dimensions": DIMENSIONS}, nav="incidents")


@login_required
def recorder_download(request: HttpRequest, space: str) -> HttpResponse:
    """The Incident Recorder as a CSV file, recorded as one event."""
    at = here(request, space)
    _require(at, "incident.export")
    rows = services.recorder_export(actor=at.member, file_format="csv")
    response = HttpResponse(recorder_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="incident-recorder-{space}.csv"'
    return response

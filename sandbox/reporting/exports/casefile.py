"""A case file as PDF: an HTML template rendered by WeasyPrint, in the user's language.

The file holds what the case page shows the role (the form sections it may read, in
the order of the SOP steps), the consent given, the services, referrals and follow-ups,
and the case's history; the de-identified variant applies the same rule as the
spreadsheets (`columns`), and leaves out the free text of records and history.

Fonts come from the vendored files (no network): Arabic and Khmer need their own, and
WeasyPrint is given their paths, so a server with no fonts of these scripts still writes
them. Arabic pages are laid out right to left (`dir="rtl"`).
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from sandbox.cases.formdata import is_visible
from sandbox.cases.models import Case, Event, FollowUp, Note, Referral, Service, Stage, Status
from sandbox.cases.views import display as d
from sandbox.common.i18n import is_bidi, pick
from sandbox.spaces.models import Member

from .columns import Plan, cell, coarse_place, pseudonym

FONTS = Path(settings.BASE_DIR) / "sandbox" / "static" / "vendor" / "fonts"
#: The vendored fonts, per script: (CSS family, regular file, bold file).
SCRIPT_FONTS = {
    "arabic": ("Sandbox Arabic", "noto-sans-arabic-arabic-400-normal.woff2",
               "noto-sans-arabic-arabic-700-normal.woff2"),
    "khmer": ("Sandbox Khmer", "noto-sans-khmer-khmer-400-normal.woff2",
              "noto-sans-khmer-khmer-700-normal.woff2"),
}
#: The script each language needs first in the font list.
LANGUAGE_SCRIPT = {"ar": "arabic", "km": "khmer"}


@functools.cache
def installed_families(language: str) -> frozenset[str]:
    """The font families fontconfig has for a language (empty when it cannot tell)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return frozenset()
    try:
        out = subprocess.run([fc_list, f":lang={language}", "family"], capture_output=True,
                             text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


#: Installed fonts preferred to the vendored ones when the server has them: the vendored
#: Arabic subset draws well, but maps some letter shapes back to the wrong letters when
#: the PDF's text is copied or searched; the full font maps them right.
SYSTEM_FONTS = {"arabic": ("Noto Sans Arabic", "ar"), "khmer": None}


def vendored_scripts() -> list[str]:
    """The scripts whose vendored font the PDF declares: all, except where the server has
    the full font installed (declaring the subset would hide it: same family inside)."""
    scripts = []
    for script in SCRIPT_FONTS:
        system = SYSTEM_FONTS.get(script)
        if system is not None and system[0] in installed_families(system[1]):
            continue
        scripts.append(script)
    return scripts


#: Characters of each script, to declare only the fonts a file needs (each declared font
#: is read and decompressed by WeasyPrint, used or not).
SCRIPT_CHARACTERS = {"arabic": re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]"),
                     "khmer": re.compile("[\u1780-\u17ff\u19e0-\u19ff]")}


def scripts_in(text: str) -> set[str]:
    return {script for script, chars in SCRIPT_CHARACTERS.items() if chars.search(text)}


def font_faces(scripts: set[str] | None = None) -> list[dict[str, str]]:
    faces = []
    for script in vendored_scripts():
        if scripts is not None and script not in scripts:
            continue
        family, regular, bold = SCRIPT_FONTS[script]
        faces.append({"family": family, "weight": "400", "url": (FONTS / regular).as_uri()})
        faces.append({"family": family, "weight": "700", "url": (FONTS / bold).as_uri()})
    return faces


def font_stack(language: str) -> str:
    """Every script's font in the list (a Latin case ID in an Arabic file, an Arabic name
    in an English one), the language's own script first."""
    def families_of(script: str) -> list[str]:
        system = SYSTEM_FONTS.get(script)
        return [system[0]] if script not in vendored_scripts() and system else [SCRIPT_FONTS[script][0]]

    first = LANGUAGE_SCRIPT.get(language)
    families = families_of(first) if first else []
    families += ["Noto Sans", "DejaVu Sans"]
    for script in SCRIPT_FONTS:
        if script != first:
            families += families_of(script)
    return ", ".join(f'"{family}"' for family in families) + ", sans-serif"


def css_string(text: str) -> str:
    """Text as a CSS string literal (for the banner in the page margins)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def sections(plan: Plan, case: Case, members: dict[str, str]) -> list[dict[str, Any]]:
    exported = {f.code: f for f in plan.fields}
    shown = []
    for section in plan.module.sections:
        if not plan.role.section_access(section.code):
            continue
        rows = []
        for fdef in section.fields:
            chosen = exported.get(fdef.code)
            if chosen is None or not is_visible(fdef, case.data):
                continue
            value = cell(plan, chosen, case.data.get(fdef.code), members)
            rows.append({"code": fdef.code, "label": pick(fdef.label) or fdef.code, "value": value,
                         "multiline": chosen.type in ("subform", "textarea")})
        if rows:
            shown.append({"code": section.code, "name": pick(section.name), "rows": rows})
    return shown


def consent(plan: Plan, case: Case) -> list[dict[str, Any]]:
    """Each consent of the policy whose field the role may read: given, refused or not asked."""
    exported = {f.code for f in plan.fields}
    policy = plan.module.policy
    lookup = plan.module.system_lookups.get("consent_type")
    rows = []
    for kind, code in policy.consent_fields.items():
        if code not in exported:
            continue
        label = plan.config.lookups[lookup].label(kind) if lookup in plan.config.lookups else kind
        stored = case.data.get(code)
        given = policy.consent_is_given(kind, case.data)
        rows.append({"type": kind, "label": label,
                     "state": _("Given") if given else (
                         _("Not asked") if stored in (None, "") else _("Not given"))})
    return rows


def _lookup(plan: Plan, name: str, code: str) -> str:
    return d.lookup_label(plan.config, plan.module.system_lookups.get(name), code)


def _agency(plan: Plan, code: str) -> str:
    agency = plan.config.agencies.get(code)
    return pick(agency.name) if agency else code


def history(plan: Plan, events: list[Event]) -> list[dict[str, Any]]:
    """The events, oldest first. In full: who acted, the details and the exported fields
    each one changed; de-identified: what was done, when, and in which role."""
    exported = {f.code: f for f in plan.fields}
    rows = []
    for event in events:
        role = plan.config.roles.get(event.role)
        row: dict[str, Any] = {"event": event, "label": d.action_label(event.action),
                               "role": pick(role.name) if role else event.role}
        if not plan.deidentified:
            row["actor"] = event.actor_name
            row["details"] = d.detail_rows(plan.config, plan.module, event.details or {})
            row["changes"] = [
                (pick(exported[key[5:]].label), _flat(cell(plan, exported[key[5:]], pair[1]
                                                           if isinstance(pair, list) else pair)))
                for key, pair in (event.changes or {}).items()
                if key.startswith("data.") and key[5:] in exported]
        rows.append(row)
    return rows


def _flat(value: Any) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return text.replace("\n", " · ")


def context(plan: Plan, case: Case, *, events: list[Event], members: list[Member]) -> dict[str, Any]:
    language = (translation.get_language() or "en").split("-")[0]
    names = {str(m.pk): m.name for m in members}
    services = list(Service.objects.filter(case=case).order_by("created_at", "pk"))
    referrals = list(Referral.objects.filter(case=case).select_related("to_member")
                     .order_by("created_at", "pk"))
    followups = list(FollowUp.objects.filter(case=case).order_by("date", "pk"))
    notes = [] if plan.deidentified else list(
        Note.objects.filter(case=case).select_related("created_by").order_by("created_at", "pk"))
    place = coarse_place(plan.config, case.location) if plan.deidentified else case.location
    banner = _("Training instance — synthetic data only. Never enter information about real people.")
    return {
        "plan": plan, "case": case, "language": language, "bidi": is_bidi(language),
        "reference": pseudonym(case) if plan.deidentified else case.display_id,
        "status": Status(case.status).label if case.status in Status.values else case.status,
        "stage": Stage(case.stage).label if case.stage in Stage.values else case.stage,
        "risk": d.risk_label(plan.config, plan.module, case.risk_level),
        "place": plan.config.location_label(place), "agency": _agency(plan, case.agency),
        "owner": "" if plan.deidentified or case.owner is None else case.owner.name,
        "sections": sections(plan, case, names), "consent": consent(plan, case),
        "services": [{"type": _lookup(plan, "service_type", s.service_type),
                      "agency": _agency(plan, s.provider_agency), "status": s.get_status_display(),
                      "created": s.created_at, "implemented": s.implemented_at,
                      "notes": "" if plan.deidentified else s.implementation_notes or s.description}
                     for s in services],
        "referrals": [{"type": _lookup(plan, "service_type", r.service_type),
                       "reason": _lookup(plan, "referral_reason", r.reason),
                       "to": _agency(plan, r.to_agency) if plan.deidentified or r.to_member is None
                       else r.to_member.name, "status": r.get_status_display(), "created": r.created_at,
                       "consent_override": bool(r.consent_override_reason),
                       "notes": "" if plan.deidentified else r.notes}
                      for r in referrals],
        "followups": [{"type": _lookup(plan, "followup_type", f.followup_type), "date": f.date,
                       "risk_before": d.risk_label(plan.config, plan.module, f.risk_before),
                       "risk_after": d.risk_label(plan.config, plan.module, f.risk_after),
                       "findings": "" if plan.deidentified else f.findings}
                      for f in followups],
        "notes": notes, "history": history(plan, events),
        "fonts": font_faces(), "font_stack": font_stack(language), "banner": css_string(banner),
        "banner_text": banner,
    }


def render_pdf(plan: Plan, case: Case, *, events: list[Event], members: list[Member]) -> bytes:
    """The case file as PDF bytes, in the active language."""
    from weasyprint import HTML

    values = context(plan, case, events=events, members=members)
    # Declare the fonts of the scripts the file holds: the page's text decides.
    scripts = scripts_in(render_to_string("reporting/case_file.html", {**values, "fonts": []}))
    first = LANGUAGE_SCRIPT.get(values["language"])
    values["fonts"] = font_faces(scripts | ({first} if first else set()))
    html = render_to_string("reporting/case_file.html", values)
    return HTML(string=html, base_url=str(FONTS)).write_pdf()

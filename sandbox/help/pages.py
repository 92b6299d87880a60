"""Which page of the guide answers the page a user is looking at.

The guide is the documentation site (docs/, built with mkdocs into settings.HELP_SITE_DIR)
served by the sandbox under /help/. English pages sit at the root of the site and the
other languages under /<code>/ (mkdocs-static-i18n); a page not yet translated is built in
every language with the English text, so a link in the user's language always exists.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

#: URL name (namespace:name) -> the page of the guide, as mkdocs serves it.
PAGES: dict[str, str] = {
    "login": "getting-started/",
    "terms": "getting-started/",
    "cases:dashboard": "trainees/",
    "cases:list": "case-system/",
    "cases:register": "trainees/sop-steps/",
    "cases:detail": "case-system/",
    "cases:history": "case-system/",
    "cases:section": "trainees/sop-steps/",
    "cases:document": "case-system/",
    "cases:action": "trainees/sop-steps/",
    "cases:service_implement": "trainees/sop-steps/",
    "cases:referral_done": "trainees/sop-steps/",
    "cases:approvals": "case-system/",
    "cases:access_log": "trainees/returns/",
    "cases:sign_ins": "trainees/returns/",
    "cases:approval_decide": "case-system/",
    "cases:referrals": "case-system/",
    "cases:referral_answer": "case-system/",
    "cases:transfer_answer": "case-system/",
    "gbv:incidents": "trainees/gbv/",
    "gbv:incident": "trainees/gbv/",
    "gbv:incident_new": "trainees/gbv/",
    "gbv:data": "trainees/gbv/",
    "gbv:recorder_csv": "trainees/gbv/",
    "cases:transfer_request_create": "case-system/",
    "cases:transfer_request_answer": "case-system/",
    "cases:referral_revoke": "case-system/",
    "cases:transfer_revoke": "case-system/",
    "simulation:exercise": "trainees/",
    "simulation:clock": "trainees/",
    "scoring:report": "trainees/scoring/",
    "scoring:submit": "trainees/scoring/",
    "scoring:try_again": "trainees/scoring/",
    "workshops:list": "trainers/workshops/",
    "workshops:detail": "trainers/workshops/",
    "workshops:joining": "trainers/workshops/",
    "workshops:trainee_add": "trainers/workshops/",
    "workshops:trainees_import": "trainers/workshops/",
    "workshops:pair_add": "trainers/workshops/",
    "workshops:exercise_add": "trainers/workshops/",
    "workshops:exercise": "trainers/running-a-session/",
    "workshops:board": "trainers/running-a-session/",
    "workshops:start": "trainers/running-a-session/",
    "workshops:close": "trainers/running-a-session/",
    "workshops:message": "trainers/running-a-session/",
    "workshops:clock": "trainers/running-a-session/",
    "workshops:reset": "trainers/running-a-session/",
    "workshops:results": "trainers/after-the-workshop/",
    "workshops:statements": "trainers/after-the-workshop/",
    "workshops:statements_send": "trainers/after-the-workshop/",
    "workshops:give_space": "trainers/running-a-session/",
    "workshops:observe": "trainers/running-a-session/",
    "workshops:presenter": "trainers/running-a-session/",
    "workshops:import_template": "trainers/workshops/",
    "workshops:password_reset": "trainers/workshops/",
    "scoring:time_up": "trainees/scoring/",
    "workshops:solution": "trainers/after-the-workshop/",
    "workshops:report": "trainers/after-the-workshop/",
    "workshops:debrief": "trainers/debrief/",
    "workshops:summary": "trainers/debrief/",
    "workshops:summary_csv": "trainers/debrief/",
    "workshops:summary_xlsx": "trainers/debrief/",
    "workshops:join": "trainees/",
    "workshops:mine": "trainees/",
    "workshops:submit": "trainees/scoring/",
    "workshops:retry": "trainees/scoring/",
    "golive:list": "implementers/go-live-review/",
    "golive:detail": "implementers/go-live-review/",
    "golive:report": "implementers/go-live-review/",
    "golive:trial": "implementers/go-live-review/",
    "golive:delete": "implementers/go-live-review/",
    "realdata-flagged": "implementers/operations/",
    "tracing:list": "trainees/tracing/",
    "tracing:register": "trainees/tracing/",
    "tracing:detail": "trainees/tracing/",
    "tracing:edit": "trainees/tracing/",
    "tracing:step": "trainees/tracing/",
    "reporting:indicators": "trainees/returns/",
    "reporting:caseload": "trainees/returns/",
    "reporting:caseload_csv": "trainees/returns/",
    "reporting:caseload_xlsx": "trainees/returns/",
    "reporting:cases_csv": "trainees/exports/",
    "reporting:cases_xlsx": "trainees/exports/",
    "reporting:case_pdf": "trainees/exports/",
    "interop:outbox": "trainees/outbox/",
    "interop:outbox_retry": "trainees/outbox/",
    "interop:inbound": "reference/interop/",
    "interop:partner_sim": "reference/interop/",
    "quizzes:manage": "trainers/knowledge-tests/",
    "quizzes:toggle": "trainers/knowledge-tests/",
    "quizzes:results_csv": "trainers/knowledge-tests/",
    "quizzes:mine": "trainees/",
    "quizzes:take": "trainees/",
    "certificates:manage": "trainers/certificates/",
    "jobs:progress": "implementers/background-jobs/",
    "workshops:import_credentials": "trainers/workshops/",
    "certificates:issue": "trainers/certificates/",
    "certificates:revoke": "trainers/certificates/",
    "certificates:download": "trainers/certificates/",
    "certificates:mine": "trainees/",
    "certificates:check": "trainers/certificates/",
}


def page_for(request: HttpRequest) -> str:
    """The guide's page for the page being answered; the home page depends on who asks."""
    match = getattr(request, "resolver_match", None)
    name = match.view_name if match else ""
    if name in PAGES:
        return PAGES[name]
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "getting-started/"
    if user.is_administrator:
        return "implementers/go-live-checklist/"
    if user.is_trainer:
        return "trainers/quick-guide/"
    return "trainees/"


def help_path(page: str, language: str) -> str:
    """The path under /help/ of `page` in `language` (English at the root)."""
    default = settings.LANGUAGE_CODE.split("-")[0]
    code = language.split("-")[0]
    if code == default or code not in dict(settings.LANGUAGES):
        return page
    return f"{code}/{page}"

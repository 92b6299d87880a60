"""A trainee's seat for the browser tests of accessibility, phones and guidance: a trainer
with a running exercise (the live board), a trainee with a practice space holding one
registered case, and a scored report of the same trainee."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page

from sandbox.accounts.models import User
from sandbox.cases import services as case_services
from sandbox.cases.models import Case
from sandbox.configuration.bundle.load import load_bundle
from sandbox.scoring.services import submit
from sandbox.simulation.services import play_solution
from sandbox.simulation.world import seed_from_file
from sandbox.spaces.models import Member, Space
from sandbox.spaces.services import member_add, space_create
from sandbox.workshops import services as workshop_services
from sandbox.workshops.models import Attempt, Enrolment
from tests.cases.conftest import registration_data
from tests.conftest import DEFAULT_BUNDLE

PASSWORD = "pw-e2e-12345"
UASC = Path(settings.BASE_DIR) / "scenarios" / "uasc-market-separation.yaml"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

PHONE = {"width": 390, "height": 844}
TABLET = {"width": 768, "height": 1024}


@dataclass
class Seat:
    practice: Space
    worker: Member
    supervisor: Member
    case: Case
    report_url: str
    board_url: str
    exercise: Space  # the trainee's space of the running exercise


@pytest.fixture
def seat(transactional_db: None) -> Seat:
    load_bundle(DEFAULT_BUNDLE)
    trainer = User.objects.create_user("trainer", password=PASSWORD, first_name="Tomas",
                                       last_name="Berg", kind=User.Kind.TRAINER)
    trainee = User.objects.create_user("trainee", password=PASSWORD, first_name="Amani",
                                       last_name="Okello", kind=User.Kind.TRAINEE)
    practice = space_create(slug="practice", title="Practice space", bundle="default")
    worker = member_add(space=practice, role="caseworker", user=trainee, user_groups=["dsw_north"])
    boss = User.objects.create_user("supervisor", password=PASSWORD, first_name="Grace",
                                    last_name="Mensah")
    supervisor = member_add(space=practice, role="supervisor", user=boss, user_groups=["dsw_north"])
    case = case_services.case_register(actor=worker, data=registration_data())

    scored = seed_from_file(UASC, slug="scored", trainees={"caseworker": trainee})
    play_solution(scored)
    report = submit(member=Member.objects.get(space=scored, user=trainee))

    today = dt.date.today()
    workshop = workshop_services.workshop_create(
        trainer=trainer, title="Belmar workshop", starts_on=today,
        ends_on=today + dt.timedelta(days=2), organisations="Belmar")
    Enrolment.objects.create(workshop=workshop, user=trainee, organisation="Belmar")
    exercise = workshop_services.exercise_create(by=trainer, workshop=workshop,
                                                 scenario_id="uasc-market-separation")
    workshop_services.exercise_start(by=trainer, exercise=exercise)
    attempt = Attempt.objects.get(exercise=exercise, enrolment__user=trainee)
    assert attempt.space is not None
    return Seat(practice=practice, worker=worker, supervisor=supervisor, case=case,
                report_url=f"/spaces/{scored.slug}/reports/{report.pk}/",
                board_url=f"/workshops/{workshop.pk}/exercises/{exercise.pk}/",
                exercise=attempt.space)


def new_page(browser: Browser, viewport: dict[str, int] | None = None) -> Page:
    """A page of its own context: axe is injected, so the site's CSP is bypassed here."""
    context = browser.new_context(viewport=viewport or {"width": 1366, "height": 900},
                                  locale="en-GB", bypass_csp=True)
    context.set_default_timeout(15_000)
    return context.new_page()


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page, one line each."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
        return {checked: r.passes.length,
                violations: r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5)
                .map(n => n.target.join(' ') + ' ' + (n.failureSummary || ''))}))};
    }""")
    assert result["checked"] > 10, "axe-core did not run its checks"
    return [json.dumps(v, ensure_ascii=False) for v in result["violations"]]


def overflow(page: Page) -> int:
    """How far the page scrolls sideways, in CSS pixels (0: it does not)."""
    return int(page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def too_wide(page: Page) -> list[str]:
    """The elements that reach past the right edge of the viewport (for failure messages)."""
    return page.evaluate("""() => {
        const w = document.documentElement.clientWidth, out = [];
        for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.width && (r.right > w + 1 || r.left < -1)) {
                out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + '.' +
                         [...el.classList].join('.') + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
            }
        }
        return out.slice(0, 12);
    }""")

"""A GBV scenario in the browser, in English and in French: Rania, an adult survivor of
intimate-partner violence who wants services but no sharing (`gbv-ipv-no-sharing`).

The first steps of the reference solution are played (registration, the consent per
purpose and per provider, the safety plan); the trainee then refers her to the counsellor
she chose on the case page, leaving out what identifies her. The referral goes to the
psychosocial provider with nothing identifying, and the scenario's rules on consent per
provider and on what was shared are met.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from sandbox.accounts.models import User
from sandbox.cases.models import Case, Referral
from sandbox.configuration.bundle.load import load_bundle
from sandbox.scoring.attempts import score_space
from sandbox.simulation.services import play_solution
from sandbox.spaces.models import Member
from sandbox.workshops import services
from sandbox.workshops.models import Attempt
from tests.conftest import DEFAULT_BUNDLE

from .conftest import login

PASSWORD = "pw-gbv-scenario-1"
SCENARIO = "gbv-ipv-no-sharing"
#: The solution's steps up to the safety plan (registration, three consents, the
#: providers she chose, the assessment asked for and completed).
BEFORE_REFERRAL = 7


@pytest.fixture
def played(transactional_db: None, request: pytest.FixtureRequest) -> dict[str, object]:
    language = request.node.callspec.params["language"]
    load_bundle(DEFAULT_BUNDLE)
    trainer = User.objects.create_user(f"trainer-{language}", password=PASSWORD,
                                       kind=User.Kind.TRAINER)
    trainee = User.objects.create_user(f"trainee-{language}", password=PASSWORD,
                                       kind=User.Kind.TRAINEE, language=language)
    day = dt.date(2026, 6, 2)
    workshop = services.workshop_create(trainer=trainer, title="GBV", starts_on=day, ends_on=day)
    services.join_with_code(user=trainee, code=workshop.join_code)
    exercise = services.exercise_create(by=trainer, workshop=workshop, scenario_id=SCENARIO)
    services.exercise_start(by=trainer, exercise=exercise)
    attempt = Attempt.objects.select_related("space").get(exercise=exercise)
    play_solution(attempt.space, upto=BEFORE_REFERRAL)  # type: ignore[arg-type]
    case = next(c for c in Case.objects.filter(space=attempt.space)
                if c.data.get("name_first") == "Rania")
    counsellor = Member.objects.get(space=attempt.space, role="gbv_provider_psychosocial")
    return {"space": attempt.space.slug, "case": case.display_id, "case_pk": case.pk,
            "counsellor": counsellor.pk, "trainee": trainee.username}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_rania_is_referred_to_the_counsellor_without_her_identity(
        page: Page, live_server, played: dict[str, object], language: str) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    login(page, base, str(played["trainee"]), PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.goto(f"{base}/spaces/{played['space']}/cases/{played['case']}/")
    expect(page.locator("#case-name")).to_contain_text("Rania")
    page.locator("#action-refer").click()
    dialog = page.locator("#dialog-refer")
    dialog.locator("select[name=service_type]").select_option("psychosocial_support")
    dialog.locator("select[name=reason]").select_option("specialised_care")
    dialog.locator("select[name=to_member]").select_option(str(played["counsellor"]))
    dialog.locator("select[name=urgency]").select_option("within_week")
    # She refused to share identified information: only the concerns go to the counsellor.
    for kind in ("identity", "contact", "family"):
        dialog.locator(f"input[name=disclosed][value={kind}]").uncheck()
    dialog.locator("input[name=disclosed][value=concerns]").check()
    dialog.locator("[data-submit=refer]").click()
    expect(page.locator("#case-referrals [data-disclosed]")).to_be_visible()

    referral = Referral.objects.get(case_id=played["case_pk"])
    assert referral.disclosed == ["concerns"]
    assert referral.to_member_id == played["counsellor"]
    report = score_space(referral.space)
    passed = {r.id: r.passed for r in report.rules}
    assert passed["refer-chosen-provider"] is True
    assert passed["nothing-identifying-shared"] is True
    assert passed["refusal-statistics"] is True

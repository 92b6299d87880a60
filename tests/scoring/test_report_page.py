"""The report page is written for people: action names, case numbers and names, the
rules' titles and readable evidence; no action code, rule id or scenario case key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from sandbox.cases.models import Case
from sandbox.scoring.services import submit
from sandbox.simulation.models import SpaceSeed
from sandbox.simulation.scenario.load import read_scenario
from sandbox.simulation.services import play_solution
from sandbox.simulation.world import seed_from_file
from sandbox.spaces.models import Member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UASC = Path(settings.BASE_DIR) / "scenarios" / "uasc-market-separation.yaml"


@pytest.fixture
def submitted(default_config):
    user = UserFactory(language="en")
    space = seed_from_file(UASC, slug="report-page", trainees={"caseworker": user})
    play_solution(space)
    member = Member.objects.get(space=space, user=user)
    return user, space, submit(member=member)


def _visible_text(html: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def _page(client: Client, user, space, report, language: str) -> str:
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    response = client.get(reverse("scoring:report", kwargs={"space": space.slug, "pk": report.pk}),
                          HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_no_code_rule_id_or_case_key_is_visible(client, submitted, language):
    user, space, report = submitted
    text = _visible_text(_page(client, user, space, report, language))
    scenario = read_scenario(UASC).scenario
    for event in report.timeline:
        assert event["action"] not in text, event["action"]
    for rule in scenario.expected:
        assert re.search(rf"(?<![\w-]){re.escape(rule.id)}(?![\w-])", text) is None, rule.id
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", text)  # no ISO times
    amina = Case.objects.get(pk=SpaceSeed.objects.get(space=space).cases["amina"])
    assert amina.display_id in text and amina.name_first in text


def test_the_page_links_to_the_case_and_offers_to_try_again_and_print(client, submitted):
    user, space, report = submitted
    html = _page(client, user, space, report, "fr")
    amina = Case.objects.get(pk=SpaceSeed.objects.get(space=space).cases["amina"])
    assert reverse("cases:detail", kwargs={"space": space.slug, "display_id": amina.display_id}) in html
    assert reverse("scoring:try_again", kwargs={"space": space.slug}) in html
    assert "window.print()" in html and "@media print" in html


def test_try_again_resets_the_space_and_keeps_the_report(client, submitted):
    user, space, report = submitted
    client.force_login(user)
    response = client.post(reverse("scoring:try_again", kwargs={"space": space.slug}))
    assert response.status_code == 302
    space.refresh_from_db()
    assert space.event_counter == SpaceSeed.objects.get(space=space).seeded_events
    assert type(report).objects.filter(pk=report.pk).exists()


def test_try_again_is_refused_when_others_work_in_the_space(client, submitted):
    user, space, _report = submitted
    other = Member.objects.filter(space=space, user__isnull=True).first()
    other.user = UserFactory()
    other.save(update_fields=["user"])
    client.force_login(user)
    response = client.post(reverse("scoring:try_again", kwargs={"space": space.slug}))
    assert response.status_code == 403

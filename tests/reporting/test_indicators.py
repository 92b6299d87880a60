"""Indicators of a space on a world built for the purpose, against figures worked out by
hand below (not by calling the code under test).

Simulated now: 2026-03-10 12:00. The supervisor's group (dsw_north) owns cases A-F; case X
belongs to another agency's worker, outside the supervisor's scope.

Case: registered (03-DD 12:00), place (province), risk, status/stage, assessed, plan, closure
- A: 03-01, Belmar (North), high, open/case_plan, assessed 03-02 (+1 day), plan approved 03-04 (+3)
- B: 03-01, Belmar (North), high, open/assessment, assessed 03-04 (+3)
- C: 03-02, Port Hassan (South), medium, open/new, assessed 03-05 (+3), plan saved 03-08 (+6)
- D: 03-03, Port Hassan (South), low, closed, reason: reunified
- E: 03-05, Belmar (North), low, closed, reason: reunified
- F: 02-20, Belmar (North), high, open/new
- X: 03-01, Belmar (North), high, open/new: another agency's, not seen by the supervisor

All time: cases A-F = 6, open 4 (A, B, C, F), closed 2 (both reunified).
  risk: high 3 (A, B, F), medium 1, low 2. North 4 (A, B, E, F), South 2.
  Days to assessment: high [1, 3] -> median 2.0; medium [3] -> 3.0; all [1, 3, 3] -> 3.0.
  Days to the case plan: A 3 (approval), C 6 (saved) -> all median 4.5.
  Tasks: A's overdue (due 03-05), B's not yet due (03-12), C's done late (completed) -> 1 overdue.
  Approvals pending: B's assessment -> 1.
  Referrals: A with consent, C with consent, F with an override -> 2 of 3.
From 03-01 to 03-05, South only: C and D -> 2 cases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sandbox.cases.models import Approval, ApprovalStatus, Case, Referral, Stage, Status
from sandbox.cases.models.task import Task
from tests.factories import MemberFactory, SpaceFactory


def at(day: str, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(f"2026-{day}T{hour:02d}:00"))


ROWS = {  # registered, location, risk, status, stage, assessed, plan saved, closure
    "A": ("03-01", "LR010101", "high", Status.OPEN, Stage.CASE_PLAN, "03-02", None, None),
    "B": ("03-01", "LR010101", "high", Status.OPEN, Stage.ASSESSMENT, "03-04", None, None),
    "C": ("03-02", "LR020101", "medium", Status.OPEN, Stage.NEW, "03-05", "03-08", None),
    "D": ("03-03", "LR020101", "low", Status.CLOSED, Stage.CLOSED, None, None, "reunified"),
    "E": ("03-05", "LR010101", "low", Status.CLOSED, Stage.CLOSED, None, None, "reunified"),
    "F": ("02-20", "LR010101", "high", Status.OPEN, Stage.NEW, None, None, None),
}


@pytest.fixture
def world(default_config: Any) -> dict[str, Any]:
    space = SpaceFactory(clock=at("03-10"))
    supervisor = MemberFactory(space=space, role="supervisor", user_groups=["dsw_north"])
    worker = MemberFactory(space=space, role="caseworker", user_groups=["dsw_north"])
    outsider = MemberFactory(space=space, role="caseworker", agency="cfi", user_groups=[])
    cases = {}
    for key, (reg, place, risk, status, stage, assessed, plan, closure) in ROWS.items():
        cases[key] = Case.objects.create(
            space=space, display_id=f"CP-{key}", module="cp", owner=worker, agency="dsw",
            user_groups=["dsw_north"], location=place, risk_level=risk, status=status, stage=stage,
            registered_at=at(reg), created_at=at(reg), updated_at=at(reg),
            assessment_completed_at=at(assessed) if assessed else None,
            case_plan_saved_at=at(plan) if plan else None,
            data={"closure_reason": closure} if closure else {})
    Case.objects.create(space=space, display_id="CP-X", module="cp", owner=outsider, agency="cfi",
                        location="LR010101", risk_level="high", registered_at=at("03-01"),
                        created_at=at("03-01"), updated_at=at("03-01"))
    Approval.objects.create(space=space, case=cases["A"], kind="case_plan", created_at=at("03-03"),
                            status=ApprovalStatus.APPROVED, decided_at=at("03-04"))
    Approval.objects.create(space=space, case=cases["B"], kind="assessment", created_at=at("03-04"))
    for key, due, done in (("A", "03-05", None), ("B", "03-12", None), ("C", "03-04", "03-05")):
        Task.objects.create(space=space, case=cases[key], kind="assessment", started_at=at("03-01"),
                            due_at=at(due), completed_at=at(done) if done else None)
    for key, override in (("A", ""), ("C", ""), ("F", "Child in danger tonight")):
        Referral.objects.create(space=space, case=cases[key], created_at=at("03-06"),
                                service_type="family_tracing", reason="case_plan_service",
                                consent_override_reason=override)
    return {"space": space, "supervisor": supervisor, "worker": worker}


def page(client: Client, space: Any, **query: str) -> str:
    url = reverse("reporting:indicators", kwargs={"space": space.slug})
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def count(body: str, chart: int, code: str) -> int:
    marker = body.split(f'data-chart="{chart}"')[1].split("</table>")[0]
    return int(marker.split(f'data-code="{code}" data-count="')[1].split('"')[0])


def median(body: str, timing: int, code: str) -> str:
    marker = body.split(f'data-timing="{timing}"')[1].split("</table>")[0]
    return marker.split(f'data-code="{code}" data-median="')[1].split('"')[0]


@pytest.mark.django_db
def test_all_time_figures(client: Client, world: dict) -> None:
    client.force_login(world["supervisor"].user)
    body = page(client, world["space"], level="1")
    assert 'data-figure="cases" data-value="6"' in body
    assert 'data-figure="open" data-value="4"' in body
    assert 'data-figure="overdue" data-value="1"' in body
    assert 'data-figure="approvals" data-value="1"' in body
    assert 'data-figure="consent" data-value="2/3"' in body
    assert count(body, 1, "open") == 4 and count(body, 1, "closed") == 2
    assert count(body, 3, "high") == 3 and count(body, 3, "medium") == 1 and count(body, 3, "low") == 2
    assert count(body, 4, "LR01") == 4 and count(body, 4, "LR02") == 2 and count(body, 4, "LR03") == 0
    assert count(body, 6, "reunified") == 2 and count(body, 6, "goals_met") == 0
    assert median(body, 1, "high") == "2.0" and median(body, 1, "medium") == "3.0"
    assert median(body, 1, "low") == "" and median(body, 1, "all") == "3.0"
    assert median(body, 2, "all") == "4.5"
    assert "67%" in body                                   # 2 of 3 referrals, English format


@pytest.mark.django_db
def test_a_period_and_a_place(client: Client, world: dict) -> None:
    client.force_login(world["supervisor"].user)
    body = page(client, world["space"], start="2026-03-01", end="2026-03-05", location="LR02")
    assert 'data-figure="cases" data-value="2"' in body
    assert 'data-figure="consent" data-value="1/1"' in body     # only C's referral
    # The dates given the wrong way round are swapped, not refused.
    swapped = page(client, world["space"], start="2026-03-05", end="2026-03-01", location="LR02")
    assert 'data-figure="cases" data-value="2"' in swapped
    # Province level 2 breakdown: Belmar and Port Hassan.
    deeper = page(client, world["space"], level="2")
    assert count(deeper, 4, "LR0101") == 4 and count(deeper, 4, "LR0201") == 2


@pytest.mark.django_db
def test_bad_filters_fall_back(client: Client, world: dict) -> None:
    client.force_login(world["supervisor"].user)
    body = page(client, world["space"], start="yesterday", end="2026-13-40", location="NOWHERE",
                level="x")
    assert 'data-figure="cases" data-value="6"' in body


@pytest.mark.django_db
def test_french_and_arabic_formats(client: Client, world: dict) -> None:
    client.force_login(world["supervisor"].user)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert "67\u00a0%" in page(client, world["space"])  # CLDR: a no-break space before %
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    body = page(client, world["space"])
    assert 'dir="rtl"' in body and "67" in body


@pytest.mark.django_db
def test_only_supervisors_and_members(client: Client, world: dict, other_trainee: Any) -> None:
    url = reverse("reporting:indicators", kwargs={"space": world["space"].slug})
    client.force_login(world["worker"].user)
    assert client.get(url).status_code == 403
    home = reverse("cases:dashboard", kwargs={"space": world["space"].slug})
    assert 'id="nav-indicators"' not in client.get(home).content.decode()
    client.force_login(other_trainee)
    assert client.get(url).status_code == 404
    client.force_login(world["supervisor"].user)
    assert 'id="nav-indicators"' in client.get(home).content.decode()
    client.logout()
    assert client.get(url).status_code == 302

"""Reading cases: each viewer sees their scope's cases of their own space, in a
constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.http import Http404, QueryDict
from django.test.utils import CaptureQueriesContext

from sandbox.cases import services as s
from sandbox.cases.models import Case, Stage, Task, TaskKind
from sandbox.cases.selectors import CaseFilters, case_get, case_list, visible_cases
from sandbox.spaces.models import Member, Space
from tests.factories import MemberFactory, SpaceFactory

from .conftest import World, registration_data
from .test_services_helpers import member

pytestmark = pytest.mark.django_db


def _ids(cases: Any) -> list[str]:
    return sorted(c.display_id for c in cases)


@pytest.fixture
def cases(world: World) -> dict[str, Case]:
    """One case per kind of owner, in the world's space (display IDs in this order)."""
    w = world
    south = member(w, "caseworker", groups=["dsw_south"], name="South worker")
    return {
        "worker": w.case(),                                                          # CP-0001
        "colleague": s.case_register(actor=w.colleague, data=registration_data(
            name_first="Yusuf", name_last="Kamara", risk_level="low",
            location_current="LR010201")),                                           # CP-0002
        "south": s.case_register(actor=south, data=registration_data(
            name_first="Salma", risk_level="medium", location_current="LR020101")),  # CP-0003
        "outsider": s.case_register(actor=w.outsider, data=registration_data(
            name_first="Omar", name_last="Haddad", location_current="LR020102")),   # CP-0004
    }


# visible_cases -------------------------------------------------------------------------------


def test_scope_own(world: World, cases: dict[str, Case]) -> None:
    assert _ids(visible_cases(world.worker)) == ["CP-0001"]
    assert _ids(visible_cases(world.colleague)) == ["CP-0002"]
    assert _ids(visible_cases(world.outsider)) == ["CP-0004"]


def test_scope_group(world: World, cases: dict[str, Case]) -> None:
    assert _ids(visible_cases(world.supervisor)) == ["CP-0001", "CP-0002"]
    both = member(world, "supervisor", groups=["dsw_north", "dsw_south"])
    assert _ids(visible_cases(both)) == ["CP-0001", "CP-0002", "CP-0003"]
    none = member(world, "supervisor", groups=[])
    assert _ids(visible_cases(none)) == []


def test_scope_group_matches_whole_group_names(world: World, cases: dict[str, Case]) -> None:
    # "dsw" is a prefix of "dsw_north", not the same group.
    prefix = member(world, "supervisor", groups=["dsw"])
    assert _ids(visible_cases(prefix)) == []


def test_scope_agency(world: World, cases: dict[str, Case]) -> None:
    dsw = member(world, "manager", agency="dsw")
    cfi = member(world, "manager", agency="cfi")
    assert _ids(visible_cases(dsw)) == ["CP-0001", "CP-0002", "CP-0003"]
    assert _ids(visible_cases(cfi)) == ["CP-0004"]
    nowhere = member(world, "manager", agency="")
    assert _ids(visible_cases(nowhere)) == []


def test_scope_all(world: World, cases: dict[str, Case]) -> None:
    assert _ids(visible_cases(world.admin)) == ["CP-0001", "CP-0002", "CP-0003", "CP-0004"]


def test_referral_recipient_sees_the_case_referred(world: World, cases: dict[str, Case]) -> None:
    w = world
    assert _ids(visible_cases(w.provider)) == []
    case = cases["worker"]
    s.consent_record(actor=w.worker, case=case, consent_type="share_information", given=True)
    s.referral_create(actor=w.worker, case=case, service_type="family_tracing",
                      reason="case_plan_service", to_member=w.provider.pk)
    assert _ids(visible_cases(w.provider)) == ["CP-0001"]


def test_transfer_recipient_sees_the_case_while_pending(world: World,
                                                        cases: dict[str, Case]) -> None:
    w = world
    case = cases["worker"]
    s.consent_record(actor=w.worker, case=case, consent_type="share_information", given=True)
    transfer = s.transfer_create(actor=w.worker, case=case, to_member=w.outsider.pk,
                                 reason="Moved to Port Hassan.")
    assert _ids(visible_cases(w.outsider)) == ["CP-0001", "CP-0004"]
    s.transfer_reject(actor=w.outsider, transfer=transfer, comment="Outside our area.")
    assert _ids(visible_cases(w.outsider)) == ["CP-0004"]


def test_no_viewer_sees_another_spaces_cases(world: World, cases: dict[str, Case]) -> None:
    other = SpaceFactory()
    stranger = MemberFactory(space=other, role="caseworker", user_groups=["dsw_north"])
    s.case_register(actor=stranger, data=registration_data())
    other_admin = MemberFactory(space=other, role="administrator", user_groups=[])
    assert _ids(visible_cases(other_admin)) == ["CP-0001"]
    assert all(c.space_id == other.pk for c in visible_cases(other_admin))
    for viewer in (world.admin, world.supervisor, member(world, "manager", agency="dsw")):
        assert all(c.space_id == world.space.pk for c in visible_cases(viewer))
        assert all(c.space_id == world.space.pk for c in case_list(viewer=viewer))


def test_case_get_finds_the_case_of_the_viewers_space(world: World, cases: dict[str, Case]) -> None:
    other = SpaceFactory()
    stranger = MemberFactory(space=other, role="administrator", user_groups=[])
    theirs = s.case_register(actor=stranger, data=registration_data(name_first="Zara"))
    assert theirs.display_id == "CP-0001"
    assert case_get(viewer=world.worker, display_id="CP-0001") == cases["worker"]
    assert case_get(viewer=stranger, display_id="CP-0001") == theirs
    with pytest.raises(Http404):
        case_get(viewer=world.worker, display_id="CP-0002")  # a colleague's case
    with pytest.raises(Http404):
        case_get(viewer=stranger, display_id="CP-0004")


# case_list filters ---------------------------------------------------------------------------


def _list(viewer: Member, **filters: Any) -> list[str]:
    return _ids(case_list(viewer=viewer, filters=CaseFilters(**filters)))


def test_filter_by_text(world: World, cases: dict[str, Case]) -> None:
    admin = world.admin
    assert _list(admin, query="yusuf") == ["CP-0002"]
    assert _list(admin, query="Diallo") == ["CP-0001", "CP-0003"]
    assert _list(admin, query="salma diallo") == ["CP-0003"]
    assert _list(admin, query="cp-0004") == ["CP-0004"]
    assert _list(admin, query="cp-00") == []  # the case ID matches whole
    assert _list(admin, query="nobody") == []


def test_filter_by_stage_status_and_risk(world: World, cases: dict[str, Case]) -> None:
    w = world
    s.assessment_request(actor=w.worker, case=cases["worker"])
    assert _list(w.admin, stage=Stage.ASSESSMENT) == ["CP-0001"]
    assert _list(w.admin, stage=Stage.NEW) == ["CP-0002", "CP-0003", "CP-0004"]
    assert _list(w.admin, risk_level="high") == ["CP-0001", "CP-0004"]
    assert _list(w.admin, risk_level="low") == ["CP-0002"]
    assert _list(w.admin, status="open") == ["CP-0001", "CP-0002", "CP-0003", "CP-0004"]
    assert _list(w.admin, status="closed") == []


@pytest.mark.parametrize(("location", "expected"), [
    ("LR", ["CP-0001", "CP-0002", "CP-0003", "CP-0004"]),
    ("LR01", ["CP-0001", "CP-0002"]),              # the province and every place below
    ("LR0101", ["CP-0001"]),
    ("LR010101", ["CP-0001"]),
    ("LR02", ["CP-0003", "CP-0004"]),
    ("LR0201", ["CP-0003", "CP-0004"]),
    ("LR020102", ["CP-0004"]),
    ("LR03", []),
])
def test_filter_by_location_includes_places_below(world: World, cases: dict[str, Case],
                                                  location: str, expected: list[str]) -> None:
    assert _list(world.admin, location=location) == expected


def test_filter_by_overdue_on_the_simulated_clock(world: World, cases: dict[str, Case]) -> None:
    w = world
    assert _list(w.admin, overdue=True) == []
    w.space.advance_clock(dt.timedelta(hours=25))  # high risk: assessment due within 24h
    assert _list(w.admin, overdue=True) == ["CP-0001", "CP-0004"]
    w.space.advance_clock(dt.timedelta(days=5))   # medium: 5 days
    assert _list(w.admin, overdue=True) == ["CP-0001", "CP-0003", "CP-0004"]
    s.assessment_complete(actor=w.worker, case=cases["worker"], data={
        "assessment_summary": "Safe for now."})
    assert "CP-0001" not in _list(w.admin, overdue=True)
    assert _list(w.worker, overdue=True) == []


def test_filter_flagged_and_mine(world: World, cases: dict[str, Case]) -> None:
    w = world
    s.case_flag(actor=w.supervisor, case=cases["colleague"], reason="Duplicate?")
    assert _list(w.supervisor, flagged=True) == ["CP-0002"]
    assert _list(w.supervisor, mine=True) == []
    own = s.case_register(actor=w.supervisor, data=registration_data(name_first="Nadia"))
    assert _list(w.supervisor, mine=True) == [own.display_id]
    assert _list(w.worker, mine=True) == ["CP-0001"]


def test_filters_combine(world: World, cases: dict[str, Case]) -> None:
    assert _list(world.admin, location="LR02", risk_level="high") == ["CP-0004"]
    assert _list(world.admin, location="LR02", query="salma", risk_level="high") == []


def test_filters_never_widen_the_scope(world: World, cases: dict[str, Case]) -> None:
    assert _list(world.worker, query="Omar") == []
    assert _list(world.worker, location="LR02") == []


def test_list_order_is_last_change_first(world: World, cases: dict[str, Case]) -> None:
    w = world
    w.space.advance_clock(dt.timedelta(hours=1))
    s.case_update(actor=w.supervisor, case=cases["colleague"], section="basic_identity",
                  partial=True, data={"phone": "0700"})
    assert [c.display_id for c in case_list(viewer=w.admin)][:2] == ["CP-0002", "CP-0004"]


def test_filters_from_request_parameters() -> None:
    params = QueryDict("q=+amina+&stage=assessment&risk_level=high&location=LR01&status=open"
                       "&overdue=1&flagged=on&mine=no")
    assert CaseFilters.from_params(params) == CaseFilters(
        query="amina", stage="assessment", risk_level="high", location="LR01", status="open",
        overdue=True, flagged=True, mine=False)
    assert CaseFilters.from_params(QueryDict("")) == CaseFilters()


# Query counts --------------------------------------------------------------------------------


def _space_with_cases(count: int, role: str) -> Member:
    """A space whose viewer sees `count` cases, half of them with an overdue task."""
    space = SpaceFactory()
    owner = MemberFactory(space=space, role="caseworker", user_groups=["dsw_north"])
    viewer = owner if role == "caseworker" else MemberFactory(
        space=space, role=role, user_groups=["dsw_north"])
    risks = ["high", "medium", "low"]
    Case.objects.bulk_create([
        Case(space=space, display_id=f"CP-{n:04d}", module="cp", owner=owner, agency="dsw",
             user_groups=["dsw_north"], name_first=f"Child {n}", risk_level=risks[n % 3],
             location="LR010101", created_at=space.clock,
             updated_at=space.clock + dt.timedelta(minutes=n))
        for n in range(1, count + 1)
    ])
    Task.objects.bulk_create([
        Task(space=space, case=case, kind=TaskKind.ASSESSMENT, started_at=space.clock,
             due_at=space.clock + dt.timedelta(hours=1 if case.pk % 2 else 48))
        for case in Case.objects.filter(space=space)
    ])
    space.advance_clock(dt.timedelta(hours=2))
    return viewer


def _queries_for_one_page(viewer: Member, check: Callable[[list[Case]], None]) -> int:
    """Read the first page as a case list view does, and count the queries."""
    with CaptureQueriesContext(connection) as ctx:
        rows = list(case_list(viewer=viewer)[:50])
        seen = [(case.owner.name, case.is_overdue) for case in rows]
    assert len(seen) == len(rows)
    check(rows)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "manager", "administrator"])
def test_case_list_runs_a_constant_number_of_queries(
        default_config: object, role: str,
        django_assert_num_queries: Callable[..., Any]) -> None:
    small = _space_with_cases(30, role)
    large = _space_with_cases(1000, role)
    Space.objects.get(pk=small.space_id).config  # noqa: B018 - warm the configuration cache

    def small_page(rows: list[Case]) -> None:
        assert len(rows) == 30
        assert sum(c.is_overdue for c in rows) == 15

    def large_page(rows: list[Case]) -> None:
        assert len(rows) == 50
        assert rows[0].display_id == "CP-1000"  # last change first
        assert {c.space_id for c in rows} == {large.space_id}

    # Fresh instances, as in a request: nothing is cached on them.
    small, large = Member.objects.get(pk=small.pk), Member.objects.get(pk=large.pk)
    expected = _queries_for_one_page(small, small_page)
    assert expected <= 3  # the viewer's space, its bundle, the page of cases
    with django_assert_num_queries(expected):
        _queries_for_one_page(large, large_page)

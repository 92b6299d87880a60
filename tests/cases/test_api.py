"""The case API, endpoint by endpoint: who may, who may not, and what bad input answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from sandbox.cases import services as s
from sandbox.cases.models import Case, Event
from sandbox.common.actions import EVENT_ACTION_NAMES
from sandbox.spaces.models import Member
from tests.factories import MemberFactory

from .conftest import World, assessment_data, case_plan_data, closure_data, registration_data

pytestmark = pytest.mark.django_db


def client(member: Member) -> APIClient:
    api = APIClient()
    api.force_login(member.user)
    return api


def url(w: World, *parts: object) -> str:
    return f"/api/v1/spaces/{w.space.slug}/" + "".join(f"{part}/" for part in parts)


def action(w: World, case: Case, name: str) -> str:
    return url(w, "cases", case.display_id, "actions", name)


def post(member: Member, path: str, body: dict[str, Any] | None = None) -> Any:
    return client(member).post(path, body or {}, format="json")


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert set(response.json()) == {"error"}
    body = response.json()["error"]
    assert body["code"] == code, body
    assert body["message"]
    return body


def field_errors(response: Any) -> dict[str, list[str]]:
    return error(response, 400, "invalid")["details"]["fields"]


def reason(w: World) -> str:
    lookup = w.space.module_config.system_lookups["referral_reason"]
    return next(iter(w.space.config.lookups[lookup].options))


# --- spaces, members ---------------------------------------------------------------------------

def test_spaces_lists_the_users_spaces_with_their_member(world: World) -> None:
    response = client(world.supervisor).get("/api/v1/spaces/")
    assert response.status_code == 200
    [space] = response.json()["results"]
    assert space["slug"] == world.space.slug and space["bundle"] == "default"
    assert space["module"] == "cp" and space["clock"].startswith("2026-03-02T08:00")
    assert space["member"]["id"] == world.supervisor.pk
    assert space["member"]["role"] == "supervisor" and space["member"]["agency"] == "dsw"


def test_members_of_the_space(world: World) -> None:
    response = client(world.worker).get(url(world, "members"))
    assert response.status_code == 200
    assert response.json()["count"] == 6
    assert {m["role"] for m in response.json()["results"]} >= {"caseworker", "service_provider"}


# --- registration, list, detail ----------------------------------------------------------------

def test_register_then_list_and_open_the_case(world: World) -> None:
    w = world
    response = post(w.worker, url(w, "cases"), {"data": registration_data()})
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["display_id"] == "CP-0001" and case["stage"] == "new" and case["status"] == "open"
    assert case["owner"]["id"] == w.worker.pk and case["risk_level"] == "high"
    assert case["data"]["name_first"] == "Amina" and case["full_name"] == "Amina Diallo"
    assert case["location_name"] == "Belmar Centre, Belmar, Northern Province"
    assert [t["kind"] for t in case["tasks"]] == ["assessment"]
    assert case["form_access"]["basic_identity"] == "read_write"

    listed = client(w.worker).get(url(w, "cases")).json()
    assert listed["count"] == 1
    assert listed["results"][0]["display_id"] == "CP-0001"
    assert listed["results"][0]["is_overdue"] is False

    detail = client(w.worker).get(url(w, "cases", "CP-0001"))
    assert detail.status_code == 200
    assert detail.json()["data"] == case["data"]
    for records in ("tasks", "approvals", "services", "referrals", "transfers", "followups", "notes",
                    "flags"):
        assert records in detail.json()


def test_identify_then_register_the_case(world: World) -> None:
    identified = post(world.worker, url(world, "cases", "identify"),
                      {"data": {"name_first": "Amina", "age": 11}, "summary": "Hotline call"})
    assert identified.status_code == 201, identified.content
    assert identified.json()["registration_status"] == "identified"
    assert identified.json()["data"] == {"name_first": "Amina", "age": 11}
    display_id = identified.json()["display_id"]
    assert "age" in field_errors(post(world.worker, url(world, "cases", "identify"),
                                      {"data": {"age": "eleven"}}))

    response = post(world.worker, url(world, "cases"),
                    {"data": registration_data(), "case": display_id})
    assert response.status_code == 201, response.content
    assert response.json()["display_id"] == display_id
    assert response.json()["registration_status"] == "registered"
    assert Case.objects.count() == 1
    error(post(world.worker, url(world, "cases"), {"data": registration_data(), "case": display_id}),
          400, "already_registered")


def test_every_action_has_an_endpoint() -> None:
    from django.urls import URLPattern, URLResolver, get_resolver

    def names_of(patterns: list) -> set[str | None]:
        found: set[str | None] = set()
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                found |= names_of(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                found.add(pattern.name)
        return found

    names = names_of(get_resolver().url_patterns)
    with_own_url = {"case.identify": "api-case-identify", "case.search": "api-case-search",
                    "case.register": "api-cases", "case.update": "api-case-section",
                    "case.export": "api-export-cases",
                    "incident.export": "api-incident-recorder",
                    "tracing_request.create": "api-tracing-requests",
                    "tracing_request.update": "api-tracing-request",
                    "trace.record": "api-tracing-traces", "match.search": "api-tracing-search",
                    "match.confirm": "api-tracing-confirm", "match.reject": "api-tracing-reject",
                    "match.verify": "api-tracing-verify",
                    "reunification.record": "api-tracing-reunify"}
    for name in EVENT_ACTION_NAMES:
        if name.endswith(".refused"):  # the record of a refused attempt, no action of its own
            continue
        assert with_own_url.get(name, f"api-{name}") in names, name


def test_register_refuses_an_unknown_identified_case(world: World) -> None:
    response = post(world.worker, url(world, "cases"), {"data": registration_data(), "case": "CP-0099"})
    assert "case" in field_errors(response)


@pytest.mark.parametrize(("data", "field"), [
    (registration_data(age="eleven"), "age"),                      # wrong type
    (registration_data(sex="robot"), "sex"),                       # unknown option
    ({k: v for k, v in registration_data().items() if k != "name_first"}, "name_first"),  # missing
    (registration_data(favourite_colour="blue"), "favourite_colour"),  # unknown field
])
def test_register_with_bad_data_names_the_field(world: World, data: dict[str, Any], field: str) -> None:
    response = post(world.worker, url(world, "cases"), {"data": data})
    assert field in field_errors(response)
    assert not Case.objects.exists()


def test_register_without_a_data_mapping(world: World) -> None:
    assert "data" in field_errors(post(world.worker, url(world, "cases"), {}))
    assert "data" in field_errors(post(world.worker, url(world, "cases"), {"data": ["Amina"]}))


def test_case_list_filters(world: World) -> None:
    w = world
    first = w.case()
    w.case(name_first="Bako", risk_level="low", location_current="LR020101")
    s.case_flag(actor=w.worker, case=first, reason="Check on Friday")

    def ids(**params: str) -> list[str]:
        response = client(w.worker).get(url(w, "cases"), params)
        assert response.status_code == 200
        return sorted(c["display_id"] for c in response.json()["results"])

    assert ids() == ["CP-0001", "CP-0002"]
    assert ids(q="amina") == ["CP-0001"]
    assert ids(q="CP-0002") == ["CP-0002"]
    assert ids(risk_level="low") == ["CP-0002"]
    assert ids(location="LR01") == ["CP-0001"]
    assert ids(stage="new", status="open") == ["CP-0001", "CP-0002"]
    assert ids(status="closed") == []
    assert ids(flagged="true") == ["CP-0001"]
    assert ids(mine="1") == ["CP-0001", "CP-0002"]
    assert ids(overdue="true") == []
    w.space.advance_clock(dt.timedelta(days=2))  # the high-risk assessment (24h) is now late
    assert ids(overdue="true") == ["CP-0001"]
    page = client(w.worker).get(url(w, "cases"), {"limit": 1}).json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]


def test_detail_shows_only_the_sections_the_role_may_read(world: World) -> None:
    w = world
    case = w.consented()
    s.case_update(actor=w.worker, case=case, section="closure", data=closure_data())
    s.referral_create(actor=w.worker, case=case, service_type="family_tracing", reason=reason(w),
                      to_member=w.provider.pk)

    mine = client(w.worker).get(url(w, "cases", case.display_id)).json()
    assert mine["data"]["closure_reason"] == "reunified"
    theirs = client(w.provider).get(url(w, "cases", case.display_id))
    assert theirs.status_code == 200
    assert "closure" not in theirs.json()["form_access"]
    assert theirs.json()["form_access"]["followup_review"] == "read_write"
    assert "closure_reason" not in theirs.json()["data"]
    assert theirs.json()["data"]["name_first"] == "Amina"

    def changed(member: Member) -> set[str]:
        events = client(member).get(url(w, "cases", case.display_id, "events")).json()["results"]
        return {key for event in events for key in event["changes"]}

    assert "data.closure_reason" in changed(w.worker)
    assert "data.closure_reason" not in changed(w.provider)
    assert "data.name_first" in changed(w.provider)


# --- form sections -----------------------------------------------------------------------------

def test_patch_a_section_keeps_the_other_fields(world: World) -> None:
    case = world.case()
    response = client(world.worker).patch(url(world, "cases", case.display_id, "sections",
                                              "basic_identity"),
                                          {"data": {"name_nickname": "Mimi", "risk_level": "low"}},
                                          format="json")
    # risk_level is a field of another section: refused, naming it
    assert "risk_level" in field_errors(response)
    response = client(world.worker).patch(url(world, "cases", case.display_id, "sections",
                                              "basic_identity"),
                                          {"data": {"name_nickname": "Mimi"}}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["name_nickname"] == "Mimi"
    assert response.json()["data"]["name_first"] == "Amina"
    nothing = client(world.worker).patch(url(world, "cases", case.display_id, "sections",
                                             "basic_identity"), {}, format="json")
    assert nothing.status_code == 200 and nothing.json()["data"]["name_nickname"] == "Mimi"


def test_put_replaces_the_whole_section(world: World) -> None:
    case = world.case()
    path = url(world, "cases", case.display_id, "sections", "basic_identity")
    response = client(world.worker).put(path, {"data": {"name_nickname": "Mimi"}}, format="json")
    assert {"name_first", "name_last", "sex", "age"} <= set(field_errors(response))
    whole = {k: v for k, v in registration_data().items()
             if k in {"name_first", "name_last", "sex", "age", "location_current"}}
    response = client(world.worker).put(path, {"data": {**whole, "name_first": "Aminata"}},
                                        format="json")
    assert response.status_code == 200, response.content
    assert response.json()["name_first"] == "Aminata"


def test_unknown_section_and_role_without_update(world: World) -> None:
    case = world.case()
    response = client(world.worker).patch(url(world, "cases", case.display_id, "sections", "nope"),
                                          {"data": {}}, format="json")
    error(response, 400, "invalid")
    manager = MemberFactory(space=world.space, role="manager", user_groups=[])
    response = client(manager).patch(url(world, "cases", case.display_id, "sections",
                                         "basic_identity"), {"data": {"name_nickname": "M"}},
                                     format="json")
    error(response, 403, "forbidden_by_role")


# --- search ------------------------------------------------------------------------------------

def test_search_before_registering(world: World) -> None:
    world.case()
    response = post(world.outsider, url(world, "cases", "search"), {"query": "Amina", "age": 12})
    assert response.status_code == 200, response.content
    assert [c["display_id"] for c in response.json()] == ["CP-0001"]
    assert Event.objects.filter(action="case.search", actor=world.outsider).exists()
    assert "age" in field_errors(post(world.worker, url(world, "cases", "search"), {"age": "old"}))
    error(post(world.provider, url(world, "cases", "search"), {"query": "x"}), 403,
          "forbidden_by_role")


# --- every action, in the order of a case's life ---------------------------------------------

def test_a_whole_case_through_the_api(world: World) -> None:
    w = world
    case = w.case()

    def act(member: Member, name: str, body: dict[str, Any] | None = None, status: int = 200) -> Any:
        response = post(member, action(w, case, name), body)
        assert response.status_code == status, (name, response.content)
        return response.json()

    assert act(w.worker, "consent.record", {"consent_type": "share_information", "given": True,
                                            "given_by": "both"})["data"]["consent_share_other_orgs"]
    assert act(w.worker, "assessment.request")["stage"] == "assessment"
    assert act(w.worker, "assessment.complete", {"data": assessment_data()})["assessment_completed_at"]
    approval = act(w.worker, "approval.request", {"kind": "assessment"}, status=201)
    assert approval["status"] == "pending" and approval["case"]["display_id"] == case.display_id
    waiting = client(w.supervisor).get(url(w, "approvals")).json()["results"]
    assert [a["id"] for a in waiting] == [approval["id"]]
    assert client(w.worker).get(url(w, "approvals")).json()["results"] == []
    decided = post(w.supervisor, url(w, "approvals", approval["id"], "decide"),
                   {"approve": True, "comment": "Good."})
    assert decided.status_code == 200 and decided.json()["status"] == "approved"

    assert act(w.worker, "case_plan.save", {"data": case_plan_data()})["case_plan_saved_at"]
    plan = act(w.worker, "approval.request", {"kind": "case_plan"}, status=201)
    post(w.supervisor, url(w, "approvals", plan["id"], "decide"), {"approve": True})

    service = act(w.worker, "service.add", {"service_type": "psychosocial_support",
                                            "due_date": "2026-03-10"}, status=201)
    assert service["status"] == "planned" and service["due_at"].startswith("2026-03-10")
    referral = act(w.worker, "referral.create", {
        "service_type": "family_tracing", "reason": reason(w), "to_member": w.provider.pk,
        "urgency": "immediate"}, status=201)
    assert referral["status"] == "pending" and referral["to_member"]["id"] == w.provider.pk
    received = client(w.provider).get(url(w, "referrals")).json()["results"]
    assert [r["id"] for r in received] == [referral["id"]]
    accepted = post(w.provider, url(w, "referrals", referral["id"], "accept"), {"comment": "On it"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    done = post(w.provider, url(w, "referrals", referral["id"], "done"), {})
    assert done.json()["status"] == "done"
    for service_id in (referral["service"], service["id"]):
        implemented = post(w.worker, url(w, "services", service_id, "implement"), {"notes": "Done"})
        assert implemented.status_code == 200 and implemented.json()["status"] == "implemented"

    followup = act(w.worker, "followup.record", {"date": "2026-03-02", "followup_type": "phone_call",
                                                 "findings": "Doing well.", "risk_level": "low"},
                   status=201)
    assert followup["risk_before"] == "high" and followup["risk_after"] == "low"
    note = act(w.worker, "note.add", {"subject": "Visit", "text": "Met the aunt."}, status=201)
    assert note["subject"] == "Visit" and note["created_by"]["id"] == w.worker.pk
    flag = act(w.worker, "case.flag", {"reason": "Check school enrolment"}, status=201)
    assert flag["reason"] == "Check school enrolment" and flag["removed_at"] is None
    assert act(w.worker, "case.unflag")["flagged"] is False

    refused = post(w.worker, action(w, case, "case.close"), {"data": closure_data()})
    error(refused, 400, "closure_not_approved")
    closure = act(w.worker, "approval.request", {"kind": "closure"}, status=201)
    post(w.supervisor, url(w, "approvals", closure["id"], "decide"), {"approve": True})
    closed = act(w.worker, "case.close", {"data": closure_data()})
    assert closed["status"] == "closed" and closed["tasks"] == []
    reopened = act(w.worker, "case.reopen", {"reason": "The aunt moved away."})
    assert reopened["status"] == "open" and reopened["stage"] == "reopened"

    transfer = act(w.worker, "transfer.create", {"to_member": w.colleague.pk,
                                                 "reason": "Moving to another office"}, status=201)
    assert [t["id"] for t in client(w.colleague).get(url(w, "transfers")).json()["results"]] == [
        transfer["id"]]
    accepted = post(w.colleague, url(w, "transfers", transfer["id"], "accept"), {})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assigned = act(w.supervisor, "case.assign", {"to_member": w.worker.pk, "reason": "Back"})
    assert assigned["owner"]["id"] == w.worker.pk

    detail = client(w.worker).get(url(w, "cases", case.display_id)).json()
    assert len(detail["approvals"]) == 3 and len(detail["services"]) == 2
    assert len(detail["referrals"]) == 1 and len(detail["transfers"]) == 1
    assert len(detail["followups"]) == 1 and len(detail["notes"]) == 1 and len(detail["flags"]) == 1

    events = client(w.worker).get(url(w, "cases", case.display_id, "events"), {"limit": 100}).json()
    actions = [e["action"] for e in events["results"]]
    assert actions[:3] == ["case.register", "consent.record", "assessment.request"]
    assert actions[-3:] == ["transfer.create", "transfer.accept", "case.assign"]
    assert [e["sequence"] for e in events["results"]] == sorted(e["sequence"] for e in events["results"])
    first = events["results"][0]
    assert first["actor_name"] == w.worker.name and first["role"] == "caseworker"
    assert first["changes"]["data.name_first"] == [None, "Amina"]
    assert {"sim_time", "real_time", "details", "record_type", "record_id"} <= set(first)


def test_rejections(world: World) -> None:
    w = world
    case = w.consented()
    referral = s.referral_create(actor=w.worker, case=case, service_type="family_tracing",
                                 reason=reason(w), to_member=w.provider.pk)
    path = url(w, "referrals", referral.pk, "reject")
    assert "comment" in field_errors(post(w.provider, path, {}))
    rejected = post(w.provider, path, {"comment": "No capacity this month"})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"

    transfer = s.transfer_create(actor=w.worker, case=case, to_member=w.colleague.pk, reason="Leave")
    path = url(w, "transfers", transfer.pk, "reject")
    assert "comment" in field_errors(post(w.colleague, path, {"comment": ""}))
    rejected = post(w.colleague, path, {"comment": "My list is full"})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"

    approval_case = w.case()
    s.assessment_complete(actor=w.worker, case=approval_case, data=assessment_data())
    approval = s.approval_request(actor=w.worker, case=approval_case, kind="assessment")
    path = url(w, "approvals", approval.pk, "decide")
    assert "comment" in field_errors(post(w.supervisor, path, {"approve": False}))
    assert "approve" in field_errors(post(w.supervisor, path, {"approve": "perhaps"}))
    rejected = post(w.supervisor, path, {"approve": False, "comment": "Ask about school."})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"


# --- tasks -------------------------------------------------------------------------------------

def test_tasks_with_their_state_on_the_simulated_clock(world: World) -> None:
    w = world
    w.case()                       # high risk: assessment due in 24 hours
    w.case(risk_level="low")       # low risk: due in 10 days
    tasks = client(w.worker).get(url(w, "tasks")).json()["results"]
    assert [(t["case"]["display_id"], t["kind"], t["state"]) for t in tasks] == [
        ("CP-0001", "assessment", "upcoming"), ("CP-0002", "assessment", "later")]
    w.space.advance_clock(dt.timedelta(days=4))
    tasks = client(w.worker).get(url(w, "tasks")).json()["results"]
    assert [t["state"] for t in tasks] == ["overdue", "upcoming"]
    assert client(w.colleague).get(url(w, "tasks")).json()["results"] == []


# --- forbidden by role, forbidden by scope -----------------------------------------------------

def test_forbidden_by_role(world: World) -> None:
    w = world
    case = w.consented()
    s.referral_create(actor=w.worker, case=case, service_type="family_tracing", reason=reason(w),
                      to_member=w.provider.pk)
    # The provider sees the case referred to them, but their role may not close or flag it.
    for name, body in (("case.close", {"data": closure_data()}), ("case.flag", {"reason": "x"}),
                       ("assessment.request", {})):
        error(post(w.provider, action(w, case, name), body), 403, "forbidden_by_role")
    s.assessment_complete(actor=w.worker, case=case, data=assessment_data())
    approval = s.approval_request(actor=w.worker, case=case, kind="assessment")
    error(post(w.worker, url(w, "approvals", approval.pk, "decide"), {"approve": True}), 403,
          "forbidden_by_role")
    error(post(w.provider, url(w, "cases"), {"data": registration_data()}), 403, "forbidden_by_role")


def test_cases_outside_the_scope_are_not_found(world: World) -> None:
    w = world
    case = w.case()
    outsider = client(w.outsider)
    assert outsider.get(url(w, "cases")).json()["count"] == 0
    for path in (url(w, "cases", case.display_id), url(w, "cases", case.display_id, "events")):
        error(outsider.get(path), 404, "not_found")
    error(post(w.outsider, action(w, case, "note.add"), {"subject": "a", "text": "b"}), 404,
          "not_found")
    error(client(w.colleague).get(url(w, "cases", case.display_id)), 404, "not_found")
    # the supervisor of the worker's group sees the case
    assert client(w.supervisor).get(url(w, "cases", case.display_id)).status_code == 200
    # a case of another agency's worker: not found for the DSW worker, supervisor and manager
    theirs = s.case_register(actor=w.outsider, data=registration_data(name_first="Nia"))
    manager = MemberFactory(space=w.space, role="manager", agency="dsw", user_groups=[])
    for member in (w.worker, w.supervisor, manager):
        response = client(member).get(url(w, "cases", theirs.display_id))
        error(response, 404, "not_found")
        assert "Nia" not in response.content.decode()
        error(post(member, action(w, theirs, "case.flag"), {"reason": "x"}), 404, "not_found")
        listed = client(member).get(url(w, "cases")).json()["results"]
        assert theirs.display_id not in [c["display_id"] for c in listed]


def test_a_visible_case_that_is_not_yours(world: World) -> None:
    w = world
    case = w.case()
    manager = MemberFactory(space=w.space, role="manager", user_groups=[])  # agency scope
    assert client(manager).get(url(w, "cases", case.display_id)).status_code == 200
    error(post(manager, action(w, case, "case.close"), {"data": closure_data()}), 403,
          "forbidden_by_role")
    note = post(manager, action(w, case, "note.add"), {"subject": "Review", "text": "Seen."})
    assert note.status_code == 201


# --- bad data on actions -----------------------------------------------------------------------

@pytest.mark.parametrize(("name", "body", "field"), [
    ("consent.record", {"consent_type": "services", "given": "maybe"}, "given"),
    ("consent.record", {"consent_type": "astrology", "given": True}, "consent_type"),
    ("consent.record", {"given": True}, "consent_type"),
    ("note.add", {"subject": "Visit"}, "text"),
    ("note.add", {"subject": "Visit", "text": "   "}, "text"),
    ("followup.record", {"date": "yesterday", "followup_type": "phone_call", "findings": "x"}, "date"),
    ("followup.record", {"date": "2026-03-01", "followup_type": "telepathy", "findings": "x"},
     "followup_type"),
    ("followup.record", {"date": "2026-03-09", "followup_type": "phone_call", "findings": "x"}, "date"),
    ("service.add", {"service_type": "magic"}, "service_type"),
    ("service.add", {"service_type": "education", "provider_agency": "nowhere"}, "provider_agency"),
    ("approval.request", {"kind": "birthday"}, "kind"),
    ("case.assign", {"to_member": 999999}, "to_member"),
    ("transfer.create", {"to_member": "someone", "reason": "x"}, "to_member"),
    ("transfer.create", {"to_member": 999999, "reason": "x"}, "to_member"),
    ("case.reopen", {}, "reason"),
    ("case.flag", {"reason": "x" * 301}, "reason"),
    ("assessment.complete", {"data": {"assessment_summary": 7}}, "assessment_summary"),
])
def test_actions_with_bad_data_name_the_field(world: World, name: str, body: dict[str, Any],
                                              field: str) -> None:
    member = world.supervisor if name == "case.assign" else world.worker
    case = world.case()
    if name == "case.reopen":
        Case.objects.filter(pk=case.pk).update(status="closed")
    response = post(member, action(world, case, name), body)
    assert field in field_errors(response)


def test_referral_with_bad_data(world: World) -> None:
    w = world
    case = w.consented()
    other = MemberFactory(role="caseworker")  # a member of another space
    body = {"service_type": "family_tracing", "reason": reason(w)}
    assert "to_member" in field_errors(post(w.worker, action(w, case, "referral.create"), body))
    assert "to_member" in field_errors(post(w.worker, action(w, case, "referral.create"),
                                            {**body, "to_member": other.pk}))
    assert "reason" in field_errors(post(w.worker, action(w, case, "referral.create"),
                                         {**body, "reason": "boredom", "to_agency": "lcs"}))
    assert "service" in field_errors(post(w.worker, action(w, case, "referral.create"),
                                          {**body, "to_agency": "lcs", "service": 999999}))


def test_a_closed_case_refuses_actions(world: World) -> None:
    case = world.case()
    Case.objects.filter(pk=case.pk).update(status="closed")
    error(post(world.worker, action(world, case, "assessment.request")), 400, "case_closed")
    open_case = world.case()
    error(post(world.worker, action(world, open_case, "case.reopen"), {"reason": "x"}), 400,
          "already_open")


# --- consent -----------------------------------------------------------------------------------

def test_referral_without_consent(world: World) -> None:
    w = world
    case = w.case()
    body = {"service_type": "family_tracing", "reason": reason(w), "to_member": w.provider.pk}
    refused = error(post(w.worker, action(w, case, "referral.create"), body), 403, "consent_required")
    assert refused["details"]["consent_missing"] == ["share_information"]
    error(post(w.worker, action(w, case, "referral.create"),
               {**body, "consent_override_reason": "The child is in danger tonight."}),
          403, "consent_override_forbidden")

    allowed = post(w.supervisor, action(w, case, "referral.create"),
                   {**body, "consent_override_reason": "The child is in danger tonight."})
    assert allowed.status_code == 201, allowed.content
    assert allowed.json()["consent_override_reason"] == "The child is in danger tonight."
    events = client(w.supervisor).get(url(w, "cases", case.display_id, "events")).json()["results"]
    [created] = [e for e in events if e["action"] == "referral.create"]
    assert created["details"]["consent_override_reason"] == "The child is in danger tonight."
    assert created["details"]["consent_missing"] == ["share_information"]
    assert created["actor_name"] == w.supervisor.name


# --- authentication ----------------------------------------------------------------------------

def test_token_authentication(world: World) -> None:
    user = world.worker.user
    anonymous = APIClient()
    response = anonymous.post("/api/v1/auth/token/", {"username": user.username,
                                                      "password": "pw-test-123"}, format="json")
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    again = anonymous.post("/api/v1/auth/token/", {"username": user.username,
                                                   "password": "pw-test-123"}, format="json")
    assert again.json()["token"] == token

    with_token = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert with_token.get("/api/v1/spaces/").json()["count"] == 1
    created = with_token.post(url(world, "cases"), {"data": registration_data()}, format="json")
    assert created.status_code == 201  # no CSRF token needed with a token

    error(APIClient(HTTP_AUTHORIZATION="Token not-a-token").get("/api/v1/spaces/"), 401,
          "authentication_failed")
    wrong = anonymous.post("/api/v1/auth/token/", {"username": user.username, "password": "nope"},
                           format="json")
    assert "non_field_errors" in field_errors(wrong)
    assert "password" in field_errors(anonymous.post("/api/v1/auth/token/",
                                                     {"username": user.username}, format="json"))


def test_anonymous_requests_are_refused_in_the_error_shape(world: World) -> None:
    case = world.case()
    anonymous = APIClient()
    for path in ("/api/v1/spaces/", url(world, "cases"), url(world, "cases", case.display_id),
                 url(world, "tasks"), "/api/v1/config/default/"):
        response = anonymous.get(path)
        error(response, 401, "not_authenticated")
        assert response["WWW-Authenticate"] == "Token"
    error(anonymous.post(action(world, case, "note.add"), {"subject": "a", "text": "b"},
                         format="json"), 401, "not_authenticated")


# --- query counts ------------------------------------------------------------------------------

def _queries(member: Member, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = client(member)
    with CaptureQueriesContext(connection) as queries:
        assert api.get(path).status_code == 200
    return len(queries)


def test_lists_take_as_many_queries_for_one_row_as_for_many(world: World) -> None:
    w = world
    first = w.consented()
    s.referral_create(actor=w.worker, case=first, service_type="family_tracing", reason=reason(w),
                      to_member=w.provider.pk)
    paths = {w.worker: [url(w, "cases"), url(w, "tasks"), url(w, "members"),
                        url(w, "cases", first.display_id, "events"), "/api/v1/spaces/"],
             w.provider: [url(w, "referrals")]}
    baseline = {(m, p): _queries(m, p) for m, ps in paths.items() for p in ps}
    for _ in range(4):
        case = w.consented()
        s.referral_create(actor=w.worker, case=case, service_type="family_tracing",
                          reason=reason(w), to_member=w.provider.pk)
    assert {(m, p): _queries(m, p) for m, ps in paths.items() for p in ps} == baseline


def test_a_browser_gets_json(world: World) -> None:
    response = client(world.worker).get(url(world, "cases"),
                                        HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"


# --- transfer requests, revoking --------------------------------------------------------------


def test_transfer_request_through_the_api(world: World) -> None:
    w = world
    case = w.consented()
    # The requester cannot open the case, but may ask for it by its case ID.
    assert client(w.outsider).get(url(w, "cases", case.display_id)).status_code == 404
    response = post(w.outsider, action(w, case, "transfer.request"), {"reason": "Moved to my area."})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["case"], body["status"], body["created_by"]["name"]) == (
        case.display_id, "pending", w.outsider.name)
    assert "full_name" not in response.content.decode() and case.full_name not in response.content.decode()
    error(post(w.outsider, action(w, case, "transfer.request"), {"reason": "Again."}), 400,
          "transfer_request_pending")
    error(post(w.provider, action(w, case, "transfer.request"), {"reason": "Mine."}), 403,
          "forbidden_by_role")
    assert post(w.outsider, url(w, "cases", "CP-9999", "actions", "transfer.request"),
                {"reason": "?"}).status_code == 404
    # The owner sees it in their list; the requester in theirs, with sent=true.
    listed = client(w.worker).get(url(w, "transfer-requests")).json()["results"]
    assert [r["id"] for r in listed] == [body["id"]]
    assert client(w.colleague).get(url(w, "transfer-requests")).json()["results"] == []
    assert client(w.outsider).get(url(w, "transfer-requests")).json()["results"] == []
    sent = client(w.outsider).get(url(w, "transfer-requests") + "?sent=true").json()["results"]
    assert [r["id"] for r in sent] == [body["id"]]
    # Only who may answer finds it: the others get 404.
    assert post(w.colleague, url(w, "transfer-requests", body["id"], "accept")).status_code == 404
    assert post(w.outsider, url(w, "transfer-requests", body["id"], "accept")).status_code == 404
    field_errors(post(w.supervisor, url(w, "transfer-requests", body["id"], "decline"), {}))
    response = post(w.worker, url(w, "transfer-requests", body["id"], "accept"), {"comment": "Yes."})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted"
    assert client(w.outsider).get(url(w, "cases", case.display_id)).status_code == 200


def test_revoke_a_referral_and_a_transfer_through_the_api(world: World) -> None:
    w = world
    case = w.consented()
    referral = s.referral_create(actor=w.worker, case=case, service_type="safe_shelter",
                                 reason="immediate_safety", to_member=w.provider.pk)
    field_errors(post(w.worker, url(w, "referrals", referral.pk, "revoke"), {}))
    error(post(w.provider, url(w, "referrals", referral.pk, "revoke"), {"reason": "x"}), 403,
          "forbidden_by_role")
    response = post(w.worker, url(w, "referrals", referral.pk, "revoke"), {"reason": "Wrong agency."})
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    assert post(w.provider, url(w, "referrals", referral.pk, "accept")).status_code == 404
    transfer = s.transfer_create(actor=w.worker, case=case, to_member=w.outsider.pk, reason="Moved.")
    assert post(w.colleague, url(w, "transfers", transfer.pk, "revoke"),
                {"reason": "x"}).status_code == 404
    error(post(w.outsider, url(w, "transfers", transfer.pk, "revoke"), {"reason": "x"}), 403,
          "not_sender")
    response = post(w.supervisor, url(w, "transfers", transfer.pk, "revoke"), {"reason": "Wrong."})
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    assert post(w.outsider, url(w, "transfers", transfer.pk, "accept")).status_code == 404

"""The web pages of the case system: what each role sees, and what each form does."""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sandbox.cases import services as s
from sandbox.cases.models import (
    Approval,
    ApprovalStatus,
    Case,
    Event,
    FollowUp,
    Referral,
    ReferralStatus,
    Stage,
    Status,
    Transfer,
    TransferStatus,
)
from sandbox.spaces.models import Member

from .conftest import World, assessment_data, case_plan_data, closure_data, registration_data


def url(world: World, name: str, **kwargs: Any) -> str:
    return reverse(f"cases:{name}", kwargs={"space": world.space.slug, **kwargs})


def action_url(world: World, case: Case, action: str) -> str:
    return url(world, "action", display_id=case.display_id, action=action)


def as_member(client: Client, member: Member) -> Client:
    client.force_login(member.user)
    return client


def body(response: Any) -> str:
    return response.content.decode()


def reason(world: World) -> str:
    lookup = world.space.module_config.system_lookups["referral_reason"]
    return next(iter(world.space.config.lookups[lookup].options))


def approved_assessment(world: World) -> Case:
    case = world.consented()
    s.assessment_request(actor=world.worker, case=case)
    s.assessment_complete(actor=world.worker, case=case, data=assessment_data())
    approval = s.approval_request(actor=world.worker, case=case, kind="assessment")
    s.approval_decide(actor=world.supervisor, approval=approval, approve=True)
    case.refresh_from_db()
    return case


def in_service(world: World) -> Case:
    case = approved_assessment(world)
    s.case_plan_save(actor=world.worker, case=case, data=case_plan_data())
    plan = s.approval_request(actor=world.worker, case=case, kind="case_plan")
    s.approval_decide(actor=world.supervisor, approval=plan, approve=True)
    case.refresh_from_db()
    return case


# --- dashboard and navigation -----------------------------------------------------------------


@pytest.mark.django_db
def test_dashboard_shows_my_cases_and_tasks_overdue_first(client: Client, world: World) -> None:
    high = world.case()
    world.case(name_first="Omar", name_last="Said", risk_level="low")
    world.space.advance_clock(dt.timedelta(days=2))  # the high-risk assessment (24h) is overdue
    response = as_member(client, world.worker).get(url(world, "dashboard"))
    assert response.status_code == 200
    page = body(response)
    assert 'id="stat-open-cases"' in page and ">2</div>" in page
    assert 'data-task-state="overdue"' in page
    # Overdue first: the high-risk case's task comes before the low-risk one's.
    assert page.index(high.display_id) < page.index("Omar Said")
    assert 'id="space-clock"' in page and "4 March 2026" in page
    assert "Case worker" in page  # the member's in-world role in the space bar


@pytest.mark.django_db
def test_dashboard_lists_what_waits_for_the_supervisor_and_the_provider(client: Client,
                                                                       world: World) -> None:
    case = in_service(world)
    s.approval_request(actor=world.worker, case=case, kind="closure")
    s.referral_create(actor=world.worker, case=case, service_type="family_tracing",
                      reason=reason(world), to_member=world.provider.pk)
    page = body(as_member(client, world.supervisor).get(url(world, "dashboard")))
    assert 'id="dashboard-approvals"' in page and case.display_id in page and "Closure" in page
    client.logout()
    page = body(as_member(client, world.provider).get(url(world, "dashboard")))
    assert 'id="dashboard-approvals"' not in page
    assert "Family tracing" in page and case.display_id in page


@pytest.mark.django_db
def test_space_navigation_links(client: Client, world: World) -> None:
    page = body(as_member(client, world.worker).get(url(world, "list")))
    for name in ("dashboard", "list", "referrals", "register"):
        assert f'href="{url(world, name)}"' in page
    # Only what the role can use: a case worker decides no approvals.
    assert f'href="{url(world, "approvals")}"' not in page
    page = body(as_member(client, world.supervisor).get(url(world, "list")))
    assert f'href="{url(world, "approvals")}"' in page
    page = body(as_member(client, world.provider).get(url(world, "list")))
    assert f'href="{url(world, "referrals")}"' in page and 'id="nav-register"' not in page
    assert world.space.title in page


@pytest.mark.django_db
def test_home_lists_the_users_spaces(client: Client, world: World) -> None:
    page = body(as_member(client, world.worker).get(reverse("home")))
    assert world.space.title in page
    assert f'href="{url(world, "dashboard")}"' in page
    assert "<code>default</code>" not in page  # the configurations are for implementers


# --- case list --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_case_list_shows_labels_and_filters(client: Client, world: World) -> None:
    world.case()
    omar = world.case(name_first="Omar", name_last="Said", sex="male", risk_level="low",
                      location_current="LR010201")
    as_member(client, world.worker)
    page = body(client.get(url(world, "list")))
    assert "Amina Diallo" in page and "Omar Said" in page
    assert "Female" in page and "Belmar Centre, Belmar, Northern Province" in page
    assert "text-bg-danger" in page and ">High<" in page
    page = body(client.get(url(world, "list"), {"risk_level": "low"}))
    assert "Omar Said" in page and "Amina Diallo" not in page
    page = body(client.get(url(world, "list"), {"q": omar.display_id}))
    assert "Omar Said" in page and "Amina Diallo" not in page
    page = body(client.get(url(world, "list"), {"location": "LR0102"}))  # a district: inside it
    assert "Omar Said" in page and "Amina Diallo" not in page
    # The location filter lists places indented by level.
    assert "\u00a0\u00a0\u00a0Belmar<" in page


@pytest.mark.django_db
def test_case_list_marks_overdue_and_flagged(client: Client, world: World) -> None:
    case = world.case()
    s.case_flag(actor=world.worker, case=case, reason="Check urgently")
    world.space.advance_clock(dt.timedelta(days=2))
    page = body(as_member(client, world.worker).get(url(world, "list"), {"overdue": "1"}))
    assert case.display_id in page and "data-overdue" in page and "data-flagged" in page


def _bulk_cases(world: World, start: int, count: int) -> None:
    now = world.space.clock
    Case.objects.bulk_create([
        Case(space=world.space, display_id=f"CP-{n:05d}", module="cp", owner=world.worker,
             agency="dsw", user_groups=["dsw_north"], name_first=f"Child{n}", name_last="Test",
             sex="female" if n % 2 else "male", age=n % 18, location="LR010101",
             risk_level=("high", "medium", "low")[n % 3], created_at=now, updated_at=now,
             flagged=n % 7 == 0)
        for n in range(start, start + count)])


@pytest.mark.django_db
def test_case_list_runs_a_constant_number_of_queries(client: Client, world: World) -> None:
    as_member(client, world.worker)
    list_url = url(world, "list")
    _bulk_cases(world, 1, 30)
    client.get(list_url)  # warm the configuration cache
    with CaptureQueriesContext(connection) as small:
        assert client.get(list_url).status_code == 200
    small_count = len(small.captured_queries)
    _bulk_cases(world, 31, 970)
    with CaptureQueriesContext(connection) as large:
        response = client.get(list_url)
    large_queries = [q["sql"] for q in large.captured_queries]
    assert response.status_code == 200
    page = body(response)
    assert "1000 cases" in page and page.count("data-case=") == 50
    assert len(large_queries) == small_count, large_queries
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        client.get(list_url)
        timings.append(time.perf_counter() - start)
    print(f"\ncase list, 1,000 cases: median {statistics.median(timings) * 1000:.1f} ms "
          f"over 5 requests, {len(large_queries)} queries")


# --- registration -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_searches_for_duplicates_first(client: Client, world: World) -> None:
    world.case()
    as_member(client, world.worker)
    page = body(client.get(url(world, "register")))
    assert 'id="search-form"' in page and 'id="register-form"' not in page
    response = client.get(url(world, "register"), {"q": "Amina Diallo", "age": "11"})
    page = body(response)
    assert response.status_code == 200
    assert 'data-result="CP-0001"' in page and 'id="register-form"' in page
    assert 'value="Amina"' in page  # the form starts with what was searched for
    assert Event.objects.filter(space=world.space, action="case.search").count() == 1


@pytest.mark.django_db
def test_duplicate_search_by_age_and_place_or_nothing(client: Client, world: World) -> None:
    world.case()
    as_member(client, world.worker)
    page = body(client.get(url(world, "register"), {"q": "", "age": "12", "location": "LR01"}))
    assert 'data-result="CP-0001"' in page  # age ± 1, inside the province
    page = body(client.get(url(world, "register"), {"q": ""}))
    assert "Search by name, case ID, age or place." in page and 'id="register-form"' not in page


@pytest.mark.django_db
def test_register_form_is_built_from_the_registration_sections(client: Client, world: World) -> None:
    page = body(as_member(client, world.worker).get(url(world, "register"), {"q": "Nobody"}))
    assert 'id="no-duplicates"' in page
    for code in ("basic_identity", "family_details", "identification"):
        assert f'data-section="{code}"' in page
    assert 'name="sex"' in page and 'type="radio"' in page
    assert 'name="date_of_birth"' in page and 'type="date"' in page
    assert 'name="languages"' in page and 'type="checkbox"' in page
    assert 'data-subform="caregivers"' in page and "caregivers__prefix__" not in page
    assert 'name="caregivers____prefix____caregiver_name"' in page  # the row template
    # The condition goes to the browser as JSON, with the types of the fields it names.
    assert ('data-show-if="{&quot;cond&quot;: {&quot;field&quot;: &quot;has_disability&quot;, '
            '&quot;equals&quot;: true}, &quot;types&quot;: {&quot;has_disability&quot;: '
            '&quot;tick_box&quot;}') in page
    assert 'class="required-mark"' in page
    assert "Belmar Centre, Belmar, Northern Province" in page  # commune labelled with parents


def _registration_post(**overrides: Any) -> dict[str, Any]:
    data = {
        "name_first": "Layla", "name_last": "Haddad", "sex": "female", "age": "9",
        "location_current": "LR010102", "date_identified": "2026-03-01",
        "identified_by": "community_volunteer", "protection_concerns": ["separated"],
        "risk_level": "medium", "has_disability": "on", "disability_type": "physical",
        "caregivers__0__caregiver_name": "Salma Haddad",
        "caregivers__0__caregiver_relationship": "aunt",
        "caregivers__0__caregiver_lives_with_child": "on",
        "caregivers__3__caregiver_name": "", "caregivers__3__caregiver_phone": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
def test_register_creates_the_case(client: Client, world: World) -> None:
    response = as_member(client, world.worker).post(url(world, "register"), _registration_post())
    case = Case.objects.get(space=world.space, name_first="Layla")
    assert response.status_code == 302
    assert response["Location"] == url(world, "detail", display_id=case.display_id)
    assert case.age == 9 and case.risk_level == "medium"
    assert case.data["has_disability"] is True and case.data["disability_type"] == "physical"
    assert case.data["caregivers"] == [{"caregiver_name": "Salma Haddad",
                                        "caregiver_relationship": "aunt",
                                        "caregiver_lives_with_child": True}]
    page = body(client.get(response["Location"]))
    assert "registered" in page  # the success message


@pytest.mark.django_db
def test_register_with_bad_data_shows_the_errors_and_saves_nothing(client: Client,
                                                                   world: World) -> None:
    response = as_member(client, world.worker).post(
        url(world, "register"), _registration_post(name_first="", age="99",
                                                   caregivers__0__caregiver_name=""))
    assert response.status_code == 400
    page = body(response)
    assert "This field is required." in page
    assert "less than or equal to 25" in page
    assert "Row 1, Caregiver&#x27;s name: This field is required." in page
    assert 'value="Haddad"' in page  # what was typed is kept
    assert not Case.objects.filter(space=world.space).exists()


@pytest.mark.django_db
def test_register_skip_logic_clears_hidden_answers(client: Client, world: World) -> None:
    as_member(client, world.worker).post(
        url(world, "register"), _registration_post(has_disability=None))
    case = Case.objects.get(space=world.space)
    assert case.data["has_disability"] is False and "disability_type" not in case.data


@pytest.mark.django_db
def test_an_identified_child_is_registered_from_its_page(client: Client, world: World) -> None:
    case = s.case_identify(actor=world.worker, data={"name_first": "Nadia", "age": 6})
    as_member(client, world.worker)
    page = body(client.get(url(world, "detail", display_id=case.display_id)))
    assert 'data-action="register"' in page and 'id="case-identified"' in page
    page = body(client.get(action_url(world, case, "register")))
    assert 'value="Nadia"' in page
    response = client.post(action_url(world, case, "register"),
                           _registration_post(name_first="Nadia", age="6"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.registration_status == "registered" and case.name_last == "Haddad"


# --- case page --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_case_page_shows_header_sections_by_step_and_lists(client: Client, world: World) -> None:
    case = world.consented()
    s.note_add(actor=world.worker, case=case, subject="Home visit", text="Met the aunt.")
    page = body(as_member(client, world.worker).get(url(world, "detail", display_id=case.display_id)))
    assert 'id="case-id"' in page and case.display_id in page and "Amina Diallo" in page
    assert 'data-stage="new"' in page and 'data-status="open"' in page and ">High<" in page
    assert "Identification and registration" in page and "Comprehensive assessment" in page
    assert page.index('data-step="registration"') < page.index('data-step="closure"')
    assert 'data-consent="share_information" data-given="yes"' in page
    assert "Home visit" in page and 'data-task="assessment"' in page


@pytest.mark.django_db
def test_section_is_shown_read_only_with_labels(client: Client, world: World) -> None:
    case = world.case(languages=["arabic", "french"], has_disability=True, disability_type="physical")
    page = body(as_member(client, world.worker).get(
        url(world, "detail", display_id=case.display_id), {"section": "basic_identity"}))
    assert 'id="section-view"' in page and 'id="edit-section"' in page
    assert "Female" in page and "Arabic, French" in page and "Physical (mobility)" in page
    assert "Belmar Centre, Belmar, Northern Province" in page


@pytest.mark.django_db
def test_section_edit_saves_and_rejects_bad_values(client: Client, world: World) -> None:
    case = world.case()
    as_member(client, world.worker)
    edit = url(world, "section", display_id=case.display_id, section="family_details")
    response = client.post(edit, {"siblings__0__sibling_name": "Ali", "siblings__0__sibling_age": "x"})
    assert response.status_code == 400
    assert "Row 1, Age: Enter a whole number." in body(response)
    response = client.post(edit, {"is_separated": "on", "separation_details": "Lost at the market",
                                  "siblings__0__sibling_name": "Ali",
                                  "siblings__0__sibling_age": "7"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.data["siblings"] == [{"sibling_name": "Ali", "sibling_age": 7}]
    assert case.data["separation_details"] == "Lost at the market"


@pytest.mark.django_db
def test_provider_reads_but_cannot_edit_registration(client: Client, world: World) -> None:
    case = in_service(world)
    s.referral_create(actor=world.worker, case=case, service_type="family_tracing",
                      reason=reason(world), to_member=world.provider.pk)
    as_member(client, world.provider)
    page = body(client.get(url(world, "detail", display_id=case.display_id),
                           {"section": "basic_identity"}))
    assert 'id="read-only"' in page and 'id="edit-section"' not in page
    assert 'data-section-link="closure"' not in page  # no access: not shown
    assert 'data-section-link="followup_review"' in page
    edit = url(world, "section", display_id=case.display_id, section="basic_identity")
    assert 'id="blocked-reason"' in body(client.get(edit))
    response = client.post(edit, {"name_first": "Changed", "name_last": "Name", "sex": "male",
                                  "age": "12", "location_current": "LR010101"})
    assert response.status_code == 403
    assert "Your role (Service provider) does not allow this action: case.update." in body(response)
    case.refresh_from_db()
    assert case.name_first == "Amina"
    assert client.get(url(world, "section", display_id=case.display_id,
                          section="closure")).status_code == 404


@pytest.mark.django_db
def test_action_buttons_follow_role_and_state(client: Client, world: World) -> None:
    case = world.case()
    as_member(client, world.worker)
    page = body(client.get(url(world, "detail", display_id=case.display_id)))
    for shown in ("consent", "assessment-request", "refer", "followup", "note", "flag"):
        assert f'data-action="{shown}"' in page, shown
    for hidden in ("assessment-complete", "case-plan", "assign", "reopen", "unflag", "register"):
        assert f'data-action="{hidden}"' not in page, hidden
    assert 'id="close-blocked"' in page  # shown, disabled, with the reason
    client.logout()
    page = body(as_member(client, world.supervisor).get(url(world, "detail", display_id=case.display_id)))
    assert 'data-action="assign"' in page
    assert 'name="consent_override_reason"' in page  # supervisors may override consent


@pytest.mark.django_db
def test_referral_dialog_hides_the_override_from_case_workers(client: Client, world: World) -> None:
    case = world.case()
    page = body(as_member(client, world.worker).get(url(world, "detail", display_id=case.display_id)))
    assert 'id="dialog-refer"' in page and 'name="consent_override_reason"' not in page
    # What the referral shares is chosen on the form, the minimum ticked already.
    assert re.search(r'<input[^>]*name="disclosed"[^>]*value="identity"[^>]*checked', page)
    assert not re.search(r'<input[^>]*name="disclosed"[^>]*value="incident"[^>]*checked', page)
    # Only members whose role receives referrals are offered as recipients.
    assert f'value="{world.provider.pk}"' in page


# --- actions ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_consent_assessment_and_approval_request_through_the_pages(client: Client,
                                                                   world: World) -> None:
    case = world.case()
    as_member(client, world.worker)
    response = client.post(action_url(world, case, "consent"), {
        "consent__services": "yes", "consent__share_information": "yes", "given_by": "both"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.data["consent_for_services"] is True and case.data["consent_share_other_orgs"] is True
    assert client.post(action_url(world, case, "assessment-request")).status_code == 302
    form = client.get(action_url(world, case, "assessment-complete"))
    assert 'name="assessment_summary"' in body(form)
    response = client.post(action_url(world, case, "assessment-complete"), {"safety_rating": "1"})
    assert response.status_code == 400 and "This field is required." in body(response)
    response = client.post(action_url(world, case, "assessment-complete"), {
        "assessment_summary": "Safe with a neighbour.", "assessed_needs": ["family_tracing"]})
    assert response.status_code == 302
    response = client.post(action_url(world, case, "approval-request"),
                           {"kind": "assessment", "comment": "Please review."})
    assert response.status_code == 302
    approval = Approval.objects.get(case=case)
    assert approval.status == ApprovalStatus.PENDING and approval.request_comment == "Please review."


@pytest.mark.django_db
def test_a_button_refused_by_the_service_shows_the_message(client: Client, world: World) -> None:
    case = world.case()
    s.assessment_request(actor=world.worker, case=case)
    response = as_member(client, world.worker).post(action_url(world, case, "assessment-request"))
    assert response.status_code == 400
    page = body(response)
    assert "The assessment has already been started." in page
    assert 'id="dialog-assessment-request"' not in page


@pytest.mark.django_db
def test_consent_needs_an_answer(client: Client, world: World) -> None:
    case = world.case()
    response = as_member(client, world.worker).post(action_url(world, case, "consent"), {})
    assert response.status_code == 400
    page = body(response)
    assert "Answer at least one type of consent." in page
    assert 'id="dialog-consent"' in page and "data-open-on-load" in page


@pytest.mark.django_db
def test_approval_request_refused_by_the_service_shows_why(client: Client, world: World) -> None:
    case = world.case()
    response = as_member(client, world.worker).post(action_url(world, case, "approval-request"),
                                                    {"kind": "case_plan"})
    assert response.status_code == 400
    assert "Save the case plan before asking for its approval." in body(response)
    assert not Approval.objects.exists()


@pytest.mark.django_db
def test_supervisor_decides_in_the_queue(client: Client, world: World) -> None:
    case = world.consented()
    s.assessment_request(actor=world.worker, case=case)
    s.assessment_complete(actor=world.worker, case=case, data=assessment_data())
    approval = s.approval_request(actor=world.worker, case=case, kind="assessment")
    as_member(client, world.supervisor)
    page = body(client.get(url(world, "approvals")))
    assert f'data-approval="{approval.pk}"' in page and 'data-decision="reject"' in page
    decide = url(world, "approval_decide", pk=approval.pk)
    response = client.post(decide, {"decision": "reject", "comment": ""})
    assert response.status_code == 400
    assert "Say why you reject it" in body(response)
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING
    response = client.post(decide, {"decision": "reject", "comment": "Add the child's views."})
    assert response.status_code == 302
    client.logout()
    # The case worker sees the rejection and its comment on the case.
    page = body(as_member(client, world.worker).get(url(world, "detail", display_id=case.display_id)))
    assert 'data-rejected-approval="assessment"' in page and "Add the child&#x27;s views." in page


@pytest.mark.django_db
def test_case_worker_cannot_decide_an_approval(client: Client, world: World) -> None:
    case = world.consented()
    s.assessment_request(actor=world.worker, case=case)
    s.assessment_complete(actor=world.worker, case=case, data=assessment_data())
    approval = s.approval_request(actor=world.worker, case=case, kind="assessment")
    as_member(client, world.worker)
    page = body(client.get(url(world, "approvals")))
    assert 'id="cannot-decide"' in page and 'data-decision="approve"' not in page
    response = client.post(url(world, "approval_decide", pk=approval.pk), {"decision": "approve"})
    assert response.status_code == 403
    assert "does not allow this action: approval.decide" in body(response)
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.PENDING


@pytest.mark.django_db
def test_case_plan_with_subform_rows(client: Client, world: World) -> None:
    case = approved_assessment(world)
    as_member(client, world.worker)
    page = body(client.get(action_url(world, case, "case-plan")))
    assert 'name="case_plan_items__0__plan_need"' in page  # a first empty row
    response = client.post(action_url(world, case, "case-plan"), {})
    assert response.status_code == 400 and "This field is required." in body(response)
    response = client.post(action_url(world, case, "case-plan"), {
        "case_plan_items__0__plan_need": "family_tracing",
        "case_plan_items__0__plan_goal": "Reunify with family",
        "case_plan_items__0__plan_action": "Refer to tracing",
        "case_plan_items__0__plan_responsible": "Case worker",
        "case_plan_items__0__plan_target_date": "2026-03-20",
        "plan_participation": [],
    })
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.data["case_plan_items"][0]["plan_goal"] == "Reunify with family"
    assert case.stage == Stage.CASE_PLAN


@pytest.mark.django_db
def test_referral_without_consent_is_refused_with_a_clear_message(client: Client,
                                                                   world: World) -> None:
    case = world.case()
    response = as_member(client, world.worker).post(action_url(world, case, "refer"), {
        "service_type": "family_tracing", "reason": reason(world), "to_member": world.provider.pk,
        "disclosed": ["identity", "concerns"]})
    assert response.status_code == 403
    assert "This needs the consent of the child or caregiver first" in body(response)
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_referral_flow_through_the_inbox(client: Client, world: World) -> None:
    case = in_service(world)
    as_member(client, world.worker)
    response = client.post(action_url(world, case, "refer"), {
        "service_type": "family_tracing", "reason": reason(world), "to_member": world.provider.pk,
        "urgency": "immediate", "notes": "Family last seen in Tazrit.",
        "disclosed": ["identity", "family", "concerns"]})
    assert response.status_code == 302
    referral = Referral.objects.get(case=case)
    assert referral.disclosed == ["identity", "family", "concerns"]
    client.logout()
    as_member(client, world.provider)
    page = body(client.get(url(world, "referrals")))
    assert f'data-referral="{referral.pk}"' in page and "Family last seen in Tazrit." in page
    response = client.post(url(world, "referral_answer", pk=referral.pk, answer="reject"), {})
    assert response.status_code == 400 and "Say why you cannot take this referral." in body(response)
    assert client.post(url(world, "referral_answer", pk=referral.pk, answer="accept"),
                       {"comment": "We start tomorrow."}).status_code == 302
    assert client.post(url(world, "referral_answer", pk=referral.pk, answer="done"),
                       {}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE
    # The provider marks the service implemented from the case page.
    response = client.post(url(world, "service_implement", display_id=case.display_id,
                               pk=referral.service_id), {"notes": "Family found."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.SERVICES_IMPLEMENTED


@pytest.mark.django_db
def test_followup_rejects_a_future_date_then_records(client: Client, world: World) -> None:
    case = in_service(world)
    as_member(client, world.worker)
    response = client.post(action_url(world, case, "followup"), {
        "date": "2026-04-01", "followup_type": "phone_call", "findings": "Doing well."})
    assert response.status_code == 400
    page = body(response)
    assert "The date is in the future." in page and "Doing well." in page
    assert not FollowUp.objects.exists()
    response = client.post(action_url(world, case, "followup"), {
        "date": "2026-03-02", "followup_type": "phone_call", "findings": "Doing well.",
        "risk_level": "low"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.risk_level == "low"
    page = body(client.get(url(world, "detail", display_id=case.display_id)))
    assert "Phone call" in page and "Doing well." in page


@pytest.mark.django_db
def test_close_is_blocked_until_closure_is_approved(client: Client, world: World) -> None:
    case = in_service(world)
    as_member(client, world.worker)
    close = action_url(world, case, "close")
    assert 'id="blocked-reason"' in body(client.get(close))
    response = client.post(close, closure_data())
    assert response.status_code == 400
    assert "Closure must be approved by a supervisor first." in body(response)
    approval = s.approval_request(actor=world.worker, case=case, kind="closure")
    s.approval_decide(actor=world.supervisor, approval=approval, approve=True)
    page = body(client.get(url(world, "detail", display_id=case.display_id)))
    assert 'id="close-blocked"' not in page and 'data-action="close"' in page
    assert client.post(close, closure_data()).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    page = body(client.get(url(world, "detail", display_id=case.display_id)))
    assert 'data-stage="closed"' in page and 'data-action="reopen"' in page
    assert client.post(action_url(world, case, "reopen"), {"reason": ""}).status_code == 400
    assert client.post(action_url(world, case, "reopen"), {"reason": "New concern"}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.OPEN and case.stage == Stage.REOPENED


@pytest.mark.django_db
def test_transfer_assign_note_and_flags(client: Client, world: World) -> None:
    case = world.consented()
    as_member(client, world.worker)
    assert client.post(action_url(world, case, "note"), {"subject": "Call", "text": ""}).status_code == 400
    assert client.post(action_url(world, case, "note"),
                       {"subject": "Call", "text": "Aunt called."}).status_code == 302
    assert client.post(action_url(world, case, "flag"), {"reason": "Check"}).status_code == 302
    case.refresh_from_db()
    assert case.flagged
    assert client.post(action_url(world, case, "unflag")).status_code == 302
    response = client.post(action_url(world, case, "assign"), {"to_member": world.colleague.pk})
    assert response.status_code == 403  # a case worker may not assign
    response = client.post(action_url(world, case, "transfer"),
                           {"to_member": world.colleague.pk, "reason": "Moving office"})
    assert response.status_code == 302
    transfer = Transfer.objects.get(case=case)
    client.logout()
    as_member(client, world.colleague)
    assert f'data-transfer="{transfer.pk}"' in body(client.get(url(world, "referrals")))
    response = client.post(url(world, "transfer_answer", pk=transfer.pk, answer="accept"), {})
    assert response.status_code == 302
    transfer.refresh_from_db()
    case.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED and case.owner_id == world.colleague.pk
    client.logout()
    as_member(client, world.supervisor)
    assert client.post(action_url(world, case, "assign"),
                       {"to_member": world.worker.pk, "reason": "Back"}).status_code == 302
    case.refresh_from_db()
    assert case.owner_id == world.worker.pk


@pytest.mark.django_db
def test_history_lists_events_newest_first_with_field_labels(client: Client, world: World) -> None:
    case = world.consented()
    s.followup_record(actor=world.worker, case=case, date="2026-03-02", followup_type="home_visit",
                      findings="Fine.", risk_level="medium")
    response = as_member(client, world.worker).get(url(world, "history", display_id=case.display_id))
    assert response.status_code == 200
    page = body(response)
    assert page.index('data-action="followup.record"') < page.index('data-action="case.register"')
    assert "Follow-up recorded" in page and "Case registered" in page
    assert "Initial risk level" in page  # a form field, by its label
    assert "Risk level" in page and ">Medium<" in page  # a case column, with labels
    assert "Consent to receive services" in page
    assert world.worker.name in page and "Case worker" in page


@pytest.mark.django_db
def test_unknown_action_is_404(client: Client, world: World) -> None:
    case = world.case()
    as_member(client, world.worker)
    assert client.post(action_url(world, case, "delete-everything")).status_code == 404
    assert client.get(url(world, "detail", display_id="CP-9999")).status_code == 404


# --- languages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_arabic_case_page_is_right_to_left(client: Client, world: World) -> None:
    case = world.case()
    as_member(client, world.worker)
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    for page_url in (url(world, "dashboard"), url(world, "list"),
                     url(world, "detail", display_id=case.display_id),
                     url(world, "history", display_id=case.display_id)):
        page = body(client.get(page_url))
        assert 'dir="rtl"' in page and "bootstrap.rtl.min.css" in page, page_url
    page = body(client.get(url(world, "detail", display_id=case.display_id),
                           {"section": "basic_identity"}))
    assert "الاسم الأول" in page and "أنثى" in page  # configuration texts in Arabic


@pytest.mark.django_db
def test_registration_form_changes_nothing_for_a_role_without_register(client: Client,
                                                                       world: World) -> None:
    response = as_member(client, world.provider).post(url(world, "register"), _registration_post())
    assert response.status_code == 403
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_full_lifecycle_through_the_pages(client: Client, world: World) -> None:
    """The whole SOP through the web pages only, as the browser test does."""
    worker, supervisor = Client(), Client()
    worker.force_login(world.worker.user)
    supervisor.force_login(world.supervisor.user)
    worker.post(url(world, "register"), _registration_post(risk_level="high"))
    case = Case.objects.get(space=world.space)
    worker.post(action_url(world, case, "consent"), {"consent__services": "yes",
                                                     "consent__share_information": "yes"})
    worker.post(action_url(world, case, "assessment-request"))
    worker.post(action_url(world, case, "assessment-complete"), {"assessment_summary": "Ok."})
    worker.post(action_url(world, case, "approval-request"), {"kind": "assessment"})
    approval = Approval.objects.get(case=case, kind="assessment")
    supervisor.post(url(world, "approval_decide", pk=approval.pk), {"decision": "approve"})
    worker.post(action_url(world, case, "case-plan"), {
        "case_plan_items__0__plan_need": "family_tracing", "case_plan_items__0__plan_goal": "Goal",
        "case_plan_items__0__plan_action": "Act", "case_plan_items__0__plan_responsible": "Me",
        "case_plan_items__0__plan_target_date": "2026-03-20"})
    worker.post(action_url(world, case, "approval-request"), {"kind": "case_plan"})
    plan = Approval.objects.get(case=case, kind="case_plan")
    supervisor.post(url(world, "approval_decide", pk=plan.pk), {"decision": "approve"})
    case.refresh_from_db()
    assert case.stage == Stage.SERVICE_PROVISION
    worker.post(action_url(world, case, "followup"), {
        "date": "2026-03-02", "followup_type": "remote_video", "findings": "Fine."})
    worker.post(action_url(world, case, "approval-request"), {"kind": "closure"})
    closure = Approval.objects.get(case=case, kind="closure")
    supervisor.post(url(world, "approval_decide", pk=closure.pk), {"decision": "approve"})
    response = worker.post(action_url(world, case, "close"), closure_data())
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED
    actions = list(Event.objects.filter(case=case).values_list("action", flat=True))
    assert actions[0] == "case.register" and actions[-1] == "case.close"


def test_registration_helper_matches_the_form() -> None:
    # The data the services' tests use registers through the page as well.
    assert set(registration_data()) <= set(_registration_post())

"""Approval rights per approval type (`approval.decide:case_plan`), in the services, the
approval queue, the dashboard, the case page and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from sandbox.cases import services as s
from sandbox.cases.models import Approval, ApprovalStatus, Case
from sandbox.cases.selectors import approvals_waiting
from sandbox.common.errors import NotAllowed
from sandbox.spaces.models import Member

from .v2world import V2World

pytestmark = pytest.mark.django_db


def planned(v2: V2World) -> Case:
    """A case whose assessment is done (no approval needed) and whose plan is saved."""
    case = v2.case()
    s.assessment_request(actor=v2.worker, case=case)
    s.assessment_complete(actor=v2.worker, case=case, data={"assessment_summary": "Safe."})
    s.case_plan_save(actor=v2.worker, case=case, data={"plan_goal": "Back to school"})
    case.refresh_from_db()
    return case


def pending(v2: V2World, kind: str) -> Approval:
    case = planned(v2)
    return s.approval_request(actor=v2.worker, case=case, kind=kind)


def test_runtime_rights_per_kind(v2: V2World) -> None:
    roles = v2.space.config.roles
    manager, supervisor, worker = (roles["role-plan-manager"], roles["role-supervisor"],
                                   roles["role-cp-case-worker"])
    assert manager.can("approval.decide") and manager.can_decide("case_plan")
    assert not manager.can_decide("closure") and not manager.can_decide("assessment")
    assert manager.can_request("closure") and not manager.can_request("case_plan")
    assert all(supervisor.can_decide(k) for k in ("assessment", "case_plan", "closure",
                                                  "action_plan", "gbv_closure"))
    assert not worker.can("approval.decide") and worker.can_request("gbv_closure")


def test_a_manager_decides_case_plans_only(v2: V2World) -> None:
    plan = pending(v2, "case_plan")
    closure = pending(v2, "closure")
    with pytest.raises(NotAllowed) as info:
        s.approval_decide(actor=v2.manager, approval=closure, approve=True)
    assert info.value.code == "forbidden_approval_kind"
    assert "Closure" in str(info.value.message)
    s.approval_decide(actor=v2.manager, approval=plan, approve=True)
    plan.refresh_from_db()
    assert plan.status == ApprovalStatus.APPROVED
    s.approval_decide(actor=v2.supervisor, approval=closure, approve=True)


def test_a_manager_requests_closures_only(v2: V2World) -> None:
    case = planned(v2)
    with pytest.raises(NotAllowed) as info:
        s.approval_request(actor=v2.manager, case=case, kind="case_plan")
    assert info.value.code == "forbidden_approval_kind"
    s.approval_request(actor=v2.manager, case=case, kind="closure")


def test_the_queue_holds_only_the_kinds_one_may_decide(v2: V2World) -> None:
    plan = pending(v2, "case_plan")
    closure = pending(v2, "closure")
    assert list(approvals_waiting(viewer=v2.manager)) == [plan]
    assert set(approvals_waiting(viewer=v2.supervisor)) == {plan, closure}
    assert not approvals_waiting(viewer=v2.worker).exists()


def page(client: Client, member: Member, name: str, **kwargs: Any) -> Any:
    client.force_login(member.user)
    return client.get(reverse(f"cases:{name}", kwargs={"space": member.space.slug, **kwargs}))


def test_queue_dashboard_and_decision_pages(client: Client, v2: V2World) -> None:
    plan = pending(v2, "case_plan")
    closure = pending(v2, "closure")
    queue = page(client, v2.manager, "approvals").content.decode()
    assert f'data-approval="{plan.pk}"' in queue or plan.case.display_id in queue
    assert closure.case.display_id not in queue
    dashboard = page(client, v2.manager, "dashboard").content.decode()
    assert plan.case.display_id in dashboard and closure.case.display_id not in dashboard
    decide = reverse("cases:approval_decide", kwargs={"space": v2.space.slug, "pk": closure.pk})
    response = client.post(decide, {"decision": "approve"})
    assert response.status_code == 403
    assert "Your role may not decide approvals of this type: Closure." in response.content.decode()
    closure.refresh_from_db()
    assert closure.status == ApprovalStatus.PENDING
    ok = client.post(reverse("cases:approval_decide", kwargs={"space": v2.space.slug,
                                                              "pk": plan.pk}),
                     {"decision": "approve"})
    assert ok.status_code == 302
    plan.refresh_from_db()
    assert plan.status == ApprovalStatus.APPROVED


def test_the_request_dialog_offers_the_kinds_one_may_request(client: Client, v2: V2World) -> None:
    case = planned(v2)
    worker = page(client, v2.worker, "detail", display_id=case.display_id).content.decode()
    assert 'value="case_plan"' in worker and 'value="closure"' in worker
    manager = page(client, v2.manager, "detail", display_id=case.display_id).content.decode()
    assert 'value="closure"' in manager and 'value="case_plan"' not in manager


def test_api_rights_per_kind(v2: V2World) -> None:
    plan = pending(v2, "case_plan")
    closure = pending(v2, "closure")
    api = APIClient()
    api.force_login(v2.manager.user)
    base = f"/api/v1/spaces/{v2.space.slug}/"
    listed = api.get(base + "approvals/").json()["results"]
    assert [row["id"] for row in listed] == [plan.pk]
    refused = api.post(base + f"approvals/{closure.pk}/decide/", {"approve": True}, format="json")
    assert refused.status_code in (403, 404), refused.content
    closure.refresh_from_db()
    assert closure.status == ApprovalStatus.PENDING
    done = api.post(base + f"approvals/{plan.pk}/decide/", {"approve": True}, format="json")
    assert done.status_code == 200, done.content
    request = api.post(base + f"cases/{plan.case.display_id}/actions/approval.request/",
                       {"kind": "case_plan"}, format="json")
    assert request.status_code == 403 and request.json()["error"]["code"] == "forbidden_approval_kind"
    roles = api.get("/api/v1/config/v2-test/roles/").json()
    manager = next(r for r in roles if r["code"] == "role-plan-manager") if isinstance(roles, list) \
        else next(r for r in roles["results"] if r["code"] == "role-plan-manager")
    assert manager["approvals_decided"] == ["case_plan"]
    assert manager["approvals_requested"] == ["closure"]

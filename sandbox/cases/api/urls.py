"""API of the case system: /api/v1/spaces/<slug>/..., every URL scoped by the space."""

from django.urls import path

from . import documents, views
from .actions import CASE_ACTIONS, RECORD_ACTIONS, case_action_view, record_action_view

SPACE = "spaces/<slug:slug>/"
CASE = SPACE + "cases/<str:display_id>/"

urlpatterns = [
    path("spaces/", views.SpaceListView.as_view(), name="api-spaces"),
    path(SPACE + "members/", views.MemberListView.as_view(), name="api-members"),
    path(SPACE + "cases/", views.CaseListView.as_view(), name="api-cases"),
    # Before the case URLs, or "search" and "identify" would be taken for case IDs.
    path(SPACE + "cases/search/", views.CaseSearchView.as_view(), name="api-case-search"),
    path(SPACE + "cases/identify/", views.CaseIdentifyView.as_view(), name="api-case-identify"),
    path(CASE, views.CaseDetailView.as_view(), name="api-case"),
    path(CASE + "sections/<str:section>/", views.CaseSectionView.as_view(), name="api-case-section"),
    path(CASE + "documents/", documents.DocumentListView.as_view(), name="api-case-documents"),
    path(CASE + "documents/<str:key>/", documents.DocumentView.as_view(), name="api-case-document"),
    path(CASE + "events/", views.CaseEventsView.as_view(), name="api-case-events"),
    path(SPACE + "tasks/", views.TaskListView.as_view(), name="api-tasks"),
    path(SPACE + "approvals/", views.ApprovalListView.as_view(), name="api-approvals"),
    path(SPACE + "referrals/", views.ReferralListView.as_view(), name="api-referrals"),
    path(SPACE + "transfers/", views.TransferListView.as_view(), name="api-transfers"),
    path(SPACE + "transfer-requests/", views.TransferRequestListView.as_view(),
         name="api-transfer-requests"),
]

# The action names are the contract (see sandbox.common.actions), dots included.
urlpatterns += [
    path(f"{CASE}actions/{spec.name}/", case_action_view(spec).as_view(), name=f"api-{spec.name}")
    for spec in CASE_ACTIONS
]
urlpatterns += [
    path(f"{SPACE}{spec.records}/<int:id>/{spec.verb}/", record_action_view(spec).as_view(),
         name=f"api-{spec.name}")
    for spec in RECORD_ACTIONS
]

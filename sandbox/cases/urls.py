"""Pages of the case system, inside one space: /spaces/<space>/..."""

from django.urls import path

from .views import access, actions, case_detail, case_list, dashboard, documents, queues, register

app_name = "cases"

case = "cases/<str:display_id>/"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("cases/", case_list.cases, name="list"),
    path("cases/new/", register.register, name="register"),
    path(case, case_detail.detail, name="detail"),
    path(case + "history/", case_detail.history, name="history"),
    path(case + "sections/<str:section>/", case_detail.section_edit, name="section"),
    path(case + "documents/<str:key>/", documents.document_download, name="document"),
    path(case + "actions/<slug:action>/", actions.case_action, name="action"),
    path(case + "services/<int:pk>/implement/", actions.service_implement, name="service_implement"),
    path(case + "referrals/<int:pk>/done/", actions.referral_done, name="referral_done"),
    path(case + "referrals/<int:pk>/revoke/", actions.revoke, {"what": "referral"},
         name="referral_revoke"),
    path(case + "transfers/<int:pk>/revoke/", actions.revoke, {"what": "transfer"},
         name="transfer_revoke"),
    path("access-log/", access.access_log, name="access_log"),
    path("sign-ins/", access.sign_ins, name="sign_ins"),
    path("approvals/", queues.approvals, name="approvals"),
    path("approvals/<int:pk>/decide/", queues.approval_decide, name="approval_decide"),
    path("referrals/", queues.referrals, name="referrals"),
    path("referrals/<int:pk>/<slug:answer>/", queues.referral_answer, name="referral_answer"),
    path("transfers/<int:pk>/<slug:answer>/", queues.transfer_answer, name="transfer_answer"),
    path("transfer-requests/", queues.transfer_request_create, name="transfer_request_create"),
    path("transfer-requests/<int:pk>/<slug:answer>/", queues.transfer_request_answer,
         name="transfer_request_answer"),
]

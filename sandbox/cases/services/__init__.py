"""Services: one function per action of the case system.

Each service is keyword-only and atomic: it checks the actor's permission
(role × scope × form section), validates its input against the configuration,
changes the records and writes exactly one event to the space's log.
"""

from ._core import member_options
from .approvals import approval_decide, approval_request
from .assessment import assessment_complete, assessment_request, case_plan_save
from .closure import case_close, case_reopen
from .documents import document_remove, document_upload
from .exports import case_export
from .followup import followup_record
from .notes import case_flag, case_unflag, note_add
from .ownership import (
    case_assign,
    transfer_accept,
    transfer_create,
    transfer_reject,
    transfer_request_accept,
    transfer_request_create,
    transfer_request_decline,
    transfer_revoke,
)
from .referrals import (
    referral_accept,
    referral_create,
    referral_done,
    referral_reject,
    referral_revoke,
    service_add,
    service_implement,
)
from .registration import case_identify, case_register, case_search, case_update, consent_record

__all__ = [
    "approval_decide", "approval_request", "assessment_complete", "assessment_request",
    "case_assign", "case_close", "case_export", "case_flag", "case_identify", "case_plan_save",
    "case_register", "case_reopen", "case_search", "case_unflag", "case_update",
    "consent_record", "document_remove", "document_upload", "followup_record", "member_options",
    "note_add", "referral_accept", "referral_create", "referral_done", "referral_reject",
    "referral_revoke", "service_add", "service_implement", "transfer_accept", "transfer_create",
    "transfer_reject", "transfer_request_accept", "transfer_request_create",
    "transfer_request_decline", "transfer_revoke",
]

"""The records of the case system, all scoped to a space."""

from .access import CaseView
from .case import Case, RegistrationStatus, Stage, Status
from .document import Document
from .event import Event
from .records import (
    DEFAULT_DISCLOSED,
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Disclosure,
    Flag,
    FollowUp,
    Note,
    Referral,
    ReferralStatus,
    Service,
    ServiceStatus,
    Transfer,
    TransferRequest,
    TransferRequestStatus,
    TransferStatus,
)
from .task import Task, TaskKind

__all__ = [
    "DEFAULT_DISCLOSED",
    "Approval",
    "ApprovalKind",
    "ApprovalStatus",
    "Case",
    "CaseView",
    "Disclosure",
    "Document",
    "Event",
    "Flag",
    "FollowUp",
    "Note",
    "Referral",
    "ReferralStatus",
    "RegistrationStatus",
    "Service",
    "ServiceStatus",
    "Stage",
    "Status",
    "Task",
    "TaskKind",
    "Transfer",
    "TransferRequest",
    "TransferRequestStatus",
    "TransferStatus",
]

"""The records of the case system, all scoped to a space."""

from .access import CaseView
from .case import Case, RegistrationStatus, Stage, Status
from .document import Document
from .event import Event
from .records import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Flag,
    FollowUp,
    Note,
    Referral,
    ReferralStatus,
    Service,
    ServiceStatus,
    Transfer,
    TransferStatus,
)
from .task import Task, TaskKind

__all__ = [
    "Approval", "ApprovalKind", "ApprovalStatus", "Case", "CaseView", "Document", "Event", "Flag",
    "FollowUp", "Note",
    "Referral", "ReferralStatus", "RegistrationStatus", "Service", "ServiceStatus", "Stage",
    "Status", "Task", "TaskKind", "Transfer", "TransferStatus",
]

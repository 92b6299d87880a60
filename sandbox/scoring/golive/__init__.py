"""The go-live report: the scenario library checked on a configuration bundle."""

from .check import check_one
from .report import golive_report

__all__ = ["check_one", "golive_report"]

"""What "overdue" means, in one place: tasks, reporting and notify all ask here instead of re-deriving it.

Pure functions of dates (local calendar, Asia/Ho_Chi_Minh). The effective due date is the adjusted one
(after an approved extension or a met condition); the original stays on record for figures against it.
A recurring task is never overdue as a whole: it is judged per reporting period (schemas.periods).
"""
from __future__ import annotations

from datetime import date, timedelta
from enum import Enum

DUE_SOON_DAYS = 7


class Standing(str, Enum):
    """The status categories of the glossary."""

    not_yet_due = "not_yet_due"          # Trong hạn
    due_soon = "due_soon"                # Sắp đến hạn
    overdue = "overdue"                  # Quá hạn
    done_on_time = "done_on_time"        # Hoàn thành đúng hạn
    done_late = "done_late"              # Hoàn thành quá hạn
    waiting_condition = "waiting_condition"  # Chờ điều kiện
    blocked = "blocked"                  # Vướng mắc
    recurring = "recurring"              # Thường xuyên: judged per period


LABELS_VI = {
    Standing.not_yet_due: "Trong hạn", Standing.due_soon: "Sắp đến hạn", Standing.overdue: "Quá hạn",
    Standing.done_on_time: "Hoàn thành đúng hạn", Standing.done_late: "Hoàn thành quá hạn",
    Standing.waiting_condition: "Chờ điều kiện", Standing.blocked: "Vướng mắc", Standing.recurring: "Thường xuyên",
}


def effective_due(due: date | None, adjusted_due: date | None = None) -> date | None:
    """The due date that counts from now on: the adjusted one when there is one."""
    return adjusted_due or due


def is_overdue(due: date | None, completed_on: date | None, today: date) -> bool:
    """Past the due date and not done, or done after it. A task without a due date is never overdue."""
    if due is None:
        return False
    return completed_on > due if completed_on is not None else today > due


def days_overdue(due: date | None, today: date) -> int:
    """Whole local days past the due date; 0 when not yet past it (or when there is none)."""
    return max(0, (today - due).days) if due is not None else 0


def is_due_soon(due: date | None, completed_on: date | None, today: date, window_days: int = DUE_SOON_DAYS) -> bool:
    return due is not None and completed_on is None and today <= due <= today + timedelta(days=window_days)


def standing(due: date | None, completed_on: date | None, today: date, *, recurring: bool = False,
             waiting_condition: bool = False, blocked: bool = False, window_days: int = DUE_SOON_DAYS) -> Standing:
    """The one category a task is in today."""
    if completed_on is not None:
        return Standing.done_late if is_overdue(due, completed_on, today) else Standing.done_on_time
    if recurring:
        return Standing.recurring
    if waiting_condition and due is None:
        return Standing.waiting_condition
    if is_overdue(due, None, today):
        return Standing.overdue
    if blocked:
        return Standing.blocked
    if is_due_soon(due, None, today, window_days):
        return Standing.due_soon
    return Standing.not_yet_due

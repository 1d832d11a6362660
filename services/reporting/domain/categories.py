"""Status categories: where a task stands on a given local day, and the labels leaders read.

Every task falls into exactly one category; `blocked` (the latest report says *vướng mắc*) is a
separate flag counted beside them, since a blocked task is also overdue, due soon or not yet due.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Iterable

from schemas.deadlines import DUE_SOON_DAYS, is_due_soon, is_overdue
BLOCKED = "blocked"
ALL = "all"


class Category(str, Enum):
    not_yet_due = "not_yet_due"
    due_soon = "due_soon"
    overdue = "overdue"
    done_on_time = "done_on_time"
    done_late = "done_late"
    waiting = "waiting"
    ongoing = "ongoing"


@dataclass(frozen=True)
class Label:
    vi: str
    en: str


LABELS: dict[str, Label] = {
    Category.not_yet_due.value: Label("Trong hạn", "Not yet due"),
    Category.due_soon.value: Label("Sắp đến hạn", "Due soon"),
    Category.overdue.value: Label("Quá hạn", "Overdue"),
    Category.done_on_time.value: Label("Hoàn thành đúng hạn", "Done on time"),
    Category.done_late.value: Label("Hoàn thành quá hạn", "Done late"),
    Category.waiting.value: Label("Chờ điều kiện", "Waiting on a condition"),
    Category.ongoing.value: Label("Thường xuyên", "Ongoing"),
    BLOCKED: Label("Vướng mắc", "Blocked"),
    ALL: Label("Tổng số nhiệm vụ", "All tasks"),
}


@dataclass(frozen=True)
class TaskFacts:
    """What categorising needs to know about a task, as reporting learnt it from the tasks topic."""

    due: date | None = None
    recurring: bool = False
    condition: str | None = None
    completed_on: date | None = None
    on_time: bool | None = None
    missed: tuple[date, ...] = ()
    status: str = "not_started"
    due_soon_days: int = DUE_SOON_DAYS  # the plan's window (PlanIssued.due_soon_days)


def categorize(task: TaskFacts, today: date) -> Category:
    """Exactly one category for `today` (a local date in Asia/Ho_Chi_Minh), as the counters count it.

    A task due today is not overdue yet; one due within its plan's due-soon window (today
    included, today + window included; 7 days unless the plan says otherwise) is due soon. The due date is the adjusted one (an extension
    moves it; an earlier missed date no longer makes the task overdue). A recurring task is
    ongoing: it is judged per reporting period, never overdue as a whole (schemas.deadlines).
    A conditional task with a due date (its condition met) is judged by it; without one it waits.
    """
    if task.completed_on is not None:
        return Category.done_on_time if _completed_on_time(task) else Category.done_late
    if task.recurring:
        return Category.ongoing
    if is_overdue(task.due, None, today):
        return Category.overdue
    if task.due is not None:
        return Category.due_soon if is_due_soon(task.due, None, today, task.due_soon_days) else Category.not_yet_due
    if task.condition:
        return Category.waiting
    return Category.not_yet_due


def is_blocked(task: TaskFacts) -> bool:
    return task.completed_on is None and task.status == BLOCKED


def empty_counts() -> dict[str, int]:
    return {name: 0 for name in LABELS}


def tally(tasks: Iterable[TaskFacts], today: date) -> dict[str, int]:
    """Counts per category, the blocked flag, and all tasks."""
    counts = empty_counts()
    for task in tasks:
        counts[categorize(task, today).value] += 1
        counts[BLOCKED] += is_blocked(task)
        counts[ALL] += 1
    return counts


def _completed_on_time(task: TaskFacts) -> bool:
    if task.on_time is not None:
        return task.on_time  # tasks decided it when the lead reported done
    return task.due is None or task.completed_on <= task.due

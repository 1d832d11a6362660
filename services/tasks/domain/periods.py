"""Recurring tasks are judged per reporting period, against the plan's schedule (monthly when it names none)."""
from __future__ import annotations

from datetime import date
from typing import Any

from schemas.periods import closed_periods, deadline, period_of
from schemas.plans import Frequency, ReportingSchedule

MONTHLY = ReportingSchedule(schedule_id="default", frequency=Frequency.monthly)


def schedule_of(task: Any) -> ReportingSchedule:
    return ReportingSchedule.model_validate(task.schedule) if task.schedule else MONTHLY


def _frequency(schedule: ReportingSchedule) -> Frequency:
    return Frequency.monthly if schedule.frequency == Frequency.dates else schedule.frequency


def period_now(task: Any, today: date) -> str:
    """The period a report made today counts for."""
    return period_of(today, _frequency(schedule_of(task)))


def missed_periods(task: Any, today: date) -> list[tuple[str, date]]:
    """(period, its deadline) of each period closed before today without the lead's report, not yet counted as missed.

    Judging starts with the first period whose deadline falls on or after the day the task was assigned (or starts)."""
    begin = max(d for d in (task.assigned_on, task.start) if d) if (task.assigned_on or task.start) else None
    if begin is None:
        return []
    schedule = schedule_of(task)
    out = []
    for key in closed_periods(begin, today, _frequency(schedule), schedule):
        due = deadline(key, schedule)
        if due >= begin and key not in task.reported_periods and key not in task.missed_periods:
            out.append((key, due))
    return out

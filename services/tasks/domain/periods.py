"""Recurring tasks are judged per reporting period, against the plan's schedule (monthly when it names none)."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from schemas.periods import bounds, closed_periods, deadline, period_of
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


def next_period_attention(task: Any) -> date | None:
    """The day after the deadline of the first period not yet reported or missed: when `missed_periods` may next
    find something (for a deadline schedule such as `next_attention`)."""
    begin = max(d for d in (task.assigned_on, task.start) if d) if (task.assigned_on or task.start) else None
    if begin is None or task.completed_on is not None:
        return None
    schedule = schedule_of(task)
    frequency, day = _frequency(schedule), begin
    for _ in range(1000):  # periods since the task began; a daily task over three years stays under this
        key = period_of(day, frequency)
        due = deadline(key, schedule)
        if due >= begin and key not in task.reported_periods and key not in task.missed_periods:
            return due + timedelta(days=1)
        day = bounds(key)[1] + timedelta(days=1)
    return None

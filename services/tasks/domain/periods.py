"""Recurring tasks are judged per reporting period, against the plan's schedule (monthly when it names none)."""
from __future__ import annotations

import json
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from schemas.periods import bounds, closed_periods, deadline, period_of
from schemas.plans import Frequency, ReportingSchedule

MONTHLY = ReportingSchedule(schedule_id="default", frequency=Frequency.monthly)
MAX_PERIODS = 1000  # periods since a task began that are looked at; a daily task over three years stays under this
CALENDAR_RUN = 40  # periods per cached run of the calendar (MAX_PERIODS is a whole number of runs)


def schedule_of(task: Any) -> ReportingSchedule:
    """The task's schedule (its snapshot keeps it as JSON values), validated once per distinct schedule: a report on a
    recurring task asks twice (its period, its next attention), and validating it was ≈ 10–17 µs each time."""
    return _schedule(json.dumps(task.schedule, ensure_ascii=False, separators=(",", ":"))) if task.schedule else MONTHLY


@lru_cache(maxsize=1024)  # a plan's few schedules, shared by its tasks; read only
def _schedule(text: str) -> ReportingSchedule:
    return ReportingSchedule.model_validate_json(text)


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
    find something (for a deadline schedule such as `next_attention`). Every report and miss of a recurring task asks
    this (the snapshot's `attention_on`): the periods and their deadlines come from a cached calendar."""
    begin = max(d for d in (task.assigned_on, task.start) if d) if (task.assigned_on or task.start) else None
    if begin is None or task.completed_on is not None:
        return None
    schedule = schedule_of(task)
    frequency = _frequency(schedule)
    key = period_of(begin, frequency)
    settled = (task.reported_periods, task.missed_periods)
    for _ in range(MAX_PERIODS // CALENDAR_RUN):
        run, key = _calendar(key, frequency, schedule.weekday, schedule.day_of_month)
        for period, due, after in run:
            if due >= begin and period not in settled[0] and period not in settled[1]:
                return after
    return None


@lru_cache(maxsize=512)
def _calendar(first: str, frequency: Frequency, weekday: int | None, day_of_month: int | None) -> tuple[tuple[tuple[str, date, date], ...], str]:
    """CALENDAR_RUN periods from `first` on: (key, deadline, the day after it) each, and the key of the period after
    them. What a deadline depends on is in the arguments (`deadline` reads a schedule's weekday and day of month only)."""
    schedule = ReportingSchedule(schedule_id="calendar", frequency=frequency, weekday=weekday, day_of_month=day_of_month)
    run, key = [], first
    for _ in range(CALENDAR_RUN):
        due = deadline(key, schedule)
        run.append((key, due, due + timedelta(days=1)))
        key = period_of(bounds(key)[1] + timedelta(days=1), frequency)
    return tuple(run), key

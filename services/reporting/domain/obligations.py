"""Reporting obligations as counters: expected reports per schedule, received and on time per deadline.

A plan's schedule binds reporters: the agencies of the plan's unit and/or the units directly below
it. Each bound reporter adds 1 to `exp|<signature>` at its own position (an agency at its unit, a
unit at itself), where the signature names the schedule's rule and first day; the number of
periods whose deadline has passed by D is a pure function of it (schemas.periods.closed_periods),
so expected reports by D = Σ reporters × closed periods. A report received adds `rep|recv|<deadline>`
(and `rep|ontime|<deadline>` when on time); only periods whose deadline is before D count, on both
sides. Reading is O(distinct schedules + distinct deadlines), never O(reporters).
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any, Mapping

from schemas.periods import closed_periods
from schemas.plans import Bound, Frequency, MonthDay, ReportingSchedule

EXPECTED, RECEIVED, ON_TIME = "exp|", "rep|recv|", "rep|ontime|"


def signature(schedule: Mapping[str, Any], start: date) -> str:
    dates = ".".join(f"{d['month']}-{d['day']}" for d in schedule.get("dates") or ())
    return "~".join([schedule["frequency"], str(schedule.get("weekday") or ""), str(schedule.get("day_of_month") or ""),
                     dates, start.isoformat()])


@lru_cache(maxsize=4096)
def _periods(sig: str, today: date) -> int:
    frequency, weekday, day_of_month, dates, start = sig.split("~")
    schedule = ReportingSchedule(
        schedule_id="s", frequency=Frequency(frequency), weekday=int(weekday) if weekday else None,
        day_of_month=int(day_of_month) if day_of_month else None,
        dates=[MonthDay(month=int(m), day=int(d)) for m, d in (x.split("-") for x in dates.split(".") if x)],
    )
    first = date.fromisoformat(start)
    if schedule.frequency == Frequency.dates:  # several fixed dates a year: each date passed is one report
        return sum(1 for year in range(first.year, today.year + 1) for d in schedule.dates
                   if first <= _on(year, d) < today)
    return len(closed_periods(first, today, schedule.frequency, schedule))


def _on(year: int, day: MonthDay) -> date:
    try:
        return date(year, day.month, day.day)
    except ValueError:  # 29/2 and the like: the last day of that month
        return date(year, day.month, 28)


def binds(schedule: Mapping[str, Any], kind: Bound) -> bool:
    return kind.value in (schedule.get("bound") or [Bound.agencies.value])


def report_keys(deadline: date, on_time: bool) -> list[str]:
    return [f"{RECEIVED}{deadline.isoformat()}", *([f"{ON_TIME}{deadline.isoformat()}"] if on_time else [])]


def reporting(counts: Mapping[str, int], today: date, prefix: str = "") -> dict[str, float | int | None]:
    """expected, received, received_on_time, reporting_rate, on_time_reporting_rate as of `today`."""
    expected = received = on_time = 0
    last = today.isoformat()
    for key, value in counts.items():
        if prefix and not key.startswith(prefix):
            continue
        key = key[len(prefix):]
        if key.startswith(EXPECTED):
            expected += value * _periods(key[len(EXPECTED):], today)
        elif key.startswith(RECEIVED) and key[len(RECEIVED):] < last:
            received += value
        elif key.startswith(ON_TIME) and key[len(ON_TIME):] < last:
            on_time += value
    return {"expected": expected, "received": received, "received_on_time": on_time,
            "reporting_rate": round(received / expected, 4) if expected else None,
            "on_time_reporting_rate": round(on_time / expected, 4) if expected else None}

"""Reporting periods of recurring tasks: the key of the period a day falls in, its first and last day, its deadline.

Pure functions of dates, shared by tasks (misses per period), reporting and notify. Keys sort as text
within one frequency: 2026 (annual), 2026-H2, 2026-Q4, 2026-11 (monthly), 2026-W45 (ISO week), 2026-11-29 (daily).
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta

from schemas.plans import Frequency, ReportingSchedule


def period_of(day: date, frequency: Frequency) -> str:
    if frequency == Frequency.daily:
        return day.isoformat()
    if frequency == Frequency.weekly:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if frequency == Frequency.quarterly:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if frequency == Frequency.semiannual:
        return f"{day.year}-H{1 if day.month <= 6 else 2}"
    if frequency == Frequency.annual:
        return str(day.year)
    return f"{day.year}-{day.month:02d}"  # monthly, and fixed dates are judged month by month


def bounds(key: str) -> tuple[date, date]:
    """First and last day of the period named by `key`."""
    if len(key) == 4:
        return date(int(key), 1, 1), date(int(key), 12, 31)
    year, rest = int(key[:4]), key[5:]
    if rest.startswith("W"):
        first = date.fromisocalendar(year, int(rest[1:]), 1)
        return first, first + timedelta(days=6)
    if rest.startswith("Q") or rest.startswith("H"):
        months = 3 if rest[0] == "Q" else 6
        start_month = (int(rest[1]) - 1) * months + 1
        end_month = start_month + months - 1
        return date(year, start_month, 1), date(year, end_month, calendar.monthrange(year, end_month)[1])
    if len(rest) == 2:
        month = int(rest)
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    day = date.fromisoformat(key)
    return day, day


def deadline(key: str, schedule: ReportingSchedule | None) -> date:
    """The last day a report counts for the period: the schedule's weekday of the week, or its day of the
    period's last month ("trước ngày 14" counts the 14th too: no escalation on a borderline reading); else the last day."""
    first, last = bounds(key)
    if schedule is None or len(key) == 10:
        return last
    if "W" in key:
        return first + timedelta(days=schedule.weekday - 1) if schedule.weekday else last
    if schedule.day_of_month:
        return last.replace(day=min(schedule.day_of_month, last.day))
    return last


def closed_periods(start: date, today: date, frequency: Frequency, schedule: ReportingSchedule | None = None) -> list[str]:
    """Keys of the periods from the one holding `start` whose deadline is before `today`, oldest first."""
    keys, day = [], start
    while True:
        key = period_of(day, frequency)
        if deadline(key, schedule) >= today:
            return keys
        keys.append(key)
        day = bounds(key)[1] + timedelta(days=1)

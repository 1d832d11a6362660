"""Periodic reports a plan's schedule requires: who owes which period, when it is due, and the escalation item a
missing one becomes (rung 1 the head of the agency, or the chairman of the unit, that owes it; then the ladder).

Periods and deadlines come from schemas/periods.py (the same rules reporting and tasks use). Item ids are
`report:<plan>:<schedule>:<period>:<reporter>`, i.e. "report:" + the report_id of the PeriodicReportSubmitted that
resolves it, so a report received before or after the deadline finds its item without a lookup table.
"""
from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from schemas.notify import EscalationPolicy, Role, Rung, Target
from schemas.periods import closed_periods, deadline, period_of
from schemas.plans import Bound, Frequency, ReportingSchedule

PREFIX = "report:"
LOOKBACK_DAYS = 92  # periods whose deadline passed longer ago than this are history, not news (a historic plan)


@dataclass(frozen=True)
class Owed:
    """One report a reporter owes for one period."""

    plan_id: str
    schedule_id: str
    period: str
    reporter: str  # agency:<agency_id> or unit:<unit_id>
    due: date

    @property
    def report_id(self) -> str:
        return f"{self.plan_id}:{self.schedule_id}:{self.period}:{self.reporter}"

    @property
    def item_id(self) -> str:
        return PREFIX + self.report_id

    @property
    def cause_id(self) -> str:
        """What the item's start names as its cause: the schedule and the report owed, within an event id's 100
        characters (a long commune id makes the report id longer: its digest then)."""
        cause = f"schedule:{self.report_id}"
        return cause if len(cause) <= 100 else "schedule:sha256:" + hashlib.sha256(self.report_id.encode()).hexdigest()[:64]

    @property
    def owner(self) -> str:
        return self.reporter.split(":", 1)[1]

    @property
    def by_unit(self) -> bool:
        return self.reporter.startswith("unit:")


def is_report_item(item_id: str) -> bool:
    return item_id.startswith(PREFIX)


def reporters(schedule: ReportingSchedule, agencies: list[str], child_units: list[str]) -> list[str]:
    """Who the schedule binds: the agencies of the plan's unit and/or the units directly below it."""
    return ([f"agency:{a}" for a in agencies] if Bound.agencies in schedule.bound else []) + (
        [f"unit:{u}" for u in child_units] if Bound.child_units in schedule.bound else [])


def missed_periods(schedule: ReportingSchedule, start: date, today: date) -> list[tuple[str, date]]:
    """(period, deadline) of the periods whose deadline passed before today, the recent ones only (LOOKBACK_DAYS)."""
    since = max(start, today - timedelta(days=LOOKBACK_DAYS))
    if schedule.frequency == Frequency.dates:  # each fixed date of the year is a deadline; its period is its month
        return [(period_of(due, schedule.frequency), due) for due in fixed_dates_between(schedule, since, today)]
    found = [(key, deadline(key, schedule)) for key in closed_periods(since, today, schedule.frequency, schedule)]
    return [(key, due) for key, due in found if due >= since]


def current_period(schedule: ReportingSchedule, today: date) -> tuple[str, date] | None:
    """The period whose report is due next (its deadline today or later), for reminders before it. For fixed dates
    of the year that is the next of them (today included); its period is the month it falls in, as periods.py judges
    fixed dates month by month."""
    if schedule.frequency == Frequency.dates:
        due = next_fixed_date(schedule, today)
        return (period_of(due, schedule.frequency), due) if due else None
    key = period_of(today, schedule.frequency)
    due = deadline(key, schedule)
    return (key, due) if due >= today else None


def next_fixed_date(schedule: ReportingSchedule, today: date) -> date | None:
    """The first of the schedule's dates (day and month, every year) on or after today; a day past the month's end
    ("31/6") is the month's last day."""
    return next(iter(fixed_dates_between(schedule, today, today + timedelta(days=367))), None)


def fixed_dates_between(schedule: ReportingSchedule, since: date, today: date) -> list[date]:
    """The schedule's dates (day and month, every year; a day past the month's end is its last day) from `since` up to,
    not including, today, in order."""
    found = {date(year, d.month, min(d.day, calendar.monthrange(year, d.month)[1]))
             for year in range(since.year, today.year + 1) for d in schedule.dates}
    return sorted(day for day in found if since <= day < today)


def unit_report_policy(policy: EscalationPolicy) -> EscalationPolicy:
    """A unit's missing report starts at its chairman (cc the standing body as rung 1 does); the ladder goes on from
    the first rung that looks above the unit."""
    first = policy.rungs[0]
    above = [r for r in policy.rungs[1:] if all(t.up > 0 for t in r.to)]
    rungs = [Rung(after_days=first.after_days, to=[Target(role=Role.chairman)], cc=first.cc), *above]
    return policy.model_copy(update={"policy_id": f"{policy.policy_id}:unit-report"[:150], "rungs": rungs})


def describe(item_id: str, plan_id: str, period: str) -> str:
    """The entry's text for a missing report (Vietnamese; the schedule's id as the plan names it)."""
    schedule_id = item_id.removeprefix(f"{PREFIX}{plan_id}:").split(f":{period}:")[0]
    return f"Chưa gửi báo cáo định kỳ ({schedule_id}) kỳ {period}"

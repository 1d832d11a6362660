"""Reporting obligations owed to a unit for a period: each bound reporter, whether and when it reported.

The reporters are the agencies of the unit and/or the units directly below it, as each of the unit's
plans' schedules binds them. A requested period holds the schedule's own periods that fall inside it
(a quarter holds three monthly periods). O(reporters × periods) for one unit: a compiled report's list.
"""
from __future__ import annotations

from datetime import date, timedelta

from schemas.periods import bounds, deadline, period_of
from schemas.plans import Bound, ReportingSchedule
from schemas.rejections import Invalid
from services.reporting.domain.obligations import binds
from services.reporting.domain.projection import AGENCIES, PLANS, UNITS
from services.reporting.handlers.obligations import REPORTS
from services.runtime.ports import DocumentStore


def check_period(period: str) -> tuple[date, date]:
    try:
        first, last = bounds(period)
        if len(period) not in (4, 7, 10) or first > last:
            raise ValueError(period)
    except (ValueError, IndexError):
        raise Invalid(f"period must be like 2026-12, 2026-Q4, 2026-H1 or 2026, not {period!r}", field="period") from None
    return first, last


def periods_within(period: str, schedule: ReportingSchedule) -> list[str]:
    """The schedule's own periods inside `period`; for fixed dates, the months holding one of them."""
    first, last = check_period(period)
    if schedule.frequency.value == "dates":
        months = {(d.month) for d in schedule.dates}
        return [f"{y}-{m:02d}" for y in range(first.year, last.year + 1) for m in sorted(months)
                if first <= bounds(f"{y}-{m:02d}")[0] and bounds(f"{y}-{m:02d}")[1] <= last]
    found, day = [], first
    while day <= last:
        key = period_of(day, schedule.frequency)
        start, end = bounds(key)
        if start >= first and end <= last and key not in found:
            found.append(key)
        day = end + timedelta(days=1) if end >= day else day + timedelta(days=1)
    return found


async def period_obligations(store: DocumentStore, unit_id: str, period: str, today: date, as_of: date | None = None) -> dict:
    """Shape: {period, expected, received, received_on_time, reporting_rate, on_time_reporting_rate,
    obligations: [{plan_id, schedule_id, period, deadline, reporter, kind, name, received, on_time, received_on, revision}],
    non_reporters: [the obligations not received, with deadline passed or not]}"""
    check_period(period)
    plans = [p for p in await store.find(PLANS, unit_id=unit_id) if p.get("reporting_schedules")]
    agencies = sorted(await store.find(AGENCIES, unit_id=unit_id), key=lambda a: a["agency_id"])
    children = sorted((u for u in await store.find(UNITS, parent_id=unit_id) if u["unit_id"] != unit_id), key=lambda u: u["unit_id"])
    reports = {r["report_id"]: r for r in await store.find(REPORTS, plan_id=[p["plan_id"] for p in plans])} if plans else {}
    rows = []
    for plan in plans:
        for raw in plan["reporting_schedules"]:
            schedule = ReportingSchedule.model_validate(raw)
            keys = periods_within(period, schedule)
            reporters = [*((f"agency:{a['agency_id']}", "agency", a["name"]) for a in agencies if binds(raw, Bound.agencies)),
                         *((f"unit:{u['unit_id']}", "unit", u["name"]) for u in children if binds(raw, Bound.child_units))]
            for key in keys:
                for reporter, kind, name in reporters:
                    got = reports.get(f"{plan['plan_id']}:{schedule.schedule_id}:{key}:{reporter}")
                    if got is not None and as_of is not None and got["received_on"] > as_of.isoformat():
                        got = None  # not yet received on that day
                    rows.append({"plan_id": plan["plan_id"], "schedule_id": schedule.schedule_id, "period": key,
                                 "deadline": deadline(key, schedule).isoformat(), "reporter": reporter, "kind": kind, "name": name,
                                 "received": got is not None, "on_time": got["received_on_time"] if got else None,
                                 "received_on": got["received_on"] if got else None, "revision": got["revision"] if got else None})
    expected = len(rows)
    received = sum(r["received"] for r in rows)
    on_time = sum(bool(r["on_time"]) for r in rows)
    return {"period": period, "expected": expected, "received": received, "received_on_time": on_time,
            "reporting_rate": round(received / expected, 4) if expected else None,
            "on_time_reporting_rate": round(on_time / expected, 4) if expected else None,
            "obligations": rows, "non_reporters": [r for r in rows if not r["received"]]}

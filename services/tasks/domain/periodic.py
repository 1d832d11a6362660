"""Deciding a periodic report: who may send it for which plan, schedule and period, and whether it is on time.

Pure: the plan, the sending agency and the unit's parent as reporting knows them, the body, today.
A schedule binds the agencies of the plan's unit and/or the units directly below it; a unit's report
is sent by the unit's standing body (cơ quan thường trực). The report is on time when received by the
period's deadline (schemas.periods, the one rule for it).
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from schemas.periods import bounds, deadline, period_of
from schemas.plans import Bound, ReportingSchedule
from schemas.rejections import Forbidden, Invalid, NotFound
from schemas.reports import PeriodicReport, PeriodicReportSubmitted

Doc = Mapping[str, Any]


def schedule_of(plan: Doc, schedule_id: str) -> ReportingSchedule:
    for raw in plan.get("reporting_schedules") or ():
        if raw["schedule_id"] == schedule_id:
            return ReportingSchedule.model_validate(raw)
    raise NotFound(f"plan {plan['plan_id']!r} has no reporting schedule {schedule_id!r}", field="schedule_id")


def check_period(period: str, schedule: ReportingSchedule, today: date) -> date:
    """The period's deadline; refused when the period is not one of this schedule's or has not begun."""
    try:
        first, _ = bounds(period)
    except ValueError:
        raise Invalid(f"period {period!r} does not exist", field="period") from None
    if period_of(first, schedule.frequency) != period:
        raise Invalid(f"period {period!r} is not a {schedule.frequency.value} period of schedule {schedule.schedule_id!r}", field="period")
    if first > today:
        raise Invalid(f"period {period} has not begun (today is {today.isoformat()})", field="period")
    return deadline(period, schedule)


def reporter_of(plan: Doc, schedule: ReportingSchedule, agency: Doc, unit_parent: str | None, for_unit: bool) -> str:
    if for_unit:
        if not agency.get("standing_body"):
            raise Forbidden(f"agency {agency['agency_id']!r} is not the standing body of unit {agency['unit_id']!r}", field="for_unit")
        if Bound.child_units not in schedule.bound or unit_parent != plan["unit_id"]:
            raise Forbidden(f"schedule {schedule.schedule_id!r} does not bind unit {agency['unit_id']!r}", field="for_unit")
        return f"unit:{agency['unit_id']}"
    if Bound.agencies not in schedule.bound or agency["unit_id"] != plan["unit_id"]:
        raise Forbidden(f"schedule {schedule.schedule_id!r} does not bind agency {agency['agency_id']!r}", field="schedule_id")
    return f"agency:{agency['agency_id']}"


def submit(plan: Doc, agency: Doc, unit_parent: str | None, body: PeriodicReport, today: date, revision: int) -> PeriodicReportSubmitted:
    schedule = schedule_of(plan, body.schedule_id)
    due = check_period(body.period, schedule, today)
    reporter = reporter_of(plan, schedule, agency, unit_parent, body.for_unit)
    targets = {t["indicator_id"] for t in plan.get("targets") or ()}
    for n, value in enumerate(body.indicators):
        if value.indicator_id not in targets:
            raise Invalid(f"plan {plan['plan_id']!r} has no target {value.indicator_id!r}", field=f"indicators.{n}.indicator_id")
    return PeriodicReportSubmitted(
        report_id=report_id(body.plan_id, body.schedule_id, body.period, reporter), plan_id=body.plan_id,
        schedule_id=body.schedule_id, period=body.period, unit_id=agency["unit_id"], agency_id=agency["agency_id"],
        reporter=reporter, sections=body.sections, indicators=body.indicators, submitted_on=today, deadline=due,
        on_time=today <= due, revision=revision,
    )


def report_id(plan_id: str, schedule_id: str, period: str, reporter: str) -> str:
    return f"{plan_id}:{schedule_id}:{period}:{reporter}"

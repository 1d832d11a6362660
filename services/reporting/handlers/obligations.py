"""Obligation and report counters, changed when a plan, agency, unit or periodic report arrives (first time only)."""
from __future__ import annotations

from datetime import date

from schemas.catalog import Event
from schemas.directory import AgencyRegistered, UnitRegistered
from schemas.plans import Bound, PlanIssued
from schemas.reports import PeriodicReportSubmitted
from services.reporting.domain.obligations import EXPECTED, binds, report_keys, signature
from services.reporting.domain.projection import AGENCIES, PLANS, UNITS, event_day
from services.reporting.handlers.repository.counters import CounterBook
from services.reporting.handlers.repository.directory import Directory

REPORTS = "periodic_reports"


async def before_directory(event: Event, store: Directory, book: CounterBook) -> None:
    """Call before the directory document is written: a repeated registration or plan adds nothing."""
    payload, day = event.payload, event_day(event)
    if isinstance(payload, PlanIssued) and await store.get(PLANS, payload.plan_id) is None:
        agencies = [a["agency_id"] for a in await store.find(AGENCIES, payload.unit_id)]
        children = [u["unit_id"] for u in await store.find(UNITS, payload.unit_id) if u["unit_id"] != payload.unit_id]
        for schedule in _schedules(payload.model_dump(mode="json"), day):
            sig = schedule["sig"]
            if binds(schedule, Bound.agencies):
                await book.change(f"own:{payload.unit_id}", {EXPECTED + sig: len(agencies)}, day)
                for agency in agencies:
                    await book.change(f"agency:{agency}", {EXPECTED + sig: 1}, day)
            if binds(schedule, Bound.child_units):
                for child in children:
                    await book.change(f"own:{child}", {EXPECTED + sig: 1}, day)
    elif isinstance(payload, AgencyRegistered) and await store.get(AGENCIES, payload.agency_id) is None:
        for plan in await store.find(PLANS, payload.unit_id):
            for schedule in _schedules(plan, None):
                if binds(schedule, Bound.agencies):
                    await book.change(f"own:{payload.unit_id}", {EXPECTED + schedule["sig"]: 1}, day)
                    await book.change(f"agency:{payload.agency_id}", {EXPECTED + schedule["sig"]: 1}, day)
    elif isinstance(payload, UnitRegistered) and payload.parent_id and await store.get(UNITS, payload.unit_id) is None:
        for plan in await store.find(PLANS, payload.parent_id):
            for schedule in _schedules(plan, None):
                if binds(schedule, Bound.child_units):
                    await book.change(f"own:{payload.unit_id}", {EXPECTED + schedule["sig"]: 1}, day)


async def receive_report(event: Event, store: Directory, book: CounterBook) -> None:
    """Keep the report (latest revision, first receipt); count it once, at its first revision."""
    report: PeriodicReportSubmitted = event.payload
    doc = await store.get(REPORTS, report.report_id)
    latest = report.model_dump(mode="json")
    if doc is not None and report.revision <= doc["revision"]:
        return
    if doc is None:
        keys = report_keys(report.deadline, report.on_time)
        await book.change(f"own:{report.unit_id}", dict.fromkeys(keys, 1), event_day(event))
        if report.reporter.startswith("agency:"):
            await book.change(report.reporter, dict.fromkeys(keys, 1), event_day(event))
        first = {"received_on": latest["submitted_on"], "received_on_time": report.on_time}
    else:
        first = {"received_on": doc["received_on"], "received_on_time": doc["received_on_time"]}
    revisions = [*(doc or {}).get("revisions", []), {"revision": report.revision, "submitted_on": latest["submitted_on"]}]
    await store.put(REPORTS, report.report_id, {**latest, **first, "revisions": revisions})


def _schedules(plan: dict, day: str | None) -> list[dict]:
    """The plan's schedules, each with its signature; the first period is the one holding the issue day."""
    start = plan.get("issued_on") or plan.get("received_on") or day
    return [{**s, "sig": signature(s, date.fromisoformat(start))} for s in plan.get("reporting_schedules") or ()]

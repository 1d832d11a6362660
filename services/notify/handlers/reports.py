"""Missing periodic reports escalate: once a period's deadline has passed, every bound reporter without a report for
it gets an escalation item of its own (the policy in force frozen into it, as for an overdue task). A report received
(PeriodicReportSubmitted, from tasks) is remembered, and resolves the item if one was started.

Each (plan, schedule) keeps the last period it was judged for, so a pass looks only at newly closed periods.
"""
from __future__ import annotations

from datetime import date

from schemas.catalog import Event
from schemas.notify import EscalationStarted
from schemas.plans import ReportingSchedule
from schemas.reports import PeriodicReportSubmitted
from services.notify.domain import item as items
from services.notify.domain import reports
from services.notify.domain.routing import Directory
from services.notify.handlers.repository import AGENCIES, ITEMS, JUDGED, PLANS, REPORTS, ROUTE_ON, UNITS, Freezer, item_view
from services.notify.handlers.repository.items import apply
from services.notify.handlers.repository.policies import PolicyCache
from services.runtime.clock import Clock, local_today
from services.runtime.events import Cause, new_correlation_id
from services.runtime.eventlog import EventLog
from services.runtime.ports import ConcurrencyError, Store

async def record_reports(batch: list[Event], store: Store, events: EventLog) -> list[str]:
    """Remember each report received; resolve the item of a report that came late. The ids of the items resolved."""
    resolved = []
    for event in batch:
        p = event.payload
        if not isinstance(p, PeriodicReportSubmitted):
            continue
        await store.put(REPORTS, p.report_id, {"report_id": p.report_id, "submitted_on": p.submitted_on.isoformat()})
        view = await store.get(ITEMS, reports.PREFIX + p.report_id)
        if view and view["open"]:
            cause = Cause("notify", event.envelope.correlation_id, str(event.envelope.event_id))
            appended, _ = await apply(store, events, view, lambda item: items.resolve(item, "report_submitted", p.submitted_on), cause,
                                      **{ROUTE_ON: p.submitted_on.isoformat()})
            resolved += [view["item_id"]] if appended else []
    return resolved


async def start_missing_reports(store: Store, events: EventLog, clock: Clock, weekends_off: bool = True) -> list[str]:
    today, started = local_today(clock.now()), []
    judged = {d["key"]: d["through"] for d in await store.find(JUDGED)}
    directory: Directory | None = None
    cache = PolicyCache(store, weekends_off)
    for plan in await store.find(PLANS):
        for raw in plan.get("reporting_schedules") or ():
            schedule = ReportingSchedule.model_validate(raw)
            key = f"{plan['plan_id']}:{schedule.schedule_id}"
            closed = [(period, due) for period, due in reports.missed_periods(schedule, date.fromisoformat(plan["issued_on"]), today)
                      if period > judged.get(key, "")]
            if not closed:
                continue
            directory = directory or Directory.of(await store.find(UNITS), await store.find(AGENCIES))
            bound = reports.reporters(schedule, *directory.below(directory.current(plan["unit_id"])))
            owed = [reports.Owed(plan["plan_id"], schedule.schedule_id, period, who, due) for period, due in closed for who in bound]
            received = {r["report_id"] for r in await store.find(REPORTS, report_id=[o.report_id for o in owed])} if owed else set()
            started += await _start(store, events, [o for o in owed if o.report_id not in received], directory, cache, today)
            await store.put(JUDGED, key, {"key": key, "through": closed[-1][0]})
    return started


async def _start(store: Store, events: EventLog, missing: list[reports.Owed], directory: Directory, cache: PolicyCache,
                 today: date) -> list[str]:
    """The missing reports' items, appended together (one transaction); if any was started before (the judged mark was
    lost), one by one, so nothing is started twice."""
    if not missing:
        return []
    starts = [await _started(owed, directory, cache, today) for owed in missing]
    freezer = Freezer()
    try:
        async with store.transaction():
            await events.append_many([(items.stream_of(s.item_id), 0, payloads, Cause("notify.reports", new_correlation_id()))
                                      for s, payloads in starts])
            await _keep(store, starts, freezer, today)
        return [s.item_id for s, _ in starts]
    except ConcurrencyError:
        pass
    appended = []
    for start, payloads in starts:
        try:
            async with store.transaction():
                await events.append(items.stream_of(start.item_id), 0, payloads, Cause("notify.reports", new_correlation_id()))
                await _keep(store, [(start, payloads)], freezer, today)
            appended.append(start.item_id)
        except ConcurrencyError:
            continue  # started before: nothing twice
    return appended


async def _started(owed: reports.Owed, directory: Directory, cache: PolicyCache, today: date) -> tuple[EscalationStarted, list]:
    unit_id = owed.owner if owed.by_unit else (directory.agencies.get(owed.owner) or {}).get("unit_id", owed.owner)
    policy = await cache.get(owed.plan_id, unit_id)
    start = EscalationStarted(item_id=owed.item_id, task_id=owed.item_id, plan_id=owed.plan_id, unit_id=unit_id, agency_id=owed.owner,
                              due=owed.due, period=owed.period, cause_event_id=owed.cause_id,
                              policy=reports.unit_report_policy(policy) if owed.by_unit else policy)
    return start, items.start(start, today)


async def _keep(store: Store, starts: list[tuple[EscalationStarted, list]], freezer: Freezer, today: date) -> None:
    """The started items' views (and the policies frozen into them), in the transaction that appends them."""
    views = {}
    for start, payloads in starts:
        item = items.Item(items.stream_of(start.item_id), len(payloads), start, rung=max((p.rung for p in payloads[1:]), default=0))
        views[start.item_id] = {**item_view(item, freezer.started(start)), "parent_task_id": None, ROUTE_ON: today.isoformat()}
    await freezer.store(store)
    await store.bulk_put(ITEMS, views)

"""A missed deadline starts an escalation item with the policy in force frozen into it; completion resolves the task's items.

Idempotent: an item's stream starts at version 0, so a redelivered or replayed DeadlineMissed meets a taken
version and changes nothing; a second TaskCompleted finds nothing open.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from schemas.catalog import Event
from schemas.notify import EscalationStarted
from schemas.tasks import DeadlineMissed, MissKind, StatusReported, TaskCompleted, TaskDeadlineChanged
from services.notify.domain import item as items
from services.notify.handlers.repository.items import apply
from services.notify.handlers.repository.policies import PolicyCache
from services.notify.handlers.repository import (
    AGENCIES, ITEMS, OPEN_PERIOD, ROUTE_ON, TASK_CHANGES, TASKS, Freezer, count, item_view, load_item, routing_changed, with_reminders,
)
from services.runtime.clock import Clock, local_today
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import ConcurrencyError, JsonDocument, Store


def _started(missed: DeadlineMissed, event_id: str, agency_unit: str | None, task: dict | None, policy) -> EscalationStarted:
    period = missed.period if missed.kind == MissKind.period else None  # a recurring task escalates per missed period
    original = (task or {}).get("original_due")
    return EscalationStarted(
        item_id=items.item_id_of(missed.task_id, missed.due, period), task_id=missed.task_id, plan_id=missed.plan_id,
        unit_id=agency_unit or missed.unit_id, agency_id=missed.lead, due=missed.due,
        original_due=date.fromisoformat(original) if isinstance(original, str) else original, period=period,
        cause_event_id=event_id, policy=policy,
    )


@dataclass(frozen=True)
class _Start:
    started: EscalationStarted
    payloads: list
    cause: Cause
    parent_task_id: str | None
    rung: int  # the rung reached at the start
    climbs_on: date | None  # the day it next climbs (items.Starts)

    def view(self, freezer: Freezer, today: date) -> JsonDocument:
        """The new item's view (JSON values only: the store encodes it as it is)."""
        s = self.started
        item = items.Item(items.stream_of(s.item_id), len(self.payloads), s, rung=self.rung)
        return JsonDocument(item_view(item, freezer.started(s), climbs_on=self.climbs_on), parent_task_id=self.parent_task_id,
                            **{ROUTE_ON: today.isoformat()})


async def start_items(batch: list[Event], store: Store, events: EventLog, clock: Clock, weekends_off: bool = True) -> list[str]:
    """One item per missed deadline (or missed period), started at the rung it has already reached. The batch's items are
    appended together (one append, one transaction); if any was started before (a redelivery), one by one."""
    today = local_today(clock.now())
    starts = await _starts(batch, store, today, PolicyCache(store, weekends_off))
    if not starts:
        return []
    freezer = Freezer()
    try:
        async with store.transaction():
            await events.append_many([(items.stream_of(s.started.item_id), 0, s.payloads, s.cause) for s in starts])
            views = {s.started.item_id: s.view(freezer, today) for s in starts}
            await freezer.store(store)
            await store.bulk_put(ITEMS, views)
            await count(store, "deadline_missed_received", len(starts))
        return [s.started.item_id for s in starts]
    except ConcurrencyError:
        return await _one_by_one(starts, store, events, freezer, today)


async def _starts(batch: list[Event], store: Store, today: date, cache: PolicyCache) -> list[_Start]:
    found: dict[str, _Start] = {}
    misses = [e for e in batch if isinstance(e.payload, DeadlineMissed)]
    if not misses:
        return []
    agencies = {a["agency_id"]: a for a in await store.find(AGENCIES, agency_id=sorted({e.payload.lead for e in misses}))}
    tasks = {t["task_id"]: t for t in await store.find(TASKS, task_id=sorted({e.payload.task_id for e in misses}))}
    ladders = items.Starts(today)
    for event in misses:
        missed, event_id = event.payload, str(event.envelope.event_id)
        agency, task = agencies.get(missed.lead), tasks.get(missed.task_id)
        unit_id = (task or {}).get("transferred_to") or (agency["unit_id"] if agency else missed.unit_id)  # a transferred task's unit
        start = _started(missed, event_id, unit_id, task, await cache.get(missed.plan_id, unit_id))
        if start.item_id not in found:  # the same event twice in one batch: once
            payloads, rung, climbs_on = ladders.start(start)
            found[start.item_id] = _Start(start, payloads, Cause("notify", event.envelope.correlation_id, event_id),
                                          (task or {}).get("parent_task_id"), rung, climbs_on)
    return list(found.values())


async def _one_by_one(starts: list[_Start], store: Store, events: EventLog, freezer: Freezer, today: date) -> list[str]:
    started, views = [], {}
    async with store.transaction():
        for s in starts:
            item_id = s.started.item_id
            try:
                async with store.transaction():
                    await events.append(items.stream_of(item_id), 0, s.payloads, s.cause)
                views[item_id] = s.view(freezer, today)
                started.append(item_id)
            except ConcurrencyError:
                await count(store, "deadline_missed_duplicates")
                if await store.get(ITEMS, item_id) is None:  # stored, view lost (no transactions)
                    item = await load_item(events, items.stream_of(item_id))
                    views[item_id] = {**item_view(item, freezer.started(item.started)), "parent_task_id": s.parent_task_id,
                                      ROUTE_ON: today.isoformat()}
        if views:
            await freezer.store(store)
            await store.bulk_put(ITEMS, views)
        if started:
            await count(store, "deadline_missed_received", len(started))
    return started


async def resolve_completed(batch: list[Event], store: Store, events: EventLog) -> list[str]:
    """TaskCompleted resolves every open item of the task; a report for a period resolves that period's item; a new
    deadline resolves the item of the old one (a new DeadlineMissed comes if the new one passes too)."""
    resolved: list[str] = []
    periods = {_period_item(e) for e in batch if isinstance(e.payload, StatusReported) and e.payload.period}
    # one query, by item_id alone (unique): with `open=True` beside a long list, SQLite's sampled statistics (a few
    # hundred open items per value, where there are 100k) made it walk every open item instead (≈ 120 ms a batch)
    waiting = {v["item_id"]: v for v in await store.find(ITEMS, item_id=sorted(periods)) if v["open"]} if periods else {}
    for event in batch:
        p, cause = event.payload, Cause("notify", event.envelope.correlation_id, str(event.envelope.event_id))
        day = event.envelope.occurred_at.date()
        if isinstance(p, TaskCompleted):
            await _task_changes(store, p.task_id, done=True)
            resolved += await _resolve(store, events, await store.find(ITEMS, task_id=p.task_id, open=True), "completed", p.completed_on, cause)
        elif isinstance(p, StatusReported) and p.period:
            view = waiting.pop(_period_item(event), None)  # a second report for the period finds it resolved already
            resolved += await _resolve(store, events, [view] if view else [], "period_reported", day, cause)
        elif isinstance(p, TaskDeadlineChanged):
            await _task_changes(store, p.task_id, due=p.new_due.isoformat(), due_changed=True, **({"original_due": p.original_due.isoformat()} if p.original_due else {}))
            stale = [v for v in await store.find(ITEMS, task_id=p.task_id, open=True) if not v.get("period") and v["due"] < p.new_due.isoformat()]
            resolved += await _resolve(store, events, stale, "deadline_changed", day, cause)
    return resolved


PERIODS_MARKED = "notify.open-period.v1"  # position: open items written before their views kept OPEN_PERIOD got it
MAX_OPEN_PERIODS = 1_000_000


async def open_period_items(store: Store) -> list[dict]:
    """The open items that name a period (those a status report may resolve), read by their index. Once per store, the
    open items written before views kept OPEN_PERIOD get it: one read of every open item, in one transaction."""
    if not await store.get_position(PERIODS_MARKED):
        async with store.transaction():
            views = await store.find(ITEMS, open=True)
            marked = {v["item_id"]: {**v, OPEN_PERIOD: v["period"]} for v in views if v.get("period") and OPEN_PERIOD not in v}
            await store.bulk_put(ITEMS, marked)
            await store.set_position(PERIODS_MARKED, 1)
        del views, marked
    return await store.find_lowest(ITEMS, OPEN_PERIOD, MAX_OPEN_PERIODS)


def _period_item(event: Event) -> str:
    return items.item_id_of(event.payload.task_id, event.envelope.occurred_at.date(), event.payload.period)


async def _task_changes(store: Store, task_id: str, **changes) -> None:
    task = await store.get(TASKS, task_id) or {"task_id": task_id}
    if any(task.get(k) != v for k, v in changes.items()):
        await store.put(TASKS, task_id, with_reminders({**task, **changes}))
        if "due" in changes:  # a reminder may be due before the new date
            await routing_changed(store, TASK_CHANGES)


async def _resolve(store: Store, events: EventLog, views: list[dict], reason: str, day: date, cause: Cause) -> list[str]:
    resolved = []
    for view in views:
        appended, _ = await apply(store, events, view, lambda item: items.resolve(item, reason, day), cause, **{ROUTE_ON: day.isoformat()})
        if appended:
            resolved.append(view["item_id"])
    return resolved


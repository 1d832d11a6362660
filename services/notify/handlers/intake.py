"""A missed deadline starts an escalation item with the policy in force frozen into it; completion resolves the task's items.

Idempotent: an item's stream starts at version 0, so a redelivered or replayed DeadlineMissed meets a taken
version and changes nothing; a second TaskCompleted finds nothing open.
"""
from __future__ import annotations

from datetime import date

from schemas.catalog import Event
from schemas.notify import EscalationStarted
from schemas.tasks import DeadlineMissed, TaskCompleted
from services.notify.domain import item as items
from services.notify.handlers.item_writes import apply
from services.notify.handlers.policies import PolicyCache
from services.notify.handlers.repository import AGENCIES, ITEMS, TASKS, count, item_view
from services.runtime.clock import Clock, local_today
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import ConcurrencyError, Store


def _started(missed: DeadlineMissed, event_id: str, agency_unit: str | None, task: dict | None, policy) -> EscalationStarted:
    period = getattr(missed, "period", None)
    original = (task or {}).get("original_due") or getattr(missed, "original_due", None)
    return EscalationStarted(
        item_id=items.item_id_of(missed.task_id, missed.due, period), task_id=missed.task_id, plan_id=missed.plan_id,
        unit_id=agency_unit or missed.unit_id, agency_id=missed.lead, due=missed.due,
        original_due=date.fromisoformat(original) if isinstance(original, str) else original, period=period,
        cause_event_id=event_id, policy=policy,
    )


async def start_items(batch: list[Event], store: Store, events: EventLog, clock: Clock) -> list[str]:
    """One item per missed deadline (or missed period), started at the rung it has already reached."""
    today, started, cache = local_today(clock.now()), [], PolicyCache(store)
    async with store.transaction():
        for event in batch:
            if not isinstance(event.payload, DeadlineMissed):
                continue
            missed, event_id = event.payload, str(event.envelope.event_id)
            agency = await store.get(AGENCIES, missed.lead)
            unit_id = agency["unit_id"] if agency else missed.unit_id
            task = await store.get(TASKS, missed.task_id)
            start = _started(missed, event_id, unit_id, task, await cache.get(missed.plan_id, unit_id))
            payloads = items.start(start, today)
            try:
                async with store.transaction():
                    await events.append(items.stream_of(start.item_id), 0, payloads, Cause("notify", event.envelope.correlation_id, event_id))
                    item = items.Item(items.stream_of(start.item_id), len(payloads), start, rung=max((p.rung for p in payloads[1:]), default=0))
                    await store.put(ITEMS, start.item_id, {**item_view(item), "parent_task_id": (task or {}).get("parent_task_id")})
                started.append(start.item_id)
            except ConcurrencyError:
                await count(store, "deadline_missed_duplicates")
        if started:
            await count(store, "deadline_missed_received", len(started))
    return started


async def resolve_completed(batch: list[Event], store: Store, events: EventLog) -> list[str]:
    """TaskCompleted resolves every open item of the task: nothing more is sent about it."""
    resolved: list[str] = []
    for event in batch:
        if not isinstance(event.payload, TaskCompleted):
            continue
        done: TaskCompleted = event.payload
        task = await store.get(TASKS, done.task_id)
        if task is None or not task.get("done"):
            await store.put(TASKS, done.task_id, {**(task or {"task_id": done.task_id}), "done": True})
        cause = Cause("notify", event.envelope.correlation_id, str(event.envelope.event_id))
        for view in await store.find(ITEMS, task_id=done.task_id, open=True):
            appended, _ = await apply(store, events, view, lambda item: items.resolve(item, "completed", done.completed_on), cause)
            if appended:
                resolved.append(view["item_id"])
    return resolved


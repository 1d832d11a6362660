"""The ladder climbs: every item whose `climb_on` day has come (an index range, lowest first) records the rung reached.

An item scheduled too early (`climb_on` is a lower bound for long pause histories) gets its day again from its state
and waits for it; nothing is read for items whose day has not come.
"""
from __future__ import annotations

from services.notify.domain import item as items
from services.notify.handlers.repository.items import apply
from services.notify.handlers.repository import (
    CLIMB_ON, DELIVERIES, ITEMS, REMIND_FROM, RETRY_AT, ROUTE_ON, TASKS, PolicyMemo, item_of, refreshed, with_reminders,
)
from services.runtime.clock import Clock, local_today
from services.runtime.events import Cause, new_correlation_id
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store

MAX_DUE = 1_000_000  # items looked at in one pass
SCHEDULED = "notify.schedule.v1"  # position name: views and deliveries written before the schedule fields got them
WINDOWED = "notify.reminder-window.v1"  # position name: tasks written before `remind_from` got it


async def climb_items(store: Store, events: EventLog, clock: Clock) -> list[str]:
    today = local_today(clock.now())
    raised: list[str] = []
    rescheduled: dict[str, dict] = {}
    due = await store.find_lowest(ITEMS, CLIMB_ON, MAX_DUE, upto=today.isoformat())
    memo = await PolicyMemo.of(store)  # read after the items: every policy they name is stored by then
    for view in due:
        item = item_of(view, memo)
        if not items.climb(item, today):
            rescheduled[view["item_id"]] = refreshed(view, item)
            continue
        cause = Cause("notify.ladder", new_correlation_id(), view["started"]["cause_event_id"])
        appended, _ = await apply(store, events, view, lambda item: items.climb(item, today), cause, memo,
                                    **{ROUTE_ON: today.isoformat()})
        raised += [p.escalation_id for p in appended]
    if rescheduled:
        await store.bulk_put(ITEMS, rescheduled)
    return raised


async def schedule_old_views(store: Store) -> int:
    """Once per store: open items and pending deliveries written before the schedule's fields existed get them, and
    tasks their reminder window."""
    count = 0
    if not await store.get_position(WINDOWED):
        tasks = {t["task_id"]: with_reminders(t) for t in await store.find(TASKS, done=False) if REMIND_FROM not in t}
        async with store.transaction():
            await store.bulk_put(TASKS, tasks)
            await store.set_position(WINDOWED, 1)
        count += len(tasks)
    if await store.get_position(SCHEDULED):
        return count
    found = [v for v in await store.find(ITEMS, open=True) if CLIMB_ON not in v]
    memo = await PolicyMemo.of(store)  # read after the items: every policy they name is stored by then
    views = {v["item_id"]: refreshed(v, item_of(v, memo)) for v in found}
    pending = {d["delivery_id"]: {**d, RETRY_AT: d["next_attempt_at"]} for d in await store.find(DELIVERIES, status="pending") if RETRY_AT not in d}
    async with store.transaction():
        await store.bulk_put(ITEMS, views)
        await store.bulk_put(DELIVERIES, pending)
        await store.set_position(SCHEDULED, 1)
    return count + len(views) + len(pending)

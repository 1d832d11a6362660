"""The ladder climbs: every open item that has reached a higher rung of its frozen policy records it."""
from __future__ import annotations

from services.notify.domain import item as items
from services.notify.handlers.repository.items import apply
from services.notify.handlers.repository import ITEMS, PolicyMemo, item_of
from services.runtime.clock import Clock, local_today
from services.runtime.events import Cause, new_correlation_id
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store


async def climb_items(store: Store, events: EventLog, clock: Clock) -> list[str]:
    today = local_today(clock.now())
    raised: list[str] = []
    memo = PolicyMemo()
    for view in await store.find(ITEMS, open=True):
        if not items.climb(item_of(view, memo), today):
            continue  # nothing to load or write
        cause = Cause("notify.ladder", new_correlation_id(), view["started"]["cause_event_id"])
        appended, _ = await apply(store, events, view, lambda item: items.climb(item, today), cause)
        raised += [p.escalation_id for p in appended]
    return raised

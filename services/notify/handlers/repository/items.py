"""Append an item's decision and keep its view in the same transaction; on a conflict, reload the stream and decide again."""
from __future__ import annotations

from typing import Callable

from services.notify.domain import item as items
from services.notify.handlers.repository import ITEMS, PolicyMemo, item_of, load_item, refreshed
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import ConcurrencyError, Store


async def apply(store: Store, events: EventLog, view: dict, decide: Callable[[items.Item], list], cause: Cause,
                memo: PolicyMemo | None = None, **changes) -> tuple[list, dict]:
    """(the events appended, the new view). Errors raised by `decide` (refusals) pass through unchanged. `memo`: the
    caller's frozen policies when it applies to many items (read after their views), else they are read here."""
    item, reloaded = item_of(view, memo or await PolicyMemo.of(store)), False
    for _ in range(3):
        payloads = decide(item)
        if not payloads:
            if reloaded:  # the view lagged behind its stream: bring it up to date
                view = refreshed(view, item)
                await store.put(ITEMS, view["item_id"], view)
            return [], view
        try:
            async with store.transaction():
                appended = await events.append(item.stream_id, item.version, payloads, cause)
                for envelope in appended:
                    item = items.evolve(item, envelope)
                view = {**refreshed(view, item), **changes}
                await store.put(ITEMS, view["item_id"], view)
            return payloads, view
        except ConcurrencyError:
            item, reloaded = await load_item(events, item.stream_id), True
    raise RuntimeError(f"item {view['item_id']!r} kept moving; try again")

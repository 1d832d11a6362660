"""Reorganisations from plans' directory: the open tasks of units that cease move to their successors."""
from __future__ import annotations

from datetime import date

from schemas.catalog import Event
from schemas.directory import UnitLevelAbolished, UnitsMerged, UnitSplit, successors
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import ConcurrencyError, Store
from services.tasks.domain.transfers import transfer
from services.tasks.handlers.repository import TASKS, decide_and_save


async def transfer_tasks(batch: list[Event], store: Store, events: EventLog) -> int:
    moved = 0
    for event in batch:
        payload = event.payload
        if not isinstance(payload, (UnitsMerged, UnitSplit, UnitLevelAbolished)):
            continue
        successor_of = successors(payload)
        effective_on: date = payload.effective_on
        cause = Cause("tasks.reorganisation", event.envelope.correlation_id, str(event.envelope.event_id))
        for doc in await store.find(TASKS, unit_id=sorted(successor_of), open=True):
            try:
                moved += len(await decide_and_save(store, events, doc["task_id"], lambda t: transfer(
                    t, successor_of, effective_on, type(payload).__name__), cause))
            except ConcurrencyError:
                continue  # moved on meanwhile; a redelivery moves it then
    return moved

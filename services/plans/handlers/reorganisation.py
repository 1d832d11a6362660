"""Reorganise the directory: load the units a decision needs, decide, append to the reorganisations stream, update entries."""
from __future__ import annotations

from datetime import date
from typing import Sequence

from schemas.directory import AbolishLevel, MergeUnits, MoveUnit, RenameUnit, SplitUnit
from schemas.envelope import Payload
from services.plans.domain import reorganisation as decide
from services.plans.domain.history import as_of, changes
from services.plans.handlers.directory import UNITS
from services.plans.handlers.issue import ancestors
from services.runtime.clock import Clock, local_today
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store

STREAM, STREAMS = "directory-reorganisations", "streams"


async def merge(command: MergeUnits, store: Store, events: EventLog, clock: Clock, cause: Cause) -> list[dict]:
    units = await _units(store, [*command.unit_ids, command.into])
    children = await _children(store, command.unit_ids)
    return await _save(store, events, decide.merge(command, units, children, local_today(clock.now())), cause)


async def split(command: SplitUnit, store: Store, events: EventLog, clock: Clock, cause: Cause) -> list[dict]:
    units = await _units(store, [command.unit_id, *command.into])
    children = await _children(store, [command.unit_id])
    return await _save(store, events, decide.split(command, units, children, local_today(clock.now())), cause)


async def rename(unit_id: str, command: RenameUnit, store: Store, events: EventLog, clock: Clock, cause: Cause) -> list[dict]:
    return await _save(store, events, decide.rename(unit_id, command, await _units(store, [unit_id]), local_today(clock.now())), cause)


async def move(unit_id: str, command: MoveUnit, store: Store, events: EventLog, clock: Clock, cause: Cause) -> list[dict]:
    units = await _units(store, [unit_id, command.parent_id])
    return await _save(store, events, decide.move(unit_id, command, units, local_today(clock.now())), cause)


async def abolish_level(command: AbolishLevel, store: Store, events: EventLog, clock: Clock, cause: Cause) -> list[dict]:
    ceasing = [u for u in await store.find(UNITS, level=command.level.value) if not u.get("ceased_on")]
    units = await _units(store, [*(u["unit_id"] for u in ceasing), *(s.successor_id for s in command.successions)])
    children = await _children(store, [u["unit_id"] for u in ceasing])
    return await _save(store, events, decide.abolish_level(command, ceasing, units, children, local_today(clock.now())), cause)


async def directory_on(store: Store, day: date, level: str | None = None) -> list[dict]:
    """The units as they stood on `day` (names and parents of that day), the historic tree as well as the current."""
    found = await store.find(UNITS, **({"level": level} if level else {}))
    return [entry for doc in found if (entry := as_of(doc, day))]


async def _units(store: Store, unit_ids: Sequence[str]) -> dict[str, dict]:
    """The units named and every unit above them."""
    units: dict[str, dict] = {}
    for unit_id in dict.fromkeys(unit_ids):
        for known in [unit_id, *await ancestors(store, unit_id)]:
            if known not in units and (doc := await store.get(UNITS, known)):
                units[known] = doc
    return units


async def _children(store: Store, unit_ids: Sequence[str]) -> list[dict]:
    return [c for c in await store.find(UNITS, parent_id=list(unit_ids)) if not c.get("ceased_on")] if unit_ids else []


async def _save(store: Store, events: EventLog, payloads: list[Payload], cause: Cause) -> list[dict]:
    async with store.transaction():
        position = await store.get(STREAMS, STREAM) or {"version": 0}
        await events.append(STREAM, position["version"], payloads, cause)
        await store.put(STREAMS, STREAM, {"version": position["version"] + len(payloads)})
        for payload in payloads:
            for unit_id, change in changes(payload).items():
                if (doc := await store.get(UNITS, unit_id)) is not None:
                    await store.put(UNITS, unit_id, change(doc))
    return [{"event_type": type(p).__name__, **p.model_dump(mode="json")} for p in payloads]

"""Register units and agencies: load what the decision needs, decide, append and keep the directory view."""
from __future__ import annotations

from schemas.directory import RegisterAgency, RegisterUnit
from services.plans.domain import directory
from services.plans.handlers.repository import AGENCIES, UNITS
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store


async def register_unit(command: RegisterUnit, store: Store, events: EventLog, cause: Cause) -> dict:
    existing = await store.get(UNITS, command.unit_id)
    parent = await store.get(UNITS, command.parent_id) if command.parent_id else None
    payloads = directory.register_unit(command, existing, parent)
    view = command.model_dump(mode="json")
    async with store.transaction():
        await events.append(f"unit-{command.unit_id}", 0, payloads, cause)
        await store.put(UNITS, command.unit_id, view)
    return view


async def register_agency(command: RegisterAgency, store: Store, events: EventLog, cause: Cause) -> dict:
    existing = await store.get(AGENCIES, command.agency_id)
    unit = await store.get(UNITS, command.unit_id)
    payloads = directory.register_agency(command, existing, unit)
    view = command.model_dump(mode="json")
    async with store.transaction():
        await events.append(f"agency-{command.agency_id}", 0, payloads, cause)
        await store.put(AGENCIES, command.agency_id, view)
    return view

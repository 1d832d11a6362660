"""notify's own copy of what it needs from plans: units (parent, head), agencies (unit, head title), plans (number, title)."""
from __future__ import annotations

from schemas.catalog import Event
from schemas.directory import AgencyRegistered, UnitRegistered
from schemas.plans import PlanIssued
from services.notify.handlers.repository import AGENCIES, PLANS, UNITS
from services.runtime.ports import Store


async def learn_directory(batch: list[Event], store: Store) -> int:
    """Keep the latest of each; applying an event twice writes the same document."""
    docs: dict[str, dict[str, dict]] = {UNITS: {}, AGENCIES: {}, PLANS: {}}
    for event in batch:
        p = event.payload
        if isinstance(p, UnitRegistered):
            docs[UNITS][p.unit_id] = {"unit_id": p.unit_id, "name": p.name, "level": p.level.value, "parent_id": p.parent_id,
                                      "head_title": p.head_title, "head_name": p.head_name}
        elif isinstance(p, AgencyRegistered):
            docs[AGENCIES][p.agency_id] = {"agency_id": p.agency_id, "unit_id": p.unit_id, "name": p.name,
                                           "head_title": p.head_title, "head_name": p.head_name}
        elif isinstance(p, PlanIssued):
            docs[PLANS][p.plan_id] = {"plan_id": p.plan_id, "unit_id": p.unit_id, "number": p.number, "title": p.title}
    async with store.transaction():
        for collection, found in docs.items():
            if found:
                await store.bulk_put(collection, found)
    return sum(len(found) for found in docs.values())

"""Which agency is the standing body of which unit (registered with standing_body), learnt from plans' events.

Until the roles of the trust issue land, the standing body's agency credential stands for both the standing body and
the chairman of its unit (entrypoints/deps.py `standing_body`).
"""
from __future__ import annotations

from schemas.catalog import Event
from schemas.directory import AgencyRegistered
from services.runtime.ports import Store

STANDING_BODIES = "standing_bodies"


async def remember_standing_bodies(batch: list[Event], store: Store) -> None:
    for event in batch:
        payload = event.payload
        if isinstance(payload, AgencyRegistered) and payload.standing_body:
            await store.put(STANDING_BODIES, payload.agency_id, {"agency_id": payload.agency_id, "unit_id": payload.unit_id})


async def unit_of_standing_body(store: Store, agency_id: str) -> str | None:
    body = await store.get(STANDING_BODIES, agency_id)
    return body["unit_id"] if body else None

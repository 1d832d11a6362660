"""Who may decide for a unit: its standing body (the agency registered with standing_body), learnt from plans' events.

Until the roles of the trust issue land, the standing body's agency credential stands for both the standing body and
the chairman of the unit; switch `authorise_for_unit` to the role check then.
"""
from __future__ import annotations

from schemas.catalog import Event
from schemas.directory import AgencyRegistered
from schemas.rejections import Forbidden
from services.runtime.ports import Store

STANDING_BODIES = "standing_bodies"


async def remember_standing_bodies(batch: list[Event], store: Store) -> None:
    for event in batch:
        payload = event.payload
        if isinstance(payload, AgencyRegistered) and payload.standing_body:
            await store.put(STANDING_BODIES, payload.agency_id, {"agency_id": payload.agency_id, "unit_id": payload.unit_id})


async def authorise_for_unit(store: Store, agency_id: str, unit_id: str, what: str) -> None:
    body = await store.get(STANDING_BODIES, agency_id)
    if body is None or body["unit_id"] != unit_id:
        raise Forbidden(f"only the standing body (or chairman) of unit {unit_id!r} can {what}")

"""HTTP API of notify: heads' contacts, and the notifications sent (or not yet) with their messages.

Contacts and recipients are personal data: administrators, and a unit's standing body for its unit and below.
"""
from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from schemas.notify import Responsibility
from services.notify import views
from services.notify.entrypoints.deps import Delivery
from services.notify.entrypoints.scope import PersonalData, check_within, within
from services.runtime.auth import Admin
from services.runtime.http import Runtime
from services.notify.handlers.contacts import CONTACTS, RegisterContact, register_contact

router = APIRouter()


@router.post("/contacts", status_code=201)
async def post_contact(body: RegisterContact, rt: Runtime, who: PersonalData, delivery: Delivery) -> dict:
    await check_within(rt.store, who, body.model_dump())
    contact = await register_contact(body, rt.store, rt.clock.now(), actor=who.actor)
    delivery.wake()  # escalations that had nobody to go to may go now
    return contact


@router.get("/contacts")
async def list_contacts(rt: Runtime, who: PersonalData, agency_id: str | None = None, unit_id: str | None = None, role: Responsibility | None = None) -> list[dict]:
    where = {k: v for k, v in {"agency_id": agency_id, "unit_id": unit_id, "role": role.value if role else None}.items() if v}
    return await within(rt.store, who, await rt.store.find(CONTACTS, **where))


@router.get("/notifications")
async def list_notifications(
    rt: Runtime, who: PersonalData, agency_id: str | None = None, status: Literal["pending", "delivered", "undeliverable"] | None = None
) -> list[dict]:
    return await within(rt.store, who, await views.list_notifications(rt.store, agency_id, status))


@router.get("/notifications/{escalation_id}")
async def get_notification(escalation_id: str, rt: Runtime, who: PersonalData) -> dict:
    notification = await views.get_notification(rt.store, escalation_id)
    await check_within(rt.store, who, notification)
    return notification


@router.get("/stats")
async def get_stats(rt: Runtime, admin: Admin) -> dict:
    """DeadlineMissed received and redeliveries ignored; notifications by status."""
    return await views.stats(rt.store)

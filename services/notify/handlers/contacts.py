"""Heads' contacts: personal data kept in notify's own store only, never in an event.

One contact per role holder: `<agency_id>.agency_head` or `<unit_id>.unit_head`. plans hands them over when an
agency or unit is registered with its head's contact (PUT, idempotent); an administrator may also register them.
"""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from schemas.directory import HeadContact
from schemas.notify import Responsibility
from schemas.rejections import Invalid
from services.notify.domain.webhook import check_url
from services.notify.handlers.repository import CONTACTS, routing_changed
from services.runtime.ports import Store


class ContactDetails(HeadContact):
    channel: Literal["email", "webhook", "inbox"] = "email"
    name: str | None = Field(default=None, min_length=1, max_length=200)
    webhook_url: str | None = Field(default=None, max_length=2000)
    reminder_days: list[int] | None = Field(default=None, max_length=10, description="days before due to be reminded (default 7, 3, 1, 0)")


class RegisterContact(ContactDetails):
    """Command (compatible with the first API): the head of an agency or the chairman of a unit, and how to reach them."""

    contact_id: str | None = Field(default=None, min_length=1, max_length=150, pattern=r"^[A-Za-z0-9_.:-]+$")
    agency_id: str | None = Field(default=None, min_length=1, max_length=100)
    unit_id: str | None = Field(default=None, min_length=1, max_length=100)
    role: Responsibility


def contact_id_of(role: Responsibility, owner: str) -> str:
    return f"{owner}.{role.value}"


def _check(details: ContactDetails, allowed_hosts: list[str]) -> None:
    if details.channel == "email" and not details.email:
        raise Invalid("an e-mail address is needed when the channel is email", field="email")
    if details.channel == "webhook" and not details.webhook_url:
        raise Invalid("a webhook URL is needed when the channel is webhook", field="webhook_url")
    if details.webhook_url:
        check_url(details.webhook_url, allowed_hosts)
    if details.reminder_days and any(d < 0 or d > 60 for d in details.reminder_days):
        raise Invalid("reminder days are whole days between 0 and 60 before due", field="reminder_days")


async def put_contact(store: Store, role: Responsibility, owner: str, details: ContactDetails, now: datetime,
                      allowed_hosts: list[str], actor: str | None = None) -> dict:
    _check(details, allowed_hosts)
    contact_id = contact_id_of(role, owner)
    existing = await store.get(CONTACTS, contact_id) or {}
    doc = {**existing, **details.model_dump(mode="json", exclude_unset=False), "contact_id": contact_id, "role": role.value,
           "agency_id": owner if role == Responsibility.agency_head else None,
           "unit_id": owner if role == Responsibility.unit_head else None, "registered_at": now.isoformat(),
           "registered_by": actor}
    if details.name is None and existing.get("name"):
        doc["name"] = existing["name"]
    await store.put(CONTACTS, contact_id, doc)
    await routing_changed(store)
    return doc


async def register_contact(command: RegisterContact, store: Store, now: datetime, allowed_hosts: list[str] = (),
                           actor: str | None = None) -> dict:
    if command.role == Responsibility.agency_head:
        if not command.agency_id or command.unit_id:
            raise Invalid("the head of an agency is registered with agency_id (and no unit_id)", field="agency_id")
        owner = command.agency_id
    else:
        if not command.unit_id or command.agency_id:
            raise Invalid("the chairman of a unit is registered with unit_id (and no agency_id)", field="unit_id")
        owner = command.unit_id
    details = ContactDetails(**command.model_dump(include=set(ContactDetails.model_fields)))
    return await put_contact(store, command.role, owner, details, now, list(allowed_hosts), actor)

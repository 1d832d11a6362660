"""Heads' contacts: personal data kept in notify's own store only, never in an event."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from schemas.notify import Responsibility
from schemas.rejections import Invalid
from services.notify.handlers.repository import CONTACTS, contact_for  # noqa: F401  (contact_for re-exported)
from services.runtime.ports import Store

_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL = re.compile(rf"^{_LOCAL}@{_LABEL}(?:\.{_LABEL})*$")


def _email(value: str) -> str:
    value = value.strip()
    if len(value) > 254 or not EMAIL.match(value):
        raise ValueError("not a valid e-mail address (expected name@domain)")
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


EmailAddress = Annotated[str, AfterValidator(_email)]


class RegisterContact(BaseModel):
    """Command: the head of an agency (agency_head) or the chairman of a unit (unit_head), and how to reach them."""

    model_config = ConfigDict(extra="forbid")

    contact_id: str | None = Field(default=None, min_length=1, max_length=150, pattern=r"^[A-Za-z0-9_.:-]+$")
    agency_id: str | None = Field(default=None, min_length=1, max_length=100)
    unit_id: str | None = Field(default=None, min_length=1, max_length=100)
    role: Responsibility
    name: str = Field(min_length=1, max_length=200)
    email: EmailAddress
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9][0-9 ().-]{5,24}$")


async def register_contact(command: RegisterContact, store: Store, now: datetime) -> dict:
    """Register or replace a contact; by default one per agency (or unit) and role."""
    if command.role == Responsibility.agency_head:
        if not command.agency_id or command.unit_id:
            raise Invalid("the head of an agency is registered with agency_id (and no unit_id)", field="agency_id")
        owner = command.agency_id
    else:
        if not command.unit_id or command.agency_id:
            raise Invalid("the chairman of a unit is registered with unit_id (and no agency_id)", field="unit_id")
        owner = command.unit_id
    contact_id = command.contact_id or f"{owner}.{command.role.value}"
    doc = {**command.model_dump(mode="json"), "contact_id": contact_id, "registered_at": now.isoformat()}
    await store.put(CONTACTS, contact_id, doc)
    return doc

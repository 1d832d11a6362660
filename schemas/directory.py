"""Events of the directory: administrative units and the agencies that belong to them."""
from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from schemas.envelope import Payload


class UnitLevel(str, Enum):
    province = "province"
    district = "district"
    commune = "commune"
    village = "village"


class UnitRegistered(Payload):
    unit_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    level: UnitLevel
    parent_id: str | None = None
    head_title: str = "Chủ tịch UBND"
    head_name: str | None = None


class AgencyRegistered(Payload):
    agency_id: str = Field(min_length=1)
    unit_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    head_title: str = Field(min_length=1)
    head_name: str | None = None
    standing_body: bool = False


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


class HeadContact(BaseModel):
    """How to reach a head. Part of a registration command only: plans hands it to notify's own store and it never
    enters an event (personal data stays out of the log)."""

    model_config = ConfigDict(extra="forbid")

    email: EmailAddress | None = None
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9][0-9 ().-]{5,24}$")
    channel: Literal["email", "inbox"] = "email"
    language: Literal["vi", "en"] = "vi"


class RegisterUnit(Payload):
    """Command: add an administrative unit to the directory."""

    unit_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    name: str = Field(min_length=1, max_length=300)
    level: UnitLevel
    parent_id: str | None = None
    head_title: str = Field(default="Chủ tịch UBND", min_length=1, max_length=200)
    head_name: str | None = Field(default=None, max_length=200)
    head_contact: HeadContact | None = Field(default=None, description="the chairman's contact: goes to notify only, never into an event")


class RegisterAgency(Payload):
    """Command: add an agency belonging to a unit, with the title and name of its head."""

    agency_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    unit_id: str = Field(min_length=1)
    name: str = Field(min_length=1, max_length=300)
    head_title: str = Field(min_length=1, max_length=200)
    head_name: str | None = Field(default=None, max_length=200)
    standing_body: bool = False
    head_contact: HeadContact | None = Field(default=None, description="the head's contact: goes to notify only, never into an event")

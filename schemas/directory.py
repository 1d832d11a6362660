"""Events of the directory: administrative units and the agencies that belong to them."""
from __future__ import annotations

from enum import Enum

from pydantic import Field

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


class RegisterUnit(Payload):
    """Command: add an administrative unit to the directory."""

    unit_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    name: str = Field(min_length=1, max_length=300)
    level: UnitLevel
    parent_id: str | None = Field(default=None, min_length=1, max_length=100)
    head_title: str = Field(default="Chủ tịch UBND", min_length=1, max_length=200)
    head_name: str | None = Field(default=None, max_length=200)


class RegisterAgency(Payload):
    """Command: add an agency belonging to a unit, with the title and name of its head."""

    agency_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    unit_id: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=300)
    head_title: str = Field(min_length=1, max_length=200)
    head_name: str | None = Field(default=None, max_length=200)
    standing_body: bool = False

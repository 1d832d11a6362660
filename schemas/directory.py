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

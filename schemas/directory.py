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


class WorkingGroupRole(str, Enum):
    """Place in the unit's Đề án 06 working group (Tổ công tác triển khai Đề án 06)."""

    leader = "leader"  # Tổ trưởng: the chairman of the People's Committee
    standing_deputy = "standing_deputy"  # Tổ phó thường trực: the head of the police of that level
    member = "member"  # Thành viên


class UnitRegistered(Payload):
    unit_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    level: UnitLevel
    parent_id: str | None = None
    head_title: str = "Chủ tịch UBND"
    head_name: str | None = None
    code: str | None = Field(default=None, description="official code of the unit (e.g. '04' Cao Bằng, '01392' Xã Trường Hà)")


class AgencyRegistered(Payload):
    agency_id: str = Field(min_length=1)
    unit_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    head_title: str = Field(min_length=1)
    head_name: str | None = None
    standing_body: bool = False
    working_group: WorkingGroupRole | None = None


class RegisterUnit(Payload):
    """Command: add an administrative unit to the directory."""

    unit_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    name: str = Field(min_length=1, max_length=300)
    level: UnitLevel
    parent_id: str | None = Field(default=None, min_length=1, max_length=100)
    head_title: str = Field(default="Chủ tịch UBND", min_length=1, max_length=200)
    head_name: str | None = Field(default=None, max_length=200)
    code: str | None = Field(default=None, max_length=20, pattern=r"^[0-9]+$", description="official code of the unit")


class RegisterAgency(Payload):
    """Command: add an agency belonging to a unit, with the title and name of its head."""

    agency_id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    unit_id: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=300)
    head_title: str = Field(min_length=1, max_length=200)
    head_name: str | None = Field(default=None, max_length=200)
    standing_body: bool = False
    working_group: WorkingGroupRole | None = None


class LoadDirectory(Payload):
    """Command: register many units and agencies at once (an administrator's bulk load; idempotent).

    Units are taken in order (a parent before its children, or already registered), then agencies.
    Items already registered are skipped; the whole batch is refused if any new item is invalid."""

    units: list[RegisterUnit] = Field(default_factory=list, max_length=5_000)
    agencies: list[RegisterAgency] = Field(default_factory=list, max_length=20_000)

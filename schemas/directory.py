"""Events of the directory: administrative units and the agencies that belong to them."""
from __future__ import annotations

import re
from datetime import date
from enum import Enum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from schemas.bounds import HeadTitle, Id, Key, Name, PersonName, UnitCode
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
    unit_id: Key
    name: Name
    level: UnitLevel
    parent_id: Key | None = None
    head_title: HeadTitle = "Chủ tịch UBND"
    head_name: PersonName | None = None
    code: UnitCode | None = Field(default=None, description="official code of the unit (e.g. '04' Cao Bằng, '01392' Xã Trường Hà)")
    established_on: date | None = Field(default=None, description="reorganisations dated before this are refused")


class AgencyRegistered(Payload):
    agency_id: Key
    unit_id: Key
    name: Name
    head_title: HeadTitle
    head_name: PersonName | None = None
    standing_body: bool = False
    working_group: WorkingGroupRole | None = None


_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL = re.compile(rf"^{_LOCAL}@{_LABEL}(?:\.{_LABEL})*$")


def _email(value: str) -> str:
    value = value.strip()
    if len(value) > 254 or not EMAIL.match(value):
        raise ValueError("not a valid e-mail address (expected name@domain)")
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


EmailAddress = Annotated[str, Field(max_length=254), AfterValidator(_email)]


class HeadContact(BaseModel):
    """How to reach a head. Part of a registration command only: plans hands it to notify's own store and it never
    enters an event (personal data stays out of the log)."""

    model_config = ConfigDict(extra="forbid")

    email: EmailAddress | None = None
    phone: str | None = Field(default=None, max_length=32, pattern=r"^\+?[0-9][0-9 ().-]{5,24}$")
    channel: Literal["email", "inbox"] = "email"
    language: Literal["vi", "en"] = "vi"


class RegisterUnit(Payload):
    """Command: add an administrative unit to the directory."""

    unit_id: Key = Field(pattern=r"^[A-Za-z0-9_.:-]+$")
    name: Name
    level: UnitLevel
    parent_id: Key | None = None
    head_title: HeadTitle = "Chủ tịch UBND"
    head_name: PersonName | None = None
    code: UnitCode | None = Field(default=None, pattern=r"^[0-9]+$", description="official code of the unit")
    head_contact: HeadContact | None = Field(default=None, description="the chairman's contact: goes to notify only, never into an event")
    established_on: date | None = None


class RegisterAgency(Payload):
    """Command: add an agency belonging to a unit, with the title and name of its head."""

    agency_id: Key = Field(pattern=r"^[A-Za-z0-9_.:-]+$")
    unit_id: Key
    name: Name
    head_title: HeadTitle
    head_name: PersonName | None = None
    standing_body: bool = False
    working_group: WorkingGroupRole | None = None
    head_contact: HeadContact | None = Field(default=None, description="the head's contact: goes to notify only, never into an event")


class LoadDirectory(Payload):
    """Command: register many units and agencies at once (an administrator's bulk load; idempotent).

    Units are taken in order (a parent before its children, or already registered), then agencies.
    Items already registered are skipped; the whole batch is refused if any new item is invalid."""

    units: list[RegisterUnit] = Field(default_factory=list, max_length=5_000)
    agencies: list[RegisterAgency] = Field(default_factory=list, max_length=20_000)


class Succession(Payload):
    """Where the open tasks (and the child units) of a unit that ceases go."""

    unit_id: str = Field(min_length=1, max_length=200)
    successor_id: str = Field(min_length=1, max_length=200)


class UnitsMerged(Payload):
    """Units merge into one (an existing one of them, or a unit registered for the merger)."""

    unit_ids: list[Id] = Field(min_length=1, max_length=50, description="the units that cease, not the successor")
    into: str = Field(min_length=1, max_length=200)
    effective_on: date
    legal_basis: str | None = Field(default=None, max_length=500, description="e.g. Nghị quyết số 1654/NQ-UBTVQH15")


class UnitSplit(Payload):
    """A unit splits into several; `successor_id` takes over its open tasks and child units."""

    unit_id: str = Field(min_length=1, max_length=200)
    into: list[Id] = Field(min_length=2, max_length=50)
    successor_id: str = Field(min_length=1, max_length=200)
    effective_on: date
    legal_basis: str | None = Field(default=None, max_length=500)


class UnitRenamed(Payload):
    unit_id: str = Field(min_length=1, max_length=200)
    old_name: str = Field(min_length=1, max_length=300)
    new_name: str = Field(min_length=1, max_length=300)
    effective_on: date
    legal_basis: str | None = Field(default=None, max_length=500)


class UnitMoved(Payload):
    """A unit gets a new parent (re-parented)."""

    unit_id: str = Field(min_length=1, max_length=200)
    from_parent: str | None = Field(default=None, max_length=200)
    to_parent: str = Field(min_length=1, max_length=200)
    effective_on: date
    legal_basis: str | None = Field(default=None, max_length=500)


class UnitLevelAbolished(Payload):
    """A whole level ceases (districts on 1 July 2025): its units cease, their children move to the level above."""

    level: UnitLevel
    effective_on: date
    unit_ids: list[Id] = Field(default=[], max_length=10_000, description="the units that cease")
    successions: list[Succession] = Field(default=[], max_length=10_000, description="where each one's open tasks go; default its parent")
    legal_basis: str | None = Field(default=None, max_length=500)


class MergeUnits(Payload):
    """Command: `unit_ids` cease and merge into `into` (an existing unit, or one registered for the merger)."""

    unit_ids: list[Id] = Field(min_length=1, max_length=50)
    into: str = Field(min_length=1, max_length=200)
    effective_on: date
    legal_basis: str | None = Field(default=None, max_length=500)


class SplitUnit(Payload):
    """Command: a unit ceases, split into units registered for it; `successor_id` takes its open tasks and child units."""

    unit_id: str = Field(min_length=1, max_length=200)
    into: list[Id] = Field(min_length=2, max_length=50)
    successor_id: str = Field(min_length=1, max_length=200)
    effective_on: date
    legal_basis: str | None = Field(default=None, max_length=500)


class RenameUnit(Payload):
    name: str = Field(min_length=1, max_length=300)
    effective_on: date
    legal_basis: str | None = Field(default=None, max_length=500)


class MoveUnit(Payload):
    parent_id: str = Field(min_length=1, max_length=200)
    effective_on: date
    legal_basis: str | None = Field(default=None, max_length=500)


class AbolishLevel(Payload):
    """Command: every unit of a level ceases; children move to the level above; open tasks go to the successors given
    (by default each unit's parent)."""

    level: UnitLevel
    effective_on: date
    successions: list[Succession] = Field(default=[], max_length=10_000)
    legal_basis: str | None = Field(default=None, max_length=500)


def successors(reorganisation: UnitsMerged | UnitSplit | UnitLevelAbolished) -> dict[str, str]:
    """Each unit that ceases in a reorganisation and its successor (who takes over its open tasks and its child units)."""
    if isinstance(reorganisation, UnitsMerged):
        return {unit_id: reorganisation.into for unit_id in reorganisation.unit_ids}
    if isinstance(reorganisation, UnitSplit):
        return {reorganisation.unit_id: reorganisation.successor_id}
    return {s.unit_id: s.successor_id for s in reorganisation.successions}

"""The directory: units form a hierarchy (data, not code); agencies belong to units."""
from __future__ import annotations

from typing import Any, Mapping

from schemas.directory import AgencyRegistered, RegisterAgency, RegisterUnit, UnitLevel, UnitRegistered
from schemas.rejections import Conflict, Invalid, NotFound

RANK = {UnitLevel.province: 0, UnitLevel.district: 1, UnitLevel.commune: 2, UnitLevel.village: 3}


def register_unit(command: RegisterUnit, existing: Mapping[str, Any] | None, parent: Mapping[str, Any] | None) -> list[UnitRegistered]:
    """A unit is registered once; its parent must exist and sit at a higher level."""
    if existing is not None:
        raise Conflict(f"unit {command.unit_id!r} is already registered", field="unit_id")
    if command.level != UnitLevel.province and command.parent_id is None:
        raise Invalid(f"a {command.level.value} needs a parent unit", field="parent_id")
    if command.parent_id is not None:
        if parent is None:
            raise NotFound(f"no unit with id {command.parent_id!r}", field="parent_id")
        if parent.get("ceased_on"):
            raise Conflict(f"unit {command.parent_id!r} ceased on {parent['ceased_on']}", field="parent_id")
        if RANK[UnitLevel(parent["level"])] >= RANK[command.level]:
            raise Invalid(f"a {command.level.value} cannot sit under a {parent['level']}", field="parent_id")
    return [UnitRegistered(**command.model_dump(exclude={"head_contact"}))]  # contacts never enter an event


def register_agency(command: RegisterAgency, existing: Mapping[str, Any] | None, unit: Mapping[str, Any] | None) -> list[AgencyRegistered]:
    if existing is not None:
        raise Conflict(f"agency {command.agency_id!r} is already registered", field="agency_id")
    if unit is None:
        raise NotFound(f"no unit with id {command.unit_id!r}", field="unit_id")
    return [AgencyRegistered(**command.model_dump(exclude={"head_contact"}))]

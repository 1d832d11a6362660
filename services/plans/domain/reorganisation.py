"""Reorganisations of the directory by dated events: merge, split, rename, re-parent, abolish a level.

`units` maps unit_id -> directory entry (unit_id, name, level, parent_id, established_on, ceased_on) and holds at
least the units named and the units above them. Children of a unit that ceases move with a UnitMoved each.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from schemas.directory import (AbolishLevel, MergeUnits, MoveUnit, RenameUnit, SplitUnit, Succession, UnitLevel,
                               UnitLevelAbolished, UnitMoved, UnitRenamed, UnitsMerged, UnitSplit)
from schemas.rejections import Conflict, Invalid, NotFound
from services.plans.domain.directory import RANK

Units = Mapping[str, Mapping[str, Any]]


def merge(command: MergeUnits, units: Units, children: list[Mapping[str, Any]], today: date) -> list[UnitsMerged | UnitMoved]:
    into = _active(units, command.into, "into", command.effective_on, today)
    for n, unit_id in enumerate(command.unit_ids):
        unit = _active(units, unit_id, f"unit_ids.{n}", command.effective_on, today)
        if unit_id == command.into or unit_id in _above(units, command.into):
            raise Invalid(f"merging {unit_id!r} into {command.into!r} would make a cycle: {command.into!r} is {unit_id!r} or below it",
                          field=f"unit_ids.{n}")
        if unit["level"] != into["level"]:
            raise Invalid(f"{unit_id!r} is a {unit['level']}, {command.into!r} a {into['level']}", field=f"unit_ids.{n}")
    moved = [_move(c, command.into, command.effective_on) for c in children if c["unit_id"] != command.into]
    return [UnitsMerged(**command.model_dump()), *moved]


def split(command: SplitUnit, units: Units, children: list[Mapping[str, Any]], today: date) -> list[UnitSplit | UnitMoved]:
    unit = _active(units, command.unit_id, "unit_id", command.effective_on, today)
    if command.successor_id not in command.into:
        raise Invalid("the successor must be one of the units it splits into", field="successor_id")
    for n, part_id in enumerate(command.into):
        part = _active(units, part_id, f"into.{n}", command.effective_on, today)
        if part_id == command.unit_id or part["level"] != unit["level"]:
            raise Invalid(f"{part_id!r} cannot be a part of {command.unit_id!r}", field=f"into.{n}")
    return [UnitSplit(**command.model_dump()), *(_move(c, command.successor_id, command.effective_on) for c in children)]


def rename(unit_id: str, command: RenameUnit, units: Units, today: date) -> list[UnitRenamed]:
    unit = _active(units, unit_id, "unit_id", command.effective_on, today)
    if unit["name"] == command.name:
        raise Conflict(f"unit {unit_id!r} is already named {command.name!r}", field="name")
    return [UnitRenamed(unit_id=unit_id, old_name=unit["name"], new_name=command.name, effective_on=command.effective_on,
                        legal_basis=command.legal_basis)]


def move(unit_id: str, command: MoveUnit, units: Units, today: date) -> list[UnitMoved]:
    unit = _active(units, unit_id, "unit_id", command.effective_on, today)
    parent = _active(units, command.parent_id, "parent_id", command.effective_on, today)
    if command.parent_id == unit_id or unit_id in _above(units, command.parent_id):
        raise Invalid(f"moving {unit_id!r} under {command.parent_id!r} would make a cycle", field="parent_id")
    if RANK[UnitLevel(parent["level"])] >= RANK[UnitLevel(unit["level"])]:
        raise Invalid(f"a {unit['level']} cannot sit under a {parent['level']}", field="parent_id")
    if unit.get("parent_id") == command.parent_id:
        raise Conflict(f"unit {unit_id!r} is already under {command.parent_id!r}", field="parent_id")
    return [UnitMoved(unit_id=unit_id, from_parent=unit.get("parent_id"), to_parent=command.parent_id,
                      effective_on=command.effective_on, legal_basis=command.legal_basis)]


def abolish_level(command: AbolishLevel, ceasing: list[Mapping[str, Any]], units: Units, children: list[Mapping[str, Any]],
                  today: date) -> list[UnitLevelAbolished | UnitMoved]:
    """`ceasing` are the active units of the level; `children` the active units directly below them."""
    if command.level == UnitLevel.province:
        raise Invalid("the province level cannot be abolished: nothing sits above it", field="level")
    if not ceasing:
        raise NotFound(f"no unit at level {command.level.value} is active", field="level")
    for unit in ceasing:
        _active(units, unit["unit_id"], "effective_on", command.effective_on, today)
    given = {s.unit_id: s.successor_id for s in command.successions}
    for n, s in enumerate(command.successions):
        if s.successor_id not in units:
            raise NotFound(f"no unit with id {s.successor_id!r}", field=f"successions.{n}.successor_id")
    successions = [Succession(unit_id=u["unit_id"], successor_id=given.get(u["unit_id"], u["parent_id"])) for u in ceasing]
    parent_of = {u["unit_id"]: u["parent_id"] for u in ceasing}
    moved = [_move(c, parent_of[c["parent_id"]], command.effective_on) for c in children]
    return [UnitLevelAbolished(level=command.level, effective_on=command.effective_on, unit_ids=[u["unit_id"] for u in ceasing],
                               successions=successions, legal_basis=command.legal_basis), *moved]


def _move(child: Mapping[str, Any], to: str, effective_on: date) -> UnitMoved:
    return UnitMoved(unit_id=child["unit_id"], from_parent=child.get("parent_id"), to_parent=to, effective_on=effective_on)


def _active(units: Units, unit_id: str, field: str, effective_on: date, today: date) -> Mapping[str, Any]:
    """The unit exists, has not ceased, and existed on the day; the day is not in the future."""
    if effective_on > today:
        raise Invalid(f"a reorganisation cannot be dated in the future ({effective_on.isoformat()})", field="effective_on")
    unit = units.get(unit_id)
    if unit is None:
        raise NotFound(f"no unit with id {unit_id!r}", field=field)
    if unit.get("ceased_on"):
        raise Conflict(f"unit {unit_id!r} ceased on {unit['ceased_on']}", field=field)
    if unit.get("established_on") and effective_on < date.fromisoformat(unit["established_on"]):
        raise Invalid(f"unit {unit_id!r} did not exist before {unit['established_on']}", field="effective_on")
    return unit


def _above(units: Units, unit_id: str) -> set[str]:
    """unit_id and every unit above it."""
    seen, current = set(), unit_id
    while current and current not in seen:
        seen.add(current)
        current = (units.get(current) or {}).get("parent_id")
    return seen

"""Targets are roles; the directory says who holds each role when a message is sent.

A contact id names the head of an agency (`<agency_id>.agency_head`) or the chairman of a unit
(`<unit_id>.unit_head`). A target above the province is the province's own (the ladder tops out there). A unit that
ceased in a reorganisation is answered for by its successor, at every level of the climb.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Mapping

from schemas.notify import Role, Target


@dataclass(frozen=True)
class Directory:
    units: Mapping[str, dict]
    agencies: Mapping[str, dict]
    standing_bodies: Mapping[str, dict]  # unit_id -> the standing body agency of that unit

    @classmethod
    def of(cls, units: list[dict], agencies: list[dict]) -> "Directory":
        standing = {a["unit_id"]: a for a in agencies if a.get("standing_body")}
        return cls({u["unit_id"]: u for u in units}, {a["agency_id"]: a for a in agencies}, standing)

    def with_agencies(self, agencies: list[dict]) -> "Directory":
        """The same units with these agencies (the units' map is shared, not built again)."""
        standing = {a["unit_id"]: a for a in agencies if a.get("standing_body")}
        return Directory(self.units, {a["agency_id"]: a for a in agencies}, standing)

    @cached_property
    def _by_unit(self) -> dict[str, tuple[list[str], list[str]]]:
        """unit id -> (its agencies, its child units still in being), sorted: built once, read per plan."""
        found: dict[str, tuple[list[str], list[str]]] = {}
        for a in self.agencies.values():
            found.setdefault(a["unit_id"], ([], []))[0].append(a["agency_id"])
        for u in self.units.values():
            if u.get("parent_id") and not u.get("successor_id") and u["parent_id"] != u["unit_id"]:
                found.setdefault(u["parent_id"], ([], []))[1].append(u["unit_id"])
        return {unit_id: (sorted(agencies), sorted(units)) for unit_id, (agencies, units) in found.items()}

    def below(self, unit_id: str) -> tuple[list[str], list[str]]:
        """The agencies of the unit, and its child units still in being (a periodic report's reporters)."""
        return self._by_unit.get(unit_id, ([], []))

    def current(self, unit_id: str) -> str:
        """The unit that answers now for `unit_id`: itself, or the successor of a unit that ceased in a reorganisation."""
        for _ in range(16):  # successions chain (a commune merged, its successor merged again); never a cycle
            successor = (self.units.get(unit_id) or {}).get("successor_id")
            if not successor or successor == unit_id:
                break
            unit_id = successor
        return unit_id

    def ancestor(self, unit_id: str, up: int) -> str:
        unit_id = self.current(unit_id)
        for _ in range(up):
            parent = (self.units.get(unit_id) or {}).get("parent_id")
            if not parent:
                break
            unit_id = self.current(parent)
        return unit_id


@dataclass(frozen=True)
class Holder:
    """Who holds a role: the contact id to look up, and how to address them."""

    contact_id: str
    title: str
    of: str
    name: str | None
    role: str


@dataclass(frozen=True)
class Vacant:
    """A role nobody in the directory holds (no such agency, no standing body registered)."""

    role: str
    unit_id: str
    why: str


def agency_head(agency: dict, role: str) -> Holder:
    return Holder(f"{agency['agency_id']}.agency_head", agency["head_title"], agency["name"], agency.get("head_name"), role)


def resolve(target: Target, agency_id: str, unit_id: str, directory: Directory) -> Holder | Vacant:
    if target.role == Role.lead_agency_head:
        agency = directory.agencies.get(agency_id)
        if agency is None:
            return Vacant(target.role.value, unit_id, f"cơ quan chủ trì {agency_id!r} chưa có trong danh mục")
        return agency_head(agency, target.role.value)
    at = directory.ancestor(unit_id, target.up)
    unit = directory.units.get(at)
    if target.role == Role.standing_body:
        body = directory.standing_bodies.get(at)
        if body is None:
            return Vacant(target.role.value, at, f"chưa đăng ký cơ quan thường trực của đơn vị {at!r}")
        return agency_head(body, target.role.value)
    if unit is None:
        return Vacant(target.role.value, at, f"đơn vị {at!r} chưa có trong danh mục")
    return Holder(f"{at}.unit_head", unit.get("head_title") or "Chủ tịch UBND", unit["name"], unit.get("head_name"), target.role.value)

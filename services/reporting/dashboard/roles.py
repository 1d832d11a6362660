"""Who was told, as a role and never a person: "Chủ tịch UBND xã Trường Hà", "Trưởng Công an xã, Công an xã Hóa Thượng".

Targets (schemas.notify.Target) are resolved as notify resolves them (levels above the lead agency's unit),
from reporting's own directory; names and addresses of people stay in notify. An acknowledgement's `by`
is a contact id (`<agency_id>.agency_head`, `<unit_id>.unit_head`) and reads as the role it names.
"""
from __future__ import annotations

from dataclasses import dataclass

from services.reporting.domain.projection import Doc


@dataclass(frozen=True)
class Directory:
    units: dict[str, Doc]
    parents: dict[str, str | None]
    agencies: dict[str, Doc]  # by id: the items' lead agencies and the standing bodies of their units' ancestors

    def above(self, unit_id: str, up: int) -> str:
        for _ in range(up):
            parent = self.parents.get(unit_id)
            if not parent:
                break
            unit_id = parent
        return unit_id

    def standing_body(self, unit_id: str) -> Doc | None:
        return next((a for a in self.agencies.values() if a.get("unit_id") == unit_id and a.get("standing_body")), None)


def unit_name(unit: Doc | None, unit_id: str) -> str:
    name = (unit or {}).get("name") or unit_id
    return name[:1].lower() + name[1:] if name[:1].isupper() and " " in name else name


def chairman(unit_id: str, directory: Directory, lang: str) -> str:
    unit = directory.units.get(unit_id)
    if lang == "vi":
        return f"Chủ tịch UBND {unit_name(unit, unit_id)}"
    return f"Chairman of the People's Committee, {(unit or {}).get('name') or unit_id}"


def agency_head(agency: Doc | None, agency_id: str, lang: str) -> str:
    name = (agency or {}).get("name") or agency_id
    if lang == "vi":
        return f"{(agency or {}).get('head_title') or 'Thủ trưởng'}, {name}"
    return f"Head of {name}"


def target(role: str, up: int, agency_id: str, unit_id: str, directory: Directory, lang: str) -> str:
    """A rung's target as text, for the item of `agency_id` whose agency sits in `unit_id`."""
    if role == "lead_agency_head":
        return agency_head(directory.agencies.get(agency_id), agency_id, lang)
    at = directory.above(unit_id, up)
    if role == "standing_body":
        body = directory.standing_body(at)
        if body is not None:
            return agency_head(body, body["agency_id"], lang)
        name = unit_name(directory.units.get(at), at)
        return f"Trưởng Công an {name}" if lang == "vi" else f"Head of police, {directory.units.get(at, {}).get('name', at)}"
    return chairman(at, directory, lang)


def contact(by: str, directory: Directory, lang: str) -> str:
    """An acknowledgement's author as the role its contact id names; another actor as recorded."""
    owner, _, kind = by.rpartition(".")
    if kind == "agency_head" and owner:
        return agency_head(directory.agencies.get(owner), owner, lang)
    if kind == "unit_head" and owner:
        return chairman(owner, directory, lang)
    return by

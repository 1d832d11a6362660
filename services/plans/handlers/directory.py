"""Register units and agencies: load what the decision needs, decide, append and keep the directory view."""
from __future__ import annotations

from typing import Any

from schemas.directory import LoadDirectory, RegisterAgency, RegisterUnit
from schemas.rejections import NotFound
from services.plans.domain import directory
from services.plans.handlers.repository import AGENCIES, UNITS, refused_as_item
from services.runtime.events import Cause
from services.plans.contact_handoff import hand_over
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store


async def register_unit(command: RegisterUnit, store: Store, events: EventLog, cause: Cause) -> dict:
    existing = await store.get(UNITS, command.unit_id)
    parent = await store.get(UNITS, command.parent_id) if command.parent_id else None
    payloads = directory.register_unit(command, existing, parent)
    view = command.model_dump(mode="json", exclude={"head_contact"})
    async with store.transaction():
        await events.append(f"unit-{command.unit_id}", 0, payloads, cause)
        await store.put(UNITS, command.unit_id, view)
        await hand_over(store, "units", command.unit_id, command.head_contact, command.head_name)
    return view


async def register_agency(command: RegisterAgency, store: Store, events: EventLog, cause: Cause) -> dict:
    existing = await store.get(AGENCIES, command.agency_id)
    unit = await store.get(UNITS, command.unit_id)
    payloads = directory.register_agency(command, existing, unit)
    view = command.model_dump(mode="json", exclude={"head_contact"})
    async with store.transaction():
        await events.append(f"agency-{command.agency_id}", 0, payloads, cause)
        await store.put(AGENCIES, command.agency_id, view)
        await hand_over(store, "agencies", command.agency_id, command.head_contact, command.head_name)
    return view


async def unit_by_id_or_code(store: Store, key: str) -> dict:
    unit = await store.get(UNITS, key)
    if unit is None and key.isdigit():
        unit = next(iter(await store.find(UNITS, code=key)), None)
    if unit is None:
        raise NotFound(f"no unit with id or code {key!r}")
    return unit


ROLE_TITLES = {"leader": "Tổ trưởng", "standing_deputy": "Tổ phó thường trực", "member": "Thành viên"}


def working_group(unit: dict, agencies: list[dict]) -> dict:
    """Tổ công tác triển khai Đề án 06 of a unit, from its agencies' working-group roles (heads with their titles)."""
    seats = {role: [{"role": title, **{k: a.get(k) for k in ("agency_id", "name", "head_title", "head_name")}}
                    for a in agencies if a.get("working_group") == role] for role, title in ROLE_TITLES.items()}
    return {"unit_id": unit["unit_id"], "name": f"Tổ công tác triển khai Đề án 06 {unit['name']}",
            "leader": next(iter(seats["leader"]), None), "standing_deputy": next(iter(seats["standing_deputy"]), None),
            "members": seats["member"]}


async def load_directory(command: LoadDirectory, store: Store, events: EventLog, cause: Cause) -> dict[str, Any]:
    """Register what is new in one transaction; what is already registered is skipped (and named if it differs)."""
    units = {d["unit_id"]: d for d in await store.find(UNITS, unit_id=[u.unit_id for u in command.units])}
    wanted_parents = {u.parent_id for u in command.units if u.parent_id} | {a.unit_id for a in command.agencies}
    units.update({d["unit_id"]: d for d in await store.find(UNITS, unit_id=sorted(wanted_parents - set(units)))})
    agencies = {d["agency_id"]: d for d in await store.find(AGENCIES, agency_id=[a.agency_id for a in command.agencies])}
    report = {"units": _tally(), "agencies": _tally()}
    new_units: dict[str, dict] = {}
    new_agencies: dict[str, dict] = {}
    appends: list = []
    async with store.transaction():
        for index, unit in enumerate(command.units):
            view = unit.model_dump(mode="json", exclude={"head_contact"})
            if _known(units.get(unit.unit_id), view, report["units"]):
                continue
            parent = units.get(unit.parent_id) if unit.parent_id else None
            appends.append((f"unit-{unit.unit_id}", 0, refused_as_item("units", index, lambda: directory.register_unit(unit, None, parent)), cause))
            units[unit.unit_id] = new_units[unit.unit_id] = view
            await hand_over(store, "units", unit.unit_id, unit.head_contact, unit.head_name)
        for index, agency in enumerate(command.agencies):
            view = agency.model_dump(mode="json", exclude={"head_contact"})
            if _known(agencies.get(agency.agency_id), view, report["agencies"]):
                continue
            payloads = refused_as_item("agencies", index, lambda: directory.register_agency(agency, None, units.get(agency.unit_id)))
            appends.append((f"agency-{agency.agency_id}", 0, payloads, cause))
            agencies[agency.agency_id] = new_agencies[agency.agency_id] = view
            await hand_over(store, "agencies", agency.agency_id, agency.head_contact, agency.head_name)
        await events.append_many(appends)
        await store.bulk_put(UNITS, new_units)
        await store.bulk_put(AGENCIES, new_agencies)
    report["units"]["registered"], report["agencies"]["registered"] = len(new_units), len(new_agencies)
    return report


def _tally() -> dict[str, Any]:
    return {"registered": 0, "already": 0, "differing": []}


def _known(existing: dict | None, view: dict, tally: dict[str, Any]) -> bool:
    if existing is None:
        return False
    tally["already"] += 1
    if {k: existing.get(k) for k in view} != view:
        tally["differing"].append(view.get("unit_id") if "agency_id" not in view else view["agency_id"])
    return True

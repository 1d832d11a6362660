"""Who may see and register heads' contacts and notification recipients: administrators, and a unit's standing body
for the unit and the units below it (by notify's own copy of the directory)."""
from __future__ import annotations

from schemas.rejections import Forbidden
from services.notify.handlers.repository import AGENCIES, UNITS
from services.runtime.auth import Principal, Role, allow
from services.runtime.ports import DocumentStore

PersonalData = allow("administrator", "standing_body")


async def reach(store: DocumentStore, principal: Principal) -> set[str] | None:
    """The units whose people the principal may see; None for every unit (administrators)."""
    if principal.unit_id is None:
        return None
    children: dict[str, list[str]] = {}
    for unit in await store.find(UNITS):
        children.setdefault(unit.get("parent_id"), []).append(unit["unit_id"])
    reached, frontier = set(), [principal.unit_id]
    while frontier:
        unit_id = frontier.pop()
        if unit_id not in reached:
            reached.add(unit_id)
            frontier.extend(children.get(unit_id, []))
    return reached


async def unit_of(store: DocumentStore, doc: dict) -> str | None:
    """The unit a contact belongs to: its own, or its agency's."""
    if doc.get("unit_id"):
        return doc["unit_id"]
    agency = await store.get(AGENCIES, doc["agency_id"]) if doc.get("agency_id") else None
    return agency["unit_id"] if agency else None


def sees_people(principal: Principal) -> bool:
    """Whether the principal may see people's names (personal data): administrators, and standing bodies in their
    subtree; a unit's viewers see roles only ("Chủ tịch UBND xã …"), never who holds them."""
    return principal.role in (Role.administrator, Role.standing_body)


async def within(store: DocumentStore, principal: Principal, docs: list[dict]) -> list[dict]:
    units = await reach(store, principal)
    return docs if units is None else [d for d in docs if await unit_of(store, d) in units]


async def check_within(store: DocumentStore, principal: Principal, doc: dict) -> None:
    if not await within(store, principal, [doc]):
        raise Forbidden(f"this credential is for unit {principal.unit_id!r} and the units below it", field="unit_id")

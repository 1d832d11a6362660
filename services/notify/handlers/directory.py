"""notify's own copy of what it needs from plans: units, agencies, plans (number, title) and tasks (due, clause, parent)."""
from __future__ import annotations

from schemas.catalog import Event
from schemas.directory import AgencyRegistered, UnitRegistered
from schemas.plans import PlanIssued, TaskAssigned
from services.notify.handlers.repository import AGENCIES, PLANS, TASKS, UNITS
from services.runtime.ports import Store


def _task(p: TaskAssigned, known: dict | None) -> dict:
    known = known or {}
    due = known["due"] if known.get("due_changed") else (p.timing.due.isoformat() if p.timing.due else None)
    return {**known, "task_id": p.task_id, "plan_id": p.plan_id, "unit_id": p.unit_id, "lead": p.lead, "code": p.code,
            "clause": p.clause or p.code, "content": p.content, "due": due,
            "original_due": known.get("original_due") or due, "recurring": p.timing.recurring,
            "parent_task_id": p.parent_task_id, "done": known.get("done", False), "reminded": known.get("reminded", {})}


async def learn_directory(batch: list[Event], store: Store) -> int:
    """Keep the latest of each; applying an event twice writes the same document."""
    docs: dict[str, dict[str, dict]] = {UNITS: {}, AGENCIES: {}, PLANS: {}, TASKS: {}}
    for event in batch:
        p = event.payload
        if isinstance(p, UnitRegistered):
            docs[UNITS][p.unit_id] = {"unit_id": p.unit_id, "name": p.name, "level": p.level.value, "parent_id": p.parent_id,
                                      "head_title": p.head_title, "head_name": p.head_name}
        elif isinstance(p, AgencyRegistered):
            docs[AGENCIES][p.agency_id] = {"agency_id": p.agency_id, "unit_id": p.unit_id, "name": p.name, "head_title": p.head_title,
                                           "head_name": p.head_name, "standing_body": p.standing_body}
        elif isinstance(p, PlanIssued):
            docs[PLANS][p.plan_id] = {"plan_id": p.plan_id, "unit_id": p.unit_id, "number": p.number, "title": p.title}
        elif isinstance(p, TaskAssigned):
            docs[TASKS][p.task_id] = _task(p, docs[TASKS].get(p.task_id) or await store.get(TASKS, p.task_id))
    async with store.transaction():
        for collection, found in docs.items():
            if found:
                await store.bulk_put(collection, found)
    return sum(len(found) for found in docs.values())

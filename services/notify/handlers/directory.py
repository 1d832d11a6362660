"""notify's own copy of what it needs from plans: units, agencies, plans (number, title) and tasks (due, clause, parent).

Reorganisations change the copy as plans decided them: a renamed unit is addressed by its new name, a moved unit has
its new parent, a unit that ceased (merged, split, its level abolished) names its successor, so the ladder reaches
the chairman who answers now (routing follows successors). A unit's registration (its stream) and its reorganisations
(the reorganisations' stream) come on different keys, in no promised order: news of a unit not registered yet is kept
aside in UNIT_NEWS, out of the units routing reads, and applied over its registration when that comes.
"""
from __future__ import annotations

from schemas.catalog import Event
from schemas.directory import (
    AgencyRegistered, UnitLevelAbolished, UnitMoved, UnitRenamed, UnitRegistered, UnitsMerged, UnitSplit, successors,
)
from schemas.plans import PlanIssued, TaskAssigned
from services.notify.handlers.repository import AGENCIES, PLANS, TASK_CHANGES, TASKS, UNIT_NEWS, UNITS, routing_changed, with_reminders
from services.runtime.ports import Store


def _task(p: TaskAssigned, known: dict | None) -> dict:
    known = known or {}
    due = known["due"] if known.get("due_changed") else (p.timing.due.isoformat() if p.timing.due else None)
    return with_reminders({**known, "task_id": p.task_id, "plan_id": p.plan_id, "unit_id": known.get("transferred_to") or p.unit_id, "lead": p.lead,
            "code": p.code, "clause": p.clause or p.code, "content": p.content, "due": due,
            "original_due": known.get("original_due") or due, "recurring": p.timing.recurring,
            "parent_task_id": p.parent_task_id, "done": known.get("done", False), "reminded": known.get("reminded", {})})


def _unit_changes(p) -> dict[str, dict]:
    if isinstance(p, UnitRenamed):
        return {p.unit_id: {"name": p.new_name}}
    if isinstance(p, UnitMoved):
        return {p.unit_id: {"parent_id": p.to_parent}}
    if isinstance(p, (UnitsMerged, UnitSplit, UnitLevelAbolished)):
        return {unit_id: {"successor_id": successor, "ceased_on": p.effective_on.isoformat()} for unit_id, successor in successors(p).items()}
    return {}


async def learn_directory(batch: list[Event], store: Store) -> int:
    """Keep the latest of each; applying an event twice writes the same document."""
    docs: dict[str, dict[str, dict]] = {UNITS: {}, UNIT_NEWS: {}, AGENCIES: {}, PLANS: {}, TASKS: {}}
    heard: set[str] = set()  # units registered in this batch whose kept news was applied: dropped from UNIT_NEWS
    for event in batch:
        p = event.payload
        if isinstance(p, UnitRegistered):
            known = docs[UNITS].get(p.unit_id) or await store.get(UNITS, p.unit_id)
            news = {} if known else docs[UNIT_NEWS].pop(p.unit_id, None) or await store.get(UNIT_NEWS, p.unit_id) or {}
            if news:
                heard.add(p.unit_id)
            docs[UNITS][p.unit_id] = {**(known or {}), "unit_id": p.unit_id, "name": p.name, "level": p.level.value, "parent_id": p.parent_id,
                                      "head_title": p.head_title, "head_name": p.head_name, **news}
        elif isinstance(p, AgencyRegistered):
            docs[AGENCIES][p.agency_id] = {"agency_id": p.agency_id, "unit_id": p.unit_id, "name": p.name, "head_title": p.head_title,
                                           "head_name": p.head_name, "standing_body": p.standing_body}
        elif isinstance(p, PlanIssued):
            docs[PLANS][p.plan_id] = {"plan_id": p.plan_id, "unit_id": p.unit_id, "number": p.number, "title": p.title,
                                      "issued_on": (p.issued_on or event.envelope.occurred_at.date()).isoformat(),
                                      "reporting_schedules": [s.model_dump(mode="json") for s in p.reporting_schedules]}
        elif isinstance(p, TaskAssigned):
            docs[TASKS][p.task_id] = _task(p, docs[TASKS].get(p.task_id) or await store.get(TASKS, p.task_id))
        for unit_id, changes in _unit_changes(p).items():
            known = docs[UNITS].get(unit_id) or await store.get(UNITS, unit_id)
            if known is not None:
                docs[UNITS][unit_id] = {**known, **changes}
            else:  # not registered yet: kept for its registration, which carries the state before this news
                news = docs[UNIT_NEWS].get(unit_id) or await store.get(UNIT_NEWS, unit_id) or {"unit_id": unit_id}
                docs[UNIT_NEWS][unit_id] = {**news, **changes}
    async with store.transaction():
        for collection, found in docs.items():
            if found:
                await store.bulk_put(collection, found)
        if heard:
            await store.bulk_delete(UNIT_NEWS, heard)
        if docs[UNITS] or docs[AGENCIES]:  # who holds a role may have changed
            await routing_changed(store)
        if docs[TASKS]:  # reminders may be due for them
            await routing_changed(store, TASK_CHANGES)
    return sum(len(found) for found in docs.values())

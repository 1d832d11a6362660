"""plans' collections, and issuing a plan: the plan's stream is the truth, the `plans` document its view.

Kept here because drafts, the cascade and reorganisations need it too (a handler never calls another handler).
"""
from __future__ import annotations

from schemas.plans import IssuePlan
from schemas.rejections import Conflict, NotFound
from services.plans.domain.plan import issue_plan as decide
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store

UNITS, AGENCIES, PLANS = "units", "agencies", "plans"
TASK_OWNERS = "task_owners"  # task id -> the plan it belongs to, forever
DRAFTS = "drafts"  # documents read by the importer, under review until issued


async def ancestors(store: Store, unit_id: str) -> list[str]:
    """The units above `unit_id`, nearest first (a cycle in the data stops the walk)."""
    found: list[str] = []
    unit = await store.get(UNITS, unit_id)
    while unit and unit.get("parent_id") and unit["parent_id"] not in found and unit["parent_id"] != unit_id:
        found.append(unit["parent_id"])
        unit = await store.get(UNITS, unit["parent_id"])
    return found


async def issue_plan(command: IssuePlan, store: Store, events: EventLog, cause: Cause) -> dict:
    named = {a for t in command.tasks for a in (t.lead, *t.support)}
    found = await store.find(AGENCIES, agency_id=sorted(named))
    agencies = {a["agency_id"]: a for a in found}
    implemented = {plan_id: plan for plan_id in command.implements if (plan := await store.get(PLANS, plan_id))}
    above = frozenset(await ancestors(store, command.unit_id))
    payloads = decide(command, await store.get(PLANS, command.plan_id), await store.get(UNITS, command.unit_id), agencies,
                      implemented, above)
    issued = payloads[0]
    await refuse_taken_task_ids(store, command.plan_id, issued.task_ids)
    view = {**issued.model_dump(mode="json"), "tasks": [p.model_dump(mode="json") for p in payloads[1:]]}
    async with store.transaction():
        await events.append(f"plan-{command.plan_id}", 0, payloads, cause)
        await store.put(PLANS, command.plan_id, view)
        await store.bulk_put(TASK_OWNERS, {task_id: {"task_id": task_id, "plan_id": command.plan_id} for task_id in issued.task_ids})
    return view


async def refuse_taken_task_ids(store: Store, plan_id: str, task_ids: list[str]) -> None:
    """A task id belongs to one plan forever: reusing it would make plans, tasks and reporting disagree."""
    for n, task_id in enumerate(task_ids):
        owner = await store.get(TASK_OWNERS, task_id)
        if owner is not None and owner["plan_id"] != plan_id:
            raise Conflict(f"task id {task_id!r} belongs to plan {owner['plan_id']!r}; give this task another id", field=f"tasks.{n}.task_id")


async def get_draft(store: Store, draft_id: str) -> dict:
    doc = await store.get(DRAFTS, draft_id)
    if doc is None:
        raise NotFound(f"no draft with id {draft_id!r}", field="draft_id")
    return doc

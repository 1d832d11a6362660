"""Issue a plan: every task becomes a TaskAssigned event in the plan's stream."""
from __future__ import annotations

from schemas.plans import IssuePlan
from services.plans.domain.plan import issue_plan as decide
from services.plans.handlers.directory import AGENCIES, UNITS
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store

PLANS = "plans"


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
    view = {**issued.model_dump(mode="json"), "tasks": [p.model_dump(mode="json") for p in payloads[1:]]}
    async with store.transaction():
        await events.append(f"plan-{command.plan_id}", 0, payloads, cause)
        await store.put(PLANS, command.plan_id, view)
    return view

"""plans' collections, and issuing a plan: the plan's stream is the truth, the `plans` document its view."""
from __future__ import annotations

from schemas.plans import IssuePlan
from services.plans.domain.plan import issue_plan as decide
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store

UNITS, AGENCIES, PLANS = "units", "agencies", "plans"


async def issue_plan(command: IssuePlan, store: Store, events: EventLog, cause: Cause) -> dict:
    named = {a for t in command.tasks for a in (t.lead, *t.support)}
    found = await store.find(AGENCIES, agency_id=sorted(named))
    agencies = {a["agency_id"]: a for a in found}
    payloads = decide(command, await store.get(PLANS, command.plan_id), await store.get(UNITS, command.unit_id), agencies)
    issued = payloads[0]
    view = {**issued.model_dump(mode="json"), "tasks": [p.model_dump(mode="json") for p in payloads[1:]]}
    async with store.transaction():
        await events.append(f"plan-{command.plan_id}", 0, payloads, cause)
        await store.put(PLANS, command.plan_id, view)
    return view

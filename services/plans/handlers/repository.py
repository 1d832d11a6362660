"""plans' collections, and issuing a plan: the plan's stream is the truth, the `plans` document its view.

Kept here because drafts, the cascade and reorganisations need it too (a handler never calls another handler).
"""
from __future__ import annotations

from typing import Any, Callable, TypeVar

from schemas.envelope import Envelope
from schemas.plans import IssuePlan, IssuePlans
from schemas.rejections import Conflict, Invalid, NotFound, Rejected
from services.plans.domain.plan import issue_plan as decide, task_ids as task_ids_of
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
    async with store.transaction():
        view = _view(await events.append(f"plan-{command.plan_id}", 0, payloads, cause))
        await store.put(PLANS, command.plan_id, view)
        await store.bulk_put(TASK_OWNERS, {task_id: {"task_id": task_id, "plan_id": command.plan_id} for task_id in issued.task_ids})
    return view


async def issue_plans(command: IssuePlans, store: Store, events: EventLog, cause: Cause) -> dict[str, Any]:
    """Issue many plans in one transaction: one read of what they need, one append, one write of each collection.

    Plans already issued are skipped (named under `differing` when their unit or task ids differ); a new plan that
    is refused refuses the whole batch, naming it (`plans[3].tasks.2.lead`)."""
    plans = command.plans
    seen: dict[str, int] = {}
    for n, plan in enumerate(plans):
        if seen.setdefault(plan.plan_id, n) != n:
            raise Invalid(f"plans[{n}]: plan {plan.plan_id!r} is also plans[{seen[plan.plan_id]}]", field=f"plans[{n}].plan_id")
    existing = {d["plan_id"]: d for d in await store.find(PLANS, plan_id=[p.plan_id for p in plans])}
    new = [(n, p) for n, p in enumerate(plans) if p.plan_id not in existing]
    named = sorted({a for _, p in new for t in p.tasks for a in (t.lead, *t.support)})
    agencies = {a["agency_id"]: a for a in await store.find(AGENCIES, agency_id=named)}
    units = {u["unit_id"]: u for u in await store.find(UNITS, unit_id=sorted({p.unit_id for _, p in new}))}
    wanted = sorted({i for _, p in new for i in p.implements})
    implemented = {d["plan_id"]: d for d in await store.find(PLANS, plan_id=wanted)} if wanted else {}
    owners = {d["task_id"]: d["plan_id"] for d in await store.find(TASK_OWNERS, task_id=[t for _, p in new for t in task_ids_of(p)])}
    appends: list = []
    for n, plan in new:
        above = frozenset(await ancestors(store, plan.unit_id)) if plan.implements else frozenset()
        payloads = refused_as_item("plans", n, lambda: decide(plan, None, units.get(plan.unit_id), agencies, implemented, above))
        for k, task_id in enumerate(payloads[0].task_ids):
            if owners.setdefault(task_id, plan.plan_id) != plan.plan_id:
                raise Conflict(f"plans[{n}]: task id {task_id!r} belongs to plan {owners[task_id]!r}; give this task another id",
                               field=f"plans[{n}].tasks.{k}.task_id")
        # a later plan of the batch may implement it: what _check_cascade reads of a plan's view
        implemented[plan.plan_id] = {"unit_id": plan.unit_id, "tasks": [{"task_id": t} for t in payloads[0].task_ids]}
        appends.append((f"plan-{plan.plan_id}", 0, payloads, cause))
    async with store.transaction():
        appended = await events.append_many(appends)
        views = {plan.plan_id: _view(envelopes) for (_, plan), envelopes in zip(new, appended)}
        await store.bulk_put(PLANS, views)
        await store.bulk_put(TASK_OWNERS, {t: {"task_id": t, "plan_id": plan_id} for plan_id, v in views.items() for t in v["task_ids"]})
    differing = [p.plan_id for p in plans if p.plan_id in existing
                 and (existing[p.plan_id]["unit_id"] != p.unit_id or existing[p.plan_id]["task_ids"] != task_ids_of(p))]
    return {"issued": len(views), "tasks": sum(len(v["task_ids"]) for v in views.values()), "already": len(existing), "differing": differing}


def _view(envelopes: list[Envelope]) -> dict:
    """The plan's view from its events as appended: their payloads are already the JSON form (no second dump)."""
    return {**envelopes[0].payload, "tasks": [e.payload for e in envelopes[1:]]}


T = TypeVar("T")


def refused_as_item(kind: str, index: int, decision: Callable[[], T]) -> T:
    """The decision on one item of a batch; a refusal names the item (the whole batch is refused with it)."""
    try:
        return decision()
    except Rejected as error:
        error.detail = f"{kind}[{index}]: {error.detail}"
        error.field = f"{kind}[{index}].{error.field}" if error.field else f"{kind}[{index}]"
        raise


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

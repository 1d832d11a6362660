"""Conditions met: declared by the issuing unit's standing body, or matched when the named document is issued as a plan."""
from __future__ import annotations

from datetime import date

from schemas.catalog import Event
from schemas.plans import PlanIssued
from schemas.rejections import Rejected
from schemas.tasks import ConditionSource
from services.runtime.clock import Clock, local_today
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import ConcurrencyError, Store
from services.tasks.domain.conditions import meet_condition, names_document
from services.tasks.domain.roles import Decider, must_decide_for
from services.tasks.handlers.repository import TASKS, decide_and_save, load


async def declare_condition(task_id: str, decider: Decider, met_on: date | None, document: str | None, immediate_days: int,
                            store: Store, events: EventLog, clock: Clock, cause: Cause) -> list:
    today = local_today(clock.now())
    must_decide_for(decider, await load(store, events, task_id), "declare its condition met")
    return await decide_and_save(store, events, task_id, lambda t: meet_condition(
        t, met_on or today, today, ConditionSource.declared, immediate_days, declared_by=decider.name, document=document), cause)


async def meet_conditions_by_plans(batch: list[Event], store: Store, events: EventLog, clock: Clock, immediate_days: int) -> int:
    """Each issued plan meets the waiting conditions that name it (its number, or its whole title)."""
    issued = [e for e in batch if isinstance(e.payload, PlanIssued)]
    if not issued:
        return 0
    waiting: dict[str, list[str]] = {}  # condition -> the tasks waiting on it (thousands of tasks, a few conditions)
    for doc in await store.find(TASKS, waiting_condition=True):
        waiting.setdefault(doc["condition"], []).append(doc["task_id"])
    met = 0
    for event in issued:
        plan: PlanIssued = event.payload
        met_on = plan.issued_on or local_today(event.envelope.occurred_at)
        cause = Cause("tasks.conditions", event.envelope.correlation_id, str(event.envelope.event_id))
        for task_id in [t for condition, ids in waiting.items() if names_document(condition, plan.number, plan.title) for t in ids]:
            try:
                met += len(await decide_and_save(store, events, task_id, lambda t: meet_condition(
                    t, met_on, local_today(clock.now()), ConditionSource.plan, immediate_days,
                    plan_id=plan.plan_id, document=plan.number or plan.title[:300]), cause))
            except (Rejected, ConcurrencyError):
                continue  # met before (a redelivery), or moved on: nothing to do
    return met

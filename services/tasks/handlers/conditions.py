"""Conditions met: declared by the issuing unit's standing body, or matched when the named document is issued as a plan."""
from __future__ import annotations

import hashlib
from datetime import date

from schemas.catalog import Event
from schemas.plans import PlanIssued, TaskAssigned
from schemas.rejections import Rejected
from schemas.tasks import ConditionSource
from services.runtime.clock import Clock, local_today
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import ConcurrencyError, Store
from services.tasks.domain.conditions import meet_condition, names_document
from services.tasks.domain.roles import Decider, must_decide_for
from services.tasks.domain.task import Task, evolve
from services.tasks.handlers.repository import TASKS, decide_and_save, load, snapshot, stream_of

AWAITED = "awaited_conditions"  # one document per distinct condition text some task waits on: {"condition": text}
AWAITED_BACKFILLED = "tasks.awaited_conditions.v1"  # position name: the conditions of tasks assigned before AWAITED existed


async def declare_condition(task_id: str, decider: Decider, met_on: date | None, document: str | None, immediate_days: int,
                            store: Store, events: EventLog, clock: Clock, cause: Cause) -> list:
    today = local_today(clock.now())
    must_decide_for(decider, await load(store, events, task_id), "declare its condition met")
    return await decide_and_save(store, events, task_id, lambda t: meet_condition(
        t, met_on or today, today, ConditionSource.declared, immediate_days, declared_by=decider.name, document=document), cause)


async def meet_conditions_by_plans(batch: list[Event], store: Store, events: EventLog, clock: Clock, immediate_days: int) -> int:
    """Each issued plan meets the waiting conditions that name it (its number, or its whole title).

    Thousands of tasks wait on a few conditions: the issued plans are matched against the distinct conditions (the
    AWAITED documents, one per condition text), and only the waiting tasks of the conditions they name are read (the
    indexed `condition` field), decided together and saved with one append and one snapshot write."""
    await _remember_awaited(batch, store)
    issued = [e for e in batch if isinstance(e.payload, PlanIssued)]
    if not issued:
        return 0
    meeting: dict[str, Event] = {}  # condition -> the batch's first plan that names it
    for doc in await store.find(AWAITED):
        named = next((e for e in issued if names_document(doc["condition"], e.payload.number, e.payload.title)), None)
        if named is not None:
            meeting[doc["condition"]] = named
    if not meeting:
        return 0
    today = local_today(clock.now())
    decided: list[tuple[Task, list, Cause]] = []
    still_waiting = set()  # conditions with a task this batch could not release (met on a day after today)
    for doc in await store.find(TASKS, condition=list(meeting), waiting_condition=True):
        task, event = Task.from_doc(doc), meeting[doc["condition"]]
        try:
            decided.append((task, _meet(task, event, today, immediate_days), _cause(event)))
        except Rejected:
            still_waiting.add(task.condition)
    async with store.transaction():
        try:
            appended = await events.append_many([(stream_of(t.task_id), t.version, payloads, cause) for t, payloads, cause in decided])
        except ConcurrencyError:  # a snapshot was behind its stream: each task the slow way, from its stream
            return await _meet_one_by_one(decided, meeting, store, events, today, immediate_days)
        snapshots = {}
        for (task, payloads, _), envelopes in zip(decided, appended):
            for envelope, payload in zip(envelopes, payloads):
                task = evolve(task, envelope, payload)
            snapshots[task.task_id] = snapshot(task)
        await store.bulk_put(TASKS, snapshots)
        for condition in meeting.keys() - still_waiting:  # no task waits on it any more (a later assignment registers it again)
            await store.delete(AWAITED, awaited_id(condition))
    return sum(len(e) for e in appended)


def awaited_id(condition: str) -> str:
    return hashlib.sha1(condition.encode()).hexdigest()


async def _remember_awaited(batch: list[Event], store: Store) -> None:
    """The distinct conditions tasks wait on: the batch's new assignments', and once per store those of the tasks
    assigned before the AWAITED documents existed."""
    conditions = {e.payload.timing.condition for e in batch if isinstance(e.payload, TaskAssigned) and e.payload.timing.condition}
    if not await store.get_position(AWAITED_BACKFILLED):
        conditions |= {d["condition"] for d in await store.find(TASKS, waiting_condition=True)}
        await store.set_position(AWAITED_BACKFILLED, 1)
    await store.bulk_put(AWAITED, {awaited_id(c): {"condition": c} for c in conditions})


def _meet(task: Task, event: Event, today: date, immediate_days: int) -> list:
    plan: PlanIssued = event.payload
    return meet_condition(task, plan.issued_on or local_today(event.envelope.occurred_at), today, ConditionSource.plan, immediate_days,
                          plan_id=plan.plan_id, document=plan.number or plan.title[:300])


def _cause(event: Event) -> Cause:
    return Cause("tasks.conditions", event.envelope.correlation_id, str(event.envelope.event_id))


async def _meet_one_by_one(decided: list[tuple[Task, list, Cause]], meeting: dict[str, Event], store: Store, events: EventLog,
                           today: date, immediate_days: int) -> int:
    met = 0
    for task, _, cause in decided:
        event = meeting[task.condition]
        try:
            met += len(await decide_and_save(store, events, task.task_id, lambda t: _meet(t, event, today, immediate_days), cause))
        except (Rejected, ConcurrencyError):
            continue  # met before (a redelivery), or moved on: nothing to do
    return met

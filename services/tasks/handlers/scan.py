"""The deadline scanner: a schedule, not a scan.

Each task snapshot carries `attention_on`, the first local day a decision may change it without
anyone reporting (domain `next_attention`), in an indexed field. The scanner reads only the
snapshots whose day has come (an index range, lowest first), decides each with the domain's rule
(`miss_deadline`: DeadlineMissed once per task and due date), and appends a batch of decisions in
one append and one transaction with their refreshed snapshots, under one correlation id (the batch's decisions have one
cause: the day came). A snapshot behind its stream (another writer got there first) sends its batch
through the slow path: each task rebuilt from its events and decided alone. Between batches the scan
gives the event loop a turn: the store's calls never wait, and a quarter end (100k tasks due at once)
must not starve the service's HTTP requests and its consumers' heartbeats for the minute it takes.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, time

from services.runtime.clock import LOCAL_TZ, Clock, local_today
from services.runtime.eventlog import EventLog
from services.runtime.events import Cause, new_correlation_id
from services.runtime.ports import ConcurrencyError, Store
from services.tasks.domain import task as domain
from services.tasks.domain.task import Task, evolve
from services.tasks.handlers.repository import TASKS, load, save, snapshot, stream_of

ATTENTION = "attention_on"  # indexed (tasks bootstrap INDEXES)
BATCH = 500
BACKFILLED = "tasks.attention_on.v1"  # position name: old snapshots got their attention_on
log = logging.getLogger("tiendo.tasks.scanner")


async def scan_deadlines(store: Store, events: EventLog, clock: Clock, batch: int = BATCH) -> int:
    """Decide every task whose day of attention has come; returns how many events were appended."""
    today = local_today(clock.now())
    appended = 0
    while docs := await store.find_lowest(TASKS, ATTENTION, batch, upto=today.isoformat()):
        count, settled = await _decide_batch(store, events, [Task.from_doc(d) for d in docs], today)
        appended += count
        if not settled:  # the rules and next_attention disagree: never spin on it
            log.warning("deadline scanner: %d tasks need attention but no rule changes them", len(docs))
            break
        await asyncio.sleep(0)
    return appended


async def _decide_batch(store: Store, events: EventLog, tasks: list[Task], today: date) -> tuple[int, int]:
    """(events appended, tasks whose attention moved past today). One append for the batch; if any snapshot
    was behind its stream (another writer got there first), the batch is decided again task by task from the streams."""
    decided = [(task, domain.miss_deadline(task, today)) for task in tasks]
    cause = Cause("tasks.deadline-scanner", new_correlation_id())
    appends = [(stream_of(t.task_id), t.version, p, cause) for t, p in decided if p]
    try:
        async with store.transaction():
            appended = iter(await events.append_many(appends))
            snapshots = {}
            for task, payloads in decided:
                for envelope, payload in zip(next(appended) if payloads else (), payloads):
                    task = evolve(task, envelope, payload)
                snapshots[task.task_id] = snapshot(task)  # also when nothing was decided: attention_on is refreshed
            await store.bulk_put(TASKS, snapshots)
        count = sum(len(p) for _, p in decided)
    except ConcurrencyError:
        count, snapshots = 0, {}
        for task in tasks:
            appended_one, snapshots[task.task_id] = await _decide_fresh(store, events, task.task_id, today)
            count += appended_one
    settled = sum(1 for doc in snapshots.values() if doc[ATTENTION] is None or doc[ATTENTION] > today.isoformat())
    return count, settled


async def _decide_fresh(store: Store, events: EventLog, task_id: str, today: date) -> tuple[int, dict]:
    task = await load(store, events, task_id, fresh=True)
    try:
        task, envelopes = await save(store, events, task, domain.miss_deadline(task, today), Cause("tasks.deadline-scanner", new_correlation_id()))
    except ConcurrencyError:
        return 0, snapshot(task)  # moved on again: the next scan looks at it
    if not envelopes:
        await store.put(TASKS, task_id, snapshot(task))
    return len(envelopes), snapshot(task)


async def next_attention_moment(store: Store) -> datetime | None:
    """The start (local midnight, as UTC) of the earliest day any task needs attention, or None."""
    first = await store.find_lowest(TASKS, ATTENTION, 1)
    if not first:
        return None
    return datetime.combine(date.fromisoformat(first[0][ATTENTION]), time(), LOCAL_TZ)


async def index_attention_of_old_snapshots(store: Store) -> int:
    """Once per store: open snapshots written before `attention_on` existed get it (else the scanner never sees them)."""
    if await store.get_position(BACKFILLED):
        return 0
    old = {d["task_id"]: Task.from_doc(d).to_doc() for d in await store.find(TASKS, open=True) if ATTENTION not in d}
    async with store.transaction():
        await store.bulk_put(TASKS, old)
        await store.set_position(BACKFILLED, 1)
    return len(old)

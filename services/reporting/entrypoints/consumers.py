"""Kafka entrypoint of reporting: ONE event consumer over the plans, tasks and notify topics.

Each batch is fetched, decoded and checked once, and applied in one store transaction with one checkpoint advance: the
projection (units, agencies, plans, task views, counters: handlers/project.py), then the live views (escalations in
progress: handlers/escalations.py; each task's timeline: handlers/timeline.py). Each part ignores the events that are
not its own (by their streams), so each is handed the whole batch.

Before this consumer, reporting ran two (`REPLACED`): the projection (plans and tasks topics) and the live views (tasks
and notify topics), each with its own checkpoints, in two transactions per batch. A store they wrote moves to this one
without losing or doubling anything (`MovedCheckpoints`): for a stream this consumer has no checkpoint of yet, it
starts from the LOWER of the two old checkpoints (a part that holds none counts 0), and each part of a batch is then
skipped where its own old checkpoint says it applied it. Nothing is copied up front (the ledger port has no way to list
a consumer's checkpoints): the old ones are read, per batch, only for the streams this consumer has not applied yet.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from schemas.catalog import NOTIFY_EVENTS, PLANS_EVENTS, TASKS_EVENTS, Event
from services.reporting.domain.escalations import ESCALATIONS
from services.reporting.handlers.escalations import follow_escalations
from services.reporting.handlers.project import CONSUMER, ProjectionProgress, project, write_memory
from services.reporting.handlers.repository.counters import Memory
from services.reporting.handlers.timeline import hold_timelines, record_timelines, write_held_timelines
from services.runtime.ports import Ledger, Store
from services.runtime.service import ServiceRuntime

TOPICS = (PLANS_EVENTS, TASKS_EVENTS, NOTIFY_EVENTS)
LIVE_VIEWS = (ESCALATIONS,)  # what `apply` finds documents in when the projection is in memory (the timelines are held too)
PROJECTION, LIVE = "reporting.projection", "reporting.live"  # the two consumers this one replaced (read, never written)
REPLACED = (PROJECTION, LIVE)


class MovedCheckpoints:
    """The bus's ledger for a reporting store written by the two consumers of before (module docstring).

    `checkpoints_of` answers for CONSUMER, for a stream it never applied, min(projection's, live's) old checkpoint (a
    part without one counts 0: it has applied nothing of that stream; a stream neither knows stays unknown), read in
    one more query for those streams only; where the two differ, `parts` keeps both for `apply_parts`. Everything else
    (advance, transactions, the group's republish floors) goes to the store unchanged: only CONSUMER's checkpoints are
    written from now on. A checkpoint never moves back, so an old one read once stays true: `parts` keeps it until
    CONSUMER's stored checkpoint of the stream has passed both (read with a later batch of that stream)."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.parts: dict[str, tuple[int, int]] = {}  # stream -> (projection's, live's) old checkpoint, where they differ

    def __getattr__(self, name: str) -> Any:  # transaction, advance, unseen, mark, get, put: the store's own
        if name == "ledger":  # not set yet (a copy being made): no recursion
            raise AttributeError(name)
        return getattr(self.ledger, name)

    async def checkpoints(self, consumer: str, stream_ids: Iterable[str]) -> dict[str, int]:
        return (await self.checkpoints_of([consumer], stream_ids)).get(consumer, {})

    async def checkpoints_of(self, consumers: Iterable[str], stream_ids: Iterable[str]) -> dict[str, dict[str, int]]:
        consumers, streams = list(consumers), list(stream_ids)
        found = await self.ledger.checkpoints_of(consumers, streams)
        if CONSUMER not in consumers:
            return found
        mine = found.get(CONSUMER, {})
        parts = self.parts
        if parts:  # a stream whose stored checkpoint passed both old ones needs its parts no more (bounded memory)
            for stream in [s for s, v in mine.items() if s in parts and v >= max(parts[s])]:
                del parts[stream]
        missing = [s for s in streams if s not in mine]
        if missing:
            old = await self.ledger.checkpoints_of(REPLACED, missing)
            projected, live = old.get(PROJECTION, {}), old.get(LIVE, {})
            for stream in projected.keys() | live.keys():
                p, q = projected.get(stream, 0), live.get(stream, 0)
                if min(p, q):
                    mine[stream] = min(p, q)
                if p != q:
                    self.parts[stream] = (p, q)
        if mine:
            found[CONSUMER] = mine
        return found


def parted(batch: list[Event], parts: Mapping[str, tuple[int, int]]) -> tuple[list[Event], list[Event]]:
    """(the projection's events, the live views') of a batch: each without what its old checkpoint says it applied."""
    if not parts:
        return batch, batch
    projected, live = [], []
    for event in batch:
        p, q = parts.get(event.envelope.stream_id, (0, 0))
        version = event.envelope.stream_version
        if version > p:
            projected.append(event)
        if version > q:
            live.append(event)
    return projected, live


def register(rt: ServiceRuntime, memory: Memory | None = None, moved: MovedCheckpoints | None = None) -> ProjectionProgress:
    """Subscribe reporting's one event consumer (module docstring); `moved`: the bus's ledger when the store may hold
    the old consumers' checkpoints (bootstrap). With a `memory` (a rebuild) the projection's views and counters, and the
    timelines, stay in memory until `progress.memory` is written and set to None; the escalations go to the store with
    every batch."""
    progress = ProjectionProgress()
    progress.memory = memory
    store = rt.store

    async def on_events(batch: list[Event]) -> None:
        await apply(batch, store, progress, moved.parts if moved is not None else {})

    # the store only: views and checkpoints, one commit; notify's escalations wait while reporting is behind on the tasks
    # and plans topics (a quarter end's misses are shown first; runtime/precedence.py)
    rt.subscribe_events(TOPICS, CONSUMER, on_events, atomic=True, later=(NOTIFY_EVENTS,))
    return progress


async def apply(batch: list[Event], store: Store, progress: ProjectionProgress, parts: Mapping[str, tuple[int, int]] | None = None) -> None:
    """Apply a batch of checked events, in order, each stream past its checkpoint (the caller's transaction holds the
    checkpoints' advance): the projection and the timelines (in `progress.memory` while it is set: a rebuild), the
    escalations in progress. The service's consumer and the rebuild (rebuild.py) both apply through here."""
    projected, live = parted(batch, parts or {})
    memory = progress.memory
    await project(projected, store, progress, memory, checkpointed=True)
    await follow_escalations(live, store)
    if memory is not None:
        hold_timelines(live, memory.timelines)
    else:
        await record_timelines(live, store)


async def write_held(store: Store, memory: Memory) -> None:
    """Write what `apply` held in a rebuild's memory, in one transaction: the projection (handlers/project.write_memory,
    its checkpoints left to the rebuild's held ones) and the timelines (handlers/timeline.write_held_timelines)."""
    async with store.transaction():
        await write_memory(store, memory, checkpoints=False)
        await write_held_timelines(store, memory.timelines)
        memory.timelines = {}


def moved_checkpoints(rt: ServiceRuntime, store: Store) -> MovedCheckpoints:
    """The bus's checkpoints for a store the two consumers of before may have written (module docstring)."""
    moved = MovedCheckpoints(store)
    rt.bus.use_checkpoints(moved)
    return moved

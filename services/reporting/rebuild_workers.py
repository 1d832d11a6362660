"""A rebuild on several cores: the rebuild's process (rebuild.py) and worker processes forked from it each replay a
share of the tasks' and notify's records into a model of their own in memory; the rebuild merges the workers' parts
into its own and writes the store once (rebuild_shares.py). This module: the shares, and a worker's side.

The share is by the tasks topic's partitions: share k of n reads the partitions at k, k + n, … of the topic's sorted
partitions, so the broker serves each of its records once (two readers of a whole topic each waited on their fetches:
bench/history/national-scale.md, p2-parallel). A record's share is that of the partition its stream's task key hashes
to (runtime/record_batches.partition_of, how the relays place a key: murmur2): a task's own stream (`task-<id>`) and its
escalation items' (`escalation-<id>@<due or period>`, notify topic, keyed otherwise) go to the same share, so each
task's view and timeline (its own and its escalations' entries, trimmed together: domain/timeline.py) are made whole
by one process, as one process makes them. Every other stream (a periodic report's) goes by its own key. The notify
topic is read whole by every share, each applying its own (its records are few beside the tasks topic's: escalations
of overdue tasks), and its keys hash elsewhere than their tasks'.

A record on a partition of the tasks topic that is not its key's share (a producer that placed it otherwise) is a
stray (`Strayed`): applied there, its stream's other records, or its task's escalations, might be applied by another
share. The share that reads it stops at once, and the rebuild starts again in one process (rebuild_shares.in_shares):
nothing is lost or applied twice, the shares' work is thrown away.

The directory (the plans topic) is small: the rebuild replays it first, alone, then forks a worker per share but its
own (share 0), each starting with the directory's plans in memory (what a task's view reads: the plan's due-soon
window). What a worker makes splits cleanly:
- per task or per stream, disjoint between workers: task views, timelines (as their final heads), escalations, the
  periodic reports' documents, the stream checkpoints; `merge` refuses a task, document or stream two parts hold;
- summed across streams, merged by addition: the counts of the final task views (domain/counters.views_counts, which
  is a sum over views), the counts not yet carried to totals (`pending`: periodic reports), each unit's day history
  (`months`, `report_months`: a day's entry kept even when it adds up to nothing, as one process keeps it).
A worker that fails sends one line naming the topic, partition and offset of the batch (replay.ReplayFailed) and the
rebuild ends with it; nothing is written until every part is in.
"""
from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Sequence

from schemas.catalog import NOTIFY_EVENTS, TASKS_EVENTS, Event
from services.reporting.bootstrap import INDEXES
from services.reporting.domain.counters import views_counts
from services.reporting.domain.escalations import ESCALATIONS
from services.reporting.domain.projection import PLANS
from services.reporting.domain.timeline import held_head
from services.reporting.entrypoints import consumers
from services.reporting.handlers.project import CONSUMER, ProjectionProgress, _view_keys  # noqa: PLC2701 - a view's kept keys
from services.reporting.handlers.repository.counters import Memory
from services.runtime.continuity import HeldCheckpoints
from services.runtime.memory_store import MemoryStore
from services.runtime.record_batches import partition_of
from services.runtime.replay import MAX_RECORDS, Replay, ReplayFailed
from services.runtime.settings import ServiceSettings
from services.runtime.subscriptions import DeadLetter

SHARED_TOPICS = (TASKS_EVENTS, NOTIFY_EVENTS)  # the tasks topic by partition, the notify topic whole; the plans topic first, alone
ESCALATION, TASK = b"escalation-", b"task-"


class Strayed(Exception):
    """A record on a partition of the tasks topic that its key's share does not read (module docstring)."""


def task_key(key: bytes) -> bytes:
    """The key a record is shared by: its task's stream id for an escalation item's stream, else its own."""
    return TASK + key[len(ESCALATION):].rsplit(b"@", 1)[0] if key.startswith(ESCALATION) else key


def share_of(key: bytes | None, partitions: Sequence[int], shares: int) -> int:
    """The share (0 … shares-1) that applies a record with this key: that of the tasks topic's partition (`partitions`:
    the topic's, sorted) its task key hashes to. A record without a key: share 0."""
    if not key:
        return 0
    return partitions.index(partition_of(task_key(key), partitions)) % shares


class Share:
    """One process's share: the tasks topic's partitions it reads, and (called with a record) whether it applies it."""

    def __init__(self, share: int, shares: int, partitions: Sequence[int]) -> None:
        self.share, self.shares, self.all = share, shares, sorted(partitions)
        self.partitions = self.all[share::shares]  # the tasks topic's partitions this share reads

    def __call__(self, record: Any) -> bool:
        home = share_of(record.key, self.all, self.shares)
        if home != self.share and record.topic == TASKS_EVENTS:
            raise Strayed(f"{record.topic}[{record.partition}]@{record.offset}: key {record.key!r} is share {home}'s of "
                          f"0-{self.shares - 1}, read by share {self.share}'s (a producer placed it otherwise)")
        return home == self.share


@dataclass
class Part:
    """What one worker made of its share (module docstring), ready to merge."""

    tasks: dict[str, dict] = field(default_factory=dict)
    heads: dict[str, dict] = field(default_factory=dict)  # task id -> its timeline's head, trimmed as written
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # owner -> the final task views' counts
    pending: dict[str, dict[str, int]] = field(default_factory=dict)
    months: dict[str, dict] = field(default_factory=dict)
    report_months: dict[str, dict] = field(default_factory=dict)
    docs: dict[tuple[str, str], dict] = field(default_factory=dict)  # (collection, id) -> a directory document it wrote
    escalations: dict[str, dict] = field(default_factory=dict)
    checkpoints: dict[str, int] = field(default_factory=dict)  # stream -> last version applied
    positions: dict[tuple[str, int], int] = field(default_factory=dict)  # where its replay stopped
    received: int = 0  # events handed to the projection (ProjectionProgress), as the rebuild counts them
    applied: int = 0
    refused: int = 0  # records dead-lettered
    phases: tuple[tuple[str, float, float], ...] = ()  # the worker's steps: wall and its CPU seconds (rebuild.Phases)


def replay_of(bootstrap: str, checkpoints: HeldCheckpoints, dead_letter: DeadLetter, share: Share) -> Replay:
    """A replay of this share's partitions of the tasks topic and of the whole notify topic, applying its records."""
    return Replay(bootstrap, SHARED_TOPICS, CONSUMER, checkpoints, dead_letter, select=share,
                  partitions={TASKS_EVENTS: share.partitions})


async def replay_share(settings: ServiceSettings, share: Share, plans: dict[str, dict], quiet: float, settle: float,
                       timeout: float) -> Part:
    """Replay the shared topics from their beginning, applying this share's records into a model in memory (the
    escalations into a store in memory), until quiet; its part."""
    from services.reporting.rebuild import DeadLetters, Phases  # the rebuild's own: a refused record is dead-lettered once

    phases = Phases()
    store = MemoryStore(INDEXES)  # the escalations only: the projection and the timelines are held in `memory`
    checkpoints = HeldCheckpoints(store)
    dead_letters = DeadLetters(settings)
    replay = replay_of(settings.kafka_bootstrap, checkpoints, dead_letters, share)
    memory = Memory(docs={PLANS: plans})
    progress = ProjectionProgress(memory=memory)

    async def apply(batch: list[Event]) -> None:
        await consumers.apply(batch, store, progress)

    try:
        await replay.start()
        async with store.bulk_load(read=consumers.LIVE_VIEWS):
            await replay.until_quiet(apply, quiet, settle, timeout)
        positions = await replay.positions()
        phases.end(f"share {share.share} replayed by its worker")
    finally:
        await replay.stop()
        await dead_letters.stop()
    part = await part_of(memory, store, (checkpoints.held or {}).get(CONSUMER, {}), positions, progress, replay.refused)
    phases.end(f"share {share.share}'s part made")
    part.phases = tuple(phases.ended)
    return part


async def part_of(memory: Memory, store: MemoryStore, checkpoints: dict[str, int], positions: dict[tuple[str, int], int],
                  progress: ProjectionProgress, refused: int) -> Part:
    """A worker's model made into its part: each timeline as its final head, the views' counts worked out here (in the
    workers, side by side), the escalations out of its store."""
    return Part(tasks=memory.tasks, heads=heads_of(memory), counts=views_counts(_view_keys(memory)), pending=memory.pending,
                months=memory.months, report_months=memory.report_months,
                docs={(c, i): memory.docs[c][i] for c, i in memory.dirty_docs},
                escalations={d["item_id"]: d for d in await store.find(ESCALATIONS)}, checkpoints=checkpoints,
                positions=positions, received=progress.received, applied=progress.applied, refused=refused)


def heads_of(memory: Memory) -> dict[str, dict]:
    """Each held timeline as its final head (handlers/timeline.write_held_timelines writes a head held with no entries
    as it is)."""
    return {t: held_head(t, head, entries) if entries or head is None else head for t, (head, entries) in memory.timelines.items()}


def work(conn: Connection, settings: ServiceSettings, share: Share, plans: dict[str, dict], quiet: float, settle: float,
         timeout: float) -> None:
    """A worker process, forked once the directory is in memory (`plans`: its plans): replays its share in a loop of its
    own, sends ("part", Part), ("strayed", one line) or ("failed", one line), and ends at once (os._exit: nothing of the rebuild's process it
    was forked from is closed or freed here; its model is the rebuild's now)."""
    from services.reporting.rebuild import collector_off

    code = 0
    try:
        with collector_off():  # the loop is not closed: the process ends when its part is sent (os._exit below)
            part = asyncio.new_event_loop().run_until_complete(replay_share(settings, share, plans, quiet, settle, timeout))
        conn.send(("part", part))
    except Strayed as strayed:
        code = 4
        conn.send(("strayed", str(strayed)))
    except ReplayFailed as failed:
        code = 3
        conn.send(("failed", str(failed)))
    except BaseException as error:  # noqa: BLE001 - anything else ends the rebuild too, named
        code = 1
        conn.send(("failed", f"worker {share.share + 1} of {share.shares}: {type(error).__name__}: {error}"))
    finally:
        conn.close()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)



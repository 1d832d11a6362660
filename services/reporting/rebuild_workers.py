"""A rebuild on several cores: the rebuild's process (rebuild.py) and worker processes forked from it each replay a
share of the tasks' and notify's records into a model of their own in memory; the rebuild merges the workers' parts
into its own and writes the store once (rebuild_shares.py). This module: the shares, and a worker's side.

The share is a task's: a record goes to worker `share_of(key)`, by its key (the stream id) before anything is decoded;
a task's own stream (`task-<id>`) and its escalation items' (`escalation-<id>@<due or period>`) go to the same worker,
so each task's view and timeline (its own and its escalations' entries, trimmed together: domain/timeline.py) are made
whole by one worker, as one process makes them. Every other stream (a periodic report's) goes by its own id. Each
worker reads every partition of the two topics and passes over the records of the other shares undecoded.

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
import zlib
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

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
from services.runtime.replay import MAX_RECORDS, Replay, ReplayFailed
from services.runtime.settings import ServiceSettings
from services.runtime.subscriptions import DeadLetter

SHARED_TOPICS = (TASKS_EVENTS, NOTIFY_EVENTS)  # read by every worker, each applying its share; the plans topic first, alone
ESCALATION, TASK = b"escalation-", b"task-"


def share_of(key: bytes | None, shares: int) -> int:
    """The worker (0 … shares-1) that applies a record with this key: by its task for a task's or an escalation
    item's stream (`task-<id>`, `escalation-<id>@…`: one timeline), else by the stream id itself."""
    if not key:
        return 0
    if key.startswith(ESCALATION):
        key = TASK + key[len(ESCALATION):].rsplit(b"@", 1)[0]
    return zlib.crc32(key) % shares


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


def replay_of(bootstrap: str, checkpoints: HeldCheckpoints, dead_letter: DeadLetter, share: int, shares: int) -> Replay:
    """A replay of the shared topics that applies this share's records (a larger batch: it passes the others over)."""
    return Replay(bootstrap, SHARED_TOPICS, CONSUMER, checkpoints, dead_letter, max_records=MAX_RECORDS * shares,
                  select=lambda record: share_of(record.key, shares) == share)


async def replay_share(settings: ServiceSettings, share: int, shares: int, plans: dict[str, dict], quiet: float, settle: float,
                       timeout: float) -> Part:
    """Replay the shared topics from their beginning, applying this share's records into a model in memory (the
    escalations into a store in memory), until quiet; its part."""
    from services.reporting.rebuild import DeadLetters, Phases  # the rebuild's own: a refused record is dead-lettered once

    phases = Phases()
    store = MemoryStore(INDEXES)  # the escalations only: the projection and the timelines are held in `memory`
    checkpoints = HeldCheckpoints(store)
    dead_letters = DeadLetters(settings)
    replay = replay_of(settings.kafka_bootstrap, checkpoints, dead_letters, share, shares)
    memory = Memory(docs={PLANS: plans})
    progress = ProjectionProgress(memory=memory)

    async def apply(batch: list[Event]) -> None:
        await consumers.apply(batch, store, progress)

    try:
        await replay.start()
        async with store.bulk_load(read=consumers.LIVE_VIEWS):
            await replay.until_quiet(apply, quiet, settle, timeout)
        positions = await replay.positions()
        phases.end(f"share {share} replayed by its worker")
    finally:
        await replay.stop()
        await dead_letters.stop()
    part = await part_of(memory, store, (checkpoints.held or {}).get(CONSUMER, {}), positions, progress, replay.refused)
    phases.end(f"share {share}'s part made")
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


def work(conn: Connection, settings: ServiceSettings, share: int, shares: int, plans: dict[str, dict], quiet: float, settle: float,
         timeout: float) -> None:
    """A worker process, forked once the directory is in memory (`plans`: its plans): replays its share in a loop of its
    own, sends ("part", Part) or ("failed", one line), and ends at once (os._exit: nothing of the rebuild's process it
    was forked from is closed or freed here; its model is the rebuild's now)."""
    from services.reporting.rebuild import collector_off

    code = 0
    try:
        with collector_off():  # the loop is not closed: the process ends when its part is sent (os._exit below)
            part = asyncio.new_event_loop().run_until_complete(replay_share(settings, share, shares, plans, quiet, settle, timeout))
        conn.send(("part", part))
    except ReplayFailed as failed:
        code = 3
        conn.send(("failed", str(failed)))
    except BaseException as error:  # noqa: BLE001 - anything else ends the rebuild too, named
        code = 1
        conn.send(("failed", f"worker {share + 1} of {shares}: {type(error).__name__}: {error}"))
    finally:
        conn.close()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)



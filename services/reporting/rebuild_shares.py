"""The rebuild's side of a rebuild on several cores (rebuild_workers.py says how the work is shared): the directory
replayed here, the workers forked, share 0 replayed here, the workers' parts received, merged and written with this
process's own in the model's one transaction, and the replay that goes on from where every share stopped. A stray
record (rebuild_workers.Strayed), here or in a worker, ends the shares before anything of the model is written: the
rebuild starts again in one process (rebuild.py)."""
from __future__ import annotations

import asyncio
import multiprocessing
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Awaitable, Callable

from schemas.catalog import TASKS_EVENTS, Event
from services.reporting import rebuild_workers
from services.reporting.domain.counters import add, views_counts
from services.reporting.domain.escalations import ESCALATIONS
from services.reporting.domain.projection import PLANS, TASKS
from services.reporting.entrypoints import consumers
from services.reporting.handlers.project import CONSUMER, _view_keys  # noqa: PLC2701 - a view's kept keys
from services.reporting.handlers.repository.counters import CounterBook, Memory
from services.reporting.handlers.repository.directory import write_directory
from services.reporting.handlers.timeline import write_held_timelines
from services.reporting.rebuild_workers import Part, Share, Strayed, heads_of
from services.runtime.continuity import HeldCheckpoints
from services.runtime.ports import Store
from services.runtime.replay import Replay, ReplayFailed
from services.runtime.settings import ServiceSettings

if TYPE_CHECKING:
    from services.reporting.rebuild import Phases


@dataclass
class Done:
    """What the workers applied, counted as ProjectionProgress counts."""

    received: int = 0
    applied: int = 0
    refused: int = 0


async def in_shares(settings: ServiceSettings, shares: int, replay: Replay, apply: Callable[[list[Event]], Awaitable[None]],
                    store: Store, memory: Memory, checkpoints: HeldCheckpoints, done: Done, *, quiet: float, settle: float,
                    timeout: float, started: float, tick: Callable[[], None], phases: Phases, whole: Awaitable[None]) -> Replay:
    """The directory replayed here (the plans topic, alone, until quiet for a second at most: a plan it misses is one
    applied by the replay that goes on, as a plan after its tasks); then this process replays share 0 of the rest and
    `shares - 1` worker processes the others (rebuild_workers.py); in one transaction, what this process's share alone
    decides is written while the workers' parts come in, then their parts merged into `memory` and `checkpoints` and
    the rest of the model written. Returns the replay that goes on from where they all stopped, over every topic.
    Strayed (nothing of the model written, the escalations this process applied in the store) when a share met a record
    on a partition of the tasks topic that is not its key's share."""
    await replay.start()
    await replay.until_quiet(apply, min(quiet, 1.0), 0.0, timeout)
    partitions = replay.found[TASKS_EVENTS]  # each share reads its own of them
    phases.end("directory replayed")
    # forked once the directory is in memory: each worker starts with it and with every module imported; it makes a
    # loop, a broker connection and a store of its own and touches none of this process's (rebuild_workers.work)
    context = multiprocessing.get_context("fork")
    pipes = [context.Pipe(duplex=False) for _ in range(1, shares)]
    plans = memory.docs.get(PLANS, {})
    settle = max(0.0, settle - (time.monotonic() - started))  # the workers too run `settle` seconds from the rebuild's start
    processes = [context.Process(target=rebuild_workers.work, name=f"tiendo-rebuild-{share + 1}", daemon=True,
                                 args=(pipes[share - 1][1], settings, Share(share, shares, partitions), plans, quiet, settle, timeout))
                 for share in range(1, shares)]
    for process in processes:
        process.start()
    mine = rebuild_workers.replay_of(settings.kafka_bootstrap, checkpoints, replay._dead_letter, Share(0, shares, partitions))  # noqa: SLF001
    try:
        for _, sending in pipes:
            sending.close()  # the workers' ends: a worker that dies leaves its pipe at EOF
        receiving = asyncio.ensure_future(_parts([parent for parent, _ in pipes], processes))  # read as they come
        receiving.add_done_callback(lambda future: future.cancelled() or future.exception())  # retrieved, whatever ends first
        await mine.start()
        own = asyncio.ensure_future(mine.until_quiet(apply, quiet, settle, timeout, tick))
        await asyncio.wait((own, receiving), return_when=asyncio.FIRST_COMPLETED)
        if receiving.done() and receiving.exception() is not None:  # a worker strayed or failed: this share ends too
            own.cancel()
            await asyncio.gather(own, return_exceptions=True)
            raise receiving.exception()  # type: ignore[misc]
        await own
        phases.end("share 0 replayed here")
        positions = {**await replay.positions(), **await mine.positions()}
        await mine.stop()
        await replay.stop()
        await whole  # the history judged whole (floors.require_whole), or refused before anything is written
        async with store.transaction():  # the model's one: nothing of it is written unless all of it is
            finish_own(memory)  # while the workers may still work on theirs
            await write_own(store, memory)
            phases.end("share 0 finished and written")
            parts = await receiving
            phases.end("workers' parts received")
            phases.ended.extend(step for part in parts for step in part.phases)  # theirs, side by side with these
            held = checkpoints.held.setdefault(CONSUMER, {}) if checkpoints.held is not None else {}
            escalations: dict[str, dict] = {}
            for part in parts:
                escalations.update(merge(memory, held, part))
                done.received, done.applied, done.refused = done.received + part.received, done.applied + part.applied, done.refused + part.refused
            done.refused += mine.refused
            phases.end("parts merged")
            if escalations:  # the workers' (this process wrote its own with each batch)
                await store.bulk_put(ESCALATIONS, dict(sorted(escalations.items())))
            await consumers.write_held(store, memory)  # the workers' views and timelines, every count, the checkpoints
            await checkpoints.write()
        going_on = Replay(settings.kafka_bootstrap, consumers.TOPICS, CONSUMER, checkpoints, replay._dead_letter)  # noqa: SLF001
        going_on.checkpoints = dict(held)  # every stream applied: the directory's, this process's share's, the workers'
        going_on.refused = replay.refused
        await going_on.start({**positions, **positions_of(parts, positions)})
        return going_on
    finally:
        await mine.stop()
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()


async def _parts(pipes: list[Connection], processes: list[BaseProcess]) -> list[Part]:
    """Each worker's part, in share order; the first failure ends the rebuild (ReplayFailed, the worker's one line)."""
    waiting = {asyncio.ensure_future(asyncio.to_thread(_received, pipe, process)): share
               for share, (pipe, process) in enumerate(zip(pipes, processes))}
    parts: dict[int, Part] = {}
    try:
        while waiting:
            finished, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            for future in finished:
                parts[waiting.pop(future)] = future.result()
    finally:
        for process in processes:  # a failure: the other workers end now (their threads' recv then ends too)
            if waiting and process.is_alive():
                process.terminate()
    return [parts[share] for share in sorted(parts)]


def _received(pipe: Connection, process: BaseProcess) -> Part:
    try:
        kind, found = pipe.recv()
    except EOFError:
        process.join()
        raise ReplayFailed(f"{process.name} ended (exit code {process.exitcode}) without sending its part") from None
    if kind == "failed":
        raise ReplayFailed(found)
    if kind == "strayed":
        raise Strayed(found)
    return found


def finish_own(memory: Memory) -> None:
    """The rebuild's own share made as a worker makes its part, in place: its timelines' final heads, its final views'
    counts carried (views_counts is a sum over views: the parts' are added by `merge`, and write_memory counts none)."""
    memory.timelines = {t: (head, []) for t, head in heads_of(memory).items()}
    for owner, change in views_counts(_view_keys(memory)).items():
        add(memory.pending.setdefault(owner, {}), change)
    memory.tasks_counted, memory.keys = True, {}


def merge(memory: Memory, checkpoints: dict[str, int], part: Part) -> dict[str, dict]:
    """Merge a worker's part into the rebuild's memory (the directory's) and its held checkpoints; returns its
    escalations. A task, document or stream already held is a fault (the shares overlap), not a thing to add twice."""
    for name, mine, theirs in (("task", memory.tasks, part.tasks), ("timeline", memory.timelines, part.heads),
                               ("stream", checkpoints, part.checkpoints)):
        both = mine.keys() & theirs.keys()
        if both:
            raise ValueError(f"two workers applied the same {name}: {sorted(both)[:3]}")
    memory.tasks.update(part.tasks)
    memory.dirty_tasks.update(part.tasks)
    memory.timelines.update((t, (head, [])) for t, head in part.heads.items())  # a head as written (write_held_timelines)
    checkpoints.update(part.checkpoints)
    for owner, change in (*part.counts.items(), *part.pending.items()):
        add(memory.pending.setdefault(owner, {}), change)
    memory.tasks_counted = True  # the parts' final views are counted (write_memory would count them once more)
    for months, dirty, theirs in ((memory.months, memory.dirty_months, part.months),
                                  (memory.report_months, memory.dirty_report_months, part.report_months)):
        for doc_id, doc in theirs.items():
            dirty.add(doc_id)
            found = months.get(doc_id)
            if found is None:
                months[doc_id] = doc
                continue
            for day, change in doc["days"].items():
                add(found["days"].setdefault(day, {}), change)
    for (collection, doc_id), doc in part.docs.items():
        docs = memory.docs.setdefault(collection, {})
        if doc_id in docs:
            raise ValueError(f"two workers wrote {collection} {doc_id}")
        docs[doc_id] = doc
        memory.dirty_docs.add((collection, doc_id))
    return part.escalations


async def write_own(store: Store, memory: Memory) -> None:
    """What the rebuild's own share decides alone, written (in the model's transaction) while the workers' parts come in:
    its task views and timelines (each task is one share's), the directory; its counts settled into the current counts
    in memory (settling adds: the parts' counts are settled after them, when the counters are written)."""
    if memory.dirty_tasks:
        await store.bulk_put(TASKS, {t: memory.tasks[t] for t in sorted(memory.dirty_tasks)})
        memory.dirty_tasks = set()
    await write_held_timelines(store, memory.timelines)
    memory.timelines = {}
    await write_directory(store, memory)
    await CounterBook(store, memory).settle()


def positions_of(parts: list[Part], positions: dict[tuple[str, int], int]) -> dict[tuple[str, int], int]:
    """Where to go on from: each partition at the lowest offset a replay stopped at, the parts' and this process's
    `positions` (what one passed, its checkpoints skip)."""
    found = dict(positions)
    for part in parts:
        for where, offset in part.positions.items():
            found[where] = min(offset, found.get(where, offset))
    return found

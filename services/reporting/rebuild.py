"""Rebuild reporting's read model from offset 0 into a fresh store while the current one keeps serving, then switch.

    python -m services.reporting.rebuild [--store sqlite:///var/reporting-rebuilt.sqlite3] [--quiet 5] [--expected N] [--switch]
                                         [--workers N]

A replay (services/runtime/replay.py) reads the plans, tasks and notify topics from the beginning: every partition
assigned, no consumer group, nothing committed, large batches, each record checked in full by the runtime's decode and
each stream applied once and in order (a refused record goes to the dead-letter topic with its reason, as the service's
consumer sends it). Its batches are applied by the service's own apply (entrypoints/consumers.apply: the projection and
the live views, so escalations and timelines are rebuilt too). Task views, counters, timelines and the stream
checkpoints (the last version applied of each stream; no per-event ledger marks: see handlers/project.write_memory) are
kept in memory (no store write per batch) until the replay has caught up (read models are disposable: a failed rebuild
is thrown away and run again), then written to the fresh store in one go (each task's timeline as one trimmed head:
handlers/timeline.py); the escalations go to the fresh store with each batch, inside the store's bulk load (their
indexes kept up, the others built after). From then on
the replay applies batches to the fresh store directly until it is quiet again. Kafka's end offsets are not reliable
on the bundled broker, so "caught up" means: running for at least `settle` seconds and no event for the last `quiet`
seconds. A batch that cannot be applied ends the rebuild (exit 3, one line naming its topic, partition and offset);
a history republished from the floors is refused (exit 2).

On several cores (`--workers N`; the default is 1, all in this process) the directory (the plans topic) is replayed
here first, alone; then this process and worker processes forked with it replay the tasks' and notify's topics, each
a share of the tasks topic's partitions (a task's own stream and its escalation items' together), into models of their
own in memory; the workers' parts are merged here by addition and disjoint union, and the model written in one
transaction (rebuild_workers.py, rebuild_shares.py). The replay that goes on after the write starts from where every
share stopped. A failed worker ends the rebuild as a failed batch does (exit 3, its line), and nothing of the model is
written. A record a producer placed on another partition than its key hashes to ends the shares and the rebuild starts
again in one process (`Rebuilt.strayed` says why).

`--switch` then points the service at the new copy: it writes `<current sqlite file>.switch.json`
with the new store URL and the rebuild's consumer group, which the service reads when it starts
(bootstrap.switched): the restarted service serves the new copy under the rebuild's group prefix. Its consumers
share one group per process whose name also carries their names (services/runtime/subscriptions.py), and the
service runs one more consumer than the rebuild (its credentials' revocations), so it joins a group of its own, reads
the topics from the beginning and skips what the rebuild applied by the stream checkpoints written with the model: no
event is lost or applied twice.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, TextIO

from schemas.catalog import DEAD_LETTER, NOTIFY_EVENTS, TASKS_EVENTS, Event
from services.reporting import rebuild_shares
from services.reporting.domain.escalations import ESCALATIONS
from services.reporting.bootstrap import INDEXES, switch_file
from services.reporting.domain.projection import TASKS, UNITS
from services.reporting.entrypoints import consumers
from services.reporting.handlers.repository.counters import Memory
from services.reporting.handlers.project import CONSUMER, ProjectionProgress
from services.reporting.rebuild_workers import Strayed
from services.runtime.bus import Bus
from services.runtime.continuity import HeldCheckpoints
from services.runtime.floors import IncompleteHistory, require_whole
from services.runtime.ports import Store
from services.runtime.replay import Replay, ReplayFailed
from services.runtime.settings import ServiceSettings
from services.runtime.store import open_store
from services.runtime.topics import TopicAdmin


@dataclass(frozen=True)
class Rebuilt:
    store_url: str
    consumer_group_prefix: str
    received: int
    applied: int
    units: int
    tasks: int
    seconds: float
    refused: int = 0  # records sent to the dead-letter topic (malformed, out of order, a schema version too new)
    phases: tuple[tuple[str, float, float], ...] = ()  # (step, wall seconds, this process's CPU seconds), in order
    strayed: str = ""  # in shares: the stray record that made the rebuild start again in one process (rebuild_workers.py)

    def __str__(self) -> str:
        refused = f", {self.refused} refused (dead-lettered)" if self.refused else ""
        strayed = f"; started again in one process: {self.strayed}" if self.strayed else ""
        return (f"caught up: {self.received} events received, {self.applied} applied{refused} in {self.seconds:.1f} s; "
                f"{self.units} units, {self.tasks} tasks in {self.store_url}{strayed}")


class Phases:
    """The wall and this process's CPU seconds of each step of a rebuild, taken as each ends."""

    def __init__(self) -> None:
        self.ended: list[tuple[str, float, float]] = []
        self._wall, self._cpu = time.monotonic(), time.process_time()

    def end(self, step: str) -> None:
        wall, cpu = time.monotonic(), time.process_time()
        self.ended.append((step, round(wall - self._wall, 2), round(cpu - self._cpu, 2)))
        self._wall, self._cpu = wall, cpu


class ProgressBar:
    """One line on stderr: a bar against `expected` (when known), events applied, events per second."""

    def __init__(self, out: TextIO, expected: int | None = None, width: int = 30) -> None:
        self.out, self.expected, self.width, self.started = out, expected, width, time.monotonic()

    def show(self, progress: ProjectionProgress, stage: str) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        done = progress.received
        filled = min(self.width, int(self.width * done / self.expected)) if self.expected else (int(elapsed * 4) % self.width)
        bar = ("#" * filled).ljust(self.width, ".") if self.expected else "." * filled + "#" + "." * (self.width - filled - 1)
        share = f" {min(100.0, 100 * done / self.expected):5.1f}%" if self.expected else ""
        self.out.write(f"\r[{bar}]{share} {done:,} events · {done / elapsed:,.0f}/s · {elapsed:.0f} s · {stage}   ")
        self.out.flush()


@contextmanager
def collector_off() -> Iterator[None]:
    """While a rebuild holds its model in memory (millions of small dicts and strings, almost no reference cycles), the
    cyclic garbage collector is off, and as before afterwards. Even run rarely (a young collection every 100,000
    allocations) it walked every object the catch-up made once more: 1.1 of 32.7 CPU s of a 20k-task rebuild, timed by
    gc.callbacks (bench/history/national-scale.md, rebuild-fast). Reference counting still frees everything that is not in a cycle at
    once; the cycles made meanwhile are few (a 60k-task rebuild's peak RSS was the same with the collector off and on).
    Afterwards the objects made meanwhile are frozen (gc.freeze: left out of every later collection; freed by reference
    counting as ever): with the collector off none was collected, so the first young collection would walk them all."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()  # what the catch-up made is not walked once more by the first young collection (0.6 s at 60k tasks)
            gc.enable()


async def rebuild(settings: ServiceSettings, store_url: str, *, quiet: float = 5.0, settle: float = 10.0, timeout: float = 3600.0,
                  bar: ProgressBar | None = None, workers: int = 1) -> Rebuilt:
    """`workers` processes replay the tasks' and notify's topics, each its share of the tasks topic's partitions, this
    one and `workers - 1` forked (rebuild_workers.py); 1 (the default): this process replays every topic itself."""
    shares = workers
    if shares < 1:
        raise ValueError(f"workers must be 1 or more, not {shares}")
    prefix = f"{settings.consumer_group_prefix}.rebuild-{uuid.uuid4().hex[:8]}"
    store = await open_store(store_url, "tiendo_reporting_rebuild", INDEXES)
    if await store.find(UNITS) or await store.find(TASKS):
        await store.close()
        raise ValueError(f"{store_url} is not empty: rebuild into a fresh store")
    checkpoints = HeldCheckpoints(store)  # the stream checkpoints stay in memory too, until written with the model
    dead_letters = DeadLetters(settings)
    # in shares: the directory first (none of the others' partitions: they are the shares'; the tasks topic's named)
    alone = {} if shares == 1 else {TASKS_EVENTS: (), NOTIFY_EVENTS: ()}
    replay = Replay(settings.kafka_bootstrap, consumers.TOPICS, CONSUMER, checkpoints, dead_letters, partitions=alone)
    memory = Memory()
    progress = ProjectionProgress(memory=memory)
    done = rebuild_shares.Done()

    async def apply(batch: list[Event]) -> None:
        await consumers.apply(batch, store, progress)

    stage = "in memory" if shares == 1 else "the directory"

    def tick() -> None:
        if bar is not None:
            bar.show(progress, stage)

    started, phases = time.monotonic(), Phases()
    whole: asyncio.Future[None] | None = None
    try:
        await TopicAdmin(settings.kafka_bootstrap).ensure([*consumers.TOPICS, DEAD_LETTER], settings.topic_partitions)
        # not a declared group (floors.py): the history is judged while the replay runs (a partition with no record yet
        # is waited for seconds), and a refusal comes before anything of the model is written
        whole = asyncio.ensure_future(require_whole(settings.kafka_bootstrap, consumers.TOPICS, "the rebuild"))
        phases.end("topics made")
        with collector_off():
            # the escalations' batches too are written in the bulk load (no WAL, no sync, indexes built after the load
            # but those apply finds documents in); a failed rebuild is thrown away
            async with store.bulk_load(read=consumers.LIVE_VIEWS):
                strayed = ""
                if shares > 1:
                    stage = f"in memory, {shares} processes"
                    try:
                        replay = await rebuild_shares.in_shares(settings, shares, replay, apply, store, memory, checkpoints,
                                                                done, quiet=quiet, settle=settle, timeout=timeout, started=started,
                                                                tick=tick, phases=phases, whole=whole)
                    except Strayed as stray:  # nothing of the model written: thrown away, and made again in one process
                        strayed, stage = str(stray), "in memory, again in one process"
                        await replay.stop()
                        await store.bulk_delete(ESCALATIONS, [d["item_id"] for d in await store.find(ESCALATIONS)])
                        memory, checkpoints, done = Memory(), HeldCheckpoints(store), rebuild_shares.Done()
                        progress = ProjectionProgress(memory=memory)
                        replay = Replay(settings.kafka_bootstrap, consumers.TOPICS, CONSUMER, checkpoints, dead_letters)
                        phases.end("strayed: the shares thrown away")
                if shares == 1 or strayed:
                    await replay.start()
                    await replay.until_quiet(apply, quiet, settle, timeout, tick)
                    phases.end("replayed")
                    await whole
                    async with store.transaction():
                        await consumers.write_held(store, memory)  # the held checkpoints are the same versions
                        await checkpoints.write()
                progress.memory = None  # batches from now on go to the store; the checkpoints skip what memory holds
            written = progress.applied
        phases.end("written")
        stage = "written"
        await replay.until_quiet(apply, quiet, 0.0, timeout, tick)
        await require_whole(settings.kafka_bootstrap, consumers.TOPICS, "the rebuild")  # a broker restart meanwhile
        units, tasks = await _counted(store, memory, progress.applied == written)
        phases.end("gone on until quiet")
        return Rebuilt(store_url, prefix, progress.received + done.received, progress.applied + done.applied, units, tasks,
                       time.monotonic() - started, replay.refused + done.refused, tuple(phases.ended), strayed)
    finally:
        if whole is not None and not whole.done():
            whole.cancel()
        elif whole is not None and not whole.cancelled():
            whole.exception()  # retrieved: a refusal that a failed replay came before is not reported again
        await replay.stop()
        await dead_letters.stop()
        await store.close()


class DeadLetters:
    """A record the rebuild refuses goes to the dead-letter topic as a live consumer sends it (Bus.dead_letter), over a
    bus started for the first one only (a rebuild of a sound history starts none)."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings, self.bus = settings, None

    async def __call__(self, record: Any, error: "Exception | str", consumer: str) -> None:
        if self.bus is None:
            self.bus = Bus(self.settings.kafka_bootstrap, client_id="tiendo-reporting-rebuild", tuning=self.settings.consumer_tuning())
            await self.bus.start()
        await self.bus.dead_letter(record, error, consumer)

    async def stop(self) -> None:
        if self.bus is not None:
            await self.bus.stop()


async def _counted(store: Store, memory: Memory, as_written: bool) -> tuple[int, int]:
    """(units, tasks) in the rebuilt store: those the memory held when nothing was applied after its write (every unit
    and task view in it is written: none is ever deleted), else read back (3.8% of a 60k-task rebuild's CPU)."""
    if as_written:
        return len(memory.docs.get(UNITS, {})), len(memory.tasks)
    return len(await store.find(UNITS)), len(await store.find(TASKS))


def switch_to(settings: ServiceSettings, rebuilt: Rebuilt) -> Path:
    """Point the service (on its next start) at the rebuilt copy and the rebuild's consumer group."""
    target = switch_file(settings.store_url)
    if target is None:
        raise ValueError("switching is supported for a sqlite:/// store; set TIENDO_STORE_URL to the new store instead")
    target.write_text(json.dumps({"store_url": rebuilt.store_url, "consumer_group_prefix": rebuilt.consumer_group_prefix}))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.reporting.rebuild", description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=f"sqlite:///var/reporting-rebuilt-{time.strftime('%Y%m%d-%H%M%S')}.sqlite3")
    parser.add_argument("--quiet", type=float, default=5.0, help="seconds without events that count as caught up")
    parser.add_argument("--expected", type=int, default=None, help="events expected, for the progress bar")
    parser.add_argument("--switch", action="store_true", help="make the service use the new copy from its next start")
    parser.add_argument("--workers", type=int, default=1,
                        help="processes replaying the tasks' and notify's topics, each a share of the tasks topic's "
                             "partitions, this one among them (default 1)")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error(f"--workers must be 1 or more, not {args.workers}")
    settings = ServiceSettings()
    try:
        result = asyncio.run(rebuild(settings, args.store, quiet=args.quiet, bar=ProgressBar(sys.stderr, args.expected),
                                     workers=args.workers))
    except IncompleteHistory as refused:
        print(f"\n{refused}", file=sys.stderr)
        return 2
    except ReplayFailed as failed:
        print(f"\nthe rebuild failed: {failed}", file=sys.stderr)
        return 3
    print(f"\n{result}", file=sys.stderr)
    if args.switch:
        print(f"switched: {switch_to(settings, result)}; restart reporting to serve {result.store_url}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

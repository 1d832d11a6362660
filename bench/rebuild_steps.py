"""Benchmark: the rebuild's CPU per event, step by step, in one process (no broker), as `services.reporting.rebuild` works.

A national-shaped history (bench/national_events.py) is made into records as the relays publish them (the stored
envelope JSON as body; headers event_type, schema_version, stream_id, stream_version) on the plans and tasks topics,
before anything is timed. Then, as the rebuild does after its fetch: `Replay.handle` per batch of --batch records
(headers, the checked decode, `Continuity.admit` against held checkpoints, one transaction per batch) applying through
reporting's `consumers.apply` with the projection in memory, inside the fresh SQLite store's bulk load, the collector
off; then `consumers.write_held` (or `write_memory`) and the held checkpoints written in one transaction. CPU seconds (`time.process_time`) of each
part: the replay's own work (headers, decode, admit, its loop: the batch's time less its apply), the projection
(`project`), the escalations, the timelines (`record_timelines`, or `hold_timelines` where the rebuild holds them),
and the final write; beside them, in the same run,
the decode alone (Headers.of and the runtime's decode of every record) and a raw `json.loads` of every body.

Prints one JSON object. Usage: python bench/rebuild_steps.py [--tasks 60000] [--batch 10000] [--rounds 1]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.national_events import history  # noqa: E402
from bench.reporting import _wire  # noqa: E402
from bench.reporting_consumer import Record  # noqa: E402
from schemas.catalog import PLANS_EVENTS, TASKS_EVENTS  # noqa: E402
from services.reporting.bootstrap import INDEXES  # noqa: E402
from services.reporting.entrypoints import consumers  # noqa: E402
from services.reporting.handlers.project import CONSUMER, ProjectionProgress, write_memory  # noqa: E402
from services.reporting.handlers.repository.counters import Memory  # noqa: E402
from services.reporting.rebuild import collector_off  # noqa: E402
from services.runtime.continuity import HeldCheckpoints  # noqa: E402
from services.runtime.replay import Replay  # noqa: E402
from services.runtime.store import open_store  # noqa: E402
from services.runtime.subscriptions import Headers, decoded  # noqa: E402


def records(tasks: int) -> list[Record]:
    """The history as the relays publish it, in its order (each stream's events in version order)."""
    out, offsets = [], {PLANS_EVENTS: 0, TASKS_EVENTS: 0}
    for event in history(tasks):
        e = event.envelope
        topic = TASKS_EVENTS if e.stream_id.startswith(("task-", "report-")) else PLANS_EVENTS
        headers = [("event_type", e.event_type.encode()), ("schema_version", str(e.schema_version).encode()),
                   ("stream_id", e.stream_id.encode()), ("stream_version", str(e.stream_version).encode())]
        out.append(Record(topic, 0, offsets[topic], _wire(event), headers, e.stream_id.encode()))
        offsets[topic] += 1
    return out


class Timed:
    """CPU seconds spent inside each wrapped coroutine function, by name."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def wrap(self, name: str, call):  # noqa: ANN001, ANN201
        async def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            started = time.process_time()
            try:
                return await call(*args, **kwargs)
            finally:
                self.spent[name] = self.spent.get(name, 0.0) + time.process_time() - started

        def timed_sync(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            started = time.process_time()
            try:
                return call(*args, **kwargs)
            finally:
                self.spent[name] = self.spent.get(name, 0.0) + time.process_time() - started
        return timed if asyncio.iscoroutinefunction(call) else timed_sync


async def one_round(made: list[Record], batch: int, folder: Path, n: int) -> dict:
    store = await open_store(f"sqlite:///{folder / f'rebuilt-{n}.sqlite3'}", "tiendo_reporting_rebuild", INDEXES)
    checkpoints = HeldCheckpoints(store)

    async def refused(record, error, consumer) -> None:  # noqa: ANN001
        raise AssertionError(f"refused: {error}")

    replay = Replay("unused:0", consumers.TOPICS, CONSUMER, checkpoints, refused)
    memory = Memory()
    progress = ProjectionProgress(memory=memory)
    timed = Timed()
    parts = (("project", consumers, "project"), ("escalations", consumers, "follow_escalations"),
             ("timelines", consumers, "record_timelines"), ("timelines", consumers, "hold_timelines"))
    parts = tuple(part for part in parts if hasattr(part[1], part[2]))  # the rebuild holds its timelines (hold_timelines) or not
    originals = [(module, attr, getattr(module, attr)) for _, module, attr in parts]
    for name, module, attr in parts:
        setattr(module, attr, timed.wrap(name, getattr(module, attr)))
    try:
        async def apply(events: list) -> None:
            await consumers.apply(events, store, progress)

        applied = timed.wrap("apply", apply)
        started = time.process_time()
        with collector_off():
            async with store.bulk_load(read=consumers.LIVE_VIEWS):
                for at in range(0, len(made), batch):
                    await replay.handle(made[at:at + batch], applied)
                catch_up = time.process_time() - started
                write_started = time.process_time()
                progress.memory = None
                async with store.transaction():
                    if hasattr(consumers, "write_held"):  # the rebuild's own write (held timelines too), where it has one
                        await consumers.write_held(store, memory)
                    else:
                        await write_memory(store, memory, checkpoints=False)
                    await checkpoints.write()
                write = time.process_time() - write_started
        total = time.process_time() - started
    finally:
        for module, attr, original in originals:
            setattr(module, attr, original)
        await store.close()
    events = len(made)
    spent = timed.spent
    steps = {"replay (headers, decode, admit, loop)": catch_up - spent["apply"], "projection": spent["project"],
             "escalations": spent["escalations"], "timelines": spent.get("timelines", 0.0),
             "apply's rest": spent["apply"] - spent["project"] - spent["escalations"] - spent.get("timelines", 0.0),
             "final write": write}
    assert replay.applied == events, (replay.applied, events)
    return {"events": events, "cpu_s": round(total, 2), "events_per_cpu_s": round(events / total),
            "cpu_us_per_event": round(total / events * 1e6, 1),
            "steps_cpu_s": {k: round(v, 2) for k, v in steps.items()},
            "steps_us_per_event": {k: round(v / events * 1e6, 1) for k, v in steps.items()}}


def decode_alone(made: list[Record]) -> dict:
    started = time.process_time()
    for record in made:
        decoded(record, Headers.of(record).event_type)
    decode = time.process_time() - started
    started = time.process_time()
    for record in made:
        json.loads(record.value)
    loads = time.process_time() - started
    return {"headers_and_decode_us_per_event": round(decode / len(made) * 1e6, 1),
            "json_loads_us_per_event": round(loads / len(made) * 1e6, 1)}


async def main(args: argparse.Namespace) -> dict:
    made = records(args.tasks)
    result: dict = {"machine": f"{platform.machine()} {os.cpu_count()} cores",
                    "date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "load_average_start": os.getloadavg(),
                    "tasks": args.tasks, "events": len(made), "batch": args.batch, "rounds": []}
    with tempfile.TemporaryDirectory(prefix="tiendo-rebuild-steps-") as folder:
        for n in range(args.rounds):
            result["rounds"].append(await one_round(made, args.batch, Path(folder), n))
    result["decode_alone"] = decode_alone(made)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    result["load_average_end"] = os.getloadavg()
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=60_000)
    parser.add_argument("--batch", type=int, default=10_000, help="records per batch (the replay's MAX_RECORDS)")
    parser.add_argument("--rounds", type=int, default=1)
    print(json.dumps(asyncio.run(main(parser.parse_args())), indent=1, ensure_ascii=False))

"""Benchmark: reporting's consumer side in one process, no broker: CPU per status report, batch size by batch size.

Reporting's event consumer (the projection and the live views, over the plans, tasks and notify topics) on one
subscription, registered as the service does (services/reporting/entrypoints/consumers.register), over
a SQLite store with reporting's indexes. A directory (a province, --communes communes, an agency and a plan per
commune) and --tasks TaskAssigned records go in first; then --rounds StatusReported per task, handed in batches of
each --batches size (records with the relay's headers, one trace per request of ≈ 6 reports as agencies send them).
With --prefill N, N reports per task go in (batches of 500, not measured) before the steps, so that each task's
timeline already holds its newest 60 entries (N ≥ 59) as a task reported on for months does.
Beside it, in the same run, the raw operation it rides on: one SQLite upsert per record, one transaction per batch.
CPU seconds beside wall seconds; with --profile, the heaviest functions (cProfile, own time) of the largest batch size.

With --broker, the same two consumers behind the real Bus on the bundled broker (one subscriber, its fetch → apply →
commit cycle): the records are produced onto the topics as the relay publishes them, at each --rates (records/s) for
--seconds, and each report is timed from its send until the projection applied it; throughput is the reports over
the time from the first send until the last was applied (bounded by the producer's own pace in this process: the loop
is shared), and last --burst reports produced at once: how fast the cycle drains a backlog. Beside it, raw aiokafka
consume + one SQLite upsert per record.

Prints one JSON object. Usage: python bench/reporting_consumer.py [--tasks 2000] [--communes 40] [--rounds 3]
[--batches 20,100,500,2000] [--prefill 60] [--profile] | --broker [--rates 500,1000,2000,4000] [--seconds 10]
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import platform
import pstats
import random
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from schemas.catalog import NOTIFY_EVENTS, PLANS_EVENTS, TASKS_EVENTS
from schemas.directory import AgencyRegistered, UnitRegistered
from schemas.plans import PlanIssued, TaskAssigned, Timing
from schemas.tasks import StatusReported
from services.reporting.bootstrap import INDEXES
from services.reporting.entrypoints import consumers
from services.reporting.handlers.project import CONSUMER
from services.runtime.events import Cause, envelop
from services.runtime.sqlite_store import SqliteStore
from services.runtime.subscriptions import EventConsumer, SharedSubscription
from services.runtime.telemetry import install_tracing

PER_REQUEST = 6  # reports per trace: one request's, as an agency sends a few at a time


@dataclass
class Record:
    topic: str
    partition: int
    offset: int
    value: bytes
    headers: list = field(default_factory=list)
    key: bytes | None = None


class Topics:
    """Records as the relay publishes them: its headers, offsets per topic."""

    def __init__(self) -> None:
        self.offsets: dict[str, int] = {}
        self.versions: dict[str, int] = {}
        self.now = datetime.now(timezone.utc)

    def record(self, topic: str, stream: str, payload, trace: int) -> Record:
        version = self.versions.get(stream, 0)
        self.versions[stream] = version + 1
        envelope = envelop(stream, version, [payload], Cause("bench", "c"), self.now)[0]
        offset = self.offsets[topic] = self.offsets.get(topic, -1) + 1
        headers = [("event_type", type(payload).__name__.encode()), ("schema_version", b"1"), ("stream_id", stream.encode()),
                   ("stream_version", str(version + 1).encode()), ("traceparent", f"00-{trace + 1:032x}-{1:016x}-01".encode())]
        return Record(topic, 0, offset, envelope.model_dump_json().encode(), headers, stream.encode())


def directory(topics: Topics, communes: int, tasks: int) -> tuple[list[Record], list[Record]]:
    """(the directory and plans, the tasks' assignments) of one province."""
    first = [topics.record(PLANS_EVENTS, "unit-tinh", UnitRegistered(unit_id="tinh", name="Tỉnh Thử", level="province"), 0)]
    for c in range(communes):
        unit = f"xa-{c}"
        first.append(topics.record(PLANS_EVENTS, f"unit-{unit}", UnitRegistered(unit_id=unit, name=f"Xã {c}", level="commune", parent_id="tinh"), 0))
        first.append(topics.record(PLANS_EVENTS, f"agency-ca-{c}", AgencyRegistered(agency_id=f"ca-{c}", unit_id=unit, name=f"Công an xã {c}",
                                                                                   head_title="Trưởng Công an xã"), 0))
        first.append(topics.record(PLANS_EVENTS, f"plan-kh-{c}", PlanIssued(plan_id=f"kh-{c}", unit_id=unit, title="Kế hoạch triển khai Đề án 06",
                                                                           number=f"{c}/KH-UBND", issued_on=date(2026, 1, 5)), 0))
    assigned = []
    for t in range(tasks):
        c = t % communes
        payload = TaskAssigned(task_id=f"b.{t}", plan_id=f"kh-{c}", unit_id=f"xa-{c}", content=f"Nhiệm vụ {t}", lead=f"ca-{c}",
                               support=[f"ca-{(c + 1) % communes}"], timing=Timing(due=date(2027, 1 + t % 12, 1 + t % 28)), group=1 + t % 5)
        assigned.append(topics.record(TASKS_EVENTS, f"task-b.{t}", payload, t // PER_REQUEST))
    return first, assigned


def reports(topics: Topics, tasks: int, communes: int, rounds: int, seed: int = 11, limit: int | None = None) -> list[Record]:
    """`rounds` reports per task (at most `limit` in all: a stream's versions are taken only by records made)."""
    order = list(range(tasks))
    random.Random(seed).shuffle(order)
    made: list[Record] = []
    for r in range(rounds):
        for n, t in enumerate(order):
            if limit is not None and len(made) >= limit:
                return made
            payload = StatusReported(task_id=f"b.{t}", agency_id=f"ca-{t % communes}", status="in_progress", progress=(r * 7 + t) % 100,
                                     summary="Đã triển khai theo kế hoạch", obstacles="")
            made.append(topics.record(TASKS_EVENTS, f"task-b.{t}", payload, 10**9 + (r * tasks + n) // PER_REQUEST))
    return made


async def through_broker(args: argparse.Namespace) -> dict:
    """Reporting's consumers behind the Bus, records offered at each rate (module docstring)."""
    from aiokafka import AIOKafkaProducer

    from raw_pipeline import raw_consume_upsert
    from services.runtime.broker import free_port, start_tansu
    from services.runtime.bus import Bus
    from services.runtime.topics import TopicAdmin

    install_tracing("bench")
    folder = Path(tempfile.mkdtemp(prefix="tiendo-bench-"))
    port = free_port()
    broker = start_tansu("127.0.0.1", port, folder / "tansu.log")
    bootstrap = f"127.0.0.1:{port}"
    store = SqliteStore(folder / "reporting.sqlite3", INDEXES)
    sent: dict[tuple[str, int], float] = {}
    applied: dict[tuple[str, int], float] = {}

    class Runtime:  # what consumers.register uses of a ServiceRuntime, over this bus
        def __init__(self) -> None:
            self.store = store

        def subscribe_events(self, topics, consumer, apply, atomic=False, later=()) -> None:  # `later`: no precedence here (one batch at a time)
            async def timed(batch) -> None:
                await apply(batch)
                now = time.monotonic()
                for event in batch:
                    applied[(event.envelope.stream_id, event.envelope.stream_version)] = now

            bus.subscribe_events(topics, "bench.events", consumer, timed, atomic=atomic)

    try:
        await TopicAdmin(bootstrap).ensure([PLANS_EVENTS, TASKS_EVENTS, NOTIFY_EVENTS], 3)
        bus = Bus(bootstrap, "bench-reporting")
        bus.use_checkpoints(store)
        consumers.register(Runtime())  # type: ignore[arg-type]
        await bus.start()
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=2, max_batch_size=256 * 1024)
        await producer.start()
        topics = Topics()
        first, assigned = directory(topics, args.communes, args.tasks)

        async def send(records: list[Record]) -> None:
            now = time.monotonic()
            for r in records:
                sent[(r.key.decode(), int(dict(r.headers)["stream_version"]))] = now
            await asyncio.gather(*[await producer.send(r.topic, r.value, key=r.key, headers=r.headers) for r in records])

        async def settled(keys: list[tuple[str, int]], timeout: float) -> bool:
            deadline = time.monotonic() + timeout
            while any(k not in applied for k in keys):
                if time.monotonic() > deadline:
                    return False
                await asyncio.sleep(0.01)
            return True

        await send(first)
        await send(assigned)
        assert await settled([(r.key.decode(), 1) for r in assigned], 180), "the assignments were not applied"
        if args.prefill:  # full timelines before the measured steps (not measured)
            records = reports(topics, args.tasks, args.communes, args.prefill, seed=1)
            await send(records)
            assert await settled([(r.key.decode(), int(dict(r.headers)["stream_version"])) for r in records], 600), "the prefill was not applied"
        steps = []
        for rate in [int(r) for r in args.rates.split(",")]:
            records = reports(topics, args.tasks, args.communes, -(-rate * args.seconds // args.tasks), seed=rate, limit=rate * args.seconds)
            keys = [(r.key.decode(), int(dict(r.headers)["stream_version"])) for r in records]
            chunk = max(1, rate // 50)  # sent every 20 ms, as a relay publishes what was stored meanwhile
            cpu, started = time.process_time(), time.monotonic()
            for i in range(0, len(records), chunk):
                await send(records[i : i + chunk])
                await asyncio.sleep(max(0.0, started + (i + chunk) / rate - time.monotonic()))
            done = await settled(keys, 120)
            wall, cpu = max(applied.get(k, time.monotonic()) for k in keys) - started, time.process_time() - cpu
            latencies = sorted(applied[k] - sent[k] for k in keys if k in applied)
            steps.append({"offered_per_s": rate, "reports": len(keys), "applied_per_s": round(len(latencies) / wall), "all_applied": done,
                          "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1), "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
                          "cpu_s_of_the_process": round(cpu, 2), "cpu_ms_per_report_incl_producer": round(cpu / len(keys) * 1000, 3),
                          "load_average": os.getloadavg()[0]})
            print(json.dumps(steps[-1]), file=sys.stderr, flush=True)
        records = reports(topics, args.tasks, args.communes, -(-args.burst // args.tasks), seed=7, limit=args.burst)
        keys = [(r.key.decode(), int(dict(r.headers)["stream_version"])) for r in records]
        cpu, started = time.process_time(), time.monotonic()
        await send(records)  # a backlog at once: how fast the consumer's fetch → apply → commit cycle drains it
        done = await settled(keys, 300)
        wall, cpu = max(applied.get(k, time.monotonic()) for k in keys) - started, time.process_time() - cpu
        steps.append({"burst": len(keys), "all_applied": done, "applied_per_s": round(len(keys) / wall), "wall_s": round(wall, 2),
                      "cpu_s_of_the_process": round(cpu, 2), "cpu_ms_per_report_incl_producer": round(cpu / len(keys) * 1000, 3),
                      "load_average": os.getloadavg()[0]})
        print(json.dumps(steps[-1]), file=sys.stderr, flush=True)
        await producer.stop()
        await bus.stop()
        raw = await raw_consume_upsert(bootstrap, args.tasks * 5, folder / "raw.sqlite3")
    finally:
        broker.terminate()
        broker.wait()
    return {"benchmark": "reporting_consumer_through_the_broker", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)", "tasks": args.tasks, "communes": args.communes,
            "prefill_reports_per_task": args.prefill, "raw_same_run": raw, "steps": steps}


SPENT = {"apply": 0.0}  # CPU seconds inside the consumer's apply (the projection and the live views; the commit is outside)


class _Runtime:
    """What services/reporting/entrypoints/consumers.register uses of a ServiceRuntime: its store and subscribe_events."""

    def __init__(self, store: SqliteStore) -> None:
        self.store, self.subscribed = store, []

    def subscribe_events(self, topics, consumer, apply, atomic=False, later=()) -> None:  # `later`: no precedence here (one batch at a time)
        async def timed(batch) -> None:
            cpu = time.process_time()
            await apply(batch)
            SPENT["apply"] += time.process_time() - cpu

        self.subscribed.append(EventConsumer(frozenset(topics), consumer, timed, None, atomic))


def subscription(store: SqliteStore) -> SharedSubscription:
    """Reporting's event consumer as its process registers it (entrypoints/consumers.register), over one subscription."""
    runtime = _Runtime(store)
    consumers.register(runtime)  # type: ignore[arg-type]

    async def dead_letter(record, error, consumer) -> None:
        raise AssertionError(f"{consumer}: {error}")

    stats = {c.name: {"received": 0, "applied": 0, "skipped": 0, "refused": 0} for c in runtime.subscribed}
    return SharedSubscription("bench", runtime.subscribed, store, stats, dead_letter)


async def measured(shared: SharedSubscription, records: list[Record], size: int) -> tuple[float, float]:
    """`feed` of the measured steps (a sampling profiler's stacks of these are bench/reporting_steps.py's)."""
    return await feed(shared, records, size)


async def feed(shared: SharedSubscription, records: list[Record], size: int) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(records), size):
        await shared(records[i : i + size])
    return time.process_time() - cpu, time.perf_counter() - wall


def raw_upserts(path: Path, records: list[Record], size: int) -> tuple[float, float]:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY, body TEXT) WITHOUT ROWID")
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(records), size):
        db.execute("BEGIN")
        db.executemany("INSERT INTO docs (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
                       [(r.key.decode(), r.value.decode()) for r in records[i : i + size]])
        db.execute("COMMIT")
    db.close()
    return time.process_time() - cpu, time.perf_counter() - wall


async def main(args: argparse.Namespace) -> dict:
    install_tracing("bench")  # spans are made as in the services (and dropped: no exporter)
    sizes = [int(s) for s in args.batches.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="tiendo-bench-"))
    store = SqliteStore(folder / "reporting.sqlite3", INDEXES)
    shared = subscription(store)
    topics = Topics()
    first, assigned = directory(topics, args.communes, args.tasks)
    await feed(shared, first, 500)
    load_cpu, load_wall = await feed(shared, assigned, 500)
    prefill_cpu = 0.0
    if args.prefill:
        prefill_cpu, _ = await feed(shared, reports(topics, args.tasks, args.communes, args.prefill, seed=1), 500)
    results = []
    for size in sizes:
        records = reports(topics, args.tasks, args.communes, args.rounds, seed=size)
        profiler = cProfile.Profile() if args.profile and size == max(sizes) else None
        if profiler:
            profiler.enable()
        spent = dict(SPENT)
        cpu, wall = await measured(shared, records, size)
        if profiler:
            profiler.disable()
        raw_cpu, raw_wall = raw_upserts(folder / f"raw-{size}.sqlite3", records, size)
        results.append({"batch": size, "reports": len(records), "cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
                        "cpu_ms_per_report": round(cpu / len(records) * 1000, 3), "reports_per_cpu_s": round(len(records) / cpu),
                        "of_which_apply_ms": round((SPENT["apply"] - spent["apply"]) / len(records) * 1000, 3),
                        "raw_upsert_cpu_ms_per_record": round(raw_cpu / len(records) * 1000, 4),
                        "raw_upserts_per_s": round(len(records) / raw_wall)})
        if profiler:
            stats = pstats.Stats(profiler)
            rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:args.profile_rows]
            total = sum(v[2] for v in stats.stats.values())
            results[-1]["profile_own_time_percent"] = {f"{Path(f).name}:{line} {name}": round(v[2] / total * 100, 1) for (f, line, name), v in rows}
    applied = await store.checkpoints(CONSUMER, [f"task-b.{t}" for t in range(args.tasks)])
    assert all(v == 1 + args.prefill + args.rounds * len(sizes) for v in applied.values()) and len(applied) == args.tasks, "not every report was applied"
    return {"benchmark": "reporting_consumer_in_process", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)", "load_average": os.getloadavg(),
            "tasks": args.tasks, "communes": args.communes, "assignments_cpu_ms_each": round(load_cpu / args.tasks * 1000, 3),
            "prefill_reports_per_task": args.prefill,
            "prefill_cpu_ms_per_report": round(prefill_cpu / (args.prefill * args.tasks) * 1000, 3) if args.prefill else None,
            "steps": results}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--communes", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3, help="status reports per task for each batch size")
    parser.add_argument("--batches", default="20,100,500,2000")
    parser.add_argument("--prefill", type=int, default=0, help="reports per task before the measured steps (full timelines)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-rows", type=int, default=25)
    parser.add_argument("--broker", action="store_true", help="behind the real Bus on the bundled broker, at offered rates")
    parser.add_argument("--rates", default="500,1000,2000,4000")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--burst", type=int, default=20_000, help="reports produced at once after the paced steps")
    parsed = parser.parse_args()
    print(json.dumps(asyncio.run(through_broker(parsed) if parsed.broker else main(parsed)), indent=2))

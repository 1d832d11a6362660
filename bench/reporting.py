"""Benchmark of reporting at national size: rebuild throughput, province summary and national ranking over HTTP.

1. Rebuild: a national-shaped history (bench/national_events.py: 34 provinces, 3,321 communes, 20
   agencies each, ~200k tasks, ~1M events) is projected from the first event into a fresh SQLite
   store in batches of 500, as a rebuild does (views and counters in memory, ledger marked per batch,
   everything written at the end). Beside it, in the same run: the raw store floor, i.e. marking the
   same event ids in the ledger and writing the same task documents, with no projection at all; and
   the raw decoding floor: the same events as the bus receives them (envelope JSON bytes) checked
   with schemas.catalog.parse_event and not applied, which a rebuild off the broker pays on top
   (`with_decoding`: the rebuild and the decoding added up).
   The rebuild writes its model inside the store's bulk_load() and one checkpoint per stream, no per-event ledger
   marks; `raw_floor` (1M ledger marks + the task documents, the floor of earlier runs) is kept for comparison beside
   `raw_floor_as_written` (the same checkpoint rows and task documents the rebuild writes, in one bulk load).
With --broker: the rebuild through the bundled broker instead (broker_rebuild), beside a raw consume.
With --live N: the live projection (handlers/project.project as the bus calls it, one transaction per batch) applies N
   batches of 500 StatusReported to the rebuilt store, CPU per report beside the raw store operations each batch
   rides on (read the batch's task views, write them back, mark the ledger: one transaction per batch).
2. Reads over real HTTP (uvicorn on a local port, httpx): GET /units/{province}/summary for every
   province in turn, and GET /ranking?level=province and ?level=commune; beside them the raw store
   reads the same answers need (the counter documents, fetched directly).
Prints one JSON object. Usage: python bench/reporting.py [--tasks 200000] [--summaries 340] [--rankings 20] [--keep DIR] [--broker]
                                                   [--live N] [--no-reads] [--no-decoding] [--no-marks-floor]
With --keep the rebuilt store stays in DIR; run again with the same --keep to measure only the reads on it.
"""
from __future__ import annotations

import argparse
import asyncio
import inspect
import itertools
import json
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
import uvicorn  # noqa: E402

from bench.keys import admin_token  # noqa: E402
from bench.national_events import PROVINCES, history, national_event, units  # noqa: E402
from schemas.catalog import parse_event  # noqa: E402
from schemas.tasks import StatusReported, TaskStatus  # noqa: E402
from services.reporting.bootstrap import INDEXES, create_app  # noqa: E402
from services.reporting.domain.projection import TASKS  # noqa: E402
from services.reporting.handlers.repository.counters import Memory  # noqa: E402
from services.reporting.handlers.project import project, write_memory  # noqa: E402
from services.reporting.rebuild import collector_off  # noqa: E402
from services.reporting.reading import counts_of, group_counts_of  # noqa: E402
from services.runtime.broker import free_port  # noqa: E402
from services.runtime.clock import LOCAL_TZ, ManualClock  # noqa: E402
from services.runtime.settings import ServiceSettings  # noqa: E402
from services.runtime.sqlite_store import SqliteStore  # noqa: E402

BATCH = 500


async def rebuild(folder: Path, tasks: int, decoding_floor: bool = True, marks_floor: bool = True) -> tuple[SqliteStore, dict]:
    store, memory = SqliteStore(folder / "reporting.sqlite3", INDEXES), Memory()
    events, spent, generating, cpu, decoding, decoding_cpu = 0, 0.0, 0.0, 0.0, 0.0, 0.0
    waits, applying_waits = Waits(), Waits()
    source = history(tasks)
    with collector_off():  # as the rebuild command does (services/reporting/rebuild.py)
        while True:
            started = time.perf_counter()
            batch = list(itertools.islice(source, BATCH))
            raw = [_wire(e) for e in batch] if decoding_floor else []
            generating += time.perf_counter() - started
            if not batch:
                break
            started, started_cpu = time.perf_counter(), time.process_time()
            for body in raw:
                parse_event(body)
            decoding += time.perf_counter() - started
            decoding_cpu += time.process_time() - started_cpu
            started, started_cpu = time.perf_counter(), time.process_time()
            with applying_waits:
                await project(batch, store, memory=memory)
            spent += time.perf_counter() - started
            cpu += time.process_time() - started_cpu
            events += len(batch)
        started, started_cpu = time.perf_counter(), time.process_time()
        with waits:
            async with store.bulk_load():
                await write_memory(store, memory)
        writing, write_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    cpu += write_cpu
    total = spent + writing
    load_after = [round(x, 2) for x in os.getloadavg()]
    raw = await raw_floor(folder, events, memory) if marks_floor else "not run (--no-marks-floor)"
    as_written = await raw_floor_as_written(folder, events, memory)
    return store, {"events": events, "tasks": len(memory.tasks), "seconds": round(total, 1), "events_per_s": round(events / total),
                   "cpu_seconds": round(cpu, 1), "events_per_cpu_s": round(events / cpu), "final_write_s": round(writing, 1),
                   "final_write_cpu_s": round(write_cpu, 1),
                   "with_decoding": {"seconds": round(total + decoding, 1), "events_per_s": round(events / (total + decoding)),
                                     "cpu_seconds": round(cpu + decoding_cpu, 1), "events_per_cpu_s": round(events / (cpu + decoding_cpu))}
                   if decoding_floor else "not run (--no-decoding)",
                   "applying": {"seconds": round(spent, 1), "cpu_seconds": round(cpu - write_cpu, 1), **applying_waits.as_dict()},
                   "final_write_waits": waits.as_dict(),
                   "load_average_after_rebuild": load_after,
                   "generating_s_not_counted": round(generating, 1), "raw_floor": raw, "raw_floor_as_written": as_written,
                   "raw_decoding": {"seconds": round(decoding, 1), "events_per_s": round(events / decoding), "cpu_seconds": round(decoding_cpu, 1),
                                    "events_per_cpu_s": round(events / decoding_cpu)} if decoding_floor else "not run (--no-decoding)"}


class Waits:
    """Why wall time exceeds CPU time over the phases it wraps (added up): the process's voluntary context switches
    (it waited: disk, fsync, a lock) and involuntary ones (it was ready but another process had the core), with the
    blocks it read and wrote (getrusage)."""

    def __init__(self) -> None:
        self.voluntary = self.involuntary = self.blocks_in = self.blocks_out = 0

    def __enter__(self) -> "Waits":
        self._at = resource.getrusage(resource.RUSAGE_SELF)
        return self

    def __exit__(self, *_) -> None:
        now = resource.getrusage(resource.RUSAGE_SELF)
        self.voluntary += now.ru_nvcsw - self._at.ru_nvcsw
        self.involuntary += now.ru_nivcsw - self._at.ru_nivcsw
        self.blocks_in += now.ru_inblock - self._at.ru_inblock
        self.blocks_out += now.ru_oublock - self._at.ru_oublock

    def as_dict(self) -> dict:
        return {"waited_voluntary_switches": self.voluntary, "preempted_involuntary_switches": self.involuntary,
                "blocks_read": self.blocks_in, "blocks_written": self.blocks_out}


def _wire(event) -> bytes:
    """The event as the bus hands it over: the envelope's JSON with the payload in it."""
    return event.envelope.model_copy(update={"payload": event.payload.model_dump(mode="json")}).model_dump_json().encode()


async def raw_floor(folder: Path, events: int, memory: Memory) -> dict:
    """The same ledger marks and task documents written with no projection: what the store alone costs."""
    store = SqliteStore(folder / "raw.sqlite3", INDEXES)
    started, started_cpu = time.perf_counter(), time.process_time()
    for start in range(0, events, BATCH):
        async with store.transaction():
            await store.mark("raw", [f"e{n}" for n in range(start, min(events, start + BATCH))])
    tasks = list(memory.tasks.items())
    for start in range(0, len(tasks), 5000):
        await store.bulk_put(TASKS, dict(tasks[start:start + 5000]))
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    await store.close()
    return {"seconds": round(seconds, 1), "events_per_s": round(events / seconds), "cpu_seconds": round(cpu, 1),
            "events_per_cpu_s": round(events / cpu)}


async def raw_floor_as_written(folder: Path, events: int, memory: Memory) -> dict:
    """The rows the rebuild itself now writes for its ledger and task views: one checkpoint per stream and the task
    documents, in one bulk load and one transaction, with no projection."""
    store = SqliteStore(folder / "raw-written.sqlite3", INDEXES)
    started, started_cpu = time.perf_counter(), time.process_time()
    async with store.bulk_load(), store.transaction():
        await store.advance("raw", dict(sorted(memory.versions.items())))
        await store.bulk_put(TASKS, dict(sorted(memory.tasks.items())))
    seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    await store.close()
    return {"checkpoints": len(memory.versions), "task_documents": len(memory.tasks), "seconds": round(seconds, 1),
            "events_per_s": round(events / seconds), "cpu_seconds": round(cpu, 1), "events_per_cpu_s": round(events / cpu)}


async def live(store: SqliteStore, batches: int) -> dict:
    """The live projection applying `batches` batches of BATCH StatusReported (random tasks, each at its next version) as
    the bus hands them over, one transaction per batch; beside it the raw store operations of the same batches: read
    their task views in one query, write them back and mark the events in the ledger, one transaction per batch."""
    views = {d["task_id"]: d for d in await store.find(TASKS)}
    versions = {t: d["version"] for t, d in views.items()}
    ids, rng, day = sorted(versions), random.Random(3), date(2026, 11, 20)
    made = []
    for _ in range(batches):
        batch = []
        for _ in range(BATCH):
            task = rng.choice(ids)
            versions[task] += 1
            batch.append(national_event(f"task-{task}", versions[task], StatusReported(
                task_id=task, agency_id=views[task]["lead"], status=TaskStatus.in_progress, progress=rng.randint(1, 99)), day))
        made.append(batch)
    spent, spent_cpu = 0.0, 0.0
    for batch in made:
        started, started_cpu = time.perf_counter(), time.process_time()
        await project(batch, store)
        spent += time.perf_counter() - started
        spent_cpu += time.process_time() - started_cpu
    raw, raw_cpu = 0.0, 0.0
    for batch in made:
        started, started_cpu = time.perf_counter(), time.process_time()
        async with store.transaction():
            found = {d["task_id"]: d for d in await store.find(TASKS, task_id=sorted({e.payload.task_id for e in batch}))}
            await store.bulk_put(TASKS, found)
            await store.mark("raw-live", [str(e.envelope.event_id) for e in batch])
        raw += time.perf_counter() - started
        raw_cpu += time.process_time() - started_cpu
    reports = batches * BATCH
    return {"status_reports": reports, "batch": BATCH, "tasks": len(ids), "seconds": round(spent, 2), "cpu_seconds": round(spent_cpu, 2),
            "cpu_ms_per_report": round(spent_cpu / reports * 1000, 3), "reports_per_cpu_s": round(reports / spent_cpu),
            "raw_store": {"seconds": round(raw, 2), "cpu_seconds": round(raw_cpu, 2), "cpu_ms_per_report": round(raw_cpu / reports * 1000, 3),
                          "reports_per_cpu_s": round(reports / raw_cpu)}}


def _children_cpu() -> float:
    """CPU seconds of this process's children that ended (the rebuild's workers)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _group_cpu(group: int) -> float:
    """CPU seconds so far of every process in a process group (the broker's), from /proc."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # pgrp; utime and stime in clock ticks
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


async def broker_rebuild(folder: Path, tasks: int, quiet: float = 3.0, workers: int = 1) -> dict:
    """The broker path (`python -m services.reporting.rebuild`): the same history produced to a fresh bundled broker with
    the relay's headers, then rebuilt by the rebuild's own consumer (decoding, stream checkpoints, projection, final write).
    Beside it in the same run: a raw aiokafka consume of the same records (the ceiling). The rebuild's seconds include its
    group join and its two `quiet` waits (it cannot know it has caught up otherwise); `working` takes the waits off."""
    import signal

    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    from schemas.catalog import PLANS_EVENTS, TASKS_EVENTS
    from services.reporting.rebuild import rebuild as rebuild_from_broker
    from services.runtime.broker import start_tansu
    from services.runtime.topics import TopicAdmin

    port = free_port()
    bootstrap = f"127.0.0.1:{port}"
    broker = start_tansu("127.0.0.1", port, folder / "tansu.log")
    try:
        settings = ServiceSettings(environment="test", kafka_bootstrap=bootstrap, store_url="memory://", consumer_group_prefix="bench")
        await TopicAdmin(bootstrap).ensure([PLANS_EVENTS, TASKS_EVENTS], settings.topic_partitions)
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=5, max_batch_size=256 * 1024)
        await producer.start()
        events, sent = 0, []
        for event in history(tasks):
            e = event.envelope
            topic = TASKS_EVENTS if e.stream_id.startswith(("task-", "report-")) else PLANS_EVENTS
            headers = [("event_type", e.event_type.encode()), ("schema_version", str(e.schema_version).encode()),
                       ("stream_id", e.stream_id.encode()), ("stream_version", str(e.stream_version).encode())]
            sent.append(await producer.send(topic, _wire(event), key=e.stream_id.encode(), headers=headers))
            events += 1
            if len(sent) >= 5000:
                await asyncio.gather(*sent)
                sent = []
        await asyncio.gather(*sent)
        await producer.stop()
        consumer = AIOKafkaConsumer(PLANS_EVENTS, TASKS_EVENTS, bootstrap_servers=bootstrap, group_id="bench-raw",
                                    auto_offset_reset="earliest", enable_auto_commit=False, max_poll_records=500)
        await consumer.start()
        seen, started, started_cpu = 0, None, 0.0
        while seen < events:
            for records in (await consumer.getmany(timeout_ms=1000, max_records=500)).values():
                if started is None:
                    started, started_cpu = time.perf_counter(), time.process_time()
                seen += len(records)
        raw_s, raw_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        await consumer.stop()
        started, started_cpu = time.perf_counter(), time.process_time()
        children_cpu, broker_cpu = _children_cpu(), _group_cpu(broker.pid)
        sharing = "workers" in inspect.signature(rebuild_from_broker).parameters
        workers = workers if sharing else 1  # main's code before the workers: one process
        rebuilt = await rebuild_from_broker(settings, f"sqlite:///{folder / 'broker.sqlite3'}", quiet=quiet, settle=10.0, timeout=3000,
                                            **({"workers": workers} if sharing else {}))
        seconds, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        children_cpu, broker_cpu = _children_cpu() - children_cpu, _group_cpu(broker.pid) - broker_cpu
        waits = 2 * quiet + (min(quiet, 1.0) if workers > 1 else 0.0)  # with workers: the directory's own quiet second too
        working = seconds - waits
        every = cpu + children_cpu + broker_cpu
        return {"events": events, "received": rebuilt.received, "applied": rebuilt.applied, "tasks": rebuilt.tasks, "workers": workers,
                "seconds": round(seconds, 1), "quiet_waits_s": waits, "working_s": round(working, 1),
                "events_per_s": round(events / working), "cpu_seconds": round(cpu + children_cpu, 1),
                "events_per_cpu_s": round(events / (cpu + children_cpu)), "cpu_us_per_event": round((cpu + children_cpu) / events * 1e6, 1),
                "cpu_seconds_by_process": {"rebuild": round(cpu, 1), "workers": round(children_cpu, 1), "broker": round(broker_cpu, 1)},
                "events_per_cpu_s_with_broker": round(events / every),
                "phases_wall_s_cpu_s": {step: [wall, spent] for step, wall, spent in getattr(rebuilt, "phases", ())},
                "peak_rss_mb_whole_bench_process": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                "peak_rss_mb_largest_worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024 if workers > 1 else None,
                "raw_consume": {"seconds": round(raw_s, 1), "events_per_s": round(events / raw_s), "cpu_seconds": round(raw_cpu, 1),
                                "events_per_cpu_s": round(events / raw_cpu)}}
    finally:
        os.killpg(broker.pid, signal.SIGKILL)


def percentiles(samples: list[float], cpu: list[float]) -> dict:
    ordered, cpu_ordered = sorted(samples), sorted(cpu)
    p95 = max(0, int(len(ordered) * 0.95) - 1)
    return {"n": len(samples), "p50_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(ordered[p95] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1), "cpu_p50_ms": round(statistics.median(cpu_ordered) * 1000, 1),
            "cpu_p95_ms": round(cpu_ordered[p95] * 1000, 1)}


async def reads(store: SqliteStore, summaries: int, rankings: int) -> dict:
    settings = ServiceSettings(environment="test", store_url="memory://", rate_per_second=1e6, rate_burst=1_000_000)
    clock = ManualClock(datetime(2026, 12, 20, 9, tzinfo=LOCAL_TZ))
    app = await create_app(settings, store=store, clock=clock)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    provinces = [u for u, parent in units() if parent == "vn"]
    communes = [u for u, _ in units() if "-c" in u]
    out: dict = {}
    try:
        admin = {"Authorization": f"Bearer {admin_token(settings.token_secret, clock.now())}"}
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60, headers=admin) as http:
            out["province_summary_http"] = await timed(summaries, lambda n: http.get(f"/units/{provinces[n % PROVINCES]}/summary"))
            out["national_ranking_provinces_http"] = await timed(rankings, lambda n: http.get("/ranking", params={"level": "province"}))
            out["national_ranking_communes_http"] = await timed(max(3, rankings // 4), lambda n: http.get("/ranking", params={"level": "commune"}))
        children = {p: [c for c in communes if c.startswith(p + "-")] for p in provinces}
        out["province_summary_raw_store"] = await timed(summaries, lambda n: counts_of(
            store, [f"own:{provinces[n % PROVINCES]}", f"total:{provinces[n % PROVINCES]}", *(f"total:{c}" for c in children[provinces[n % PROVINCES]])]))
        out["national_ranking_provinces_raw_store"] = await timed(rankings, lambda n: counts_of(store, [f"total:{p}" for p in provinces]))
        province = (await counts_of(store, [f"total:{provinces[0]}"]))[f"total:{provinces[0]}"]
        out["province_total_counter_keys"] = len(province)
        out["province_group_keys_in_their_own_document"] = len((await group_counts_of(store, [f"total:{provinces[0]}"]))[f"total:{provinces[0]}"])
        out["national_ranking_communes_raw_store"] = await timed(max(3, rankings // 4), lambda n: counts_of(store, [f"total:{c}" for c in communes]))
    finally:
        server.should_exit = True
        await serving
    return out


async def timed(times: int, call) -> dict:
    """Wall time per call, and this process's CPU time per call (client and server share the process)."""
    samples, cpu = [], []
    for n in range(times):
        started, started_cpu = time.perf_counter(), time.process_time()
        answer = await call(n)
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        if isinstance(answer, httpx.Response):
            answer.raise_for_status()
    return percentiles(samples, cpu)


async def main(args) -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.keep or scratch)
        if args.broker:
            folder.mkdir(parents=True, exist_ok=True)
            return {"machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores", "date": time.strftime("%Y-%m-%d"),
                    "load_average_at_start": args.load, "broker_rebuild": await broker_rebuild(folder, args.tasks, workers=args.workers),
                    "load_average_at_end": [round(x, 2) for x in os.getloadavg()]}
        if args.keep and (folder / "reporting.sqlite3").exists():
            store, rebuilt = SqliteStore(folder / "reporting.sqlite3", INDEXES), "not run: reads on the store kept in " + str(folder)
        else:
            folder.mkdir(parents=True, exist_ok=True)
            store, rebuilt = await rebuild(folder, args.tasks, not args.no_decoding, not args.no_marks_floor)
        print(json.dumps({"rebuild": rebuilt}), file=sys.stderr, flush=True)  # kept even if the reads do not finish
        figures = {"machine": f"{platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores",
                   "date": time.strftime("%Y-%m-%d"), "load_average_at_start": args.load, "rebuild": rebuilt}
        if args.live:
            figures["live_projection"] = await live(store, args.live)
            print(json.dumps({"live_projection": figures["live_projection"]}), file=sys.stderr, flush=True)
        if not args.no_reads:
            figures.update(await reads(store, args.summaries, args.rankings))
        figures["load_average_at_end"] = [round(x, 2) for x in __import__("os").getloadavg()]
        await store.close()
        return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200_000)
    parser.add_argument("--summaries", type=int, default=340)
    parser.add_argument("--rankings", type=int, default=20)
    parser.add_argument("--broker", action="store_true", help="measure the rebuild through the bundled broker instead (no reads)")
    parser.add_argument("--live", type=int, default=0, help="batches of 500 StatusReported through the live projection")
    parser.add_argument("--no-reads", action="store_true", help="skip the HTTP and raw reads")
    parser.add_argument("--no-decoding", action="store_true", help="skip the decoding floor (and making the wire bytes it decodes)")
    parser.add_argument("--no-marks-floor", action="store_true", help="skip the old raw floor (1M ledger marks + task documents)")
    parser.add_argument("--workers", type=int, default=1,
                        help="--broker: the rebuild's processes (services/reporting/rebuild.py --workers; default 1, one process)")
    parser.add_argument("--keep", default=None, help="folder to keep the rebuilt store in (and to read it from next time)")
    parsed = parser.parse_args()
    parsed.load = [round(x, 2) for x in __import__("os").getloadavg()]
    print(json.dumps(asyncio.run(main(parsed)), ensure_ascii=False, indent=2))

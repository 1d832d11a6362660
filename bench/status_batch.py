"""The tasks hot path in-process: a batch of status reports decided by the handler, and the same through HTTP.

tasks' handlers on a SQLite store in a temporary folder, no broker: N tasks (60 per lead agency), then rounds of
batches of B reports from one agency, three ways alternating so all see the same load:
(a) item by item, each its own load/decide/append/snapshot inside the batch's transaction (the former path);
(b) `report_statuses` (one indexed read, one `append_many`, one snapshot write);
(c) `POST /status-reports` on tasks' FastAPI app in this process (httpx's ASGI transport: routing, body validation,
    the agency's credential, the dependencies, then (b)); the difference (c) - (b) is the cost of a request;
(d) the same reports as ReportStatus commands (one record each, as the command topic's consumer gets them, without
    the broker): each parsed and validated, its key checked (once per batch), then the batch carried out together;
(e) raw, the operation the others ride on: one SQLite upsert per report of a stored snapshot's text (as long as a
    task's) into a plain (id, body) table of the same file, one transaction per batch, nothing else.
Prints one JSON object with reports/s and the CPU seconds of the process beside the wall seconds, and the CPU
milliseconds per report of each way.
With --snapshots N: only the store's write of task snapshots instead: N snapshots of a task's shape in tasks' store
(its declared indexes), then batches of B snapshots of random tasks written with bulk_put, one transaction each (as a
batch of reports writes them), beside the raw operation in the same file: the same bodies written with one plain
upsert each into an (id, body) table. CPU microseconds per snapshot of each.
With --store FILE: tasks' store of a national installation (a COPY: it is written to; this code migrates it on open,
outside the measurement), batches of B reports on distinct random open tasks, each by the task's lead with its own
cause (as the command topic's batches come), alternating: `decide_reports` in one transaction, the same as ReportStatus
commands (check_command, carry_out_all), and beside them the raw SQLite operations they ride on, in the same file, one
transaction per batch each: read+decode (SELECT the batch's snapshot bodies by id, pydantic-core's from_json),
insert rows (B rows of a stored event's size into a table with no index but its rowid) and upsert docs (B snapshot
bodies into an (id, body) table). CPU ms per report of each, and the CPU beside the wall seconds. Each agency's key is
verified once before measuring, as a running service has it after its first request (VerifiedTokens): every report of
this mix comes from another agency, and verifying 60 new keys per batch was half of the commands' time before.
With --store and --steps: CPU µs per report of each step of decide_reports (each step's function timed with
process_time), one transaction per batch.
Usage: python bench/status_batch.py [--tasks 6000] [--batch 60] [--profile FILE [--profile-way http|together|commands|item_by_item]]
       python bench/status_batch.py --snapshots 21796 [--batch 60] [--rounds 200]
       python bench/status_batch.py --store COPY/tasks.sqlite3 [--batch 60] [--rounds 100] [--profile FILE --profile-way together|commands]
       python bench/status_batch.py --store COPY/tasks.sqlite3 --steps [--batch 60] [--rounds 60]
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import platform
import random
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx

from deadlines import assignments
from schemas.tasks import TaskStatusReport
from services.runtime.auth.gate import principal_of
from services.runtime.clock import LOCAL_TZ, ManualClock
from services.runtime.credentials import issue_token
from services.runtime.entry import tune_collector
from services.runtime.eventlog import EventLog
from services.runtime.events import Cause
from services.runtime.settings import ServiceSettings
from services.runtime.sqlite_store import SqliteStore
from services.tasks.bootstrap import INDEXES, create_app
from services.tasks.entrypoints.consumers import carry_out_all, check_command
from services.tasks.handlers.assign import accept_assignments
from services.tasks.handlers.report import Reported, decide_reports, report_status, report_statuses
from pydantic_core import from_json

SECRET = "bench-secret-of-this-process-only"


async def item_by_item(items, agency, store, events, clock, cause) -> None:
    async with store.transaction():
        for item in items:
            await report_status(item.task_id, agency, item, store, events, clock, cause)


async def together(items, agency, store, events, clock, cause) -> None:
    async with store.transaction():
        results = await report_statuses(items, agency, store, events, clock, cause)
    assert all(r["status"] == 201 for r in results), results[:3]


@dataclass
class Record:
    """A command as the consumer gets it from the broker."""
    value: bytes
    key: bytes | None = None
    headers: tuple = ()


async def commands(rt, records: list[Record]) -> None:
    principals: dict = {}
    checked = [await check_command(rt, record, principals) for record in records]
    async with rt.store.transaction():
        outcomes = await carry_out_all(rt, checked)
    assert all(o.reply.accepted for o in outcomes), outcomes[:3]


async def main(n_tasks: int, batch: int, profile: str | None, profile_way: str = "http") -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "tasks.sqlite3", INDEXES)
        clock = ManualClock(datetime(2026, 3, 20, 9, tzinfo=LOCAL_TZ))
        events = EventLog(store, clock)
        settings = ServiceSettings(environment="test", token_secret=SECRET, store_url=f"sqlite:///{tmp}/unused.sqlite3",
                                   rate_per_second=1e9, rate_burst=1e9)
        app = await create_app(settings, clock=clock, store=store)  # no lifespan: no broker, no relay, the request path only
        for start in range(0, n_tasks, 1000):
            await accept_assignments(assignments(start, min(1000, n_tasks - start), clock.now()), store, events)
        # deadlines.assignments gives 60 tasks per lead agency (ca-xa-<n // 60>)
        groups = [[f"t{n:06d}" for n in range(g, min(g + 60, n_tasks))][:batch] for g in range(0, n_tasks, 60)]
        tune_collector()  # the collector as a service runs it after start-up (entry.serve)
        keys = {}
        ways = ("item_by_item", "together", "http", "commands", "raw_upsert")
        stored = store._db.execute("SELECT body FROM doc_tasks LIMIT 1").fetchone()[0]
        store._db.execute("CREATE TABLE raw_upsert (id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID")
        seconds, cpu, sent = dict.fromkeys(ways, 0.0), dict.fromkeys(ways, 0.0), dict.fromkeys(ways, 0)
        profiler = cProfile.Profile(time.process_time) if profile else None  # CPU time: the machine is shared
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tasks") as http:
            for round_ in range(1, len(ways) + 1):
                for n, ids in enumerate(groups):
                    way = ways[(n + round_) % len(ways)]
                    agency = f"ca-xa-{int(ids[0][1:]) // 60}"
                    items = [TaskStatusReport(task_id=t, status="in_progress", progress=round_) for t in ids]
                    body = [{"task_id": t, "status": "in_progress", "progress": round_} for t in ids]
                    key = keys.get(agency) or keys.setdefault(agency, issue_token(SECRET, "agency", agency, now=clock.now(), valid_for=timedelta(days=1))[0])
                    started, cpu_started = time.perf_counter(), time.process_time()
                    if profiler and way == profile_way:
                        profiler.enable()
                    if way == "raw_upsert":
                        async with store.transaction():
                            store._db.executemany("INSERT INTO raw_upsert (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
                                                  [(t, stored) for t in ids])
                    elif way == "commands":
                        await commands(app.state.runtime, [Record(json.dumps({**b, "command_id": str(uuid.uuid4()), "token": key}).encode())
                                                           for b in body])
                    elif way == "http":
                        response = await http.post("/status-reports", json=body, headers={"Authorization": f"Bearer {key}"})
                        assert response.status_code == 200 and response.json()["accepted"] == len(ids), response.text[:300]
                    else:
                        await (together if way == "together" else item_by_item)(items, agency, store, events, clock, Cause("agency", "bench"))
                    if profiler and way == profile_way:
                        profiler.disable()
                    seconds[way] += time.perf_counter() - started
                    cpu[way] += time.process_time() - cpu_started
                    sent[way] += len(ids)
        await store.close()
    if profiler:
        profiler.dump_stats(profile)
    return {"benchmark": "status_batch_in_process", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "load_average": os.getloadavg(), "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)", "tasks": n_tasks,
            "batch": batch, "reports_per_s": {way: round(sent[way] / seconds[way]) for way in ways},
            "wall_s": {way: round(seconds[way], 2) for way in ways}, "cpu_s": {way: round(cpu[way], 2) for way in ways},
            "cpu_ms_per_report": {way: round(cpu[way] / sent[way] * 1000, 3) for way in ways},
            "request_ms_beyond_handler": round((seconds["http"] / sent["http"] - seconds["together"] / sent["together"]) * batch * 1000, 2)}


def snapshot(i: int, version: int) -> dict:
    """A task snapshot's shape and size (≈ 750 bytes as JSON), as Task.to_doc makes it."""
    return {"task_id": f"t{i:06d}", "plan_id": f"kh-{i // 20}", "unit_id": f"xa-{i // 20}", "lead": f"ca-xa-{i // 60}", "support": [],
            "content": "Rà soát, cập nhật dữ liệu dân cư trên địa bàn " * 3, "code": None, "due": "2026-12-31", "recurring": False,
            "condition": None, "version": version, "status": "in_progress", "progress": version % 100, "completed_on": None,
            "on_time": None, "missed": [], "original_due": "2026-12-31", "parent_task_id": f"h-{i // 20}", "clause": "1",
            "start": None, "assigned_on": "2026-01-05", "condition_immediately": False, "condition_days": None,
            "condition_met_on": None, "schedule": None, "reported_periods": [], "missed_periods": [],
            "parts": [{"agency_id": f"ca-xa-{i // 60}", "role": "lead", "status": "in_progress", "progress": version % 100, "summary": ""}],
            "waiting_on": [], "extensions": [], "evidence": None, "transfers": [], "open": True, "waiting_condition": False,
            "attention_on": "2027-01-01"}


async def snapshot_writes(n: int, batch: int, rounds: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "tasks.sqlite3", INDEXES)
        for start in range(0, n, 2000):
            await store.bulk_put("tasks", {f"t{i:06d}": snapshot(i, 1) for i in range(start, min(n, start + 2000))})
        store._db.execute("CREATE TABLE raw_upsert (id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID")
        store._db.executemany("INSERT INTO raw_upsert SELECT id, body FROM doc_tasks WHERE id = ?", [(f"t{i:06d}",) for i in range(n)])
        rng, cpu = random.Random(1), {"bulk_put": 0.0, "raw_upsert": 0.0}
        for round_ in range(rounds):
            docs = {f"t{i:06d}": snapshot(i, round_ + 2) for i in rng.sample(range(n), batch)}
            started = time.process_time()
            async with store.transaction():
                await store.bulk_put("tasks", docs)
            cpu["bulk_put"] += time.process_time() - started
            rows = [(i, json.dumps(d, ensure_ascii=False)) for i, d in docs.items()]
            started = time.process_time()
            async with store.transaction():
                store._db.executemany("INSERT INTO raw_upsert (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body", rows)
            cpu["raw_upsert"] += time.process_time() - started
        await store.close()
    return {"benchmark": "task_snapshot_writes", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "load_average": os.getloadavg(), "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)", "snapshots": n,
            "batch": batch, "rounds": rounds, "cpu_us_per_snapshot": {k: round(v / rounds / batch * 1e6, 1) for k, v in cpu.items()}}


async def national_store(path: str, batch: int, rounds: int, cache_kib: int | None = None, profile: str | None = None,
                         profile_way: str = "commands") -> dict:
    opened = time.perf_counter()
    store = SqliteStore(path, INDEXES)
    opened = time.perf_counter() - opened
    if cache_kib:
        store._db.execute(f"PRAGMA cache_size=-{cache_kib}")
    clock = ManualClock(datetime(2026, 11, 30, 9, tzinfo=LOCAL_TZ))
    events = EventLog(store, clock)
    with tempfile.TemporaryDirectory() as tmp:
        settings = ServiceSettings(environment="test", token_secret=SECRET, store_url=f"sqlite:///{tmp}/unused.sqlite3",
                                   rate_per_second=1e9, rate_burst=1e9)
        app = await create_app(settings, clock=clock, store=store)
    db = store._db
    leads = dict(db.execute("SELECT id, f_lead FROM doc_tasks WHERE json_extract(body, '$.completed_on') IS NULL"))
    ways = ("together", "commands", "raw_read_decode", "raw_insert_rows", "raw_upsert_docs")
    chosen = random.Random(1).sample(sorted(leads), min(len(leads), batch * rounds * 2))  # two ways report; no task twice
    event_body = db.execute("SELECT body FROM events ORDER BY position DESC LIMIT 1").fetchone()[0]
    snapshot_body = db.execute("SELECT body FROM doc_tasks LIMIT 1").fetchone()[0]
    db.execute("CREATE TABLE IF NOT EXISTS raw_rows (position INTEGER PRIMARY KEY, stream_id TEXT, body TEXT)")
    db.execute("CREATE TABLE IF NOT EXISTS raw_docs (id TEXT PRIMARY KEY, body TEXT NOT NULL)")
    keys: dict = {}

    def key(agency: str) -> str:
        return keys.get(agency) or keys.setdefault(agency, issue_token(SECRET, "agency", agency, now=clock.now(), valid_for=timedelta(days=1))[0])

    runtime = app.state.runtime
    for t in chosen:  # each agency's key verified once before measuring, as a running service has them (VerifiedTokens)
        await principal_of(runtime, key(leads[t]))
    tune_collector()  # the collector as a service runs it after start-up (entry.serve)
    seconds, cpu, sent = dict.fromkeys(ways, 0.0), dict.fromkeys(ways, 0.0), dict.fromkeys(ways, 0)
    reporting = iter(chosen)
    profiler = cProfile.Profile(time.process_time) if profile else None  # CPU time: the machine is shared
    for round_ in range(rounds):
        for n in range(len(ways)):
            way = ways[(n + round_) % len(ways)]
            ids = [next(reporting) for _ in range(batch)] if way in ("together", "commands") else random.Random(round_ * 7 + n).sample(chosen, batch)
            records = [Record(json.dumps({"task_id": t, "status": "in_progress", "progress": 50, "command_id": str(uuid.uuid4()),
                                          "token": key(leads[t])}).encode()) for t in ids] if way == "commands" else []
            started, cpu_started = time.perf_counter(), time.process_time()
            if profiler and way == profile_way:
                profiler.enable()
            if way == "together":
                async with store.transaction():
                    items = [Reported(TaskStatusReport(task_id=t, status="in_progress", progress=50), leads[t], Cause(f"agency:{leads[t]}", str(uuid.uuid4())))
                             for t in ids]
                    outcomes = await decide_reports(items, store, events, clock)
                assert all(isinstance(o, list) for o in outcomes), [o for o in outcomes if not isinstance(o, list)][:3]
            elif way == "commands":
                await commands(app.state.runtime, records)
            elif way == "raw_read_decode":
                marks = ",".join("?" * len(ids))
                async with store.transaction():
                    [from_json(body) for _, body in db.execute(f"SELECT id, body FROM doc_tasks WHERE id IN ({marks})", ids)]
            elif way == "raw_insert_rows":
                async with store.transaction():
                    db.executemany("INSERT INTO raw_rows (stream_id, body) VALUES (?, ?)", [(t, event_body) for t in ids])
            else:
                async with store.transaction():
                    db.executemany("INSERT INTO raw_docs (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
                                   [(t, snapshot_body) for t in ids])
            if profiler and way == profile_way:
                profiler.disable()
            seconds[way] += time.perf_counter() - started
            cpu[way] += time.process_time() - cpu_started
            sent[way] += len(ids)
    store_cache = db.execute("PRAGMA cache_size").fetchone()[0]
    await store.close()
    if profiler:
        profiler.dump_stats(profile)
    return {"benchmark": "status_batch_national_store", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "load_average": os.getloadavg(), "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)",
            "tasks": len(leads), "cache_size": store_cache, "open_s": round(opened, 2), "batch": batch, "rounds": rounds,
            "reports_per_s": {way: round(sent[way] / seconds[way]) for way in ways},
            "wall_s": {way: round(seconds[way], 2) for way in ways}, "cpu_s": {way: round(cpu[way], 2) for way in ways},
            "cpu_ms_per_report": {way: round(cpu[way] / sent[way] * 1000, 3) for way in ways}}


class WalFrames:
    """Frames written to a WAL file, read from its wal-index (the -shm file's header: mxFrame, a u32 at offset 16 in
    native order), before and after each transaction; a checkpoint that restarts the WAL starts the count again."""

    def __init__(self, path: str) -> None:
        self._shm = Path(f"{path}-shm")
        self.frames = 0

    def _max_frame(self) -> int:
        try:
            with self._shm.open("rb") as shm:
                return int.from_bytes(shm.read(20)[16:20], "little")
        except OSError:
            return 0

    def __enter__(self) -> "WalFrames":
        self._before = self._max_frame()
        return self

    def __exit__(self, *exc) -> None:
        after = self._max_frame()
        self.frames += after - self._before if after >= self._before else after


async def steps(path: str, batch: int, rounds: int, pragmas: list[str] = (), warm: int = 0) -> dict:
    """CPU microseconds per report of each step of `decide_reports` on a national store (a COPY), each step's function
    wrapped with process_time (≈ 0.3 µs a call): batches of B reports on distinct random open tasks by their leads, one
    transaction each, as the command topic's batches come (without the commands' checks and ledger)."""
    from services.runtime import eventlog as eventlog_module, sqlite_documents, sqlite_store
    from services.tasks.domain import task as task_module
    from services.tasks.handlers import report as report_module

    spent: dict[str, float] = {}

    def timed(owner, name: str, label: str) -> None:
        inner = getattr(owner, name, None)
        if inner is None:  # a step the code measured has not (an older version, run by PYTHONPATH for a before/after)
            return
        if asyncio.iscoroutinefunction(inner):
            async def wrapper(*args, **kwargs):
                started = time.process_time()
                try:
                    return await inner(*args, **kwargs)
                finally:
                    spent[label] = spent.get(label, 0.0) + time.process_time() - started
        else:
            def wrapper(*args, **kwargs):
                started = time.process_time()
                try:
                    return inner(*args, **kwargs)
                finally:
                    spent[label] = spent.get(label, 0.0) + time.process_time() - started
        setattr(owner, name, wrapper)

    store = SqliteStore(path, INDEXES)
    for pragma in pragmas:
        store._db.execute(f"PRAGMA {pragma}")
    clock = ManualClock(datetime(2026, 11, 30, 9, tzinfo=LOCAL_TZ))
    events = EventLog(store, clock)
    leads = dict(store._db.execute("SELECT id, f_lead FROM doc_tasks WHERE json_extract(body, '$.completed_on') IS NULL"))
    chosen = random.Random(5).sample(sorted(leads), min(len(leads), batch * (warm + rounds)))
    tune_collector()  # the collector as a service runs it after start-up (entry.serve)
    for owner, name, label in (
            (sqlite_documents.SqliteDocuments, "find", "read the batch's snapshots (SQL + from_json)"),
            (task_module.Task, "from_doc", "Task.from_doc"), (report_module.domain, "report_status", "the decision"),
            (eventlog_module, "seal_many", "seal_many (envelopes and their JSON)"),
            (sqlite_store.SqliteStore, "append_many", "SQL append (version check + insert)"),
            (report_module, "evolve", "the fold (evolve)"), (report_module, "snapshot", "snapshot (to_doc)"),
            (sqlite_documents.SqliteDocuments, "_stored_values", "bulk_put: its read of the stored values"),
            (sqlite_documents.SqliteDocuments, "bulk_put", "the snapshot write (bulk_put, all)"),
            (sqlite_store.SqliteStore, "_finish", "COMMIT"), (report_module, "decide_reports", "decide_reports (all)")):
        timed(owner, name, label)
    total, frames = 0.0, WalFrames(path)
    for round_ in range(-warm, rounds):  # the first `warm` rounds fill SQLite's page cache as a running service has it
        if round_ == 0:
            spent.clear()
            total, frames.frames = 0.0, 0
        ids = chosen[(warm + round_) * batch:(warm + round_ + 1) * batch]
        items = [Reported(TaskStatusReport(task_id=t, status="in_progress", progress=50), leads[t], Cause(f"agency:{leads[t]}", str(uuid.uuid4())))
                 for t in ids]
        started = time.process_time()
        with frames:
            async with store.transaction():
                outcomes = await report_module.decide_reports(items, store, events, clock)
        total += time.process_time() - started
        assert all(isinstance(o, list) for o in outcomes), [o for o in outcomes if not isinstance(o, list)][:3]
    started = time.process_time()  # what the run left in the WAL is checkpointed and counted: every setting pays for its pages
    store._db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    spent["the checkpoint of what is left in the WAL"] = time.process_time() - started
    total += spent["the checkpoint of what is left in the WAL"]
    await store.close()
    reports = batch * rounds
    table = {label: round(s / reports * 1e6, 1) for label, s in sorted(spent.items(), key=lambda kv: -kv[1])}
    return {"benchmark": "status_batch_steps", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "load_average": os.getloadavg(), "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)", "tasks": len(leads),
            "batch": batch, "reports": reports, "warm_rounds": warm, "pragmas": list(pragmas), "wal_frames_per_report": round(frames.frames / reports, 2),
            "cpu_us_per_report": {**table, "the batch's transaction (all)": round(total / reports * 1e6, 1)}}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=6_000)
    parser.add_argument("--batch", type=int, default=60)
    parser.add_argument("--profile", help="cProfile one way (--profile-way, the HTTP one unless named) into this file")
    parser.add_argument("--profile-way", default="http", choices=("item_by_item", "together", "http", "commands", "raw_upsert"),
                        help="with --store: together or commands (default commands)")
    parser.add_argument("--snapshots", type=int, help="measure only the store's write of this many task snapshots (docstring)")
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--store", help="a COPY of tasks' store of a national installation (docstring)")
    parser.add_argument("--cache-kib", type=int, help="with --store: SQLite's page cache for the run (PRAGMA cache_size=-N)")
    parser.add_argument("--steps", action="store_true", help="with --store: CPU µs per report of each step of decide_reports")
    parser.add_argument("--pragma", action="append", default=[], help="with --steps: a PRAGMA set on the store's connection first (repeatable)")
    parser.add_argument("--warm", type=int, default=0, help="with --steps: rounds run first and not measured (SQLite's page cache filled)")
    args = parser.parse_args()
    if args.store and args.steps:
        print(json.dumps(asyncio.run(steps(args.store, args.batch, args.rounds, args.pragma, args.warm)), indent=2))
    elif args.store:
        print(json.dumps(asyncio.run(national_store(args.store, args.batch, args.rounds, args.cache_kib, args.profile, args.profile_way)), indent=2))
    elif args.snapshots:
        print(json.dumps(asyncio.run(snapshot_writes(args.snapshots, args.batch, args.rounds)), indent=2))
    else:
        print(json.dumps(asyncio.run(main(args.tasks, args.batch, args.profile, args.profile_way)), indent=2))

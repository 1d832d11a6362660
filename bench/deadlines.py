"""Benchmark P3: N tasks due at one instant -> every DeadlineMissed, and the idle cost of the deadline schedule.

Runs tasks' own handlers in-process on a SQLite store (the embedded adapter) in a temporary folder:
1. accepts N assignments (TaskAssigned, batches of 1,000, as the consumer does), all due on one day;
2. idle: the scanner's poll while nothing is due (one indexed range query + the next moment),
   and for comparison the former full scan (every open task read and decoded each poll); the
   poll again once every task is settled (attention_on null for all);
3. the clock passes the due day: time until every DeadlineMissed is appended (with snapshots);
4. raw, in the same run: SQLite reading and decoding N documents, inserting N event rows in one
   transaction, and upserting N snapshot-sized documents into a table with the same expression
   indexes as tasks' snapshots, in transactions of one scanner batch.
Every phase prints CPU seconds of this process beside wall seconds (the machine is shared: wall
time alone says more about the neighbours than about the code) and the load average around it.
Publishing to Kafka is the outbox relay's work, measured end to end in bench/national.py.
Prints one JSON object. Usage: python bench/deadlines.py [--tasks 100000] [--batch 500]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sqlite3
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from schemas.catalog import Event
from schemas.envelope import Envelope
from schemas.plans import TaskAssigned, Timing
from services.runtime.clock import LOCAL_TZ, ManualClock
from services.runtime.eventlog import EventLog
from services.runtime.sqlite_store import SqliteStore
from services.tasks.bootstrap import INDEXES
from services.tasks.domain.task import Task
from services.tasks.handlers.assign import accept_assignments
from services.tasks.handlers.repository import TASKS
from services.tasks.handlers.scan import BATCH, next_attention_moment, scan_deadlines

DUE = date(2026, 3, 31)


def assignments(start: int, count: int, at: datetime) -> list[Event]:
    events = []
    for n in range(start, start + count):
        payload = TaskAssigned(task_id=f"t{n:06d}", plan_id=f"kh-{n // 60}", unit_id=f"xa-{n // 60}", content="Rà soát, cập nhật dữ liệu dân cư",
                               group=n % 5 + 1, lead=f"ca-xa-{n // 60}", timing=Timing(due=DUE))
        envelope = Envelope(event_id=uuid.uuid4(), event_type="TaskAssigned", stream_id=f"plan-kh-{n // 60}", stream_version=n % 60 + 2,
                            occurred_at=at, recorded_at=at, correlation_id="bench", actor="plans", payload=payload.model_dump(mode="json"))
        events.append(Event(envelope, payload))
    return events


class Timer:
    """Wall and CPU seconds of this process over a block."""

    def __enter__(self) -> "Timer":
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


async def main(n_tasks: int, batch: int = BATCH) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "tasks.sqlite3", INDEXES)
        clock = ManualClock(datetime(2026, 3, 31, 12, tzinfo=LOCAL_TZ))
        events = EventLog(store, clock)
        with Timer() as assigning:
            for start in range(0, n_tasks, 1000):
                await accept_assignments(assignments(start, min(1000, n_tasks - start), clock.now()), store, events)

        polls, started = 50, time.perf_counter()
        for _ in range(polls):
            assert await scan_deadlines(store, events, clock) == 0
            await next_attention_moment(store)
        poll_ms = (time.perf_counter() - started) / polls * 1000
        started = time.perf_counter()
        open_tasks = [Task.from_doc(d) for d in await store.find(TASKS, open=True)]
        full_scan_ms = (time.perf_counter() - started) * 1000

        clock.set(datetime(2026, 4, 1, 0, 0, 1, tzinfo=LOCAL_TZ))
        load_before = load_average()
        with Timer() as deciding:
            missed = await scan_deadlines(store, events, clock, batch)
        load_after = load_average()
        started = time.perf_counter()
        for _ in range(polls):  # every task now done with (attention_on null): the poll must not walk past them
            assert await scan_deadlines(store, events, clock) == 0
            await next_attention_moment(store)
        poll_after_ms = (time.perf_counter() - started) / polls * 1000
        appended = store._db.execute("SELECT count(*) FROM events WHERE body LIKE '%\"event_type\":\"DeadlineMissed\"%'").fetchone()[0]
        await store.close()
        raw = raw_sqlite(Path(tmp) / "tasks.sqlite3", Path(tmp) / "raw.sqlite3", n_tasks, batch)
    return {
        "benchmark": "deadlines_P3", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores", "python": platform.python_version(), "tasks": n_tasks,
        "assignments_per_s": round(n_tasks / assigning.wall), "assignments_cpu_s": round(assigning.cpu, 2),
        "idle_poll_ms": round(poll_ms, 3), "idle_cpu_share_at_1_poll_per_s": f"{poll_ms / 10:.3f}%",
        "idle_poll_ms_when_every_task_is_settled": round(poll_after_ms, 3),
        "former_full_scan_ms_per_poll": round(full_scan_ms, 1), "open_tasks": len(open_tasks),
        "deadline_missed": {"decided": missed, "in_event_store": appended, "batch": batch, "seconds": round(deciding.wall, 2),
                            "cpu_seconds": round(deciding.cpu, 2), "per_s": round(missed / deciding.wall),
                            "per_cpu_s": round(missed / deciding.cpu), "load_average_before_after": [load_before, load_after]},
        "raw_sqlite_same_run": raw,
    }


def raw_sqlite(tasks_db: Path, scratch: Path, n: int, batch: int) -> dict:
    db = sqlite3.connect(tasks_db)
    with Timer() as reading:
        bodies = [body for (body,) in db.execute("SELECT body FROM doc_tasks")]
        rows = [json.loads(body) for body in bodies]
    db.close()
    out = sqlite3.connect(scratch, isolation_level=None)
    out.execute("PRAGMA journal_mode=WAL")
    out.execute("PRAGMA synchronous=NORMAL")
    out.execute("CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream_id TEXT, stream_version INTEGER, event_id TEXT UNIQUE, body TEXT, UNIQUE (stream_id, stream_version))")
    body = json.dumps({"event_type": "DeadlineMissed", "payload": {"task_id": "t", "due": "2026-03-31"}})
    with Timer() as inserting:
        out.execute("BEGIN")
        out.executemany("INSERT INTO events (stream_id, stream_version, event_id, body) VALUES (?,?,?,?)",
                        ((f"task-{i}", 2, str(uuid.uuid4()), body) for i in range(n)))
        out.execute("COMMIT")
    out.execute("CREATE TABLE docs (id TEXT PRIMARY KEY, body TEXT NOT NULL) WITHOUT ROWID")
    for field in INDEXES["tasks"]:
        out.execute(f"CREATE INDEX ix_{field} ON docs (json_extract(body, '$.{field}'))")
    out.execute("BEGIN")
    out.executemany("INSERT INTO docs (id, body) VALUES (?,?)", ((d["task_id"], b) for d, b in zip(rows, bodies)))
    out.execute("COMMIT")
    upsert = "INSERT INTO docs (id, body) VALUES (?,?) ON CONFLICT(id) DO UPDATE SET body = excluded.body"
    with Timer() as upserting:  # the same documents again, each with its attention_on cleared (what the scanner's snapshots change)
        for start in range(0, n, batch):
            out.execute("BEGIN")
            out.executemany(upsert, ((d["task_id"], json.dumps({**d, "attention_on": None}, ensure_ascii=False)) for d in rows[start : start + batch]))
            out.execute("COMMIT")
    out.close()
    return {"read_and_decode_docs_per_s": round(len(rows) / reading.wall), "read_and_decode_cpu_s": round(reading.cpu, 2),
            "insert_event_rows_one_transaction_per_s": round(n / inserting.wall), "insert_event_rows_cpu_s": round(inserting.cpu, 2),
            "upsert_snapshot_docs_same_indexes_per_s": round(n / upserting.wall), "upsert_snapshot_docs_cpu_s": round(upserting.cpu, 2)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=BATCH, help="tasks the scanner decides per transaction")
    arguments = parser.parse_args()
    print(json.dumps(asyncio.run(main(arguments.tasks, arguments.batch)), indent=2))

"""Benchmark P3: N tasks due at one instant -> every DeadlineMissed, and the idle cost of the deadline schedule.

Runs tasks' own handlers in-process on a SQLite store (the embedded adapter) in a temporary folder:
1. accepts N assignments (TaskAssigned, batches of 1,000, as the consumer does), all due on one day;
2. idle: the scanner's poll while nothing is due (one indexed range query + the next moment),
   and for comparison the former full scan (every open task read and decoded each poll); the
   poll again once every task is settled (attention_on null for all);
3. the clock passes the due day: time until every DeadlineMissed is appended (with snapshots);
4. raw, in the same run: SQLite reading and decoding N documents, and inserting N event rows
   in one transaction.
Publishing to Kafka is the outbox relay's work, measured end to end in bench/national.py.
Prints one JSON object. Usage: python bench/deadlines.py [--tasks 100000]
"""
from __future__ import annotations

import argparse
import asyncio
import json
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
from services.tasks.handlers.scan import next_attention_moment, scan_deadlines

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


async def main(n_tasks: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "tasks.sqlite3", INDEXES)
        clock = ManualClock(datetime(2026, 3, 31, 12, tzinfo=LOCAL_TZ))
        events = EventLog(store, clock)
        started = time.perf_counter()
        for start in range(0, n_tasks, 1000):
            await accept_assignments(assignments(start, min(1000, n_tasks - start), clock.now()), store, events)
        assign_seconds = time.perf_counter() - started

        polls, started = 50, time.perf_counter()
        for _ in range(polls):
            assert await scan_deadlines(store, events, clock) == 0
            await next_attention_moment(store)
        poll_ms = (time.perf_counter() - started) / polls * 1000
        started = time.perf_counter()
        open_tasks = [Task.from_doc(d) for d in await store.find(TASKS, open=True)]
        full_scan_ms = (time.perf_counter() - started) * 1000

        clock.set(datetime(2026, 4, 1, 0, 0, 1, tzinfo=LOCAL_TZ))
        started = time.perf_counter()
        missed = await scan_deadlines(store, events, clock)
        missed_seconds = time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(polls):  # every task now done with (attention_on null): the poll must not walk past them
            assert await scan_deadlines(store, events, clock) == 0
            await next_attention_moment(store)
        poll_after_ms = (time.perf_counter() - started) / polls * 1000
        appended = store._db.execute("SELECT count(*) FROM events WHERE body LIKE '%\"event_type\":\"DeadlineMissed\"%'").fetchone()[0]
        await store.close()
        raw = raw_sqlite(Path(tmp) / "tasks.sqlite3", Path(tmp) / "raw.sqlite3", n_tasks)
    return {
        "benchmark": "deadlines_P3", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores", "python": platform.python_version(), "tasks": n_tasks,
        "assignments_per_s": round(n_tasks / assign_seconds),
        "idle_poll_ms": round(poll_ms, 3), "idle_cpu_share_at_1_poll_per_s": f"{poll_ms / 10:.3f}%",
        "idle_poll_ms_when_every_task_is_settled": round(poll_after_ms, 3),
        "former_full_scan_ms_per_poll": round(full_scan_ms, 1), "open_tasks": len(open_tasks),
        "deadline_missed": {"decided": missed, "in_event_store": appended, "seconds": round(missed_seconds, 2),
                            "per_s": round(missed / missed_seconds)},
        "raw_sqlite_same_run": raw,
    }


def raw_sqlite(tasks_db: Path, scratch: Path, n: int) -> dict:
    db = sqlite3.connect(tasks_db)
    started = time.perf_counter()
    rows = [json.loads(body) for (body,) in db.execute("SELECT body FROM doc_tasks")]
    read_s = time.perf_counter() - started
    db.close()
    out = sqlite3.connect(scratch, isolation_level=None)
    out.execute("PRAGMA journal_mode=WAL")
    out.execute("PRAGMA synchronous=NORMAL")
    out.execute("CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, stream_id TEXT, stream_version INTEGER, event_id TEXT UNIQUE, body TEXT, UNIQUE (stream_id, stream_version))")
    body = json.dumps({"event_type": "DeadlineMissed", "payload": {"task_id": "t", "due": "2026-03-31"}})
    started = time.perf_counter()
    out.execute("BEGIN")
    out.executemany("INSERT INTO events (stream_id, stream_version, event_id, body) VALUES (?,?,?,?)",
                    ((f"task-{i}", 2, str(uuid.uuid4()), body) for i in range(n)))
    out.execute("COMMIT")
    insert_s = time.perf_counter() - started
    out.close()
    return {"read_and_decode_docs_per_s": round(len(rows) / read_s), "insert_event_rows_one_transaction_per_s": round(n / insert_s)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    print(json.dumps(asyncio.run(main(parser.parse_args().tasks)), indent=2))

"""Benchmark: the timeline's CPU per status report in reporting's live consumer (handlers/timeline.record_timelines),
in one process, no broker, beside the raw upsert it rides on.

A SQLite store with reporting's indexes; --tasks tasks, each first given its TaskAssigned and --prefill status reports
(batches of 500 spread over the tasks, not measured: full timelines, as a task reported on for months has), then for
each --batches size, --reports status reports in batches of that size, each batch meeting as many distinct tasks as it
holds (a report day's national spread), each batch in one transaction (commit included), as the consumer applies it.
Beside it, in the same run: one SQLite upsert of a ≈ 300-byte JSON body per record, one transaction per batch (the
raw operation), and the read the task page makes (dashboard/queries.timeline) of 200 tasks.

The same file runs against another checkout's code (PYTHONPATH=that checkout): the store form is whatever that code
writes. Prints one JSON object: CPU µs per report beside wall µs, the load average before and after.

Usage: python bench/timelines.py [--tasks 5000] [--prefill 60] [--reports 10000] [--batches 100,500,2000] [--keep DIR]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, os.environ.get("PYTHONPATH", "").split(os.pathsep)[0] or str(Path(__file__).resolve().parents[1]))

from schemas.catalog import Event  # noqa: E402
from schemas.envelope import Envelope  # noqa: E402
from schemas.plans import TaskAssigned, Timing  # noqa: E402
from schemas.tasks import StatusReported, TaskStatus  # noqa: E402
from services.reporting.bootstrap import INDEXES  # noqa: E402
from services.reporting.dashboard import queries  # noqa: E402
from services.reporting.handlers.timeline import record_timelines  # noqa: E402
from services.runtime.sqlite_store import SqliteStore  # noqa: E402

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=timezone.utc)


def _event(stream: str, version: int, payload, at: datetime) -> Event:
    envelope = Envelope(event_id=uuid.uuid4(), event_type=type(payload).__name__, stream_id=stream, stream_version=version,
                        occurred_at=at, recorded_at=at, correlation_id="bench", actor="bench", payload=payload.model_dump(mode="json"))
    return Event(envelope, payload)


class Tasks:
    """Each task's stream: its assignment, then status reports at rising times (versions counted here)."""

    def __init__(self, count: int) -> None:
        self.ids = [f"kh-{i // 20}.{i % 20}" for i in range(count)]
        self.version = dict.fromkeys(self.ids, 0)

    def assigned(self) -> list[Event]:
        out = []
        for task_id in self.ids:
            self.version[task_id] = 1
            out.append(_event(f"task-{task_id}", 1, TaskAssigned(task_id=task_id, plan_id="kh-1", unit_id="xa", lead="ca-xa",
                              content="Triển khai cấp tài khoản định danh điện tử", timing=Timing(raw="Tháng 12/2026", due=date(2026, 12, 31))), T0))
        return out

    def report(self, task_id: str) -> Event:
        version = self.version[task_id] = self.version[task_id] + 1
        return _event(f"task-{task_id}", version, StatusReported(task_id=task_id, agency_id="ca-xa", status=TaskStatus("in_progress"),
                      progress=version % 100, summary="Đã cấp 1.250 tài khoản VNeID mức 2 trong tuần"), T0 + timedelta(hours=version))

    def batches(self, reports: int, size: int, rng: random.Random) -> list[list[Event]]:
        out, order = [], []
        while len(order) < reports:
            round_ = list(self.ids)
            rng.shuffle(round_)
            order.extend(round_)
        order = order[:reports]
        for start in range(0, reports, size):
            out.append([self.report(t) for t in order[start:start + size]])
        return out


async def measure(store: SqliteStore, batches: list[list[Event]]) -> dict:
    n = sum(len(b) for b in batches)
    cpu, wall = time.process_time(), time.perf_counter()
    for batch in batches:
        async with store.transaction():
            await record_timelines(batch, store)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"reports": n, "cpu_us_per_report": round(cpu / n * 1e6, 1), "wall_us_per_report": round(wall / n * 1e6, 1)}


def raw_upserts(path: Path, n: int, size: int) -> dict:
    """One upsert per record of a ≈ 300-byte JSON body, one transaction per batch: the raw operation."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE IF NOT EXISTS raw (id TEXT PRIMARY KEY, body TEXT NOT NULL)")
    body = json.dumps({"kind": "report", "agency_id": "ca-xa", "status": "in_progress", "progress": 40, "obstacles": "",
                       "summary": "Đã cấp 1.250 tài khoản VNeID mức 2 trong tuần", "period": None,
                       "at": T0.isoformat(), "event_id": str(uuid.uuid4())}, ensure_ascii=False)
    cpu, wall = time.process_time(), time.perf_counter()
    for start in range(0, n, size):
        db.execute("BEGIN")
        db.executemany("INSERT INTO raw (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
                       [(f"r{i}", body) for i in range(start, min(n, start + size))])
        db.execute("COMMIT")
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    db.close()
    return {"records": n, "cpu_us_per_record": round(cpu / n * 1e6, 1), "wall_us_per_record": round(wall / n * 1e6, 1)}


async def reads(store: SqliteStore, task_ids: list[str]) -> dict:
    cpu, wall = time.process_time(), time.perf_counter()
    shown = [await queries.timeline(store, t) for t in task_ids]
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {"reads": len(task_ids), "cpu_ms_per_read": round(cpu / len(task_ids) * 1e3, 3), "wall_ms_per_read": round(wall / len(task_ids) * 1e3, 3),
            "entries_shown": sum(len(d["entries"]) for d in shown if d)}


async def run(args, folder: Path) -> dict:
    rng = random.Random(6)
    tasks = Tasks(args.tasks)
    store = SqliteStore(folder / "reporting.sqlite3", INDEXES)
    result: dict = {"machine": f"{platform.machine()} {os.cpu_count()} cores", "python": platform.python_version(),
                    "load_average_before": os.getloadavg(), "tasks": args.tasks, "prefill": args.prefill}
    try:
        started = time.process_time()
        for batch in [tasks.assigned()[i:i + 500] for i in range(0, args.tasks, 500)]:
            async with store.transaction():
                await record_timelines(batch, store)
        if args.prefill:
            for batch in tasks.batches(args.tasks * args.prefill, 500, rng):
                async with store.transaction():
                    await record_timelines(batch, store)
        result["prefill_cpu_s"] = round(time.process_time() - started, 1)
        steps = {}
        for size in args.batches:
            steps[str(size)] = {**await measure(store, tasks.batches(args.reports, size, rng)),
                                "raw_upsert": raw_upserts(folder / f"raw-{size}.sqlite3", args.reports, size)}
        result["batches"] = steps
        result["read"] = await reads(store, rng.sample(tasks.ids, min(200, len(tasks.ids))))
        result["rows"] = {name: n for name, n in sqlite3.connect(folder / "reporting.sqlite3").execute(
            "SELECT 'timelines', count(*) FROM doc_timelines UNION ALL SELECT 'timeline_entries', count(*) FROM doc_timeline_entries")}
    finally:
        await store.close()
    result["load_average_after"] = os.getloadavg()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--prefill", type=int, default=60, help="reports per task before the measured steps")
    parser.add_argument("--reports", type=int, default=10000, help="measured reports per batch size")
    parser.add_argument("--batches", type=lambda s: [int(x) for x in s.split(",")], default=[100, 500, 2000])
    parser.add_argument("--keep", type=Path, help="a folder to keep the store in (default: a temporary one)")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        print(json.dumps(asyncio.run(run(args, args.keep)), ensure_ascii=False))
        return
    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(asyncio.run(run(args, Path(folder))), ensure_ascii=False))


if __name__ == "__main__":
    main()

"""The tasks hot path in-process: a batch of status reports decided item by item (as before) vs together.

tasks' handlers on a SQLite store in a temporary folder, no HTTP, no broker: N tasks, then rounds
of batches of B reports from one agency, (a) item by item, each its own load/decide/append/
snapshot inside the batch's transaction (the former `POST /status-reports`), (b) `report_statuses`
(one indexed read, one `append_many`, one snapshot write), alternating so both see the same load.
Prints one JSON object. Usage: python bench/status_batch.py [--tasks 20000] [--batch 60]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import platform
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from deadlines import assignments
from schemas.tasks import StatusReport, TaskStatusReport
from services.runtime.clock import LOCAL_TZ, ManualClock
from services.runtime.eventlog import EventLog
from services.runtime.events import Cause
from services.runtime.sqlite_store import SqliteStore
from services.tasks.bootstrap import INDEXES
from services.tasks.handlers.assign import accept_assignments
from services.tasks.handlers.report import report_status
from services.tasks.handlers.report import report_statuses


async def item_by_item(items, agency, store, events, clock, cause) -> None:
    async with store.transaction():
        for item in items:
            await report_status(item.task_id, agency, StatusReport(**item.model_dump(exclude={"task_id"})), store, events, clock, cause)


async def together(items, agency, store, events, clock, cause) -> None:
    async with store.transaction():
        results = await report_statuses(items, agency, store, events, clock, cause)
    assert all(r["status"] == 201 for r in results), results[:3]


async def main(n_tasks: int, batch: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "tasks.sqlite3", INDEXES)
        clock = ManualClock(datetime(2026, 3, 20, 9, tzinfo=LOCAL_TZ))
        events = EventLog(store, clock)
        for start in range(0, n_tasks, 1000):
            await accept_assignments(assignments(start, min(1000, n_tasks - start), clock.now()), store, events)
        # deadlines.assignments gives 60 tasks per lead agency (ca-xa-<n // 60>)
        groups = [[f"t{n:06d}" for n in range(g, min(g + 60, n_tasks))][:batch] for g in range(0, n_tasks, 60)]
        seconds = {"item_by_item": 0.0, "together": 0.0}
        sent = {"item_by_item": 0, "together": 0}
        for round_ in range(1, 3):
            for n, ids in enumerate(groups):
                way, handler = ("together", together) if (n + round_) % 2 else ("item_by_item", item_by_item)
                items = [TaskStatusReport(task_id=t, status="in_progress", progress=round_) for t in ids]
                started = time.perf_counter()
                await handler(items, f"ca-xa-{int(ids[0][1:]) // 60}", store, events, clock, Cause("agency", "bench"))
                seconds[way] += time.perf_counter() - started
                sent[way] += len(items)
        await store.close()
    return {"benchmark": "status_batch_in_process", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores (shared)", "tasks": n_tasks, "batch": batch,
            "reports_per_s": {way: round(sent[way] / seconds[way]) for way in seconds}}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=60)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.tasks, args.batch)), indent=2))

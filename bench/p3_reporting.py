"""P3 in reporting's process alone: a quarter end's DeadlineMissed (and notify's escalations that follow them) applied to a
copy of the kept national installation's reporting store, as its two consumers apply them, in process.

1. --extract VAR: after `bench/national.py --var VAR --phases catchup,p3`, the events P3 appended (tasks' DeadlineMissed
   and notify's events recorded at or after --since) are written to --events, in the order they were recorded.
2. Otherwise: reporting.sqlite3 of --kept (never written: copied into a temporary folder first) gets, in batches of
   --batch as the bus hands them over, the tasks topic's events through the projection (handlers/project.project,
   checkpointed, its checkpoints advanced in the same transaction) and every event through the live views
   (escalations and timelines, the same), each batch decoded first (schemas.catalog.parse_event, timed apart).
   Beside them, in the same run, the raw store operations a batch rides on: read the batch's task documents by id and
   write them back, and insert one row per event into a table of one index, one transaction per batch.
CPU seconds of this process beside wall seconds for each part; the load average. Prints one JSON object.
Usage: python bench/p3_reporting.py --kept /work/var/p200k-v3 --events FILE [--batch 500] [--limit N]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.catalog import parse_event  # noqa: E402
from services.reporting.bootstrap import INDEXES  # noqa: E402
from services.reporting.entrypoints.consumers import LIVE  # noqa: E402
from services.reporting.handlers.escalations import follow_escalations  # noqa: E402
from services.reporting.handlers.project import CONSUMER, project  # noqa: E402
from services.reporting.handlers.timeline import record_timelines  # noqa: E402
from services.runtime.sqlite_store import SqliteStore  # noqa: E402


def extract(var: Path, since: str, out: Path) -> dict:
    rows = []
    for name, where in (("tasks", "event_type = 'DeadlineMissed' AND "), ("notify", "")):
        with sqlite3.connect(f"file:{var / (name + '.sqlite3')}?mode=ro", uri=True) as conn:
            rows += [(recorded, name, body) for recorded, body in conn.execute(
                f"SELECT json_extract(body, '$.recorded_at'), body FROM events WHERE {where}json_extract(body, '$.recorded_at') >= ? "
                "ORDER BY position", (since,))]
    rows.sort(key=lambda r: r[0])  # stable: each store's own order kept at equal times
    with out.open("w") as f:
        for _, topic, body in rows:
            f.write(f"{topic}\t{body}\n")
    return {"events": len(rows), "tasks": sum(r[1] == "tasks" for r in rows), "file": str(out)}


class Timer:
    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    def __enter__(self) -> "Timer":
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall += time.perf_counter() - self._wall
        self.cpu += time.process_time() - self._cpu

    def figures(self, n: int) -> dict:
        return {"seconds": round(self.wall, 2), "cpu_s": round(self.cpu, 2), "per_cpu_s": round(n / self.cpu) if self.cpu else None}


async def checkpointed(store: SqliteStore, consumer: str, batch: list, handle) -> None:
    """As the bus's atomic consumer: the handler and the batch's checkpoints in one transaction."""
    versions: dict[str, int] = {}
    for e in batch:
        versions[e.envelope.stream_id] = max(e.envelope.stream_version, versions.get(e.envelope.stream_id, 0))
    async with store.transaction():
        await handle(batch)
        await store.advance(consumer, versions)


async def run(args: argparse.Namespace) -> dict:
    lines = Path(args.events).read_text().splitlines()[: args.limit]
    work = Path(tempfile.mkdtemp(prefix="p3-reporting-", dir=args.work))
    try:
        for suffix in ("", "-wal"):
            source = Path(args.kept) / f"reporting.sqlite3{suffix}"
            if source.exists():
                shutil.copyfile(source, work / source.name)
        result: dict = {"benchmark": "p3_reporting", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)", "batch": args.batch,
                        "load_average_before": os.getloadavg()}
        rows = [line.split("\t", 1) for line in lines]
        misses = sum(topic == "tasks" for topic, _ in rows)
        store = SqliteStore(work / "reporting.sqlite3", INDEXES)
        decoding, projection, live = Timer(), Timer(), Timer()
        try:
            for i in range(0, len(rows), args.batch):  # decoded a batch at a time, as the bus does (all at once: gigabytes)
                with decoding:
                    events = [(topic, parse_event(body)) for topic, body in rows[i : i + args.batch]]
                batch = [e for _, e in events]
                tasks = [e for topic, e in events if topic == "tasks"]
                if tasks:
                    with projection:
                        await checkpointed(store, CONSUMER, tasks, lambda b: project(b, store, checkpointed=True))
                with live:
                    await checkpointed(store, LIVE, batch, lambda b: _live(b, store))
            raw = await asyncio.to_thread(raw_floor, work / "reporting.sqlite3", rows, args.batch)
        finally:
            await store.close()
        result.update({"events": len(rows), "deadline_missed": misses, "notify_events": len(rows) - misses,
                       "decoding": decoding.figures(len(rows)), "projection": projection.figures(misses),
                       "live_views": live.figures(len(rows)),
                       "reporting_cpu_s_without_decoding": round(projection.cpu + live.cpu, 2),
                       "raw_same_run": raw, "load_average_after": os.getloadavg()})
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


async def _live(batch: list, store: SqliteStore) -> None:
    await follow_escalations(batch, store)
    await record_timelines(batch, store)


def raw_floor(db_path: Path, rows: list[list[str]], batch: int) -> dict:
    """The store operations a batch rides on, without reporting: the batch's task documents read by id and written
    back as they were, and one row per event inserted into a table with one index; one transaction per batch (the ids
    are taken from the event bodies before the clock starts)."""
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("CREATE TABLE raw_rows (id TEXT PRIMARY KEY, body TEXT NOT NULL, task TEXT)")
    db.execute("CREATE INDEX raw_rows_task ON raw_rows (task)")
    parts = []
    for i in range(0, len(rows), batch):
        found = [json.loads(body) for _, body in rows[i : i + batch]]
        parts.append(([(e["event_id"], e["occurred_at"], e["stream_id"]) for e in found],
                      sorted({e["payload"].get("task_id") or e["stream_id"] for e in found})))
    timer = Timer()
    with timer:
        for made, ids in parts:
            db.execute("BEGIN IMMEDIATE")
            bodies = db.execute(f"SELECT id, body FROM doc_tasks WHERE id IN ({','.join('?' * len(ids))})", ids).fetchall()
            db.executemany("UPDATE doc_tasks SET body = ? WHERE id = ?", [(json.dumps(json.loads(b)), i) for i, b in bodies])
            db.executemany("INSERT INTO raw_rows VALUES (?, ?, ?)", [(i, json.dumps({"at": at}), stream) for i, at, stream in made])
            db.execute("COMMIT")
    db.close()
    return {"read_write_task_docs_and_insert_rows": timer.figures(len(rows))}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--kept", default="/work/var/p200k-v3", help="a kept installation (its reporting.sqlite3 is copied, never written)")
    parser.add_argument("--events", required=True, help="the events file (--extract writes it)")
    parser.add_argument("--extract", help="a var folder after a national p3 run: write its P3 events to --events and stop")
    parser.add_argument("--since", default="2026-12-31T17", help="--extract: events recorded at or after this (UTC, ISO)")
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--limit", type=int, help="only the first N events")
    parser.add_argument("--work", help="folder for the temporary copy (default: the system's)")
    arguments = parser.parse_args()
    if arguments.extract:
        print(json.dumps(extract(Path(arguments.extract), arguments.since, Path(arguments.events))))
    else:
        print(json.dumps(asyncio.run(run(arguments)), indent=2))

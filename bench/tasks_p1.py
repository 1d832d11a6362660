"""tasks' CPU per status report in process, shaped as bench/national.py's P1: a national tasks store (a COPY: it is
written to; this code migrates it on open, outside the measurement), its first agencies' tasks (ordered by lead and
id, as bench/reports.py's `reports_by_agency`, up to --reports), reported per round first over HTTP (`POST
/status-reports` on tasks' FastAPI app in this process, called as an ASGI app with the request's bytes: one request per lead agency,
each with its own key, verified on its first use as a running service does) and then as ReportStatus commands (one
record each, 500 a batch as the command topic's consumer gets them: each checked, the batch carried out in one
transaction, the replies encoded), without the broker and the relay. Beside them, the raw SQLite operations they ride
on, in the same file, one transaction per 500: read+decode the snapshots by id (pydantic-core's from_json) and
upsert their bodies into an (id, body) table.

Prints one JSON object: per way, the CPU seconds of the process (process_time) beside the wall seconds, and CPU µs per
report. Run main and a branch alternately, each on a fresh copy, and compare CPU.
Usage: python bench/tasks_p1.py --store COPY/tasks.sqlite3 [--reports 20000] [--rounds 2] [--profile FILE]
"""
from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import platform
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from pydantic_core import from_json

import services
from services.runtime.clock import LOCAL_TZ, ManualClock
from services.runtime.credentials import issue_token
from services.runtime.entry import tune_collector
from services.runtime.settings import ServiceSettings
from services.runtime.sqlite_store import SqliteStore
from services.tasks.bootstrap import INDEXES, create_app
from services.tasks.entrypoints.consumers import carry_out_all, check_command

SECRET = "bench-secret-of-this-process-only"
COMMANDS_BATCH = 500  # records per batch of the command topic's consumer (max_records)


@dataclass
class Record:
    """A command as the consumer gets it from the broker."""
    value: bytes
    key: bytes | None = None
    headers: tuple = ()


def batches_by_agency(db, reports: int, largest: int = 500) -> list[tuple[str, list[str]]]:
    """(lead, task ids) per lead agency, the first agencies' up to about `reports` (bench/national.py's P1)."""
    by_lead: dict[str, list[str]] = {}
    for task_id, lead in db.execute("SELECT id, json_extract(body, '$.lead') FROM doc_tasks ORDER BY 2, 1"):
        by_lead.setdefault(lead, []).append(task_id)
    kept, total = [], 0
    for lead, ids in by_lead.items():
        for i in range(0, len(ids), largest):
            if total >= reports:
                return kept
            kept.append((lead, ids[i : i + largest]))
            total += len(ids[i : i + largest])
    return kept


async def post(app, path: str, body: bytes, token: str) -> tuple[int, bytes]:
    """One request straight into the ASGI app (as uvicorn hands it over, without a client's or a server's work)."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http", "path": path,
             "raw_path": path.encode(), "root_path": "", "query_string": b"", "client": ("127.0.0.1", 50000), "server": ("tasks", 80),
             "headers": [(b"host", b"tasks"), (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                         (b"authorization", f"Bearer {token}".encode())]}
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


async def over_http(app, batches, tokens: dict[str, str], progress: int) -> None:
    for lead, ids in batches:
        body = json.dumps([{"task_id": t, "status": "in_progress", "progress": progress} for t in ids]).encode()
        status, answer = await post(app, "/status-reports", body, tokens[lead])
        assert status == 200, answer[:300]
        answers = json.loads(answer)["results"]
        assert all(a["status"] == 201 or a["status"] == 409 and "completed" in a.get("detail", "") for a in answers), answers[:3]


async def as_commands(rt, records: list[Record]) -> None:
    for start in range(0, len(records), COMMANDS_BATCH):
        batch = records[start : start + COMMANDS_BATCH]
        principals: dict = {}
        checked = [await check_command(rt, record, principals) for record in batch]
        async with rt.store.transaction():
            outcomes = await carry_out_all(rt, checked)
        [o.reply.model_dump_json().encode() for o in outcomes if o.reply]  # the replies as the consumer hands them over
        assert all(o.reply.accepted or o.reply.rejection.status == 409 for o in outcomes), [o for o in outcomes if not o.reply.accepted][:3]


def raw(db, ids: list[str], snapshot_body: str) -> None:
    for start in range(0, len(ids), COMMANDS_BATCH):
        chunk = ids[start : start + COMMANDS_BATCH]
        db.execute("BEGIN IMMEDIATE")
        [from_json(body) for _, body in db.execute(f"SELECT id, body FROM doc_tasks WHERE id IN ({','.join('?' * len(chunk))})", chunk)]
        db.executemany("INSERT INTO raw_docs (id, body) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET body = excluded.body",
                       [(t, snapshot_body) for t in chunk])
        db.execute("COMMIT")


async def main(path: str, reports: int, rounds: int, profile: str | None) -> dict:
    store = SqliteStore(path, INDEXES)
    clock = ManualClock(datetime(2026, 12, 1, 9, tzinfo=LOCAL_TZ))
    with tempfile.TemporaryDirectory() as tmp:
        settings = ServiceSettings(environment="test", token_secret=SECRET, store_url=f"sqlite:///{tmp}/unused.sqlite3",
                                   rate_per_second=1e9, rate_burst=1e9)
        app = await create_app(settings, clock=clock, store=store)  # no lifespan: no broker, no relay
    rt, db = app.state.runtime, store._db
    batches = batches_by_agency(db, reports)
    ids = [t for _, chunk in batches for t in chunk]
    lead_of = {t: lead for lead, chunk in batches for t in chunk}
    now = datetime.now(timezone.utc)
    tokens = {lead: issue_token(SECRET, "agency", lead, now=now - timedelta(hours=1), valid_for=timedelta(days=2))[0] for lead, _ in batches}
    db.execute("CREATE TABLE IF NOT EXISTS raw_docs (id TEXT PRIMARY KEY, body TEXT NOT NULL)")
    snapshot_body = db.execute("SELECT body FROM doc_tasks LIMIT 1").fetchone()[0]
    ways = ("http", "commands", "raw_read_upsert")
    cpu, wall = dict.fromkeys(ways, 0.0), dict.fromkeys(ways, 0.0)
    profiler = cProfile.Profile(time.process_time) if profile else None
    tune_collector()  # the collector as a service runs it after start-up (entry.serve)
    for round_ in range(rounds):
        progress = 10 + 2 * round_
        for way in ways:
            records = [Record(json.dumps({"task_id": t, "status": "in_progress", "progress": progress + 1, "command_id": str(uuid.uuid4()),
                                          "token": tokens[lead_of[t]]}).encode()) for t in ids] if way == "commands" else []
            db.execute("PRAGMA wal_checkpoint(PASSIVE)")  # each way starts with the WAL checkpointed
            started, cpu_started = time.perf_counter(), time.process_time()
            if profiler and way != "raw_read_upsert":
                profiler.enable()
            if way == "http":
                await over_http(app, batches, tokens, progress)
            elif way == "commands":
                await as_commands(rt, records)
            else:
                raw(db, ids, snapshot_body)
            if profiler:
                profiler.disable()
            cpu[way] += time.process_time() - cpu_started
            wall[way] += time.perf_counter() - started
    await store.close()
    if profiler:
        profiler.dump_stats(profile)
    n = len(ids) * rounds
    return {"benchmark": "tasks_p1_in_process", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                     cwd=os.path.dirname(list(services.__path__)[0])).stdout.strip(),
            "load_average": os.getloadavg(), "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)",
            "reports_per_way": n, "requests_per_round": len(batches), "rounds": rounds,
            "cpu_s": {w: round(cpu[w], 2) for w in ways}, "wall_s": {w: round(wall[w], 2) for w in ways},
            "cpu_us_per_report": {w: round(cpu[w] / n * 1e6, 1) for w in ways}}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", required=True, help="a COPY of tasks' store of a national installation (it is written to)")
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", help="cProfile both reporting ways (CPU time) into this file")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.store, args.reports, args.rounds, args.profile)), indent=2))

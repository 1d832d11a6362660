"""Would tasks on two cores carry out more status reports? A scratch measure before anything is built (P1, issue 11).

N processes (1 and 2, run alternately) each carry out ReportStatus commands for a disjoint share of one national tasks
store's tasks, on ONE shared copy of the store (WAL, one writer at a time), through tasks' real command path as the
command topic's consumer does (bench/tasks_p1.py's: each record checked, the batch carried out in one transaction, the
replies encoded), without the broker and the relay. The share is what a consumer group would give each process: the
records' keys are their command ids (as agency systems and bench/national.py send them), hashed to 4 partitions
(murmur2), process i of N takes the partitions p with p % N == i.

Per run: the aggregate reports/s (all reports over the time from the common start to the last process's end), each
process's CPU (process_time) per report, and the wall time each spent waiting for SQLite's write lock (its `BEGIN
IMMEDIATE`, under the connection's busy handler: sqlite3's default 5 s timeout, which sleeps 1, 2, 5, 10, 15, 20, 25 …
100 ms between tries) and holding it (BEGIN → COMMIT). Knobs (each a bench setting only, nothing in services/ changes):
- `--batches`: records per transaction (the consumer's max_records is 500).
- `--modes`: `locked` (the code as it is: the transaction begins before the ledger's and the snapshots' reads, so a
  process holds the write lock for its whole decide), `optimistic` (the same calls, but the transaction's BEGIN is put
  off until its first write: the ledger and the snapshots are read and every report decided outside the lock, and the
  append's version check, already in `append_many`, refuses a snapshot another writer moved meanwhile, which sends the
  batch down the slow path inside the lock).
- `--locks`: `busy` (SQLite's busy handler) or `flock` (an fcntl lock on a file beside the store taken before BEGIN
  and given back after COMMIT: the waiter is woken when it is free, not at the busy handler's next try).
- `--mmap MB`: PRAGMA mmap_size on each connection (a connection's page cache is dropped whenever another process
  wrote: pages are then read again through the OS, or the map).
- `--separate COPY2`: each pair also runs two processes on a store each (the second on COPY2): the cost of two
  processes on two cores with nothing shared, to tell from what sharing one store adds.

Prints one JSON object; run it on a COPY of a national tasks store (it is written to).
Usage: python bench/tasks_scaleout.py --store COPY/tasks.sqlite3 [--reports 20000] [--pairs 2] [--batches 500] [--separate COPY2]
       [--modes locked,optimistic] [--locks busy] [--mmap 0]
"""
from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import multiprocessing
import os
import platform
import queue
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import asynccontextmanager
from datetime import datetime, timedelta, timezone
from typing import Any, AsyncIterator

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from pydantic_core import to_json  # noqa: E402

from bench.timeline import run_queue_seconds  # noqa: E402
from services.runtime.record_batches import murmur2  # noqa: E402
from services.runtime.sqlite_store import SqliteStore  # noqa: E402

PARTITIONS = 4  # the command topic's (settings.topic_partitions)
SECRET = "bench-secret-of-this-process-only"


class TimedConnection:
    """The store's connection, with its write transactions timed: the wait for the lock (BEGIN IMMEDIATE, or the file
    lock and then BEGIN) and the time it was held (until COMMIT or ROLLBACK returned)."""

    def __init__(self, db: Any, lock_path: str | None) -> None:
        self._db, self.wait_s, self.held_s, self.held_cpu_s, self.begins, self._since, self._since_cpu = db, 0.0, 0.0, 0.0, 0, 0.0, 0.0
        self._lock = open(lock_path, "a+b") if lock_path else None

    def execute(self, sql: str, *args: Any) -> Any:
        if sql == "BEGIN IMMEDIATE":
            started = time.perf_counter()
            if self._lock:
                fcntl.flock(self._lock, fcntl.LOCK_EX)
            cursor = self._db.execute(sql)
            self._since, self._since_cpu = time.perf_counter(), time.thread_time()
            self.wait_s += self._since - started
            self.begins += 1
            return cursor
        if sql in ("COMMIT", "ROLLBACK"):
            try:
                return self._db.execute(sql)
            finally:
                if self._lock:
                    fcntl.flock(self._lock, fcntl.LOCK_UN)
                self.held_s += time.perf_counter() - self._since
                self.held_cpu_s += time.thread_time() - self._since_cpu
        return self._db.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)


class ScaleoutStore(SqliteStore):
    """SqliteStore with a timed connection; `optimistic`: an outer transaction begins at its first write (module
    docstring), reads before it run outside any transaction."""

    def __init__(self, path: str, indexes: Any, *, optimistic: bool, lock_path: str | None, mmap_mb: int) -> None:
        super().__init__(path, indexes)
        if mmap_mb:
            self._db.execute(f"PRAGMA mmap_size={mmap_mb * 1024 * 1024}")
        self._db = TimedConnection(self._db, lock_path)
        self.optimistic, self._put_off = optimistic, False

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        if not self.optimistic:
            async with super().transaction():
                yield
            return
        if self._put_off and self._depth == 0:  # the put-off outer transaction's first write: begin it now
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
        if self._put_off or self._depth:
            async with super().transaction():  # a savepoint inside the begun transaction
                yield
            return
        self._put_off = True
        try:
            yield
        except BaseException:
            if self._depth:
                self._depth = 0
                self._db.execute("ROLLBACK")
            raise
        finally:
            self._put_off = False
        if self._depth:
            self._depth = 0
            self._finish(0, False)


def shares(ids: list[str], processes: int) -> tuple[list[list[tuple[str, str]]], list[int]]:
    """(command id, task id) per process, as a consumer group's partition split of command-id keys gives them."""
    out: list[list[tuple[str, str]]] = [[] for _ in range(processes)]
    per_partition = [0] * PARTITIONS
    for task_id in ids:
        command_id = str(uuid.uuid4())
        partition = (murmur2(command_id.encode()) & 0x7FFFFFFF) % PARTITIONS
        per_partition[partition] += 1
        out[partition % processes].append((command_id, task_id))
    return out, per_partition


def worker(path: str, share: list[tuple[str, str]], lead_of: dict[str, str], progress: int, batch: int, mode: str, lock: str,
           mmap_mb: int, barrier: Any, results: Any) -> None:
    results.put(asyncio.run(_work(path, share, lead_of, progress, batch, mode, lock, mmap_mb, barrier)))


async def _work(path: str, share: list[tuple[str, str]], lead_of: dict[str, str], progress: int, batch: int, mode: str, lock: str,
                mmap_mb: int, barrier: Any) -> dict:
    from services.runtime.clock import LOCAL_TZ, ManualClock
    from services.runtime.credentials import issue_token
    from services.runtime.entry import tune_collector
    from services.runtime.settings import ServiceSettings
    from services.tasks.bootstrap import INDEXES, create_app
    from services.tasks.entrypoints.consumers import carry_out_all, check_command
    from bench.tasks_p1 import Record

    store = ScaleoutStore(path, INDEXES, optimistic=mode == "optimistic", lock_path=path + ".lock" if lock == "flock" else None,
                          mmap_mb=mmap_mb)
    clock = ManualClock(datetime(2026, 12, 1, 9, tzinfo=LOCAL_TZ))
    with tempfile.TemporaryDirectory() as tmp:
        settings = ServiceSettings(environment="test", token_secret=SECRET, store_url=f"sqlite:///{tmp}/unused.sqlite3",
                                   rate_per_second=1e9, rate_burst=1e9)
        app = await create_app(settings, clock=clock, store=store)
    rt = app.state.runtime
    now = datetime.now(timezone.utc)
    tokens = {lead: issue_token(SECRET, "agency", lead, now=now - timedelta(hours=1), valid_for=timedelta(days=2))[0]
              for lead in {lead_of[t] for _, t in share}}
    records = [Record(json.dumps({"task_id": t, "status": "in_progress", "progress": progress, "command_id": c,
                                  "token": tokens[lead_of[t]]}).encode(), c.encode()) for c, t in share]
    principals: dict = {}
    for token in tokens.values():  # each agency's key verified once before the start, as a running service has
        await check_command(rt, Record(json.dumps({"task_id": "x", "status": "in_progress", "progress": 1,
                                                   "command_id": str(uuid.uuid4()), "token": token}).encode()), principals)
    tune_collector()
    barrier.wait()
    started, cpu_started, queued = time.perf_counter(), time.process_time(), run_queue_seconds(os.getpid())
    accepted = conflicts = 0
    for start in range(0, len(records), batch):
        chunk = records[start : start + batch]
        checked = [await check_command(rt, record, {}) for record in chunk]
        async with rt.store.transaction():
            outcomes = await carry_out_all(rt, checked)
        [to_json(o.reply) for o in outcomes if o.reply]
        accepted += sum(1 for o in outcomes if o.reply and o.reply.accepted)
        conflicts += sum(1 for o in outcomes if o.rejection is not None and o.rejection.status == 409)
    ended, cpu, queued = time.perf_counter(), time.process_time() - cpu_started, run_queue_seconds(os.getpid()) - queued
    db = store._db
    await store.close()
    return {"pid": os.getpid(), "reports": len(records), "accepted": accepted, "refused_409": conflicts, "started": started,
            "ended": ended, "cpu_s": cpu, "run_queue_s": queued, "lock_wait_s": db.wait_s, "lock_held_s": db.held_s, "lock_held_cpu_s": db.held_cpu_s, "transactions": db.begins}


def run(path: str, ids: list[str], lead_of: dict[str, str], processes: int, progress: int, batch: int, mode: str, lock: str,
        mmap_mb: int, second_store: str | None = None) -> dict:
    """One run; `second_store`: the second process works on that copy instead (a control: two processes, nothing shared)."""
    context = multiprocessing.get_context("spawn")
    split, per_partition = shares(ids, processes)
    barrier, results = context.Barrier(processes), context.Queue()
    paths = [path, second_store or path]
    workers = [context.Process(target=worker, args=(paths[n], share, lead_of, progress, batch, mode, lock, mmap_mb, barrier, results))
               for n, share in enumerate(split)]
    load = os.getloadavg()
    for w in workers:
        w.start()
    outs: list[dict] = []
    while len(outs) < len(workers):
        try:
            outs.append(results.get(timeout=1))
        except queue.Empty:
            if any(w.exitcode not in (None, 0) for w in workers):
                for w in workers:
                    w.kill()
                raise SystemExit("a worker failed (its traceback is above)")
    for w in workers:
        w.join()
    total = sum(o["reports"] for o in outs)
    wall = max(o["ended"] for o in outs) - min(o["started"] for o in outs)
    cpu = sum(o["cpu_s"] for o in outs)
    held = sum(o["lock_held_cpu_s"] for o in outs)
    return {"processes": processes, "stores": "separate" if second_store else "shared", "batch": batch, "mode": mode, "lock": lock, "mmap_mb": mmap_mb,
            "utc": datetime.now(timezone.utc).strftime("%H:%M:%S"), "load": [round(x, 2) for x in load],
            "reports": total, "accepted": sum(o["accepted"] for o in outs), "refused_409": sum(o["refused_409"] for o in outs),
            "per_partition": per_partition, "wall_s": round(wall, 3), "reports_per_s": round(total / wall),
            "cpu_us_per_report": round(cpu / total * 1e6, 1), "cores_used": round(cpu / wall, 2),
            "held_cpu_us_per_report": round(held / total * 1e6, 1),
            # what these CPU costs allow on two free cores: both processes busy, or the lock held all the time
            "two_free_cores_bound_per_s": round(min(2 / (cpu / total), 1 / (held / total))),
            "per_process": [{"reports": o["reports"], "wall_s": round(o["ended"] - o["started"], 3),
                             "cpu_us_per_report": round(o["cpu_s"] / o["reports"] * 1e6, 1),
                             "cpu_s": round(o["cpu_s"], 3), "run_queue_s": round(o["run_queue_s"], 3),
                             "lock_wait_s": round(o["lock_wait_s"], 3), "lock_held_s": round(o["lock_held_s"], 3),
                             "lock_held_cpu_s": round(o["lock_held_cpu_s"], 3),
                             "lock_wait_share": round(o["lock_wait_s"] / max(o["ended"] - o["started"], 1e-9), 3),
                             "lock_held_share": round(o["lock_held_s"] / max(o["ended"] - o["started"], 1e-9), 3),
                             "transactions": o["transactions"]} for o in outs]}


def summary(runs: list[dict]) -> list[dict]:
    """Per setting and number of processes: the means over its runs (and their range for the rate)."""
    groups: dict[tuple, list[dict]] = {}
    for r in runs:
        groups.setdefault((r["batch"], r["mode"], r["lock"], r["mmap_mb"], r["processes"], r.get("stores", "shared")), []).append(r)
    mean = lambda rs, key: round(sum(r[key] for r in rs) / len(rs), 1)
    share = lambda rs, key: round(sum(p[key] for r in rs for p in r["per_process"]) / sum(len(r["per_process"]) for r in rs), 3)
    return [{"batch": b, "mode": m, "lock": lk, "mmap_mb": mm, "processes": n, "stores": st, "runs": len(rs),
             "reports_per_s": mean(rs, "reports_per_s"), "reports_per_s_range": [min(r["reports_per_s"] for r in rs), max(r["reports_per_s"] for r in rs)],
             "cpu_us_per_report": mean(rs, "cpu_us_per_report"), "held_cpu_us_per_report": mean(rs, "held_cpu_us_per_report"),
             "cores_used": mean(rs, "cores_used"), "lock_wait_share": share(rs, "lock_wait_share"), "lock_held_share": share(rs, "lock_held_share"),
             "run_queue_share": round(sum(p["run_queue_s"] for r in rs for p in r["per_process"]) / sum(p["wall_s"] for r in rs for p in r["per_process"]), 3),
             "two_free_cores_bound_per_s": round(sum(r["two_free_cores_bound_per_s"] for r in rs) / len(rs))}
            for (b, m, lk, mm, n, st), rs in groups.items()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", required=True, help="a COPY of a national installation's tasks store (it is written to)")
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--pairs", type=int, default=2, help="1 and 2 processes alternated this many times per setting")
    parser.add_argument("--batches", default="500")
    parser.add_argument("--modes", default="locked,optimistic")
    parser.add_argument("--locks", default="busy")
    parser.add_argument("--separate", help="another COPY of the same store: each pair also runs two processes on a store each (a control)")
    parser.add_argument("--mmap", type=int, default=0, help="PRAGMA mmap_size in MB on every connection (0: SQLite's default)")
    parser.add_argument("--warmup", type=int, default=1, help="runs of one process before the measured ones (not reported)")
    parser.add_argument("--start-progress", type=int, default=10)
    args = parser.parse_args()

    import sqlite3

    from bench.tasks_p1 import batches_by_agency
    from services.tasks.bootstrap import INDEXES
    SqliteStore(args.store, INDEXES)._db.close()  # migrated once, before any worker opens it
    db = sqlite3.connect(args.store)
    batches = batches_by_agency(db, args.reports)
    db.close()
    ids = [t for _, chunk in batches for t in chunk]
    lead_of = {t: lead for lead, chunk in batches for t in chunk}
    progress = args.start_progress
    runs = []
    for _ in range(args.warmup):
        run(args.store, ids, lead_of, 1, progress, 500, "locked", "busy", args.mmap)
        progress += 1
    for batch in map(int, args.batches.split(",")):
        for mode in args.modes.split(","):
            for lock in args.locks.split(","):
                for pair in range(args.pairs):
                    kinds = [(1, None), (2, None)] + ([(2, args.separate)] if args.separate else [])
                    for processes, second in (kinds if pair % 2 == 0 else kinds[::-1]):
                        if progress > 99:
                            raise SystemExit("progress would pass 99: give a lower --start-progress or fewer runs")
                        result = run(args.store, ids, lead_of, processes, progress, batch, mode, lock, args.mmap, second)
                        progress += 1
                        runs.append(result)
                        print(json.dumps({k: result[k] for k in ("processes", "stores", "batch", "mode", "lock", "utc", "load", "reports_per_s",
                                                                   "cpu_us_per_report", "held_cpu_us_per_report", "cores_used")}
                                         | {"wait": [p["lock_wait_share"] for p in result["per_process"]],
                                            "held": [p["lock_held_share"] for p in result["per_process"]],
                                            "queued_s": [p["run_queue_s"] for p in result["per_process"]]}), file=sys.stderr)
    print(json.dumps({"benchmark": "tasks_scaleout", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                      "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                               cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip(),
                      "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)", "store": args.store,
                      "reports_per_run": len(ids), "summary": summary(runs), "runs": runs}, indent=1))


if __name__ == "__main__":
    main()

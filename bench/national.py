"""Benchmarks at national size on the embedded system (broker + four services as processes, SQLite stores).

1. build: the national installation (bench/national_dataset.py): directory, plans, until tasks and
   reporting hold every task;
2. idle: CPU of each process over 30 s with nothing happening, and RSS of each;
3. P1: one status report per task (batches per lead agency, as agency systems send them) until the
   reporting read model shows every one; then half that rate while single probes are timed from
   request to read model;
4. raw, in the same run (before P1, so a long P1 cannot lose it): aiokafka produce, and consume +
   one SQLite upsert per message with one transaction per batch, as many 300-byte messages as tasks.
Each phase's figures go to stderr as soon as it ends.
Prints one JSON object. Usage: python bench/national.py [--tasks-per-commune 60] [--province 04 ...]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import sys
import sqlite3
import tempfile
import time
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import httpx

from national_dataset import build
from raw_pipeline import raw_consume_upsert
from reports import latency, reports_by_agency, throughput
from services.embedded.processes import SERVICES, Layout, ProcessGroup
from services.runtime.broker import free_port

TICKS = os.sysconf("SC_CLK_TCK")


def count(db: Path, where: str = "") -> int:
    """Raw read of a service's store (read-only, beside the running service): documents in its `tasks` collection."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        return conn.execute(f"SELECT count(*) FROM doc_tasks {where}").fetchone()[0]


def shown_at(reporting_db: Path, progress: int) -> int:
    """Task views the read model shows at `progress`."""
    return count(reporting_db, f"WHERE json_extract(body, '$.progress') = {int(progress)}")


def wait_for(probe, timeout: float, every: float = 1.0) -> float:
    started = time.monotonic()
    while not probe():
        if time.monotonic() - started > timeout:
            raise TimeoutError("benchmark condition not reached")
        time.sleep(every)
    return time.monotonic() - started


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def idle(group: ProcessGroup, seconds: float = 30) -> dict:
    pids = {name: p.pid for name, p in group.processes.items()}
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    time.sleep(seconds)
    share = {name: round((cpu_seconds(pid) - before[name]) / seconds * 100, 2) for name, pid in pids.items()}
    return {"cpu_percent_of_one_core": share, "total_cpu_percent": round(sum(share.values()), 2),
            "rss_mb": {name: rss_mb(pid) for name, pid in pids.items()}}


def phase(result: dict, name: str, value: dict) -> None:
    """Keep a phase's figures, and show them at once on stderr: a run stopped later keeps what it measured."""
    result[name] = value
    print(json.dumps({name: value}), file=sys.stderr, flush=True)


def main(args: argparse.Namespace) -> dict:
    tmp = tempfile.mkdtemp(prefix="tiendo-national-")
    layout = Layout(var=Path(tmp), kafka_port=free_port(), smtp_port=free_port(), ports={s: free_port() for s in SERVICES})
    group = ProcessGroup(layout, service_env={"TIENDO_VIEWER_AUTH": "false"})
    result: dict = {"benchmark": "national", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared with other work: figures are lower bounds)"}
    try:
        group.start_all()
        started = time.monotonic()
        built = build(layout.url("plans"), args.tasks_per_commune, provinces=set(args.province) if args.province else None)
        n = built["tasks"]
        built["tasks_in_tasks_after_s"] = round(time.monotonic() - started + wait_for(lambda: count(layout.var / "tasks.sqlite3") >= n, 3600), 1)
        built["tasks_in_reporting_after_s"] = round(time.monotonic() - started + wait_for(lambda: count(layout.var / "reporting.sqlite3") >= n, 3600), 1)
        phase(result, "build", built)
        time.sleep(10)  # let the consumers and relays settle
        phase(result, "idle", idle(group))
        phase(result, "raw_same_run", asyncio.run(raw_consume_upsert(layout.bootstrap, min(n, 200_000), Path(tmp) / "raw.sqlite3")))
        batches = reports_by_agency(layout)
        phase(result, "P1_throughput", asyncio.run(throughput(layout, batches, partial(shown_at, layout.var / "reporting.sqlite3"))))
        half = result["P1_throughput"]["end_to_end_per_s"] / 2
        phase(result, "P1_latency_at_half_rate", asyncio.run(latency(layout, batches, half, args.latency_seconds)))
        phase(result, "after_load", idle(group, 10))
    finally:
        group.stop_all()
        shutil.rmtree(tmp, ignore_errors=True)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks-per-commune", type=int, default=60)
    parser.add_argument("--province", action="append")
    parser.add_argument("--latency-seconds", type=float, default=20)
    print(json.dumps(main(parser.parse_args()), indent=2))

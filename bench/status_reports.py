"""Benchmark: status reports through the embedded stack, HTTP -> tasks -> Kafka -> reporting read model.

Starts the bundled broker and the four services as processes in a temporary folder, issues a plan,
then (1) sends reports as fast as it can and measures reports/s until the read model shows them all,
(2) sends at half that rate while probing single reports for request -> read-model latency; beside them, in the same
run, the raw pipeline (aiokafka produce, consume + one SQLite upsert per message) and the CPU seconds of every process.
Prints one JSON object. Usage: python bench/status_reports.py [--tasks 1000] [--rounds 20]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import tempfile
import time
from contextlib import asynccontextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import AsyncIterator

import httpx

from services.embedded.processes import SERVICES, Layout, ProcessGroup
from keys import as_role
from national import Watched
from raw_pipeline import raw_consume_upsert
from services.runtime.broker import free_port

COMMUNE = "bench-commune"


async def setup(layout: Layout, n_tasks: int) -> str:
    async with httpx.AsyncClient(timeout=60, headers=as_role(layout, "administrator", "bench")) as http:
        plans = layout.url("plans")
        for unit in ({"unit_id": "bench-province", "name": "Tỉnh Thử", "level": "province"},
                     {"unit_id": COMMUNE, "name": "Xã Thử", "level": "commune", "parent_id": "bench-province"}):
            (await http.post(f"{plans}/units", json=unit)).raise_for_status()
        agency = {"agency_id": "bench-ca", "unit_id": COMMUNE, "name": "Công an xã Thử", "head_title": "Trưởng Công an xã"}
        token = (await http.post(f"{plans}/agencies", json=agency)).json()["token"]
        tasks = [{"task_id": f"b.{i}", "content": f"Nhiệm vụ {i}", "lead": "bench-ca", "timing": {"due": "2099-12-31"}} for i in range(n_tasks)]
        plan = {"plan_id": "bench", "unit_id": COMMUNE, "title": "Kế hoạch đo", "tasks": tasks}
        (await http.post(f"{plans}/plans", json=plan, headers=as_role(layout, "standing_body", COMMUNE))).raise_for_status()
        await wait_until(lambda: _all_tasks(http, layout, n_tasks, 0), 120)
        return token


async def _all_tasks(http: httpx.AsyncClient, layout: Layout, n: int, progress: int, prefix: str = "b.") -> bool:
    response = await http.get(f"{layout.url('reporting')}/units/{COMMUNE}/tasks")
    if response.status_code != 200:
        return False
    tasks = [t for t in response.json()["tasks"] if t["task_id"].startswith(prefix)]
    return len(tasks) == n and all(t["progress"] == progress for t in tasks)


async def wait_until(probe, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not await probe():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark condition not reached")
        await asyncio.sleep(0.05)


async def send_batch(http: httpx.AsyncClient, layout: Layout, token: str, items: list[dict]) -> None:
    response = await http.post(f"{layout.url('tasks')}/status-reports", json=items, headers={"Authorization": f"Bearer {token}"})
    response.raise_for_status()
    assert response.json()["accepted"] == len(items), response.text[:500]


async def throughput(layout: Layout, token: str, n_tasks: int, rounds: int, batch: int, senders: int) -> dict:
    items = [{"task_id": f"b.{i}", "status": "in_progress", "progress": r} for r in range(1, rounds + 1) for i in range(n_tasks)]
    chunks = [items[i : i + batch] for i in range(0, len(items), batch)]
    queue: asyncio.Queue = asyncio.Queue()
    for chunk in chunks:
        queue.put_nowait(chunk)
    async with httpx.AsyncClient(timeout=120, headers=as_role(layout, "administrator", "bench")) as http:
        started = time.monotonic()

        async def sender() -> None:
            while not queue.empty():
                await send_batch(http, layout, token, queue.get_nowait())

        await asyncio.gather(*(sender() for _ in range(senders)))
        accepted = time.monotonic() - started
        await wait_until(lambda: _all_tasks(http, layout, n_tasks, rounds), 600)
        total = time.monotonic() - started
    return {"reports": len(items), "http_accept_per_s": round(len(items) / accepted), "end_to_end_per_s": round(len(items) / total),
            "seconds": round(total, 2)}


async def probes(http: httpx.AsyncClient, layout: Layout, token: str, stop: float, samples: list[float]) -> None:
    """Until `stop`: single reports on the probe tasks, each timed from request until reporting's read model shows it."""
    n = 0
    while time.monotonic() < stop:
        n += 1
        task_id, progress = f"p.{n % 20}", n % 100
        sent = time.monotonic()
        await send_batch(http, layout, token, [{"task_id": task_id, "status": "in_progress", "progress": progress}])
        while (await http.get(f"{layout.url('reporting')}/tasks/{task_id}")).json().get("progress") != progress:
            await asyncio.sleep(0.005)
        samples.append(time.monotonic() - sent)
        await asyncio.sleep(0.1)


async def latency(layout: Layout, token: str, n_tasks: int, rate: float, seconds: float, batch: int) -> dict:
    """Background load at `rate` reports/s; meanwhile single probe reports timed until reporting shows them."""
    samples: list[float] = []
    async with httpx.AsyncClient(timeout=60, headers=as_role(layout, "administrator", "bench")) as http:
        stop = time.monotonic() + seconds

        async def load() -> None:
            progress, interval = 0, batch / rate
            next_at = time.monotonic()
            while time.monotonic() < stop:
                progress = progress % 99 + 1
                items = [{"task_id": f"b.{(progress * batch + i) % n_tasks}", "status": "in_progress", "progress": progress} for i in range(batch)]
                await send_batch(http, layout, token, items)
                next_at += interval
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))

        await asyncio.gather(load(), probes(http, layout, token, stop, samples))
    samples.sort()
    return {"rate_per_s": round(rate), "probes": len(samples), "p50_ms": round(statistics.median(samples) * 1000, 1),
            "p95_ms": round(samples[int(len(samples) * 0.95) - 1] * 1000, 1), "max_ms": round(samples[-1] * 1000, 1)}


async def add_probe_tasks(layout: Layout) -> None:
    async with httpx.AsyncClient(timeout=60, headers=as_role(layout, "administrator", "bench")) as http:
        tasks = [{"task_id": f"p.{i}", "content": f"Thăm dò {i}", "lead": "bench-ca", "timing": {"due": "2099-12-31"}} for i in range(20)]
        plan = {"plan_id": "bench-probes", "unit_id": COMMUNE, "title": "Thăm dò", "tasks": tasks}
        (await http.post(f"{layout.url('plans')}/plans", json=plan, headers=as_role(layout, "standing_body", COMMUNE))).raise_for_status()
        await wait_until(lambda: _all_tasks(http, layout, 20, 0, prefix="p."), 120)


@asynccontextmanager
async def running_system(n_tasks: int) -> AsyncIterator[tuple[Layout, ProcessGroup, str]]:
    """The embedded system as processes in a temporary folder, one commune plan of `n_tasks` tasks and the 20 probe
    tasks issued: (layout, processes, the lead agency's key). Stopped on the way out."""
    with tempfile.TemporaryDirectory() as tmp:
        layout = Layout(var=Path(tmp), kafka_port=free_port(), smtp_port=free_port(), ports={s: free_port() for s in SERVICES})
        group = ProcessGroup(layout, service_env={"TIENDO_RATE_PER_SECOND": "1000000", "TIENDO_RATE_BURST": "1000000"})  # the pipeline, not the limits
        try:
            group.start_all()
            token = await setup(layout, n_tasks)
            await add_probe_tasks(layout)
            yield layout, group, token
        finally:
            group.stop_all()


async def main(args: argparse.Namespace) -> dict:
    async with running_system(args.tasks) as (layout, group, token):
        raw = await raw_consume_upsert(layout.bootstrap, args.tasks * args.rounds, layout.var / "raw.sqlite3")
        with Watched(group) as watched:
            result = await throughput(layout, token, args.tasks, args.rounds, args.batch, args.senders)
        half = result["end_to_end_per_s"] / 2
        with Watched(group, profile=None) as watched_latency:
            result_latency = await latency(layout, token, args.tasks, half, args.latency_seconds, batch=max(1, int(half / 20)))
    return {"benchmark": "status_reports_end_to_end", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores (shared)", "python": platform.python_version(),
            "throughput": {**result, "processes": watched.figures}, "raw_same_run": raw,
            "latency_at_half_rate": {**result_latency, "processes": watched_latency.figures}}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--senders", type=int, default=2)
    parser.add_argument("--latency-seconds", type=float, default=20)
    print(json.dumps(asyncio.run(main(parser.parse_args())), indent=2))

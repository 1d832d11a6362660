"""Benchmark: status reports end to end against offered load, as a JSON table and a PNG chart.

Starts the bundled broker and the four services as processes in a temporary folder (as bench/status_reports.py does),
issues one plan of --tasks tasks, measures the highest end-to-end rate once (HTTP batches as fast as they go, until
reporting's read model shows every report), then offers fractions of it (--fractions) for --seconds each: load at the
offered rate in batches, single probe reports timed from request until reporting's read model shows them, then the
time until reporting has applied everything tasks stored (raw reads of both stores). Beside them, in the same run, the
raw pipeline (aiokafka consume + one SQLite upsert per message) and the CPU seconds of every process per step.

Prints one JSON object; writes the chart (throughput and p50/p95 latency against offered load) to --chart.
Usage: python bench/load_curve.py [--tasks 2000] [--seconds 20] [--fractions 0.1,0.25,0.5,0.75,1,1.25] [--profile reporting]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx

from keys import as_role
from national import Watched
from raw_pipeline import raw_consume_upsert
from soak import stored_and_applied
from status_reports import probes, running_system, send_batch, throughput
from services.embedded.processes import Layout

CHART = Path(__file__).resolve().parent / "charts" / "status-reports-against-load.png"


async def drained(var: Path, timeout: float) -> float:
    """Seconds until reporting has applied every task event tasks stored."""
    started = time.monotonic()
    while True:
        stored, applied = stored_and_applied(var)
        if stored == applied:
            return time.monotonic() - started
        if time.monotonic() - started > timeout:  # said in the step's figures, not hidden: the run goes on
            print(json.dumps({"not_drained": {"behind": stored - applied, "after_s": timeout}}), file=sys.stderr, flush=True)
            return float("nan")
        await asyncio.sleep(0.05)


async def step(layout: Layout, token: str, n_tasks: int, rate: float, seconds: float) -> dict:
    """Offer `rate` reports/s for `seconds`; probe single reports meanwhile; wait for the read model to drain."""
    batch = max(1, round(rate / 20))
    latencies: list[float] = []
    sent = 0
    async with httpx.AsyncClient(timeout=120, headers=as_role(layout, "administrator", "bench")) as http:
        started = time.monotonic()
        stop = started + seconds

        async def load() -> None:
            """Requests leave on schedule whether or not earlier ones have been answered (at most 32 in flight)."""
            nonlocal sent
            in_flight = asyncio.Semaphore(32)
            pending: set[asyncio.Task] = set()

            async def one(items: list[dict]) -> None:
                nonlocal sent
                async with in_flight:
                    await send_batch(http, layout, token, items)
                sent += len(items)

            progress, next_at, interval, first = 0, time.monotonic(), batch / rate, 0
            while time.monotonic() < stop:
                progress = progress % 99 + 1
                items = [{"task_id": f"b.{(first + i) % n_tasks}", "status": "in_progress", "progress": progress} for i in range(batch)]
                first += batch
                task = asyncio.create_task(one(items))
                pending.add(task)
                task.add_done_callback(pending.discard)
                next_at += interval
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            await asyncio.gather(*pending)

        await asyncio.gather(load(), probes(http, layout, token, stop, latencies))
        offered_for = time.monotonic() - started
        drain = await drained(layout.var, 120)
    latencies.sort()
    total = offered_for + drain
    return {"offered_per_s": round(rate), "sent": sent, "accepted_per_s": round(sent / offered_for),
            "end_to_end_per_s": round(sent / total) if total == total else None, "drain_after_load_s": round(drain, 2) if drain == drain else "not drained in 120 s", "probes": len(latencies),
            "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "p95_ms": round(latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000, 1) if latencies else None}


def chart(steps: list[dict], peak: dict, raw: dict, path: Path, title: str) -> str:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "no chart: matplotlib is not installed (pip install -e '.[bench]')"
    offered = [s["offered_per_s"] for s in steps]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 8), sharex=True)
    top.plot(offered, offered, linestyle=":", color="grey", label="offered")
    top.plot(offered, [s["accepted_per_s"] for s in steps], marker="o", label="accepted by tasks (HTTP)")
    top.plot(offered, [s["end_to_end_per_s"] for s in steps], marker="s", label="end to end (in reporting's read model)")
    top.axhline(peak["end_to_end_per_s"], color="tab:green", linestyle="--", label=f"as fast as it goes: {peak['end_to_end_per_s']}/s")
    top.set_ylabel("status reports / s")
    top.legend(fontsize=8)
    top.set_title(f"raw consume + upsert in the same run: {raw.get('consume_upsert_per_s', raw)} msg/s", fontsize=9)
    bottom.plot(offered, [s["p50_ms"] for s in steps], marker="o", label="p50")
    bottom.plot(offered, [s["p95_ms"] for s in steps], marker="s", label="p95")
    bottom.axhline(500, color="tab:red", linestyle="--", label="aim for p95 at half the peak: 500 ms")
    bottom.set_ylabel("report → read model (ms)")
    bottom.set_xlabel("offered load (status reports / s)")
    bottom.legend(fontsize=8)
    fig.suptitle(title, fontsize=10)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return str(path)


async def main(args: argparse.Namespace) -> dict:
    fractions = [float(f) for f in args.fractions.split(",")]
    async with running_system(args.tasks) as (layout, group, token):
        raw = await raw_consume_upsert(layout.bootstrap, args.tasks * 5, layout.var / "raw.sqlite3")
        with Watched(group, profile=args.profile) as watched:
            peak = await throughput(layout, token, args.tasks, 5, args.batch, 2)
        peak["processes"] = watched.figures
        print(json.dumps({"raw": raw, "peak_end_to_end_per_s": peak["end_to_end_per_s"]}), file=sys.stderr, flush=True)
        steps = []
        for fraction in fractions:
            with Watched(group, profile=args.profile) as watched:
                figures = await step(layout, token, args.tasks, max(1.0, peak["end_to_end_per_s"] * fraction), args.seconds)
            steps.append({"fraction_of_peak": fraction, **figures, "processes": watched.figures})
            print(json.dumps({k: v for k, v in steps[-1].items() if k != "processes"}), file=sys.stderr, flush=True)
    stamp = datetime.now(timezone.utc)
    title = (f"tiendo status reports against load, {args.tasks} tasks, {stamp:%Y-%m-%d %H:%M} UTC, "
             f"{platform.machine()} {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}")
    return {"benchmark": "status_reports_against_load", "date": stamp.isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)", "tasks": args.tasks,
            "raw_same_run": raw, "peak": peak, "steps": steps, "chart": chart(steps, peak, raw, Path(args.chart), title)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=500, help="items per request when measuring the peak")
    parser.add_argument("--seconds", type=float, default=20, help="how long each offered rate is held")
    parser.add_argument("--fractions", default="0.1,0.25,0.5,0.75,1,1.25")
    parser.add_argument("--chart", default=str(CHART))
    parser.add_argument("--profile", default=None, help="a process to sample with py-spy per step (e.g. reporting), if installed")
    print(json.dumps(asyncio.run(main(parser.parse_args())), indent=2))

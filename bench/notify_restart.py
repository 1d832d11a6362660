"""notify alone at national size on a kept installation: its start, a restart under flowing reports, its RSS, its CPU
per status report. Prints one JSON object (each phase also to stderr as it ends).

Usage: python bench/notify_restart.py --var COPY [--reports 20000] [--idle-seconds 75] [--profile]
COPY is a copy of a kept national installation (bench/national.py --var): never the kept one itself.

Phases, in one run of the embedded processes (broker, plans, tasks, reporting, notify) started on a fresh broker:
1. start: seconds until notify's /ready says caught up (consumers joined, no lag, relay done) and until its first
   escalation pass ended (GET /stats/loop), notify's VmRSS / VmHWM (/proc) sampled every 0.5 s, with the other
   services' catch-up beside it;
2. idle: notify's RSS after `--idle-seconds` (the runtime's heap trim runs once a minute);
3. reports: `--reports` status reports over HTTP (one batch per lead agency, as bench/national.py P1) with notify
   caught up: notify's CPU seconds per report beside tasks' and reporting's (what the same reports cost the services
   that keep them), and the wall rate;
4. restart: notify SIGKILLed while reports flow (4 HTTP senders) and started again at once: seconds until /ready
   answers, until caught up, until its first pass ended; RSS through it; CPU seconds the new process used;
5. idle after the restart: RSS once the heap trim has run.
With --profile, py-spy (if installed beside the interpreter) samples notify through phases 3 and 4.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from keys import as_role  # noqa: E402
from national import PY_SPY, caught_up, count, cpu_seconds, memory, phase, ready_checks, shown_at, top_of, wait_for  # noqa: E402
from reports import _send, reports_by_agency, throughput  # noqa: E402
from services.embedded.processes import SERVICES, Layout, ProcessGroup  # noqa: E402
from services.runtime.broker import free_port  # noqa: E402


class Sampler:
    """notify's RSS every `every` seconds in a thread, each sample tagged with the phase it fell in."""

    def __init__(self, group: ProcessGroup, every: float = 0.5) -> None:
        self.group, self.every, self.label, self.samples = group, every, "start", []
        self.started = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            process = self.group.processes.get("notify")
            if process is not None and process.poll() is None:
                found = memory(process.pid)
                if found:
                    self.samples.append((self.label, round(time.monotonic() - self.started, 1), found["VmRSS"], found["VmHWM"]))
            self._stop.wait(self.every)

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(5)

    def summary(self, label: str) -> dict:
        mine = [s for s in self.samples if s[0] == label]
        if not mine:
            return {}
        rss = [s[2] for s in mine]
        return {"samples": len(mine), "rss_first_mb": rss[0], "rss_max_mb": max(rss), "rss_last_mb": rss[-1], "hwm_last_mb": mine[-1][3]}


def loop_figures(layout: Layout, admin: dict[str, str]) -> dict | None:
    try:
        return httpx.get(f"{layout.url('notify')}/stats/loop", headers=admin, timeout=5).json()
    except (httpx.HTTPError, ValueError):
        return None


def until_back(layout: Layout, admin: dict[str, str], started: float, started_wall: float, timeout: float, sampler: Sampler,
               label: str) -> dict:
    """Poll notify every 0.25 s: seconds (from `started`) until /ready answers, until caught up, until its first pass
    ended; the RSS samples of the stretch are tagged `label` until caught up and first pass, then `label`+"_after"."""
    marks: dict = {"answering_s": None, "joined_s": None, "caught_up_s": None, "first_pass_s": None, "first_pass": None}
    sampler.label = label
    while (marks["caught_up_s"] is None or marks["first_pass_s"] is None) and time.monotonic() - started < timeout:
        at = round(time.monotonic() - started, 1)
        checks = ready_checks(layout, "notify")
        if checks is not None:
            marks["answering_s"] = marks["answering_s"] or at
            consumers, relay = checks["consumers"], checks["relay"]
            if consumers.get("groups") and all(g["joined"] for g in consumers["groups"]) and marks.get("joined_s") is None:
                marks["joined_s"] = at
            received = sum(v.get("received", 0) for v in consumers.get("stats", {}).values())  # a fetch answered: lags known
            if marks["caught_up_s"] is None and received and consumers["ok"] and consumers["lag"] == 0 and relay.get("lag", 0) == 0:
                marks["caught_up_s"] = at
                marks["consumers"] = {c: {k: v[k] for k in ("received", "skipped", "applied")} for c, v in consumers.get("stats", {}).items()}
            figures = loop_figures(layout, admin) if marks["first_pass_s"] is None else None
            if figures and figures.get("first_pass"):
                marks["first_pass"] = figures["first_pass"]
                marks["first_pass_s"] = round(figures["first_pass"]["ended_at"] - started_wall, 1)
        time.sleep(0.25)
    marks["back_s"] = max(marks["caught_up_s"] or timeout, marks["first_pass_s"] or timeout)
    marks["notify_cpu_s"] = round(cpu_seconds(sampler.group.processes["notify"].pid), 1)
    sampler.label = label + "_after"
    return marks


class Flow:
    """Status reports flowing over HTTP from `senders` tasks in a thread (one agency batch after another, round and round)
    until stopped; the reports accepted counted."""

    def __init__(self, layout: Layout, batches: list[tuple[str, list[str]]], senders: int = 4, progress: int = 50) -> None:
        self.layout, self.batches, self.senders, self.progress = layout, batches, senders, progress
        self.sent, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    async def _run(self) -> None:
        queue = list(reversed(self.batches))
        async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=self.senders)) as http:
            async def sender() -> None:
                while not self._stop.is_set() and queue:
                    token, ids = queue.pop()
                    try:
                        await _send(http, self.layout.url("tasks"), token, ids, self.progress)
                        self.sent += len(ids)
                    except httpx.HTTPError:
                        await asyncio.sleep(0.5)
            await asyncio.gather(*(sender() for _ in range(self.senders)))

    def __enter__(self) -> "Flow":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(180)


class Spy:
    """py-spy on notify (raw collapsed stacks), if installed; `top` gives the heaviest functions."""

    def __init__(self, pid: int | None) -> None:
        self.raw = Path(tempfile.mkstemp(prefix="py-spy-notify-", suffix=".txt")[1])
        self.process = None
        spy = Path(os.environ.get("PY_SPY", PY_SPY))  # py-spy elsewhere than beside the interpreter
        if pid is not None and spy.exists():
            self.process = subprocess.Popen([str(spy), "record", "--pid", str(pid), "--rate", "50", "--format", "raw", "--nonblocking",
                                             "-o", str(self.raw)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def top(self) -> dict | None:
        if self.process is None:
            return None
        self.process.send_signal(signal.SIGINT)
        self.process.wait(60)
        try:
            return top_of(self.raw.read_text(), 25)
        finally:
            self.raw.unlink(missing_ok=True)


def main(args: argparse.Namespace) -> dict:
    var = Path(args.var)
    layout = Layout(var=var, kafka_port=free_port(), smtp_port=free_port(), ports={s: free_port() for s in SERVICES})
    group = ProcessGroup(layout, service_env={"TIENDO_VIEWER_AUTH": "false"})
    admin = as_role(layout, "administrator", "bench")
    result: dict = {"benchmark": "notify_restart", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)", "load_average_at_start": os.getloadavg()}
    try:
        with Sampler(group) as sampler:
            started, started_wall = time.monotonic(), time.time()
            group.start_broker()
            group.start_smtp_sink()
            for name in SERVICES:
                group.start_service(name)
            start = until_back(layout, admin, started, started_wall, args.timeout, sampler, "start")
            others = wait_for(lambda: all(caught_up(layout, s) for s in ("plans", "tasks", "reporting")), args.timeout, every=1)
            start["others_caught_up_s"] = round(time.monotonic() - started, 1)
            start["rss"] = {"during_catch_up": sampler.summary("start")}
            start["load_average"] = os.getloadavg()
            phase(result, "start", start | {"others_waited_s": round(others, 1)})
            time.sleep(args.idle_seconds)
            result["start"]["rss"]["after_catch_up_to_idle"] = sampler.summary("start_after")
            sampler.label = "idle"
            time.sleep(3)
            phase(result, "idle", {"after_s": round(time.monotonic() - started, 1), **sampler.summary("idle"), "load_average": os.getloadavg()})

            batches = reports_by_agency(layout)
            tasks = count(var / "tasks.sqlite3")
            first, rest = [], batches
            total = 0
            while rest and total < args.reports:
                first.append(rest[0])
                total += len(rest[0][1])
                rest = rest[1:]
            sampler.label = "reports"
            spy = Spy(group.processes["notify"].pid if args.profile else None)
            pids = {name: group.processes[name].pid for name in SERVICES}
            cpu = {name: cpu_seconds(pid) for name, pid in pids.items()}
            figures = asyncio.run(throughput(layout, first, lambda p: shown_at(var / "reporting.sqlite3", p), progress=args.progress))
            used = {name: cpu_seconds(pid) - cpu[name] for name, pid in pids.items()}
            per = {name: round(c / figures["reports"] * 1000, 4) for name, c in used.items()}
            phase(result, "reports", {**figures, "tasks": tasks, "cpu_s": {n: round(c, 2) for n, c in used.items()}, "cpu_ms_per_report": per,
                                      "notify_rss": sampler.summary("reports"), "py_spy_notify": spy.top(), "load_average": os.getloadavg()})

            with Flow(layout, rest, progress=args.progress + 1) as flow:
                time.sleep(3)
                sent_before = flow.sent
                group.kill("notify")
                started, started_wall = time.monotonic(), time.time()
                group.restart("notify")
                spy = Spy(group.processes["notify"].pid if args.profile else None)
                back = until_back(layout, admin, started, started_wall, args.timeout, sampler, "restart")
                back["reports_sent_meanwhile"] = flow.sent - sent_before
            back["rss"] = sampler.summary("restart")
            back["py_spy_notify"] = spy.top()
            back["load_average"] = os.getloadavg()
            phase(result, "restart", back)
            time.sleep(args.idle_seconds)
            result["restart"]["rss_after_until_idle"] = sampler.summary("restart_after")
            sampler.label = "idle_after_restart"
            time.sleep(3)
            phase(result, "idle_after_restart", {**sampler.summary("idle_after_restart"), "load_average": os.getloadavg()})
            result["rss_samples"] = sampler.samples[::4]
    finally:
        group.stop_all()
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--var", required=True, help="a COPY of a kept national installation")
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--idle-seconds", type=float, default=75, help="after catch-up: the heap trim runs once a minute")
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--progress", type=int, default=40, help="progress of the reports (another one on each run over a copy)")
    parser.add_argument("--profile", action="store_true", help="py-spy on notify through the reports and the restart")
    print(json.dumps(main(parser.parse_args()), indent=2))

"""Soak: the simulated country on the embedded system for a while, sampled, reconciled, then each process SIGKILLed.

1. starts the broker and the services on a kept installation (`--var`, e.g. one `bench/national.py --var` built),
   or builds one province's (`--province 04`) in a new folder;
2. runs the agency simulator (bench/simulator.py) for `--minutes` (default 60; CI never runs this) and samples every
   `--sample-seconds`: CPU and RSS of each process and of the broker, events stored by tasks, events reporting has
   applied (its per-stream checkpoints) and the difference (lag);
3. when the simulator stops: waits until reporting has applied everything, then reconciles tasks' event store with
   reporting's read model task by task: every StatusReported counted once (none lost, none doubled), every completion;
4. restart catch-up: SIGKILL of each service and of the broker in turn, started again at once; the time until a fresh
   status report shows in reporting's read model (for tasks, reporting and the broker: the whole path, behind the
   republished history after a broker restart) or until /ready (plans, notify).
Prints one JSON object; writes a PNG chart to var/artifacts/ (matplotlib: `pip install -e ".[bench]"`).
Usage: python bench/soak.py --var var/national [--minutes 60] [--sample-seconds 15] [--day-seconds 5]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sqlite3
import sys
import threading
import time
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import httpx

from keys import as_role
from national import catch_up, cpu_seconds, ready_checks, rss_mb, wait_for
from national_dataset import build
from services.embedded.processes import SERVICES, Layout, ProcessGroup
from services.runtime.broker import free_port
from simulator import simulate, simulated_key

ARTIFACTS = Path(__file__).resolve().parents[1] / "var" / "artifacts"
REPORTING_CONSUMERS = ("reporting.views", "reporting.projection")  # its one consumer; on a store of before, the projection's


def _ro(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)


def stored_and_applied(var: Path) -> tuple[int, int]:
    """(task events in tasks' store, of them applied by reporting per its checkpoints): a raw read of both stores (tasks'
    store holds other streams too, which reporting's task checkpoints do not count)."""
    with _ro(var / "tasks.sqlite3") as tasks, _ro(var / "reporting.sqlite3") as reporting:
        stored = tasks.execute("SELECT count(*) FROM events WHERE stream_id LIKE 'task-%'").fetchone()[0]
        applied = reporting.execute("SELECT coalesce(sum(v), 0) FROM (SELECT max(version) AS v FROM checkpoints WHERE consumer IN (?, ?) "
                                    "AND stream_id LIKE 'task-%' GROUP BY stream_id)", REPORTING_CONSUMERS).fetchone()[0]
    return stored, applied


def reconcile(var: Path) -> dict:
    """Task by task: StatusReported and TaskCompleted in tasks' event store against reporting's task views."""
    with _ro(var / "tasks.sqlite3") as tasks, _ro(var / "reporting.sqlite3") as reporting:
        reported = dict(tasks.execute("SELECT substr(stream_id, 6), count(*) FROM events WHERE json_extract(body, '$.event_type') = "
                                      "'StatusReported' GROUP BY stream_id"))
        completed = {r[0] for r in tasks.execute("SELECT substr(stream_id, 6) FROM events WHERE json_extract(body, '$.event_type') = 'TaskCompleted'")}
        views = {task_id: (reports or 0, opened) for task_id, reports, opened in reporting.execute(
            "SELECT id, json_extract(body, '$.reports'), json_extract(body, '$.open') FROM doc_tasks")}
    lost = sum(max(0, n - views.get(t, (0, 1))[0]) for t, n in reported.items())
    doubled = sum(max(0, views[t][0] - reported.get(t, 0)) for t in views)
    completions_missing = sum(1 for t in completed if views.get(t, (0, 1))[1])
    return {"status_reports_stored": sum(reported.values()), "status_reports_in_read_model": sum(v[0] for v in views.values()),
            "lost": lost, "doubled": doubled, "completions": len(completed), "completions_missing_in_read_model": completions_missing}


class Sampler(threading.Thread):
    def __init__(self, group: ProcessGroup, var: Path, every: float) -> None:
        super().__init__(daemon=True, name="soak-sampler")
        self.group, self.var, self.every = group, var, every
        self.samples: list[dict] = []
        self.stopped = threading.Event()

    def take(self, previous: dict | None, started: float) -> dict:
        now = time.monotonic()
        cpu = {n: cpu_seconds(p.pid) for n, p in self.group.processes.items() if p.poll() is None}
        stored, applied = stored_and_applied(self.var)
        sample = {"t": round(now - started, 1), "cpu_s": cpu, "rss_mb": {n: rss_mb(p.pid) for n, p in self.group.processes.items() if p.poll() is None},
                  "tasks_events": stored, "reporting_applied": applied, "lag": stored - applied, "load_average_1m": os.getloadavg()[0]}
        if previous is not None:
            span = sample["t"] - previous["t"]
            sample["cpu_percent"] = {n: round((c - previous["cpu_s"].get(n, c)) / span * 100, 1) for n, c in cpu.items()}
            sample["events_per_s"] = round((stored - previous["tasks_events"]) / span, 1)
            sample["applied_per_s"] = round((applied - previous["reporting_applied"]) / span, 1)
        return sample

    def run(self) -> None:
        started, previous = time.monotonic(), None
        while not self.stopped.is_set():
            try:
                previous = self.take(previous, started)
                self.samples.append(previous)
                print(json.dumps({k: previous.get(k) for k in ("t", "events_per_s", "applied_per_s", "lag", "load_average_1m", "rss_mb")}), file=sys.stderr, flush=True)
            except (sqlite3.Error, OSError) as error:  # a store busy or a process gone between two reads: the next sample
                print(f"sample skipped: {error}", file=sys.stderr, flush=True)
            self.stopped.wait(self.every)


def probe(layout: Layout, progress: int) -> float:
    """Seconds from a status report (HTTP, the lead's key) until reporting's read model shows it."""
    with _ro(layout.var / "tasks.sqlite3") as conn:
        task_id, lead = conn.execute("SELECT id, json_extract(body, '$.lead') FROM doc_tasks WHERE json_extract(body, '$.open') LIMIT 1").fetchone()
    headers = {"Authorization": f"Bearer {simulated_key(layout, 'agency', lead)}"}
    started = time.monotonic()
    with httpx.Client(timeout=10) as http:
        while True:  # the service may still be starting
            try:
                if http.post(f"{layout.url('tasks')}/tasks/{task_id}/status", json={"status": "in_progress", "progress": progress},
                             headers=headers).status_code < 300:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() - started > 600:
                raise TimeoutError("tasks did not take the probe report")
            time.sleep(0.2)
        admin = {"Authorization": f"Bearer {simulated_key(layout, 'administrator', 'bench')}"}

        def shown() -> bool:
            try:
                return http.get(f"{layout.url('reporting')}/tasks/{task_id}", headers=admin).json().get("progress") == progress
            except (httpx.HTTPError, ValueError):
                return False

        wait_for(shown, 600, every=0.1)
    return round(time.monotonic() - started, 1)


def ready(layout: Layout, name: str) -> bool:
    try:
        return httpx.get(f"{layout.url(name)}/ready", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


PRODUCERS = ("plans", "tasks", "notify")  # the services whose relays publish their history again after a fresh broker


def relays(layout: Layout) -> dict[str, dict]:
    """Each producer's relay as its /ready shows it (published, republished histories, the last history)."""
    return {name: (ready_checks(layout, name) or {}).get("relay", {}) for name in PRODUCERS}


def restart_catch_up(group: ProcessGroup, layout: Layout, args_timeout: float = 300) -> dict:
    times = {}
    for n, name in enumerate(("tasks", "reporting", "plans", "notify", "broker")):
        before, cpu_before = relays(layout), {s: cpu_seconds(p.pid) for s, p in group.processes.items() if s != name}
        group.kill(name)
        started = time.monotonic()
        group.restart(name)
        try:
            if name in ("plans", "notify"):
                times[name] = {"ready_after_s": round(wait_for(partial(ready, layout, name), args_timeout, every=0.2), 1)}
            else:
                times[name] = {"fresh_report_in_read_model_after_s": round(time.monotonic() - started + probe(layout, 50 + n), 1)}
            if name == "broker":
                times[name].update(broker_restart(group, layout, started, before, cpu_before, args_timeout))
        except TimeoutError:
            times[name] = {"not_within_s": args_timeout}
        print(json.dumps({"restart": name, **times[name]}, default=str), file=sys.stderr, flush=True)
    return times


def broker_restart(group: ProcessGroup, layout: Layout, started: float, before: dict, cpu_before: dict, timeout: float) -> dict:
    """After a fresh broker: when every relay had published its history again and every service caught up, the records
    each relay published again (with floors kept: what some subscriber had not applied), where each history started and
    whose floors it heard, and the CPU seconds every process spent meanwhile (the raw cost beside the wall time)."""
    def republished() -> bool:
        now = relays(layout)
        return all(now[s].get("republished_histories", 0) > before[s].get("republished_histories", 0) for s in PRODUCERS)

    wait_for(republished, timeout, every=0.2)
    caught = catch_up(layout, group, started, timeout)
    after = relays(layout)
    cpu = {s: cpu_seconds(p.pid) - cpu_before.get(s, 0.0) for s, p in group.processes.items()}
    return {"every_service_caught_up_after_s": caught["caught_up_after_start_s"],
            "published_again": {s: after[s].get("published", 0) - before[s].get("published", 0) for s in PRODUCERS},
            "last_history": {s: after[s].get("last_history") for s in PRODUCERS},
            "cpu_s_all_processes": round(sum(cpu.values()), 1), "cpu_s": {s: round(c, 1) for s, c in cpu.items()},
            "load_average": os.getloadavg()}


def chart(samples: list[dict], path: Path, title: str) -> str:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "no chart: matplotlib is not installed (pip install -e '.[bench]')"
    rows = [s for s in samples if "events_per_s" in s]
    minutes = [s["t"] / 60 for s in rows]
    fig, (top, middle, bottom) = plt.subplots(3, 1, figsize=(10, 10), sharex=True)
    top.plot(minutes, [s["events_per_s"] for s in rows], label="tasks: events stored /s")
    top.plot(minutes, [s["applied_per_s"] for s in rows], label="reporting: events applied /s")
    top.set_ylabel("events / s")
    top.legend()
    middle.plot(minutes, [s["lag"] for s in rows], color="tab:red")
    middle.set_ylabel("lag (events)")
    for name in rows[0]["rss_mb"] if rows else ():
        bottom.plot(minutes, [s["rss_mb"].get(name) for s in rows], label=name)
    bottom.set_ylabel("RSS (MB)")
    bottom.set_xlabel("minutes")
    bottom.legend()
    fig.suptitle(title)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return str(path)


def main(args: argparse.Namespace) -> dict:
    var = Path(args.var)
    var.mkdir(parents=True, exist_ok=True)
    layout = Layout(var=var, kafka_port=free_port(), smtp_port=free_port(), ports={s: free_port() for s in SERVICES})
    group = ProcessGroup(layout, service_env={"TIENDO_VIEWER_AUTH": "false"})
    result: dict = {"benchmark": "soak", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "load_average_at_start": os.getloadavg(),
                    "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared with other work: figures are lower bounds)"}
    try:
        started = time.monotonic()
        group.start_all()
        if not (var / "tasks.sqlite3").exists() or stored_and_applied(var)[0] == 0:
            result["built"] = build(layout.url("plans"), partial(as_role, layout), args.tasks_per_commune, provinces=set(args.province or ["04"]))
        wait_for(lambda: (lambda s, a: s > 0 and s == a)(*stored_and_applied(var)), 3600)
        # a kept installation starts on a fresh broker: the relays republish the history and the consumers go through it
        # before the simulator starts (notify is left out: it catches up on its own and is not on the reconciled path)
        start = catch_up(layout, group, started, args.catchup_timeout, ("plans", "tasks", "reporting"))
        result["caught_up_after_start_s"], result["start_timeline"] = start["caught_up_after_start_s"], start["timeline"]
        result["start_relays"] = relays(layout)  # what each relay published again at the start, and from where
        print(json.dumps({"caught_up_after_start_s": result["caught_up_after_start_s"]}), file=sys.stderr, flush=True)
        result["started_and_caught_up_s"] = round(time.monotonic() - started, 1)
        sampler = Sampler(group, var, args.sample_seconds)
        sampler.start()
        simulation = argparse.Namespace(var=str(var), start=args.start, days=10_000, day_seconds=args.day_seconds, profile=args.profile,
                                        channels=args.channels, seed=6, port_offset=0, reply_timeout=120)
        simulated = asyncio.run(simulate(simulation, layout=layout, until=time.monotonic() + args.minutes * 60))
        result["simulator"] = simulated
        drained = wait_for(lambda: (lambda s, a: s == a)(*stored_and_applied(var)), 1800)
        sampler.stopped.set()
        sampler.join()
        result["drained_after_simulator_stopped_s"] = round(drained, 1)
        result["reconciliation"] = reconcile(var)
        print(json.dumps({"drained_after_simulator_stopped_s": result["drained_after_simulator_stopped_s"], "simulator": simulated,
                          "reconciliation": result["reconciliation"]}, default=str), file=sys.stderr, flush=True)
        rows = [s for s in sampler.samples if "events_per_s" in s]
        result["summary"] = {
            "minutes": args.minutes, "samples": len(rows),
            "tasks_events_per_s_mean": round(sum(s["events_per_s"] for s in rows) / max(1, len(rows)), 1),
            "tasks_events_per_s_max": max((s["events_per_s"] for s in rows), default=0),
            "lag_max": max((s["lag"] for s in rows), default=0),
            "rss_mb_max": {n: max(s["rss_mb"].get(n, 0) for s in rows) for n in (rows[0]["rss_mb"] if rows else {})},
            "rss_mb_first_last": {n: (rows[0]["rss_mb"].get(n), rows[-1]["rss_mb"].get(n)) for n in (rows[0]["rss_mb"] if rows else {})},
            "cpu_s_over_run": {n: round(rows[-1]["cpu_s"].get(n, rows[0]["cpu_s"][n]) - rows[0]["cpu_s"][n], 1) for n in (rows[0]["cpu_s"] if rows else {})},
            "wall_s_over_run": round(rows[-1]["t"] - rows[0]["t"], 1) if rows else 0,
            "load_average_1m_min_max": (min(s["load_average_1m"] for s in rows), max(s["load_average_1m"] for s in rows)) if rows else None,
        }
        print(json.dumps({"summary": result["summary"]}), file=sys.stderr, flush=True)
        result["samples"] = rows
        if not args.no_restarts:
            result["restart_catch_up"] = restart_catch_up(group, layout)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M")
        result["chart"] = chart(rows, ARTIFACTS / f"soak-{stamp}.png", f"tiendo soak {stamp} UTC, {args.minutes} min, load {os.getloadavg()[0]:.1f}")
    finally:
        group.stop_all()
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--var", default="var/soak", help="a kept installation (bench/national.py --var) or a new folder")
    parser.add_argument("--province", action="append", help="with a new folder: build these provinces (default 04, Cao Bằng)")
    parser.add_argument("--tasks-per-commune", type=int, default=20)
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--sample-seconds", type=float, default=15)
    parser.add_argument("--from", dest="start", default="2026-03-10")
    parser.add_argument("--day-seconds", type=float, default=5.0)
    parser.add_argument("--profile", default="on_time=0.6,late=0.3,never=0.1")
    parser.add_argument("--channels", default="http=0.6,topic=0.2,single=0.2")
    parser.add_argument("--no-restarts", action="store_true")
    parser.add_argument("--catchup-timeout", type=float, default=900, help="seconds to wait for plans, tasks and reporting to catch up first")
    print(json.dumps(main(parser.parse_args()), indent=2, default=str))

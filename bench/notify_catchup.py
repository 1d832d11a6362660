"""notify's whole-history catch-up at national size: a start on a fresh broker with notify's republish floors gone
(a first start, or a group with no floors), so the relays of plans and tasks publish their whole history again and
notify's consumers read every record of it. Prints one JSON object: seconds until notify's /ready says caught up and
until its first escalation pass ended, its VmRSS / VmHWM (/proc, every 0.5 s) through the catch-up and after it, its
CPU seconds, its consumers' records skipped and applied, the others' catch-up beside it, the load average.

Usage: python bench/notify_catchup.py --var COPY [--keep-floors] [--services plans,tasks,reporting,notify]
       [--after-seconds 20] [--signal-at 200,250] [--restarts N [--flow] [--profile]]
COPY is a copy of a kept national installation, changed by the run (notify's floors deleted, a few records added):
never the kept one itself. `--signal-at MB,...`: send notify SIGUSR1 the first time its RSS passes each figure and once
caught up (for a memory probe of one's own in the process; without one, SIGUSR1 is not sent).
`--restarts N`: then notify SIGKILLed and started again N times under the running system (with `--flow`, while status
reports flow over HTTP from 4 senders), each timed as the start (answering, groups joined, caught up, first pass ended),
with the new process's CPU seconds; `--profile`: py-spy on each new process from its start until it is back.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import signal
import sqlite3
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from keys import as_role  # noqa: E402
from national import caught_up, cpu_seconds, memory, ready_checks, wait_for  # noqa: E402
from notify_restart import Flow, Sampler, Spy, until_back  # noqa: E402
from reports import reports_by_agency  # noqa: E402
from services.embedded.processes import SERVICES, Layout, ProcessGroup  # noqa: E402
from services.runtime.broker import free_port  # noqa: E402

KEPT = Path("/work/var/p200k-v3")


def drop_floors(store: Path) -> int:
    """Delete notify's republish floors from its store: no relay may leave out anything for notify's group."""
    with sqlite3.connect(store) as db:
        return db.execute("DELETE FROM doc_republish_floors WHERE id LIKE 'tiendo.notify.%'").rowcount


def stored_events(store: Path) -> int:
    with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=30) as db:
        return db.execute("SELECT count(*) FROM events").fetchone()[0]


def received(layout: Layout, consumer: str) -> int:
    checks = ready_checks(layout, "notify") or {}
    return checks.get("consumers", {}).get("stats", {}).get(consumer, {}).get("received", 0)


class Signals:
    """SIGUSR1 to notify the first time its RSS passes each figure (MB), watching the sampler's samples."""

    def __init__(self, group: ProcessGroup, sampler: Sampler, at: list[float]) -> None:
        self.group, self.sampler, self.left, self.sent = group, sampler, sorted(at), []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def send(self, why: str) -> None:
        process = self.group.processes.get("notify")
        if process is not None and process.poll() is None:
            os.kill(process.pid, signal.SIGUSR1)
            self.sent.append((why, round(time.monotonic() - self.sampler.started, 1)))

    def _run(self) -> None:
        while self.left and not self._stop.is_set():
            if self.sampler.samples and self.sampler.samples[-1][2] >= self.left[0]:
                self.send(f"rss>={self.left.pop(0)}")
            self._stop.wait(0.25)

    def __enter__(self) -> "Signals":
        if self.left:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()


def restarts(args: argparse.Namespace, layout: Layout, group: ProcessGroup, admin: dict[str, str], sampler: Sampler) -> list[dict]:
    found = []
    flow = Flow(layout, reports_by_agency(layout) * 4, progress=41) if args.flow else contextlib.nullcontext()
    with flow:
        for n in range(args.restarts):
            time.sleep(args.between_seconds)
            group.kill("notify")
            started, started_wall = time.monotonic(), time.time()
            group.restart("notify")
            spy = Spy(group.processes["notify"].pid if args.profile else None)
            back = until_back(layout, admin, started, started_wall, args.timeout, sampler, f"restart{n}")
            back["rss"] = sampler.summary(f"restart{n}")
            back["py_spy_notify"] = spy.top()
            back["load_average"] = os.getloadavg()
            print(json.dumps({f"restart{n}": back}), file=sys.stderr, flush=True)
            found.append(back)
    return found


def main(args: argparse.Namespace) -> dict:
    var = Path(args.var).resolve()
    if var == KEPT or not (var / "notify.sqlite3").exists():
        raise SystemExit(f"{var}: give a copy of a kept installation, never the kept one")
    services = tuple(s for s in args.services.split(",") if s in SERVICES)
    dropped = 0 if args.keep_floors else drop_floors(var / "notify.sqlite3")
    layout = Layout(var=var, kafka_port=free_port(), smtp_port=free_port(), ports={s: free_port() for s in SERVICES})
    env = dict(kv.split("=", 1) for kv in args.service_env)
    group = ProcessGroup(layout, service_env={"TIENDO_VIEWER_AUTH": "false", **env})
    admin = as_role(layout, "administrator", "bench")
    result: dict = {"benchmark": "notify_catchup", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)", "services": services,
                    "notify_floors_dropped": dropped, "load_average_at_start": os.getloadavg()}
    at = [float(x) for x in args.signal_at.split(",") if x]
    try:
        with Sampler(group) as sampler, Signals(group, sampler, at) as signals:
            started, started_wall = time.monotonic(), time.time()
            group.start_broker()
            group.start_smtp_sink()
            for name in services:
                group.start_service(name)
            start = until_back(layout, admin, started, started_wall, args.timeout, sampler, "start")
            if not args.keep_floors:  # lag 0 is also what /ready says before the relays' histories arrive: count them
                sampler.label = "start"
                history = {"notify.directory": stored_events(var / "plans.sqlite3"), "notify.escalations": stored_events(var / "tasks.sqlite3")}
                wait_for(lambda: all(received(layout, name) >= n for name, n in history.items()) and caught_up(layout, "notify"), args.timeout,
                         every=0.25)
                start["whole_history"] = history
                start["caught_up_s"] = round(time.monotonic() - started, 1)
                start["consumers_at_caught_up"] = {name: received(layout, name) for name in history}
                start["notify_cpu_s"] = round(cpu_seconds(group.processes["notify"].pid), 1)
                sampler.label = "start_after"
            if at:
                signals.send("caught_up")
            start["rss"] = sampler.summary("start")
            others = [s for s in services if s != "notify"]
            wait_for(lambda: all(caught_up(layout, s) for s in others), args.timeout, every=1)
            start["others_caught_up_s"] = round(time.monotonic() - started, 1)
            start["load_average"] = os.getloadavg()
            time.sleep(args.after_seconds)
            start["rss_after"] = sampler.summary("start_after")
            start["notify_cpu_s_end"] = round(cpu_seconds(group.processes["notify"].pid), 1)
            found = memory(group.processes["notify"].pid)
            start["hwm_end_mb"] = found.get("VmHWM")
            start["every_service_mb"] = {name: memory(group.processes[name].pid) for name in services}  # VmRSS, VmHWM
            result["start"] = start
            if args.restarts:
                result["restarts"] = restarts(args, layout, group, admin, sampler)
            result["signals"] = signals.sent
            result["rss_samples"] = sampler.samples[::4]
    finally:
        group.stop_all()
    result["load_average_at_end"] = os.getloadavg()
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--var", required=True, help="a COPY of a kept national installation")
    parser.add_argument("--keep-floors", action="store_true", help="leave notify's floors: a start as the kept installation's")
    parser.add_argument("--services", default=",".join(SERVICES))
    parser.add_argument("--after-seconds", type=float, default=20, help="RSS sampled this long after notify caught up")
    parser.add_argument("--timeout", type=float, default=420)
    parser.add_argument("--restarts", type=int, default=0, help="notify killed and started again this many times after")
    parser.add_argument("--between-seconds", type=float, default=10, help="before each kill")
    parser.add_argument("--flow", action="store_true", help="status reports flow over HTTP through the restarts")
    parser.add_argument("--profile", action="store_true", help="py-spy on each restarted notify until it is back")
    parser.add_argument("--service-env", action="append", default=[], help="K=V in every service's environment")
    parser.add_argument("--signal-at", default="", help="RSS figures (MB) at which notify gets SIGUSR1, and once caught up")
    print(json.dumps(main(parser.parse_args()), indent=2))

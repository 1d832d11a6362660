"""A broker restart on a kept installation: seconds until every consumer is at the live end, and what each relay published
again (records), with each process's CPU seconds beside the wall seconds and the load average.

The embedded system starts on the installation (a fresh broker: its start is a first catch-up, reported as `start`,
waited for until it has settled: `settle`), then the broker is SIGKILLed under the caught-up, running services and a new, empty one started at once. Every consumer
is at the live end when every relay has published its history again (one more history counted, no lag) and then, on
two looks a second apart, every service's /ready shows its consumers joined with no lag and none of them went through
a record between the looks; the time is the first of the two looks. Measured beside the same restart's raw part: what
the relays published again (records) and what each consumer went through (records).

Usage (the services run the code of the current folder, so run it from the tree to measure):
  python bench/broker_restart.py --var COPY_OF_AN_INSTALLATION [--timeout 600]
Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from national import catch_up, count, cpu_seconds, ready_checks
from services.embedded.processes import SERVICES, Layout, ProcessGroup
from services.runtime.broker import free_port


def look(layout: Layout) -> dict[str, dict]:
    """Per service, from /ready: its relay's histories, published records and lag; its consumers' state and records."""
    found = {}
    for name in SERVICES:
        checks = ready_checks(layout, name) or {}
        relay, consumers = checks.get("relay", {}), checks.get("consumers", {})
        found[name] = {"histories": relay.get("republished_histories"), "published": relay.get("published", 0), "relay_lag": relay.get("lag", 0),
                       "answered": bool(checks), "consumers_ok": bool(consumers.get("ok")) and consumers.get("lag") == 0,
                       "through": {c: v["skipped"] + v["applied"] for c, v in consumers.get("stats", {}).items()}}
    return found


def settle(layout: Layout, started: float, timeout: float, gap: float = 3.0) -> float | None:
    """Seconds from `started` until the start's own catch-up is over: every relay has published its history (or had
    none), every service's consumers are joined with no lag, and none went through a record over `gap` seconds (/ready
    answers "caught up" while a relay still waits for floors, before its history has even begun)."""
    previous = None
    while time.monotonic() - started < timeout:
        now, at = look(layout), round(time.monotonic() - started, 1)
        done = all(s["answered"] and s["consumers_ok"] and s["relay_lag"] == 0 and (s["histories"] is None or s["histories"] >= 1)
                   for s in now.values())
        through = {n: s["through"] for n, s in now.items()}
        if done and previous == through:
            return at
        previous = through if done else None
        time.sleep(gap)
    return None


def broker_restart(layout: Layout, group: ProcessGroup, timeout: float) -> dict:
    before = look(layout)
    cpu_before = {name: cpu_seconds(p.pid) for name, p in group.processes.items() if name != "broker"}
    load = os.getloadavg()
    group.kill("broker")
    started = time.monotonic()
    group.restart("broker")
    relays_done: dict[str, float] = {}
    live_end, previous = None, None
    while live_end is None and time.monotonic() - started < timeout:
        now, at = look(layout), round(time.monotonic() - started, 1)
        for name, state in now.items():
            had = before[name]
            if name not in relays_done and (had["histories"] is None or ((state["histories"] or 0) > (had["histories"] or 0) and state["relay_lag"] == 0)):
                relays_done[name] = at
        settled = len(relays_done) == len(SERVICES) and all(s["answered"] and s["consumers_ok"] for s in now.values())
        if settled and previous is not None and previous[1] == {n: s["through"] for n, s in now.items()}:
            live_end = previous[0]
        previous = (at, {n: s["through"] for n, s in now.items()}) if settled else None
        time.sleep(1.0)
    after = look(layout)
    cpu = {name: round(cpu_seconds(p.pid) - cpu_before[name], 1) for name, p in group.processes.items() if name in cpu_before}
    cpu["broker"] = round(cpu_seconds(group.processes["broker"].pid), 1)
    return {
        "live_end_after_broker_restart_s": live_end, "relays_done_s": relays_done,
        "records_published_again": {n: after[n]["published"] - before[n]["published"] for n in SERVICES},
        "records_each_consumer_went_through": {n: {c: v - before[n]["through"].get(c, 0) for c, v in after[n]["through"].items()} for n in SERVICES},
        "cpu_s_meanwhile": cpu, "cpu_s_sum": round(sum(cpu.values()), 1),
        "load_average_before": load, "load_average_after": os.getloadavg(),
    }


def main(args: argparse.Namespace) -> dict:
    var = Path(args.var)
    layout = Layout(var=var, kafka_port=free_port(), smtp_port=free_port(), ports={s: free_port() for s in SERVICES})
    group = ProcessGroup(layout, service_env={"TIENDO_VIEWER_AUTH": "false"})
    result: dict = {"benchmark": "broker_restart", "code": os.getcwd(), "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "machine": f"x86_64, {os.cpu_count()} cores shared with other work", "load_average_at_start": os.getloadavg(),
                    "tasks": count(var / "tasks.sqlite3")}
    try:
        started = time.monotonic()
        try:
            group.start_all()
        except RuntimeError as error:  # a loaded machine: a service at national size may take more than start_all's minute
            if "not healthy" not in str(error):
                raise
            group.wait_healthy(timeout=args.timeout)
        result["start"] = catch_up(layout, group, started, args.timeout)
        result["start"]["settled_after_start_s"] = settle(layout, started, args.timeout)
        result["start"]["cpu_s_until_settled"] = {name: round(cpu_seconds(p.pid), 1) for name, p in group.processes.items()}
        print(json.dumps({"start": result["start"]["caught_up_after_start_s"], "settled": result["start"]["settled_after_start_s"]}),
              file=sys.stderr, flush=True)
        for n in range(args.restarts):
            result[f"broker_restart_{n + 1}"] = broker_restart(layout, group, args.timeout)
            print(json.dumps({k: v for k, v in result[f"broker_restart_{n + 1}"].items() if "through" not in k}), file=sys.stderr, flush=True)
            settle(layout, time.monotonic(), args.timeout)  # quiet again (no record went through over a gap) before the next kill
    finally:
        group.stop_all()
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--var", required=True, help="a COPY of a kept installation (the run writes to it)")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--restarts", type=int, default=1)
    print(json.dumps(main(parser.parse_args()), indent=2))

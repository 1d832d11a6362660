"""Benchmarks at national size on the embedded system (broker + four services as processes, SQLite stores).

1. build: the national installation (bench/national_dataset.py): directory, plans, until tasks and
   reporting hold every task;
2. idle: CPU of each process over 30 s with nothing happening, and RSS of each;
3. P1: one status report per task (batches per lead agency, as agency systems send them) until the
   reporting read model shows every one; then half that rate while single probes are timed from
   request to read model;
   P1 over the command topic too (one ReportStatus message per task, each with its agency's key);
4. raw, in the same run (before P1, so a long P1 cannot lose it): aiokafka produce, and consume +
   one SQLite upsert per message with one transaction per batch, as many 300-byte messages as tasks;
5. P3 end to end (last: it moves the shared clock past a quarter end for good).
Each phase's figures go to stderr as soon as it ends.
With --var the installation is kept; a later run on the same folder starts on a fresh (empty) broker and
measures catch-up (relays republish the stored history, consumers skip what they applied) instead of the build.
Prints one JSON object. Usage: python bench/national.py [--tasks-per-commune 60] [--province 04 ...] [--var DIR]
[--phases build,catchup,broker_restart,process_restart,idle,raw,p1,p1_topic,latency,p3,after_load] [--p1-reports N]
broker_restart (after catchup): the broker is SIGKILLed under the running services and a new one started at once; each
service is timed until its relay has republished and its consumers went through the history again.
process_restart: each service (or those named by --restart) SIGKILLed and started again under the running system, timed
until it is back (as a crash and the supervisor's restart would have it).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import sqlite3
import tempfile
import time
import uuid
from datetime import date, datetime, time as dtime, timedelta, timezone
from functools import partial
from pathlib import Path

import httpx
from aiokafka import AIOKafkaProducer
from tqdm import tqdm

from keys import as_role
from national_dataset import build
from raw_pipeline import raw_consume_upsert
from reports import latency, reports_by_agency, throughput
from timeline import Shown, Timeline, cpu_seconds, run_queue_seconds
from schemas.catalog import TASKS_COMMANDS
from services.embedded.processes import SERVICES, Layout, ProcessGroup
from services.reporting.handlers.project import CONSUMER as REPORTING_CONSUMER
from services.runtime.broker import free_port
from services.runtime.clock import LOCAL_TZ, FileClock



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


def follow_build(layout: Layout, tasks: int, started: float, timeout: float = 3600) -> dict:
    """Progress bars of tasks' store and reporting's read model filling up; seconds from the build's start until each holds
    every task, and the rate of each after plans accepted the last plan."""
    stores = {"tasks": layout.var / "tasks.sqlite3", "reporting": layout.var / "reporting.sqlite3"}
    accepted, done, at_accepted = time.monotonic(), {}, {name: count(db) for name, db in stores.items()}
    bars = {name: tqdm(total=tasks, unit=" tasks", desc=f"in {name}", position=n) for n, name in enumerate(stores)}
    try:
        while len(done) < len(stores):
            if time.monotonic() - started > timeout:
                raise TimeoutError("the build did not reach every store")
            for name, db in stores.items():
                if name not in done:
                    now = count(db)
                    bars[name].update(now - bars[name].n)
                    if now >= tasks:
                        done[name] = time.monotonic()
            time.sleep(1)
    finally:
        for bar in bars.values():
            bar.close()
    return {**{f"tasks_in_{name}_after_s": round(at - started, 1) for name, at in done.items()},
            **{f"tasks_in_{name}_after_plans_accepted_s": round(at - accepted, 1) for name, at in done.items()},
            # each stage's own rate: tasks per second from the build's start (the stages overlap: each follows the one before)
            **{f"{name}_tasks_per_s": round(tasks / max(at - started, 0.001)) for name, at in done.items()},
            **{f"tasks_in_{name}_when_plans_accepted": at_accepted[name] for name in stores}}


def memory(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (the peak RSS of the process so far) in MB, from /proc (empty once the process is gone)."""
    found = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key = line.split(":", 1)[0]
            if key in ("VmRSS", "VmHWM"):
                found[key] = round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return found


def rss_mb(pid: int) -> float:
    return memory(pid).get("VmRSS", 0.0)


def idle(group: ProcessGroup, seconds: float = 30) -> dict:
    pids = {name: p.pid for name, p in group.processes.items()}
    before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    time.sleep(seconds)
    share = {name: round((cpu_seconds(pid) - before[name]) / seconds * 100, 2) for name, pid in pids.items()}
    return {"cpu_percent_of_one_core": share, "total_cpu_percent": round(sum(share.values()), 2),
            "rss_mb": {name: rss_mb(pid) for name, pid in pids.items()}}


PY_SPY = Path(os.environ.get("PY_SPY") or Path(sys.executable).with_name("py-spy"))  # optional: where a phase's time goes


class Watched:
    """CPU seconds of every process over a phase (CPU % of one core beside the wall time), and, when py-spy is
    installed, a sample of the tasks process: the functions its samples were in (self) and passed through (total)."""

    def __init__(self, group: ProcessGroup, profile: str | None = "tasks", keep: str | None = None) -> None:
        self.pids = {name: p.pid for name, p in group.processes.items()}
        self.profile, self.spy, self.raw, self.keep = profile, None, None, keep

    def __enter__(self) -> "Watched":
        if self.profile in self.pids and PY_SPY.exists():
            self.raw = Path(tempfile.mkstemp(prefix="py-spy-", suffix=".txt")[1])
            self.spy = subprocess.Popen([str(PY_SPY), "record", "--pid", str(self.pids[self.profile]), "--rate", "50", "--format", "raw",
                                         "--nonblocking", "-o", str(self.raw)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.started, self.cpu = time.monotonic(), {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        self.queued = {name: run_queue_seconds(pid) for name, pid in self.pids.items()}
        return self

    def __exit__(self, *exc) -> None:
        wall = time.monotonic() - self.started
        used = {name: cpu_seconds(pid) - self.cpu[name] for name, pid in self.pids.items()}
        self.figures = {"wall_s": round(wall, 1), "cpu_s": {n: round(c, 1) for n, c in used.items()},
                        "cpu_percent_of_one_core": {n: round(c / wall * 100) for n, c in used.items()},
                        "waiting_for_a_core_s": {n: round(run_queue_seconds(pid) - self.queued[n], 1) for n, pid in self.pids.items()},
                        "load_average": os.getloadavg()}
        if self.spy is not None:
            self.spy.send_signal(signal.SIGINT)
            self.spy.wait(60)
            self.figures[f"py_spy_{self.profile}"] = top_of(self.raw.read_text())
            if self.keep:  # the collapsed stacks, for a closer look
                shutil.copyfile(self.raw, self.keep)
            self.raw.unlink(missing_ok=True)


def per_report(watched: Watched, reports: int) -> dict:
    """CPU milliseconds each process spent per report over a phase, and their sum: what a report costs the whole system
    (two cores carry 2,000 / sum reports a second at most)."""
    each = {name: round(cpu / reports * 1000, 3) for name, cpu in watched.figures["cpu_s"].items()} if reports else {}
    return {**each, "all": round(sum(each.values()), 3)}


def top_of(collapsed: str, n: int = 15) -> dict:
    """The heaviest functions of py-spy's collapsed stacks ("frame;frame;... count" lines), as % of samples."""
    own: dict[str, int] = {}
    through: dict[str, int] = {}
    total = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [f.split(" (")[0] + " (" + f.rsplit("/", 1)[-1] if " (" in f else f for f in stack.split(";")]
        total += int(count)
        own[frames[-1]] = own.get(frames[-1], 0) + int(count)
        for frame in set(frames):
            through[frame] = through.get(frame, 0) + int(count)
    share = lambda table: {f: round(c / total * 100, 1) for f, c in sorted(table.items(), key=lambda kv: -kv[1])[:n]} if total else {}
    return {"samples": total, "self_percent": share(own), "total_percent": share(through)}


def phase(result: dict, name: str, value: dict) -> None:
    """Keep a phase's figures, and show them at once on stderr: a run stopped later keeps what it measured."""
    result[name] = value
    print(json.dumps({name: value}), file=sys.stderr, flush=True)


PHASES = ("build", "catchup", "broker_restart", "process_restart", "idle", "raw", "p1", "p1_topic", "latency", "p3", "after_load")
P3_DUE = date(2026, 12, 31)  # a quarter end of the dataset (bench/national_dataset.py DUE_DAYS), after the build's real date


def deadline_missed_end_to_end(layout: Layout, every: float = 1.0, group: ProcessGroup | None = None, escalations: bool = False) -> dict:
    """The shared clock passes P3_DUE. Two moments, from the clock change:

    - decided: tasks' scanner appended its last DeadlineMissed (by the events' recorded times, on the moved clock, so the
      bench's polling adds nothing), for every miss: tasks due that day and reporting periods of recurring tasks;
    - shown: reporting applied every one of them, in its projection (task views, counters: the dashboard's figures; a
      stream's checkpoint moves in the views' own transaction) and in its live views (each task's timeline shows the miss).
      The dated tasks' views listing the day as missed are timed too (`dated`), as before.
    The scanner is taken to be done once no miss has been appended for `QUIET_S` seconds. Each poll is cheap beside the
    system it watches: the new events by position, the dated tasks' documents by id, one sum per consumer's checkpoints.
    With `group`, each process's CPU seconds from the clock change to the moment every miss was shown. With `escalations`,
    it goes on until reporting has applied every event notify appended to its escalation items (started and raised) and
    notify has appended none for `QUIET_S` seconds: the moment they were all shown too."""
    tasks_db, reporting_db = layout.var / "tasks.sqlite3", layout.var / "reporting.sqlite3"
    day = P3_DUE.isoformat()
    with sqlite3.connect(f"file:{tasks_db}?mode=ro", uri=True, timeout=30) as conn:  # recurring tasks miss periods instead
        dated = [i for (i,) in conn.execute(f"SELECT id FROM doc_tasks WHERE json_extract(body, '$.due') = '{day}' AND "
                                            "json_extract(body, '$.open') AND NOT json_extract(body, '$.recurring')")]

    def missed_in(db: Path) -> int:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
            return sum(conn.execute(f"SELECT count(*) FROM doc_tasks WHERE id IN ({','.join('?' * len(part))}) AND "
                                    f"json_extract(body, '$.missed') LIKE '%{day}%'", part).fetchone()[0]
                       for part in (dated[i:i + 500] for i in range(0, len(dated), 500)))
    misses = NewMisses(tasks_db)
    # reporting's one consumer (since reporting-one) checkpoints a stream once the projection and the live views both applied
    # it; polling the two consumers of before (whose checkpoints a kept store still holds, never to move) waited 30 min for nothing
    applied = {REPORTING_CONSUMER: AppliedSum(reporting_db, REPORTING_CONSUMER)}
    if escalations:
        items, items_applied = NewMisses(layout.var / "notify.sqlite3", ESCALATION_EVENTS), AppliedSum(reporting_db, REPORTING_CONSUMER, "escalation-")
    cpu = (lambda: {name: cpu_seconds(p.pid) for name, p in group.processes.items()}) if group is not None else (lambda: {})
    cpu_before, cpu_polled = cpu(), []  # (seconds since the clock change, each process's CPU seconds) at each poll
    moment = datetime.combine(P3_DUE + timedelta(days=1), dtime(0, 0, 5), LOCAL_TZ)
    FileClock(layout.clock_file).set(moment)
    started = time.monotonic()
    shown_dated = {"decided_s": None, "shown_s": None}
    quiet_since = started
    while time.monotonic() - started < 1800:
        if misses.poll():
            quiet_since = time.monotonic()
        now = time.monotonic() - started
        for consumer in applied.values():
            consumer.poll(now)
        if shown_dated["decided_s"] is None and missed_in(tasks_db) >= len(dated):
            shown_dated["decided_s"] = round(now, 1)
        if shown_dated["shown_s"] is None and shown_dated["decided_s"] is not None and missed_in(reporting_db) >= len(dated):
            shown_dated["shown_s"] = round(now, 1)
        cpu_polled.append((now, cpu()))
        if (time.monotonic() - quiet_since > QUIET_S and shown_dated["shown_s"] is not None
                and all(c.reached(misses.target) is not None for c in applied.values())):
            break
        time.sleep(every)
    else:
        raise TimeoutError("P3: reporting did not show every miss within 30 min")
    decided = (misses.last_recorded - moment).total_seconds() if misses.last_recorded else None
    shown = {consumer.split(".")[1]: round(c.reached(misses.target), 1) for consumer, c in applied.items()}
    cpu_shown = next((used for at, used in cpu_polled if at >= max(c.reached(misses.target) for c in applied.values())), None)
    cpu_until_shown = {name: round(cpu_shown[name] - was, 1) for name, was in cpu_before.items()} if cpu_shown else None
    followed = escalations_shown(items, items_applied, moment, started, every) if escalations else None
    return {"due_at_once": len(dated), "decided_in_tasks_s": shown_dated["decided_s"], "shown_by_reporting_s": shown_dated["shown_s"],
            "end_to_end_per_s": round(len(dated) / max(shown_dated["shown_s"], 0.001)),
            "all_misses": {"deadline_missed": misses.count, "tasks": len(misses.target), "dated": misses.dated,
                           "decided_s_by_recorded_times": round(decided, 1) if decided is not None else None,
                           "shown_s": shown, "shown_s_both": max(shown.values()), "poll_every_s": every,
                           "cpu_s_until_shown": cpu_until_shown},
            **({"escalations": followed} if followed else {})}


ESCALATION_EVENTS = ("EscalationStarted", "EscalationRaised")


def escalations_shown(items: "NewMisses", applied: "AppliedSum", moment: datetime, started: float, every: float, timeout: float = 1800) -> dict:
    """After the misses: when notify had started (and raised) every item by the events' recorded times, and when reporting
    had applied every one of those events (its escalation streams' checkpoints at their last version)."""
    quiet_since = time.monotonic()
    while time.monotonic() - started < timeout:
        if items.poll():
            quiet_since = time.monotonic()
        applied.poll(time.monotonic() - started)
        if time.monotonic() - quiet_since > QUIET_S and applied.reached(items.target) is not None:
            break
        time.sleep(every)
    else:
        raise TimeoutError("P3: reporting did not show every escalation within 30 min")
    last = (items.last_recorded - moment).total_seconds() if items.last_recorded else None
    return {"events": items.count, "items": len(items.target), "appended_by_notify_s_by_recorded_times": round(last, 1) if last else None,
            "shown_by_reporting_s": round(applied.reached(items.target), 1)}


QUIET_S = 15.0


class NewMisses:
    """DeadlineMissed appended to tasks' event store after it was first looked at: per task stream, the version of its
    last miss (what reporting must reach), and the latest recorded time."""

    def __init__(self, db: Path, types: tuple[str, ...] = ("DeadlineMissed",)) -> None:
        self.db, self.types, self.target, self.count, self.dated, self.last_recorded = db, types, {}, 0, 0, None
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
            self.position = conn.execute("SELECT coalesce(max(position), 0) FROM events").fetchone()[0]

    def poll(self) -> bool:
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30) as conn:
            rows = conn.execute("SELECT position, stream_id, stream_version, json_extract(body, '$.recorded_at'), "
                                f"json_extract(body, '$.payload.kind') FROM events WHERE position > ? AND event_type IN ({','.join('?' * len(self.types))})",
                                (self.position, *self.types)).fetchall()
            self.position = max([self.position, *(r[0] for r in rows)])
        for _, stream, version, recorded, kind in rows:
            self.target[stream] = max(version, self.target.get(stream, 0))
            self.count += 1
            self.dated += kind == "due"
            at = datetime.fromisoformat(recorded.replace("Z", "+00:00"))
            self.last_recorded = max(at, self.last_recorded or at)
        return bool(rows)


class AppliedSum:
    """One of reporting's consumers going through the misses, read beside it: the sum of its task streams' checkpoints,
    which grows by exactly what the misses add once it has reached each stream's last miss (nothing else is written to
    tasks' streams during P3). The checkpoints as they were are read once, before the clock moves. `prefix`: the streams
    summed ('escalation-': notify's items, whose new events are all P3's too)."""

    def __init__(self, db: Path, consumer: str, prefix: str = "task-") -> None:
        self.db, self.consumer, self.sums = db, consumer, []
        assert prefix.endswith("-")  # the streams from prefix up to the same text ending in '.' (the character after '-')
        self.SUM = ("SELECT coalesce(sum(version), 0) FROM checkpoints WHERE consumer = ? AND stream_id >= "
                    f"'{prefix}' AND stream_id < '{prefix[:-1]}.'")
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
            self.before = dict(conn.execute("SELECT stream_id, version FROM checkpoints WHERE consumer = ? AND stream_id >= ? "
                                            "AND stream_id < ?", (consumer, prefix, f"{prefix[:-1]}.")).fetchall())
            self.sum_before = conn.execute(self.SUM, (consumer,)).fetchone()[0]

    def poll(self, now: float) -> None:
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30) as conn:
            self.sums.append((now, conn.execute(self.SUM, (self.consumer,)).fetchone()[0]))

    def reached(self, target: dict[str, int]) -> float | None:
        """The first poll's time at which the sum held every stream at its target; None before."""
        needed = self.sum_before + sum(v - self.before.get(s, 0) for s, v in target.items())
        return next((t for t, total in self.sums if total >= needed), None)


def ready_checks(layout: Layout, name: str) -> dict | None:
    """The service's /ready checks (None while it does not answer)."""
    try:
        return httpx.get(f"{layout.url(name)}/ready", timeout=5).json()["checks"]
    except (httpx.HTTPError, KeyError, ValueError):
        return None


def caught_up(layout: Layout, name: str) -> bool:
    """The service's consumers have joined with no lag and its relay has met this broker with nothing left (its /ready
    says so)."""
    checks = ready_checks(layout, name)
    return bool(checks) and checks["consumers"]["ok"] and checks["consumers"]["lag"] == 0 and bool(checks["relay"].get("ok")) \
        and checks["relay"].get("lag", 0) == 0


def catch_up(layout: Layout, group: ProcessGroup, started: float, timeout: float, services: tuple[str, ...] = SERVICES) -> dict:
    """Seconds from the start of the processes until each service has caught up (None: not within `timeout`): /ready
    shows every consumer joined with no lag and the relay done. With the timeline of each: first answer, groups
    joined, relay done (history republished), CPU seconds the process had used since it started when it caught up
    (imports and start-up included; on a loaded machine the wall seconds are mostly waiting for a core, the CPU seconds
    are what the catch-up costs), consumers' records skipped and applied."""
    times: dict[str, float | None] = {name: None for name in services}
    timeline: dict[str, dict] = {name: {} for name in services}
    while any(t is None for t in times.values()) and time.monotonic() - started < timeout:
        for name in [n for n, t in times.items() if t is None]:
            checks, at = ready_checks(layout, name), round(time.monotonic() - started, 1)
            if checks is None:
                continue
            marks, consumers, relay = timeline[name], checks["consumers"], checks["relay"]
            marks.setdefault("answering_s", at)
            if consumers.get("groups") is not None and all(g["joined"] for g in consumers["groups"]):
                marks.setdefault("groups_joined_s", at)
            # a relay is done once it has met this broker (its /ready ok: its epoch set, so the history is under way from
            # where it starts) and has nothing left; before that its lag is measured from the position of the last run
            relay_done = bool(relay.get("ok")) and relay.get("lag", 0) == 0
            if relay_done:
                marks.setdefault("relay_done_s", at)
            if consumers["ok"] and consumers["lag"] == 0 and relay_done:
                times[name] = at
                marks["cpu_s"] = round(cpu_seconds(group.processes[name].pid), 1)
                marks["republished"] = relay.get("published")
                marks["consumers"] = {c: {k: v[k] for k in ("skipped", "applied")} for c, v in consumers.get("stats", {}).items()}
        time.sleep(0.5)
    cpu = {name: round(cpu_seconds(p.pid), 1) for name, p in group.processes.items()}
    return {"caught_up_after_start_s": times, "cpu_s_until_all_caught_up": cpu, "load_average": os.getloadavg(), "timeline": timeline}


def consumer_stats(layout: Layout, services: tuple[str, ...] = SERVICES) -> dict[str, dict]:
    """Per service: its relay's republished histories, and skipped + applied records of each of its consumers."""
    found = {}
    for name in services:
        checks = ready_checks(layout, name) or {}
        relay, consumers = checks.get("relay", {}), checks.get("consumers", {})
        found[name] = {"republished_histories": relay.get("republished_histories"), "relay_lag": relay.get("lag", 0),
                       "ok": bool(consumers.get("ok")), "joins": {g["group"]: g.get("joins", 0) for g in consumers.get("groups") or ()},
                       "through": {c: v["skipped"] + v["applied"] for c, v in consumers.get("stats", {}).items()}}
    return found


def stages(layout: Layout, services: tuple[str, ...] = ("tasks", "reporting", "notify")) -> dict[str, dict]:
    """Per service, what each stage of its pipeline did and took so far (/ready's `stages`: Bus.Stages)."""
    return {name: ((ready_checks(layout, name) or {}).get("consumers") or {}).get("stages", {}) for name in services}


SINCE_START = ("largest_batch", "most_in_flight")  # maxima (Stages.most): a difference of two would say 0 once reached before


def stage_table(before: dict[str, dict], after: dict[str, dict], seconds: float) -> dict[str, dict]:
    """What each stage did over a phase: the difference of two `stages` readings, with each stage's busy share of the
    phase's wall time (`*_s` over `seconds`) and its mean batch; `largest_batch` and `most_in_flight` are since the start."""
    table = {}
    for service, figures in after.items():
        for stage, now in figures.items():
            was = before.get(service, {}).get(stage, {})
            diff = {k: (v if k in SINCE_START else round(v - was.get(k, 0), 3)) for k, v in now.items()}
            if not any(v for k, v in diff.items() if k not in SINCE_START):
                continue
            diff.update({f"{k[:-2]}_share": round(v / seconds, 3) for k, v in list(diff.items()) if k.endswith("_s") and seconds})
            batches = diff.get("batches") or diff.get("fetches")
            if batches:
                diff["mean_batch"] = round((diff.get("handled") or diff.get("events") or diff.get("fetched") or 0) / batches, 1)
            table[f"{service}: {stage}"] = diff
    return table


def topic_totals(timeline: dict[str, dict]) -> dict[str, dict[str, int]]:
    """Per service and consumer, the records it has to go through again after a broker restart: what it went through in
    the catch-up, less any batches redelivered there (a rebalance during the catch-up hands a batch over twice, and a
    count that includes them is never reached again). A consumer reads whole topics, each holding what one relay
    republished, so its count is the largest sum of some relays' histories not above what it went through."""
    histories = [marks["republished"] for marks in timeline.values() if marks.get("republished")]
    sums = {sum(h for i, h in enumerate(histories) if mask >> i & 1) for mask in range(1, 1 << len(histories))}
    totals = {}
    for name, marks in timeline.items():
        totals[name] = {}
        for consumer, seen in marks.get("consumers", {}).items():
            went = seen["skipped"] + seen["applied"]
            totals[name][consumer] = max((s for s in sums if s <= went), default=went)
    return totals


def broker_restart(layout: Layout, group: ProcessGroup, history: dict[str, dict], timeout: float) -> dict:
    """SIGKILL the broker with every service caught up and running, start a new (empty) one at once, and time each service
    back: its relay has republished its history (a new history counted, no lag) and each of its consumers has gone through
    at least as many records again as it went through in the catch-up (`history`: consumer -> records). CPU seconds
    each process used meanwhile beside the wall seconds."""
    before = consumer_stats(layout)
    cpu_before = {name: cpu_seconds(p.pid) for name, p in group.processes.items() if name != "broker"}
    group.kill("broker")
    started = time.monotonic()
    group.restart("broker")
    times: dict[str, float | None] = {name: None for name in SERVICES}
    relay_done: dict[str, float] = {}
    while any(t is None for t in times.values()) and time.monotonic() - started < timeout:
        now = consumer_stats(layout, tuple(n for n, t in times.items() if t is None))
        at = round(time.monotonic() - started, 1)
        for name, state in now.items():
            had = before[name]
            relay_back = had["republished_histories"] is None or (
                (state["republished_histories"] or 0) > (had["republished_histories"] or 0) and state["relay_lag"] == 0)
            if relay_back:
                relay_done.setdefault(name, at)
            through = all(state["through"].get(c, 0) - had["through"].get(c, 0) >= n for c, n in history.get(name, {}).items())
            if relay_back and through and state["ok"]:
                times[name] = at
        time.sleep(0.25)
    cpu = {name: round(cpu_seconds(p.pid) - cpu_before[name], 1) for name, p in group.processes.items() if name in cpu_before}
    cpu["broker"] = round(cpu_seconds(group.processes["broker"].pid), 1)
    after = consumer_stats(layout)  # group joins each subscriber (broker group) completed meanwhile (services that count them in /ready)
    joins = {name: {group: n - before[name]["joins"].get(group, 0) for group, n in after[name]["joins"].items()} for name in SERVICES}
    return {"back_after_broker_restart_s": times, "relay_done_s": relay_done, "cpu_s_meanwhile": cpu, "load_average": os.getloadavg(),
            "group_joins_meanwhile": joins, "records_each_consumer_went_through_again": history}


def process_restart(layout: Layout, group: ProcessGroup, names: tuple[str, ...], timeout: float) -> dict:
    """SIGKILL one service at a time under the running system (the broker and the others up, everything caught up) and
    start it again at once, as the supervisor does after a crash: seconds until its /ready first answers and until it
    is back (every consumer joined with no lag, its relay on the broker with nothing left), and the CPU seconds the new
    process used by then (imports and start-up included) beside them."""
    figures: dict[str, dict] = {}
    for name in names:
        group.kill(name)
        started = time.monotonic()
        group.restart(name)
        marks: dict = {"answering_s": None, "groups_joined_s": None, "back_s": None}
        while marks["back_s"] is None and time.monotonic() - started < timeout:
            checks, at = ready_checks(layout, name), round(time.monotonic() - started, 1)
            if checks is not None:
                consumers, relay = checks["consumers"], checks["relay"]
                marks["answering_s"] = marks["answering_s"] or at
                if consumers.get("groups") is not None and all(g["joined"] for g in consumers["groups"]):
                    marks["groups_joined_s"] = marks["groups_joined_s"] or at
                if consumers["ok"] and consumers["lag"] == 0 and relay["ok"] and relay.get("lag", 0) == 0:
                    marks["back_s"] = at
            time.sleep(0.25)
        marks["cpu_s"] = round(cpu_seconds(group.processes[name].pid), 1)
        figures[name] = marks
    return {"back_after_process_restart": figures, "load_average": os.getloadavg()}


def capped(batches: list[tuple[str, list[str]]], reports: int | None) -> list[tuple[str, list[str]]]:
    """The first agencies' batches, up to about `reports` reports (all with None)."""
    kept, total = [], 0
    for batch in batches:
        if reports is not None and total >= reports:
            break
        kept.append(batch)
        total += len(batch[1])
    return kept


async def over_the_command_topic(layout: Layout, batches: list[tuple[str, list[str]]], progress: int, pids: dict[str, int]) -> dict:
    """One ReportStatus command per task on the command topic (each with its agency's key), as fast as the producer
    takes them; reports/s until the read model shows them all (looked at every 50 ms near the end), and the phase's
    timeline (timeline.py)."""
    total = sum(len(ids) for _, ids in batches)
    producer = AIOKafkaProducer(bootstrap_servers=layout.bootstrap, linger_ms=5, max_batch_size=256 * 1024)
    await producer.start()
    shown = Shown(layout.var / "reporting.sqlite3", [task for _, ids in batches for task in ids], progress)  # before any is sent
    timeline = Timeline(pids, layout.var / "tasks.sqlite3", layout.var / "reporting.sqlite3")
    timeline.start()
    started = time.monotonic()
    try:
        pending = []
        for token, ids in batches:
            for task_id in ids:
                command = {"task_id": task_id, "status": "in_progress", "progress": progress, "command_id": str(uuid.uuid4()), "token": token}
                pending.append(await producer.send(TASKS_COMMANDS, json.dumps(command).encode(), key=command["command_id"].encode()))
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    produced = time.monotonic() - started
    while await asyncio.to_thread(shown.poll) < total:
        await asyncio.sleep(shown.pause())
    seconds = time.monotonic() - started
    timeline.stop()
    return {"reports": total, "produce_per_s": round(total / produced), "end_to_end_per_s": round(total / seconds), "seconds": round(seconds, 2),
            "timeline": timeline.summary(started, total, shown, round(produced, 2))}


def main(args: argparse.Namespace) -> dict:
    kept = args.var is not None
    var = Path(args.var) if kept else Path(tempfile.mkdtemp(prefix="tiendo-national-"))
    var.mkdir(parents=True, exist_ok=True)
    layout = Layout(var=var, kafka_port=free_port(), smtp_port=free_port(), ports={s: free_port() for s in SERVICES})
    group = ProcessGroup(layout, service_env={"TIENDO_VIEWER_AUTH": "false", **dict(e.split("=", 1) for e in args.service_env or ())})
    phases = args.phases.split(",")
    if args.start_clock:  # every process reads this clock from its start: the catch-up decides nothing the real date would
        FileClock(layout.clock_file).set(datetime.fromisoformat(args.start_clock).replace(tzinfo=LOCAL_TZ))
    result: dict = {"benchmark": "national", "start_clock": args.start_clock, "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "load_average_at_start": os.getloadavg(),
                    "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared with other work: figures are lower bounds)"}
    try:
        started = time.monotonic()
        try:
            group.start_all()
        except RuntimeError as error:  # on a loaded machine a service at national size may take more than start_all's minute
            if "not healthy" not in str(error):
                raise
            group.wait_healthy(timeout=args.catchup_timeout)
        n = count(layout.var / "tasks.sqlite3") if (layout.var / "tasks.sqlite3").exists() else 0
        if "build" in phases and n == 0:
            cpu_before, build_started = {name: cpu_seconds(p.pid) for name, p in group.processes.items()}, time.monotonic()
            built = build(layout.url("plans"), partial(as_role, layout), args.tasks_per_commune, provinces=set(args.province) if args.province else None)
            n = built["tasks"]
            built.update(follow_build(layout, n, build_started))
            built["cpu_s"] = {name: round(cpu_seconds(p.pid) - cpu_before[name], 1) for name, p in group.processes.items()}
            built["end_to_end_tasks_per_s"] = round(n / built["tasks_in_reporting_after_s"])
            phase(result, "build", built)
        elif "catchup" in phases:  # a kept installation on a fresh, empty broker: relays republish, consumers skip
            phase(result, "catchup", {"tasks": n, **catch_up(layout, group, started, args.catchup_timeout)})
        if "broker_restart" in phases and "catchup" in result:  # the broker dies under running, caught-up services
            history = topic_totals(result["catchup"]["timeline"])
            time.sleep(5)  # the consumers commit and settle
            phase(result, "broker_restart", broker_restart(layout, group, history, args.catchup_timeout))
        if "process_restart" in phases:  # each service killed and started again, the broker and the others running
            time.sleep(5)
            phase(result, "process_restart", process_restart(layout, group, tuple(args.restart or SERVICES), args.catchup_timeout))
        if "idle" in phases:
            time.sleep(10)  # let the consumers and relays settle
            phase(result, "idle", idle(group, args.idle_seconds))
        if {"p1", "p1_topic", "latency"} & set(phases) and "catchup" not in phases and n:
            # P1 on a kept installation: raw and P1 wait until tasks and reporting are through the republished history
            phase(result, "P1_waited_for_catch_up_s", {"seconds": round(wait_for(lambda: all(caught_up(layout, s) for s in ("tasks", "reporting")),
                                                                                  args.catchup_timeout, every=2), 1)})
        if "raw" in phases:
            phase(result, "raw_same_run", asyncio.run(raw_consume_upsert(layout.bootstrap, min(n, 200_000), var / "raw.sqlite3")))
        batches = capped(reports_by_agency(layout), args.p1_reports) if {"p1", "p1_topic", "latency"} & set(phases) else []
        if "p1" in phases:
            shown = Shown(layout.var / "reporting.sqlite3", [task for _, ids in batches for task in ids], args.progress)
            stages_before = stages(layout)
            with Watched(group, profile=args.p1_spy, keep=args.spy_out and f"{args.spy_out}.p1") as watched:
                figures = asyncio.run(throughput(layout, batches, shown, progress=args.progress))
            phase(result, "P1_throughput", {**figures, "processes": watched.figures, "cpu_ms_per_report": per_report(watched, figures["reports"]),
                                            "stages": stage_table(stages_before, stages(layout), watched.figures["wall_s"])})
        if "p1_topic" in phases:
            stages_before = stages(layout)
            with Watched(group, profile=args.p1_spy, keep=args.spy_out and f"{args.spy_out}.p1_topic") as watched:
                figures = asyncio.run(over_the_command_topic(layout, batches, args.progress + 1, watched.pids))
            phase(result, "P1_command_topic", {**figures, "processes": watched.figures, "cpu_ms_per_report": per_report(watched, figures["reports"]),
                                               "stages": stage_table(stages_before, stages(layout), watched.figures["wall_s"])})
        if "latency" in phases:
            half = result.get("P1_throughput", {}).get("end_to_end_per_s", args.rate * 2) / 2
            with Watched(group, profile=None) as watched:
                figures = asyncio.run(latency(layout, batches, half, args.latency_seconds))
            phase(result, "P1_latency_at_half_rate", {**figures, "processes": watched.figures})
        if "p3" in phases:
            stages_before = stages(layout)
            with Watched(group, profile=args.spy, keep=args.spy_out) as watched:
                figures = deadline_missed_end_to_end(layout, group=group, escalations=args.p3_escalations)
            phase(result, "P3_deadlines_end_to_end", {**figures, "processes": watched.figures,
                                                      "stages": stage_table(stages_before, stages(layout), watched.figures["wall_s"])})
        if "after_load" in phases:
            phase(result, "after_load", idle(group, 10))
    finally:
        group.stop_all()
        if not kept:
            shutil.rmtree(var, ignore_errors=True)
        (var / "raw.sqlite3").unlink(missing_ok=True)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks-per-commune", type=int, default=60)
    parser.add_argument("--province", action="append")
    parser.add_argument("--latency-seconds", type=float, default=20)
    parser.add_argument("--idle-seconds", type=float, default=30)
    parser.add_argument("--var", help="keep the installation in this folder; a later run on it skips the build and measures catch-up")
    parser.add_argument("--phases", default="build,catchup,idle,raw,p1,latency,after_load", help=f"any of {','.join(PHASES)}")
    parser.add_argument("--progress", type=int, default=1, help="progress value of the P1 reports (another one on each run over a kept folder)")
    parser.add_argument("--catchup-timeout", type=float, default=300)
    parser.add_argument("--p1-reports", type=int, help="P1 on the first agencies' tasks only, about this many reports")
    parser.add_argument("--restart", action="append", choices=SERVICES, help="process_restart: these services (default all)")
    parser.add_argument("--spy", default="reporting", choices=SERVICES, help="p3: the service py-spy samples over the phase")
    parser.add_argument("--p1-spy", default="tasks", choices=SERVICES, help="p1 and p1_topic: the service py-spy samples")
    parser.add_argument("--p3-escalations", action="store_true", help="p3: go on until reporting has shown every escalation notify started")
    parser.add_argument("--spy-out", help="keep py-spy's collapsed stacks: p3 of the sampled service in this file, p1 and p1_topic of tasks in FILE.p1 and FILE.p1_topic")
    parser.add_argument("--start-clock", help="local date and time (ISO, Vietnam) the shared clock is set to before the "
                        "processes start; without it they start on the real time, so a run after 17:00 UTC decides the "
                        "next day's misses during its catch-up and P3's quarter end shrinks")
    parser.add_argument("--service-env", action="append", help="TIENDO_…=VALUE for every service process (a setting tried)")
    parser.add_argument("--rate", type=float, default=100, help="half-rate load when P1 throughput was not run")
    print(json.dumps(main(parser.parse_args()), indent=2))

"""notify at national size, in one process (run through `bench/notify.py --national`).

Set-up (not measured): notify's SQLite store in a temporary folder, filled through notify's own consumer of plans'
events: the official directory (3,355 units, 33,550 agencies), a contact for every head, a plan per unit with a
monthly report (due before the 15th, the unit's agencies bound), 68,290 tasks as bench/national_dataset.py derives
them (the soak's installation). The clock starts on 15/12/2026 as the soak did.

Phases, each with CPU seconds beside wall seconds and the raw operation it rides on in the same run:
- month end: DeadlineMissed for the tasks due 31/12/2026 and a missed December period for 15% of the recurring
  tasks, through notify's consumer (batches of 500, as the bus hands them over);
- reports: N StatusReported (recurring tasks name their period; one in ten is a late December report that resolves
  its item) and periodic reports, through the same consumer; beside it, decoding the same events (what the bus does
  for each record before notify sees it);
- passes: the loop's full pass (`run_once`) at this size, and the first pass after a start (what a restart does);
- idle: `run()` as the service runs it on a clock moving with real time, nothing arriving;
- soak: the loop running as in the service while a stream like the soak's arrives (≈ 100 StatusReported/s, a
  simulated day every 6 s, month ends with their misses), RSS sampled every 15 s.
"""
from __future__ import annotations

import asyncio
import cProfile
import gc
import io
import os
import platform
import pstats
import random
import shutil
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from national_dataset import national_plans  # noqa: E402
from schemas.catalog import Event, parse_event  # noqa: E402
from schemas.directory import AgencyRegistered, UnitRegistered  # noqa: E402
from schemas.notify import Responsibility  # noqa: E402
from schemas.plans import PlanIssued, ReportingSchedule, TaskAssigned, Timing  # noqa: E402
from schemas.reports import PeriodicReportSubmitted  # noqa: E402
from schemas.tasks import DeadlineMissed, MissKind, StatusReported, TaskStatus  # noqa: E402
from services.notify.bootstrap import load_calendar  # noqa: E402
from services.notify.domain.grouping import Timers  # noqa: E402
from services.notify.entrypoints import consumers  # noqa: E402
from services.notify.entrypoints.loop import EscalationLoop  # noqa: E402
from services.notify.handlers.contacts import ContactDetails, put_contact  # noqa: E402
from services.notify.handlers.dispatch import DispatchConfig  # noqa: E402
from services.notify.handlers.repository import INDEXES  # noqa: E402
from services.notify.handlers.send import SendConfig  # noqa: E402
from services.notify.settings import NotifySettings  # noqa: E402
from services.plans.official_directory import official_directory  # noqa: E402
from services.runtime.clock import LOCAL_TZ  # noqa: E402
from services.runtime.eventlog import EventLog  # noqa: E402
from services.runtime.events import Cause, seal  # noqa: E402
from services.runtime.sqlite_store import SqliteStore  # noqa: E402

START = datetime(2026, 12, 15, 9, 0, tzinfo=LOCAL_TZ)
BATCH = 500  # records per consumer batch (the bus's max_records)
MONTHLY = ReportingSchedule(schedule_id="thang", frequency="monthly", day_of_month=15, raw="Hằng tháng, trước ngày 15")


class Clock:
    """The service clock: `speed` simulated seconds per real second from `start`; `set` jumps it."""

    def __init__(self, start: datetime, speed: float = 0.0) -> None:
        self.start, self.speed, self.at = start, speed, time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=(time.monotonic() - self.at) * self.speed)

    def set(self, moment: datetime, speed: float | None = None) -> None:
        self.start, self.at = moment, time.monotonic()
        self.speed = self.speed if speed is None else speed


class NullMailer:
    """Digests are composed and handed over; the SMTP exchange is measured by bench/notify.py's quarter end."""

    def __init__(self) -> None:
        self.sent = 0

    async def send(self, mail) -> None:
        self.sent += 1

    async def send_batch(self, mails) -> list:
        self.sent += len(mails)
        return [None] * len(mails)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def wrapped(stream: str, version: int, payload, moment: datetime) -> tuple[Event, bytes]:
    """The event as the consumer hands it over, and the bytes it arrived as."""
    envelopes, bodies = seal(stream, version, [payload], Cause("bench", str(uuid.uuid4())), moment.astimezone(timezone.utc))
    return Event(envelopes[0], payload), bodies[0].encode() if isinstance(bodies[0], str) else bodies[0]


class Measure:
    """Wall and CPU seconds of a block, optionally under cProfile (top functions to stderr)."""

    def __init__(self, name: str, profile: bool) -> None:
        self.name, self.profile = name, profile

    def __enter__(self) -> "Measure":
        self.profiler = cProfile.Profile() if self.profile else None
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        if self.profiler:
            self.profiler.enable()
        return self

    def __exit__(self, *exc) -> None:
        if self.profiler:
            self.profiler.disable()
        self.wall, self.cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        if self.profiler:
            out = io.StringIO()
            pstats.Stats(self.profiler, stream=out).sort_stats("cumulative").print_stats(30)
            print(f"--- profile of {self.name}\n{out.getvalue()}", file=sys.stderr, flush=True)


async def build(store: SqliteStore, on_plan_events, clock: Clock, built: bool, schedules: bool) -> dict:
    """The installation (`built`: it is in the store already, kept from an earlier run: only the lists are made)."""
    units, agencies = official_directory()
    plans = national_plans(units, 20, 55)
    tasks = [{"task_id": t["task_id"], "plan_id": p["plan_id"], "unit_id": p["unit_id"], "lead": t["lead"], "code": t["code"],
              "content": t["content"], "timing": {"due": t["timing"].get("due"), "recurring": t["timing"]["recurring"]}}
             for p in plans for t in p["tasks"]]  # what the stream needs (the bench's own memory stays small)
    figures = {"units": len(units), "agencies": len(agencies), "plans": len(plans), "tasks": tasks,
               "agency_ids": [a["agency_id"] for a in agencies], "unit_of": {a["agency_id"]: a["unit_id"] for a in agencies}}
    if built:
        return figures
    moment = datetime(2026, 1, 15, tzinfo=LOCAL_TZ)
    found = [wrapped(f"unit-{u['unit_id']}", 1, UnitRegistered(**{k: u[k] for k in ("unit_id", "name", "level", "head_title")},
                                                                parent_id=u.get("parent_id")), moment)[0] for u in units]
    found += [wrapped(f"agency-{a['agency_id']}", 1, AgencyRegistered(**a), moment)[0] for a in agencies]
    for plan in plans:
        found.append(wrapped(f"plan-{plan['plan_id']}", 1, PlanIssued(
            plan_id=plan["plan_id"], unit_id=plan["unit_id"], number=plan["number"], title=plan["title"],
            issued_on=date.fromisoformat(plan["issued_on"]), reporting_schedules=[MONTHLY] if schedules else []), moment)[0])
        for t in plan["tasks"]:
            found.append(wrapped(f"task-{t['task_id']}", 1, TaskAssigned(
                task_id=t["task_id"], plan_id=plan["plan_id"], unit_id=plan["unit_id"], code=t["code"], content=t["content"],
                group=t["group"], lead=t["lead"], support=t["support"], timing=Timing(**t["timing"])), moment)[0])
    del plans
    for i in range(0, len(found), BATCH):
        await on_plan_events(found[i:i + BATCH])
    async with store.transaction():
        for u in units:
            await put_contact(store, Responsibility.unit_head, u["unit_id"], ContactDetails(email=f"ct-{u['unit_id']}@example.vn"), clock.now(), [])
        for a in agencies:
            await put_contact(store, Responsibility.agency_head, a["agency_id"], ContactDetails(email=f"{a['agency_id']}@example.vn"), clock.now(), [])
    return figures


def month_end(tasks: list[dict], due: date, period: str, share: float, rng: random.Random, moment: datetime) -> list[Event]:
    """The scanner's events at a month end: every task due that day, and a missed period for `share` of the recurring."""
    found = []
    for t in tasks:
        if t["timing"].get("due") == due.isoformat() and not t["timing"]["recurring"]:
            found.append(wrapped(f"task-{t['task_id']}", 90, DeadlineMissed(
                task_id=t["task_id"], plan_id=t["plan_id"], unit_id=t["unit_id"], lead=t["lead"], due=due, code=t["code"],
                content=t["content"]), moment)[0])
        elif t["timing"]["recurring"] and rng.random() < share:
            found.append(wrapped(f"task-{t['task_id']}", 90, DeadlineMissed(
                task_id=t["task_id"], plan_id=t["plan_id"], unit_id=t["unit_id"], lead=t["lead"], due=due, code=t["code"],
                content=t["content"], kind=MissKind.period, period=period), moment)[0])
    return found


def status_reports(tasks: list[dict], count: int, period: str, late: str, rng: random.Random, moment: datetime) -> list[tuple[Event, bytes]]:
    found = []
    for n in range(count):
        t = rng.choice(tasks)
        recurring = t["timing"]["recurring"]
        found.append(wrapped(f"task-{t['task_id']}", 100 + n, StatusReported(
            task_id=t["task_id"], agency_id=t["lead"], status=TaskStatus.in_progress, progress=rng.randrange(0, 100),
            summary="Đã triển khai theo kế hoạch", period=(late if rng.random() < 0.1 else period) if recurring else None), moment))
    return found


def periodic_reports(agency_ids: list[str], unit_of: dict[str, str], period: str, count: int, rng: random.Random, moment: datetime) -> list[Event]:
    found = []
    for agency_id in rng.sample(agency_ids, count):
        plan_id = f"{unit_of[agency_id]}.kh26"
        found.append(wrapped(f"report-{agency_id}-{period}", 1, PeriodicReportSubmitted(
            report_id=f"{plan_id}:{MONTHLY.schedule_id}:{period}:agency:{agency_id}", plan_id=plan_id, schedule_id=MONTHLY.schedule_id,
            period=period, unit_id=unit_of[agency_id], agency_id=agency_id, reporter=f"agency:{agency_id}",
            submitted_on=moment.date()), moment)[0])
    return found


async def feed(on_task_events, events: list[Event]) -> None:
    for i in range(0, len(events), BATCH):
        await on_task_events(events[i:i + BATCH])


async def soak(loop: EscalationLoop, on_task_events, clock: Clock, tasks: list[dict], minutes: float, rng: random.Random) -> dict:
    """The loop runs as in the service; ≈ 100 StatusReported a second arrive, a simulated day passes every 6 s and each
    month end brings its misses. RSS and CPU sampled every 15 s."""
    clock.set(datetime(2027, 1, 20, 9, 0, tzinfo=LOCAL_TZ), speed=86_400 / 6)
    runner = asyncio.create_task(loop.run())
    samples, started, cpu0 = [], time.perf_counter(), time.process_time()
    next_sample, month, sent = started, clock.now().strftime("%Y-%m"), 0
    try:
        while (elapsed := time.perf_counter() - started) < minutes * 60:
            now = clock.now()
            if now.strftime("%Y-%m") != month:  # a month end passed: its misses arrive
                last = (now.replace(day=1) - timedelta(days=1)).date()
                await feed(on_task_events, month_end(tasks, last, month, 0.15, rng, now))
                month = now.strftime("%Y-%m")
            batch = status_reports(tasks, 100, month, (now.replace(day=1) - timedelta(days=1)).strftime("%Y-%m"), rng, now)
            await on_task_events([e for e, _ in batch])
            sent += len(batch)
            if time.perf_counter() >= next_sample:
                samples.append({"s": round(elapsed), "rss_mb": rss_mb(), "cpu_s": round(time.process_time() - cpu0, 1),
                                "simulated": now.date().isoformat(), "passes": dict(loop.passes)})
                print(f"soak {samples[-1]}", file=sys.stderr, flush=True)
                next_sample += 15
            await asyncio.sleep(max(0.0, started + sent / 100 - time.perf_counter()))  # ≈ 100 a second
    finally:
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu0
    rss = [s["rss_mb"] for s in samples]
    return {"soak_seconds": round(wall), "soak_cpu_seconds": round(cpu, 1), "soak_cpu_percent_of_a_core": round(100 * cpu / wall, 1),
            "soak_status_reported": sent, "soak_rss_mb_first_last_max": [rss[0], rss[-1], max(rss)] if rss else None,
            "soak_passes": dict(loop.passes), "soak_samples": samples}


async def national(reports: int, idle: float, soak_minutes: float, profile: bool, keep: str | None = None, schedules: bool = True) -> dict:
    """`keep`: a folder holding the installation built by an earlier run (built there the first time); each run works
    on a copy of it."""
    folder = tempfile.mkdtemp(prefix="tiendo-bench-notify-national-")
    rng, figures = random.Random(11), {}
    kept = Path(keep) / f"notify-national{'' if schedules else '-no-schedules'}.sqlite3" if keep else None
    if kept and kept.exists():
        shutil.copyfile(kept, Path(folder) / "notify.sqlite3")
    store = SqliteStore(Path(folder) / "notify.sqlite3", INDEXES)
    clock = Clock(START)
    log = EventLog(store, clock)
    handlers: dict[str, object] = {}
    loop_box: list[EscalationLoop] = []
    rt = SimpleNamespace(store=store, events=log, clock=clock, settings=SimpleNamespace(weekends_off=True), run_loop=lambda loop: None,
                         subscribe_events=lambda topics, name, apply, **_: handlers.__setitem__(name, apply))
    consumers.register(rt, on_news=lambda: loop_box and loop_box[0].wake())
    on_plan_events, on_task_events = handlers["notify.directory"], handlers["notify.escalations"]
    started = time.perf_counter()
    built = await build(store, on_plan_events, clock, bool(kept and kept.exists()), schedules)
    tasks = built.pop("tasks")
    if kept and not kept.exists():
        kept.parent.mkdir(parents=True, exist_ok=True)
        await store.close()
        shutil.copyfile(Path(folder) / "notify.sqlite3", kept)
        store = rt.store = log.store = SqliteStore(Path(folder) / "notify.sqlite3", INDEXES)
    print(f"set up in {time.perf_counter() - started:.0f} s: {built['units']} units, {built['agencies']} agencies, {len(tasks)} tasks",
          file=sys.stderr, flush=True)
    defaults = {name: f.default for name, f in NotifySettings.model_fields.items()}
    config = DispatchConfig("bench-secret", "http://127.0.0.1:8004", Timers(timedelta(seconds=30), timedelta(minutes=5)), 14, load_calendar())
    mailer = NullMailer()
    loop = EscalationLoop(rt, mailer, None, config, SendConfig("bench-secret"), defaults["delivery_poll_seconds"], defaults["scan_seconds"])
    loop_box.append(loop)
    gc.collect()
    load_before = os.getloadavg()
    figures |= {"monthly_reports_required": schedules, "units": built["units"], "agencies": built["agencies"], "plans": built["plans"], "tasks": len(tasks), "rss_mb_after_set_up": rss_mb()}

    with Measure("first pass", profile) as m:  # what a start does before the loop sleeps (nothing open yet)
        await loop.run_due()
    figures |= {"first_pass_seconds": round(m.wall, 2), "first_pass_cpu_seconds": round(m.cpu, 2)}

    clock.set(datetime(2027, 1, 1, 0, 5, tzinfo=LOCAL_TZ))
    missed = month_end(tasks, date(2026, 12, 31), "2026-12", 0.15, rng, clock.now())
    with Measure("month end intake", profile) as m:
        await feed(on_task_events, missed)
    figures |= {"month_end_deadline_missed": len(missed), "month_end_intake_cpu_seconds": round(m.cpu, 2), "month_end_intake_seconds": round(m.wall, 2)}
    clock.set(datetime(2027, 1, 2, 9, 0, tzinfo=LOCAL_TZ))
    with Measure("full pass after the month end", profile) as m:
        first = await loop.run_once()
        clock.set(datetime(2027, 1, 2, 9, 1, tzinfo=LOCAL_TZ))
        second = await loop.run_once()
    figures |= {"month_end_passes_seconds": round(m.wall, 2), "month_end_passes_cpu_seconds": round(m.cpu, 2),
                "digests_composed": len(first.digests) + len(second.digests), "rss_mb_after_month_end": rss_mb()}
    clock.set(datetime(2027, 1, 4, 9, 0, tzinfo=LOCAL_TZ))  # Monday: the first working day after a weekend routes every item
    before = dict(loop.passes)
    with Measure("pass over every item, nothing new", profile) as m:
        await loop.run_once()
    figures |= {"every_item_pass_seconds": round(m.wall, 2), "every_item_pass_cpu_seconds": round(m.cpu, 2),
                "every_item_pass_items_routed": loop.passes.get("items_routed", 0) - before.get("items_routed", 0)}
    with Measure("raw: every open item's view read", False) as raw:
        open_views = len(await store.find("items", open=True))
    figures |= {"open_items": open_views, "raw_read_open_views_cpu_seconds": round(raw.cpu, 2)}
    clock.set(datetime(2027, 1, 5, 9, 0, tzinfo=LOCAL_TZ))  # Tuesday: nothing climbs, nothing received
    before = dict(loop.passes)
    with Measure("full pass, nothing new", profile) as m:
        quiet = await loop.run_once()
    figures |= {"quiet_full_pass_seconds": round(m.wall, 2), "quiet_full_pass_cpu_seconds": round(m.cpu, 2),
                "quiet_pass_items_routed": loop.passes.get("items_routed", 0) - before.get("items_routed", 0),
                "quiet_pass_recipients_decided": loop.passes.get("recipients_decided", 0) - before.get("recipients_decided", 0),
                "quiet_pass_digests": len(quiet.digests)}
    clock.set(datetime(2027, 1, 5, 15, 0, tzinfo=LOCAL_TZ))  # the same afternoon: nothing new since the morning's digests
    before = dict(loop.passes)
    with Measure("pass, nothing new since the last", profile) as m:
        await loop.run_once()
    figures |= {"nothing_new_pass_cpu_seconds": round(m.cpu, 2), "nothing_new_pass_seconds": round(m.wall, 2),
                "nothing_new_pass_items_routed": loop.passes.get("items_routed", 0) - before.get("items_routed", 0)}
    one = next(t for t in tasks if not t["timing"]["recurring"] and (t["timing"].get("due") or "") > "2027-01-05")
    clock.set(datetime(2027, 1, 5, 15, 5, tzinfo=LOCAL_TZ))
    await on_task_events([wrapped(f"task-{one['task_id']}", 90, DeadlineMissed(  # (as if its due date had been moved earlier)
        task_id=one["task_id"], plan_id=one["plan_id"], unit_id=one["unit_id"], lead=one["lead"], due=date(2027, 1, 4), code=one["code"],
        content=one["content"]), clock.now())[0]])
    before = dict(loop.passes)
    with Measure("pass after one new item", profile) as m:
        await loop.run_once()
    figures |= {"one_new_item_pass_cpu_seconds": round(m.cpu, 2), "one_new_item_pass_seconds": round(m.wall, 2),
                "one_new_item_pass_items_routed": loop.passes.get("items_routed", 0) - before.get("items_routed", 0),
                "one_new_item_pass_recipients_decided": loop.passes.get("recipients_decided", 0) - before.get("recipients_decided", 0)}

    loop._woken.clear()  # (the month end's news was looked at by the passes above)
    stream = status_reports(tasks, reports, "2027-01", "2026-12", rng, clock.now())
    with Measure("raw decode", False) as raw:
        for _, body in stream:
            parse_event(body)
    with Measure("status reports", profile) as m:
        await feed(on_task_events, [e for e, _ in stream])
    per10k = 10_000 / max(1, reports)
    figures |= {"status_reported": reports, "status_reported_cpu_seconds_per_10k": round(m.cpu * per10k, 2),
                "status_reported_seconds_per_10k": round(m.wall * per10k, 2),
                "raw_decode_same_events_cpu_seconds_per_10k": round(raw.cpu * per10k, 2),
                "loop_woken_by_reports": loop._woken.is_set(), "rss_mb_after_reports": rss_mb()}
    del stream
    submitted = [] if not schedules else periodic_reports(built["agency_ids"], built["unit_of"], "2026-12", 5000, rng, clock.now())
    with Measure("periodic reports", profile) as m:
        await feed(on_task_events, submitted)
    figures |= {"periodic_reports": len(submitted), "periodic_reports_cpu_seconds": round(m.cpu, 2)}
    clock.set(datetime(2027, 1, 6, 9, 0, tzinfo=LOCAL_TZ))
    with Measure("full pass after reports", profile) as m:
        await loop.run_once()
    figures |= {"full_pass_seconds": round(m.wall, 2), "full_pass_cpu_seconds": round(m.cpu, 2), "rss_mb_after_passes": rss_mb(),
                "passes_so_far": dict(loop.passes)}

    with Measure("restart", profile) as m:  # a new process on this store: open it, then the loop's first look
        await store.close()
        store = rt.store = log.store = SqliteStore(Path(folder) / "notify.sqlite3", INDEXES)
        opened = time.perf_counter() - m.wall
        loop = EscalationLoop(rt, mailer, None, config, SendConfig("bench-secret"), defaults["delivery_poll_seconds"], defaults["scan_seconds"])
        loop_box[0] = loop
        await loop.run_due()
    figures |= {"restart_open_store_seconds": round(opened, 2), "restart_first_look_seconds": round(m.wall, 2),
                "restart_first_look_cpu_seconds": round(m.cpu, 2), "rss_mb_after_restart": rss_mb()}
    if idle:
        clock.set(datetime(2027, 1, 6, 10, 0, tzinfo=LOCAL_TZ), speed=1.0)
        runner = asyncio.create_task(loop.run())
        await asyncio.sleep(2)  # its first look (not idle yet)
        with Measure("idle", profile) as m:
            await asyncio.sleep(idle)
        runner.cancel()
        await asyncio.gather(runner, return_exceptions=True)
        figures |= {"idle_seconds": round(m.wall, 1), "idle_cpu_seconds": round(m.cpu, 2), "idle_cpu_percent_of_a_core": round(100 * m.cpu / m.wall, 2)}
    if soak_minutes:
        figures |= await soak(loop, on_task_events, clock, tasks, soak_minutes, rng)
    figures |= {"composed_and_handed_to_the_mailer": mailer.sent, "load_average_before": [round(x, 2) for x in load_before],
                "load_average_after": [round(x, 2) for x in os.getloadavg()],
                "machine": f"{platform.machine()} {len(os.sched_getaffinity(0))} cores", "python": platform.python_version(),
                "date": datetime.now(timezone.utc).date().isoformat(), "store": folder}
    await store.close()
    return figures


async def passes_on(path: str, days: int = 8) -> dict:
    """What notify's process holds for its passes alone, with none of this bench's set-up lists: a fresh process opens
    a copy of a store left by `national()` (the soak's final store) and runs the loop's first look, then a pass each
    morning for `days` days (the weekly repeat comes back in them). RSS and CPU seconds after each."""
    folder = tempfile.mkdtemp(prefix="tiendo-bench-notify-passes-")
    shutil.copyfile(path, Path(folder) / "notify.sqlite3")
    figures = {"rss_mb_after_imports": rss_mb(), "load_average_before": [round(x, 2) for x in os.getloadavg()]}
    store = SqliteStore(Path(folder) / "notify.sqlite3", INDEXES)
    clock = Clock(datetime(2027, 5, 3, 9, 0, tzinfo=LOCAL_TZ))  # after the soak's last simulated day (10 minutes reach late April)
    rt = SimpleNamespace(store=store, events=EventLog(store, clock), clock=clock, settings=SimpleNamespace(weekends_off=True))
    defaults = {name: f.default for name, f in NotifySettings.model_fields.items()}
    config = DispatchConfig("bench-secret", "http://127.0.0.1:8004", Timers(timedelta(seconds=30), timedelta(minutes=5)), 14, load_calendar())
    loop = EscalationLoop(rt, NullMailer(), None, config, SendConfig("bench-secret"), defaults["delivery_poll_seconds"], defaults["scan_seconds"])
    with Measure("first look", False) as m:
        await loop.run_due()
    figures["first_look"] = {"cpu_s": round(m.cpu, 2), "wall_s": round(m.wall, 2), "rss_mb": rss_mb()}
    figures["open_items"] = len(await store.find("items", open=True))
    gc.collect()
    passes = []
    for day in range(days):
        clock.set(datetime(2027, 5, 4, 9, 0, tzinfo=LOCAL_TZ) + timedelta(days=day))
        with Measure("pass", False) as m:
            done = await loop.run_once()
        passes.append({"day": clock.now().date().isoformat(), "digests": len(done.digests), "cpu_s": round(m.cpu, 2),
                       "wall_s": round(m.wall, 2), "rss_mb": rss_mb()})
        print(f"pass {passes[-1]}", file=sys.stderr, flush=True)
    await store.close()
    shutil.rmtree(folder, ignore_errors=True)
    return figures | {"passes": passes, "rss_mb_max": max(p["rss_mb"] for p in passes),
                      "load_average_after": [round(x, 2) for x in os.getloadavg()], "date": datetime.now(timezone.utc).isoformat(timespec="minutes")}

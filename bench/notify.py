"""A quarter end for notify: N tasks fall due at the same instant; one digest per recipient reaches a local SMTP server.

    .venv/bin/python bench/notify.py [--tasks 100000] [--communes 100] [--agencies 10] [--idle 60] [--intake-only]
    .venv/bin/python bench/notify.py --national [--reports 20000] [--idle 60] [--soak-minutes 12] [--profile]

--national: notify at national size in this process (bench/notify_national.py): the official directory (3,355
units, 33,550 agencies, a contact for every head), 3,355 plans with a monthly report, 68,290 tasks (the soak's
installation); then a stream like the soak's (StatusReported mostly, a month end's DeadlineMissed and missed
periods, periodic reports) through notify's real consumer, its loop's passes, its idle CPU and its RSS over time.

With --idle S, after the digests went out, notify's escalation loop runs as the service runs it (`run()`, on a
clock moving with real time) for S seconds with nothing new arriving: the CPU it uses then is its idle cost.

notify's handlers on a SQLite store in a temporary folder (as in the embedded run), its real SmtpMailer, and a
local aiosmtpd server counting what it receives. Beside it, in the same run and against the same server, the raw
SMTP send rate: one connection per message (what notify did before) and one connection for a batch. Prints JSON.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timezone
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace

import aiosmtplib
from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.catalog import Event  # noqa: E402
from schemas.directory import AgencyRegistered, HeadContact, UnitRegistered  # noqa: E402
from schemas.notify import Responsibility  # noqa: E402
from schemas.plans import PlanIssued, TaskAssigned, Timing  # noqa: E402
from schemas.tasks import DeadlineMissed  # noqa: E402
from services.notify.adapters.mailer import SmtpMailer  # noqa: E402
from services.notify.bootstrap import load_calendar  # noqa: E402
from services.notify.domain.grouping import Timers  # noqa: E402
from services.notify.entrypoints.loop import EscalationLoop  # noqa: E402
from services.notify.handlers.contacts import ContactDetails, put_contact  # noqa: E402
from services.notify.handlers.directory import learn_directory  # noqa: E402
from services.notify.handlers.dispatch import DispatchConfig  # noqa: E402
from services.notify.handlers.intake import start_items  # noqa: E402
from services.notify.handlers.repository import INDEXES  # noqa: E402
from services.notify.handlers.send import SendConfig  # noqa: E402
from services.notify.settings import NotifySettings  # noqa: E402
from services.runtime.broker import free_port  # noqa: E402
from services.runtime.clock import LOCAL_TZ, ManualClock, timedelta  # noqa: E402
from services.runtime.entry import tune_collector  # noqa: E402
from services.runtime.eventlog import EventLog  # noqa: E402
from services.runtime.events import Cause, envelop  # noqa: E402
from services.runtime.sqlite_store import SqliteStore  # noqa: E402

DUE = date(2026, 9, 30)  # a quarter end (Wednesday); DeadlineMissed on Thursday 1 October
BATCH = 2000  # events per consumer batch, as the Kafka consumer hands them over


class MovingClock:
    """The service clock: starts at `start` and moves on with real time (the loop's idle sleeps are real)."""

    def __init__(self, start: datetime) -> None:
        self.start, self.at = start, time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.at)

    def advance(self, delta: timedelta) -> None:
        self.start += delta


async def idle_cost(loop: EscalationLoop, seconds: float) -> dict:
    """CPU seconds the loop uses per wall second while nothing arrives (process CPU: this process runs only notify)."""
    runner = asyncio.create_task(loop.run())
    await asyncio.sleep(1)  # its first look after the digests (not idle yet)
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.sleep(seconds)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    runner.cancel()
    await asyncio.gather(runner, return_exceptions=True)
    return {"idle_seconds": round(wall, 1), "idle_cpu_seconds": round(cpu, 2), "idle_cpu_percent_of_a_core": round(100 * cpu / wall, 2)}


class Counter:
    def __init__(self) -> None:
        self.received, self.last_at = 0, 0.0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.received += 1
        self.last_at = time.perf_counter()  # when the server accepted the last message
        return "250 OK"


def events(stream: str, *payloads):
    """What the consumer hands notify: envelope and parsed payload (made directly; the consumer's parsing is not measured)."""
    return [Event(e, p) for e, p in zip(envelop(stream, 0, payloads, Cause("bench", str(uuid.uuid4())),
                                                 datetime(2026, 9, 1, tzinfo=timezone.utc)), payloads)]


def directory(communes: int, agencies: int) -> tuple[list, list[str]]:
    found = events("unit-p", UnitRegistered(unit_id="p", name="Tỉnh Bench", level="province"))
    found += events("agency-ca-p", AgencyRegistered(agency_id="ca-p", unit_id="p", name="Công an tỉnh", head_title="Giám đốc", standing_body=True))
    leads = []
    for c in range(communes):
        found += events(f"unit-x{c}", UnitRegistered(unit_id=f"x{c}", name=f"Xã {c}", level="commune", parent_id="p"))
        for a in range(agencies):
            agency_id = f"a{c}-{a}"
            found += events(f"agency-{agency_id}", AgencyRegistered(agency_id=agency_id, unit_id=f"x{c}", name=f"Cơ quan {a} xã {c}",
                                                                    head_title="Thủ trưởng", head_name=f"Nguyễn Văn {c}-{a}", standing_body=a == 0))
            leads.append(agency_id)
    found += events("plan-q", PlanIssued(plan_id="q", unit_id="p", number="99/KH-UBND", title="Kế hoạch bench"))
    return found, leads


async def raw_rate(port: int, count: int, reuse: bool) -> float:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "bench@localhost", "x@example.vn", "[tiendo] thử"
    message.set_content("Kính gửi: thử nghiệm tốc độ gửi thư.\n" * 20)
    started = time.perf_counter()
    if reuse:
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False)
        await client.connect()
        for _ in range(count):
            await client.send_message(message)
        await client.quit()
    else:
        for _ in range(count):
            await aiosmtplib.send(message, hostname="127.0.0.1", port=port, start_tls=False)
    return count / (time.perf_counter() - started)


async def main(tasks: int, communes: int, agencies: int, raw: int, idle: float, intake_only: bool = False) -> dict:
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=free_port())
    controller.start()
    folder = tempfile.mkdtemp(prefix="tiendo-bench-notify-")
    try:
        store = SqliteStore(Path(folder) / "notify.sqlite3", INDEXES)
        clock = MovingClock(datetime(2026, 10, 1, 0, 5, tzinfo=LOCAL_TZ)) if idle else ManualClock(datetime(2026, 10, 1, 0, 5, tzinfo=LOCAL_TZ))
        log = EventLog(store, clock)
        found, leads = directory(communes, agencies)
        await learn_directory(found, store)
        for owner in ["p", *(f"x{c}" for c in range(communes))]:
            await put_contact(store, Responsibility.unit_head, owner, ContactDetails(email=f"ct-{owner}@example.vn"), clock.now(), [])
        for owner in ["ca-p", *leads]:
            await put_contact(store, Responsibility.agency_head, owner, ContactDetails(email=f"{owner}@example.vn"), clock.now(), [])
        assigned = [e for n in range(tasks) for e in events(f"task-t{n}", TaskAssigned(
            task_id=f"t{n}", plan_id="q", unit_id="p", lead=leads[n % len(leads)], code=f"{n}", content=f"Nhiệm vụ số {n}",
            timing=Timing(due=DUE)))]
        for i in range(0, len(assigned), BATCH):
            await learn_directory(assigned[i:i + BATCH], store)
        missed = [e for n in range(tasks) for e in events(f"task-t{n}", DeadlineMissed(
            task_id=f"t{n}", plan_id="q", unit_id=f"x{(n % len(leads)) // agencies}", lead=leads[n % len(leads)], due=DUE,
            content=f"Nhiệm vụ số {n}"))]

        print(f"set up: {len(missed)} DeadlineMissed ready", file=sys.stderr, flush=True)
        tune_collector()  # as a service's process does after start-up (services/runtime/entry.py)
        load_before = os.getloadavg()
        started, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(missed), BATCH):
            await start_items(missed[i:i + BATCH], store, log, clock)
        intake, intake_cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"intake of {tasks} DeadlineMissed: {intake:.1f} s ({intake_cpu:.1f} CPU-s)", file=sys.stderr, flush=True)
        if intake_only:  # the escalations' start alone, per item (the digests are another matter)
            return {"tasks_due_at_once": tasks, "communes": communes, "agencies_per_commune": agencies, "intake_seconds": round(intake, 2),
                    "intake_cpu_seconds": round(intake_cpu, 2), "intake_cpu_us_per_item": round(intake_cpu / tasks * 1e6),
                    "load_average_before": [round(x, 2) for x in load_before], "load_average_after": [round(x, 2) for x in os.getloadavg()],
                    "machine": f"{platform.machine()} {len(os.sched_getaffinity(0))} cores", "python": platform.python_version(),
                    "date": datetime.now(timezone.utc).date().isoformat()}

        defaults = {name: f.default for name, f in NotifySettings.model_fields.items()}  # the service's poll and scan periods
        config = DispatchConfig("bench-secret", "http://127.0.0.1:8004", Timers(timedelta(seconds=30), timedelta(minutes=5)), 14, load_calendar())
        loop = EscalationLoop(SimpleNamespace(store=store, events=log, clock=clock), SmtpMailer("127.0.0.1", controller.port, "tiendo@localhost"),
                              None, config, SendConfig("bench-secret"), defaults["delivery_poll_seconds"], defaults["scan_seconds"])
        started, cpu = time.perf_counter(), time.process_time()
        await loop.run_once()  # news opens the group wait
        clock.advance(timedelta(seconds=30))
        result = await loop.run_once()  # digests composed and sent
        digest_seconds, digest_cpu = (counter.last_at or time.perf_counter()) - started, time.process_time() - cpu  # to the last digest accepted
        recipients = len(result.digests)
        print(f"{recipients} digests composed and sent in {digest_seconds:.1f} s ({digest_cpu:.1f} CPU-s)", file=sys.stderr, flush=True)
        received = counter.received  # the digests (read before the idle loop and the raw rates send more)
        load_after = os.getloadavg()
        clock.advance(timedelta(days=1))  # Friday morning: nothing climbs, nothing repeats, nothing arrives
        started, cpu, before = time.perf_counter(), time.process_time(), dict(loop.passes)
        quiet = await loop.run_once()
        quiet_figures = {"next_day_pass_seconds": round(time.perf_counter() - started, 2), "next_day_pass_cpu_seconds": round(time.process_time() - cpu, 2),
                         "next_day_pass_items_routed": loop.passes.get("items_routed", 0) - before.get("items_routed", 0),
                         "next_day_pass_digests": len(quiet.digests), "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
        print(f"next day's pass: {quiet_figures}", file=sys.stderr, flush=True)
        idle_figures = await idle_cost(loop, idle) if idle else {}
        idle_figures |= {"sent_while_idle": counter.received - received} if idle else {}
        raw_new = await raw_rate(controller.port, raw, reuse=False)
        raw_reused = await raw_rate(controller.port, raw, reuse=True)
        return {
            "tasks_due_at_once": tasks, "communes": communes, "agencies_per_commune": agencies,
            "intake_seconds": round(intake, 1), "intake_cpu_seconds": round(intake_cpu, 1), "intake_per_s": round(tasks / intake),
            "digests": recipients, "digest_seconds": round(digest_seconds, 1), "digest_cpu_seconds": round(digest_cpu, 1),
            "digests_received_by_smtp": received,
            "first_deadline_missed_to_last_digest_accepted_seconds": round(intake + digest_seconds, 1),
            "digest_send": {"delivered": result.sent.delivered, "failed": result.sent.failed},
            "raw_smtp_new_connection_per_message_per_s": round(raw_new), "raw_smtp_one_connection_per_s": round(raw_reused),
            "intake_within_60_s": intake < 60, "within_5_minutes": digest_seconds + intake < 300, **quiet_figures, **idle_figures,
            "load_average_before": [round(x, 2) for x in load_before], "load_average_after": [round(x, 2) for x in load_after],
            "machine": f"{platform.machine()} {len(os.sched_getaffinity(0))} cores", "python": platform.python_version(),
            "date": datetime.now(timezone.utc).date().isoformat(),
        }
    finally:
        controller.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--agencies", type=int, default=10)
    parser.add_argument("--raw", type=int, default=2000, help="messages for the raw SMTP rates")
    parser.add_argument("--idle", type=float, default=0, help="seconds of idle loop to measure after the digests (0: none)")
    parser.add_argument("--intake-only", action="store_true", help="stop after the intake of the DeadlineMissed (CPU per item)")
    parser.add_argument("--national", action="store_true", help="notify at national size (bench/notify_national.py)")
    parser.add_argument("--reports", type=int, default=20_000, help="--national: StatusReported to measure")
    parser.add_argument("--soak-minutes", type=float, default=0, help="--national: minutes of the soak-like stream, RSS sampled")
    parser.add_argument("--profile", action="store_true", help="--national: cProfile's top functions of each phase on stderr")
    parser.add_argument("--no-schedules", action="store_true", help="--national: plans without a monthly report (as in the soak)")
    parser.add_argument("--keep", default=None, help="--national: a folder keeping the built installation for the next runs")
    parser.add_argument("--passes-on", default=None, help="a store left by --national: a fresh process runs the loop's passes on a copy")
    args = parser.parse_args()
    if args.passes_on:
        from notify_national import passes_on
        print(json.dumps(asyncio.run(passes_on(args.passes_on)), indent=2))
        raise SystemExit(0)
    if args.national:
        from notify_national import national
        print(json.dumps(asyncio.run(national(args.reports, args.idle, args.soak_minutes, args.profile, args.keep, not args.no_schedules)), indent=2))
        raise SystemExit(0)
    print(json.dumps(asyncio.run(main(args.tasks, args.communes, args.agencies, args.raw, args.idle, args.intake_only)), indent=2))

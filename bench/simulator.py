"""A simulator of agency systems driving a running tiendo (the embedded run by default).

The shared clock (var/clock.txt, a FileClock every service reads) moves one simulated day per
`--day-seconds` real seconds. Each lead agency gets a behaviour from the profile: it reports on
time (its tasks done a few days before their due date), late (done 1-20 days after), or never;
on report days (the 15th, monthly) every reporting agency sends progress on all its open tasks in
a burst before 17:00. Each agency has a channel: HTTP batches (POST /status-reports), the command
topic (ReportStatus messages with its credential), or single requests. DeadlineMissed and
escalations follow from the services' own rules as the days pass.

Usage: python bench/simulator.py --var var [--port-offset N] --from 2026-03-01 --days 60 [--day-seconds 5]
       [--profile on_time=0.6,late=0.3,never=0.1] [--channels http=0.6,topic=0.2,single=0.2]
Prints one JSON object of what was sent.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sqlite3
import time
import uuid
import zlib
from collections import Counter
from datetime import date, datetime, time as clock_time, timedelta, timezone
from pathlib import Path

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from schemas.catalog import TASKS_COMMANDS, TASKS_REPLIES
from schemas.tasks import MAX_REPORTS_PER_REQUEST
from services.embedded.processes import Layout
from services.runtime.clock import LOCAL_TZ, FileClock
from services.runtime.auth.secret import read_secret
from services.runtime.credentials import issue_token



def simulated_key(layout: Layout, role: str, subject: str) -> str:
    """A key valid over the simulated time too (the shared clock runs ahead of the real one)."""
    now = datetime.now(timezone.utc)
    return issue_token(read_secret(layout.secret_file), role, subject, now=now - timedelta(days=1), valid_for=timedelta(days=1000))[0]


def weighted(spec: str) -> list[tuple[str, float]]:
    return [(k, float(v)) for k, v in (part.split("=") for part in spec.split(","))]


def pick(rng: random.Random, shares: list[tuple[str, float]]) -> str:
    return rng.choices([k for k, _ in shares], [w for _, w in shares])[0]


Task = tuple[str, date | None, bool]  # task id, due date, recurring


def agencies_and_tasks(tasks_db: Path) -> dict[str, list[Task]]:
    with sqlite3.connect(f"file:{tasks_db}?mode=ro", uri=True, timeout=30) as conn:
        rows = conn.execute("SELECT id, json_extract(body, '$.lead'), json_extract(body, '$.due'), json_extract(body, '$.recurring') "
                            "FROM doc_tasks WHERE json_extract(body, '$.open')")
        by_lead: dict[str, list[Task]] = {}
        for task_id, lead, due, recurring in rows:
            by_lead.setdefault(lead, []).append((task_id, date.fromisoformat(due) if due else None, bool(recurring)))
    return by_lead


def outcome(status: int, title: str | None, detail: str | None = None) -> str:
    """How an answer is counted: "accepted", or "refused <status> <title>: <detail>" (quoted ids and dates left out, so
    that one reason counts as one)."""
    if status < 300:
        return "accepted"
    reason = re.sub(r"'[^']*'|\d{4}-\d{2}-\d{2}", "…", detail or "")
    return f"refused {status} {title or ''}" + (f": {reason}" if reason else "")


class Agencies:
    def __init__(self, layout: Layout, http: httpx.AsyncClient, producer: AIOKafkaProducer, channels: dict[str, str]) -> None:
        self.layout, self.http, self.producer, self.channels = layout, http, producer, channels
        self.sent: Counter = Counter()
        self.refused: Counter = Counter()
        self.retried: Counter = Counter()  # requests sent again after a lost connection (list: a batch, dict: one report)
        self.sent_by_status: Counter = Counter()  # reports sent, by the status they report ("done", "in_progress")
        self.keys: dict[str, str] = {}
        # (channel, status reported, outcome) -> reports: each item of an HTTP batch by its own answer, each command by
        # its reply on the reply topic (read at the end: `read_replies`)
        self.outcomes: Counter = Counter()
        self.commands: dict[str, str] = {}  # command id -> status reported, until its reply is read

    async def report(self, agency: str, items: list[dict]) -> None:
        token, channel = self.keys.get(agency) or simulated_key(self.layout, "agency", agency), self.channels[agency]
        self.keys[agency] = token
        if channel == "http":
            for i in range(0, len(items), MAX_REPORTS_PER_REQUEST):
                batch = items[i : i + MAX_REPORTS_PER_REQUEST]
                answer = await self.post(f"{self.layout.url('tasks')}/status-reports", batch, token)
                self.refused["http"] += answer.status_code >= 300  # the whole batch (an item refused alone is in `outcomes`)
                results = answer.json()["results"] if answer.status_code < 300 else [{"status": answer.status_code, "title": "batch refused"}] * len(batch)
                for item, result in zip(batch, results):
                    self.outcomes["http", item["status"], outcome(result["status"], result.get("title"), result.get("detail"))] += 1
        elif channel == "topic":
            for item in items:
                message = {**item, "command_id": str(uuid.uuid4()), "token": token}
                self.commands[message["command_id"]] = item["status"]
                await self.producer.send(TASKS_COMMANDS, json.dumps(message).encode(), key=message["command_id"].encode())
        else:
            for item in items:
                body = {k: v for k, v in item.items() if k != "task_id"}
                answer = await self.post(f"{self.layout.url('tasks')}/tasks/{item['task_id']}/status", body, token)
                self.refused["single"] += answer.status_code >= 300
                problem = answer.json() if answer.status_code >= 300 and answer.headers.get("content-type", "").endswith("json") else {}
                self.outcomes["single", item["status"], outcome(answer.status_code, problem.get("title"), problem.get("detail"))] += 1
        self.sent[channel] += len(items)
        for item in items:
            self.sent_by_status[item["status"]] += 1

    async def read_replies(self, timeout: float) -> int:
        """The reply of every command sent (from the reply topic's start), counted in `outcomes`; those not answered
        within `timeout` seconds are counted as "no reply"."""
        consumer = AIOKafkaConsumer(TASKS_REPLIES, bootstrap_servers=self.layout.bootstrap, group_id=None, auto_offset_reset="earliest",
                                    enable_auto_commit=False)
        await consumer.start()
        deadline = time.monotonic() + timeout
        try:
            while self.commands and time.monotonic() < deadline:
                for records in (await consumer.getmany(timeout_ms=1000, max_records=5000)).values():
                    for record in records:
                        reply = json.loads(record.value)
                        status = self.commands.pop(reply.get("command_id"), None)
                        if status is not None:
                            rejection = reply.get("rejection") or {}
                            self.outcomes["topic", status, "accepted" if reply["accepted"] else outcome(rejection.get("status", 400), rejection.get("title"), rejection.get("detail"))] += 1
        finally:
            await consumer.stop()
        for status in self.commands.values():
            self.outcomes["topic", status, "no reply"] += 1
        return len(self.commands)

    async def post(self, url: str, body: object, token: str, tries: int = 4) -> httpx.Response:
        """As an agency system does: an Idempotency-Key on each write, the same request again after a connection lost
        (tasks answers a repeat from its idempotency record and does nothing twice)."""
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())}
        for attempt in range(tries):
            try:
                return await self.http.post(url, json=body, headers=headers)
            except httpx.TransportError:
                if attempt == tries - 1:
                    raise
                self.retried[type(body).__name__] += 1
                await asyncio.sleep(0.5 * (attempt + 1))
        raise AssertionError("unreachable")


def day_reports(tasks: list[Task], behaviour: str, today: date, done: set[str]) -> list[dict]:
    """Today's reports of one agency: "done" on the day it finishes a dated task (on time or late, by its behaviour),
    and progress on its other open tasks on report days. A recurring task ("thường xuyên") is reported period by period
    and never done as a whole (tiendo refuses that: 422), so it only gets progress reports."""
    items = []
    for task_id, due, recurring in tasks:
        if task_id in done or behaviour == "never":
            continue
        spread = zlib.crc32(task_id.encode())  # the same day for a task on every simulated day
        finish = due and not recurring and (due - timedelta(days=spread % 6) if behaviour == "on_time" else due + timedelta(days=1 + spread % 20))
        if finish and finish == today:
            evidence = {"document_number": f"{spread % 900 + 100}/BC-UBND", "document_date": today.isoformat(), "issuer": "Ủy ban nhân dân"}
            items.append({"task_id": task_id, "status": "done", "progress": 100, "summary": "Đã hoàn thành", "evidence": evidence})
            done.add(task_id)
        elif today.day == 15:
            items.append({"task_id": task_id, "status": "in_progress", "progress": min(95, 10 * (today.month % 10) + 5), "summary": "Đang thực hiện"})
    return items


async def at_most(limit: asyncio.Semaphore, work) -> None:
    async with limit:
        await work


async def simulate(args: argparse.Namespace, layout: Layout | None = None, until: float | None = None) -> dict:
    """`layout`: where the system runs (default: the embedded run's, shifted by --port-offset); `until`: a
    time.monotonic() after which no new simulated day starts (the soak's duration)."""
    layout, rng = layout or Layout(var=Path(args.var)).shifted(args.port_offset), random.Random(args.seed)
    by_lead = agencies_and_tasks(layout.var / "tasks.sqlite3")
    behaviour = {a: pick(rng, weighted(args.profile)) for a in sorted(by_lead)}
    channels = {a: pick(rng, weighted(args.channels)) for a in sorted(by_lead)}
    clock, done = FileClock(layout.clock_file), set()
    producer = AIOKafkaProducer(bootstrap_servers=layout.bootstrap, linger_ms=5)
    await producer.start()
    started = time.monotonic()
    try:
        # idle connections closed before the services' keep-alive (5 s) can close them under a request
        async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=8, keepalive_expiry=2)) as http:
            agencies = Agencies(layout, http, producer, channels)
            days_run = 0
            senders = asyncio.Semaphore(16)  # thousands of agencies at once would queue in httpx's pool, which then costs more than the sending
            for n in range(args.days):
                if until is not None and time.monotonic() >= until:
                    break
                today = date.fromisoformat(args.start) + timedelta(days=n)
                clock.set(datetime.combine(today, clock_time(16, 0), LOCAL_TZ))  # the burst before 17:00
                tick = time.monotonic()
                await asyncio.gather(*(at_most(senders, agencies.report(a, items)) for a, tasks in by_lead.items()
                                       if (items := day_reports(tasks, behaviour[a], today, done))))
                await asyncio.sleep(max(0.0, args.day_seconds - (time.monotonic() - tick)))
                days_run += 1
            await producer.flush()
            seconds = time.monotonic() - started
            await agencies.read_replies(args.reply_timeout)
    finally:
        await producer.stop()
    return {"simulated_days": days_run, "agencies": len(by_lead), "behaviour": Counter(behaviour.values()), "channels": Counter(channels.values()),
            "reports_sent": dict(agencies.sent), "reports_sent_by_status": dict(agencies.sent_by_status),
            "outcomes": {" · ".join(key): n for key, n in sorted(agencies.outcomes.items())},
            "requests_refused": dict(agencies.refused), "requests_retried": dict(agencies.retried), "tasks_done": len(done), "seconds": round(seconds, 1)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--var", default="var")
    parser.add_argument("--from", dest="start", default="2026-03-01")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--day-seconds", type=float, default=5.0)
    parser.add_argument("--profile", default="on_time=0.6,late=0.3,never=0.1")
    parser.add_argument("--channels", default="http=0.6,topic=0.2,single=0.2")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--port-offset", type=int, default=0, help="as given to `tiendo run`")
    parser.add_argument("--reply-timeout", type=float, default=120, help="seconds to wait for the replies of the commands sent")
    print(json.dumps(asyncio.run(simulate(parser.parse_args())), indent=2, default=str))

"""Benchmark: the runtime's shared consume path per record, for reporting's and notify's consumer shapes, beside raw consume.

Records as the relays publish them (body = the stored JSON; headers event_type, schema_version, stream_id,
stream_version, traceparent shared by a request's events), in two mixes:
- p1: status reports (a request's 17 share one trace), a completion every 20th, each on a task stream of its own
  version;
- p3: a quarter end: DeadlineMissed (missed periods and dated tasks) on tasks' topic, and for each an EscalationStarted
  (the frozen default policy of a commune) and an EscalationRaised on notify's topic.
Two consumer shapes, each applying nothing (so only the runtime is measured), checkpoints in SQLite:
- reporting: its one atomic consumer of plans', tasks' and notify's topics, every type, and the revocations consumer
  every service has (plans' topic, CredentialRevoked);
- notify: its directory consumer (plans' topic), its escalations consumer (tasks' topic, the types it declares, status
  reports declined by their headers as notify's declines those of a task with no open period item) and the revocations
  consumer.
In process (no broker, default): the records handed to a SharedSubscription in batches of --batch, as the bus does; CPU
µs per record (process CPU, the bench's own work excluded). With --broker: the records published to a fresh bundled
broker, read by a plain aiokafka consumer (raw), then through the Bus (faststream's subscriber, fetch, subscription,
checkpoints, offset commits) for each shape; CPU µs per record of each beside raw, in the same run.
With --decode: per event type of both mixes, the decode beside its alternatives (the typed envelope's validator alone,
strict, pydantic's string cache on keys or off, parse_event, pydantic-core's JSON parse alone).
Prints one JSON object. Usage: python bench/consume_path.py [--records 20000] [--mix p1,p3] [--broker] [--rounds 2] [--decode]
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import signal
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timezone
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from reporting_consumer import Record  # a fetched record as the subscription reads it
from schemas.catalog import NOTIFY_EVENTS, PLANS_EVENTS, TASKS_EVENTS
from schemas.credentials import CredentialRevoked
from schemas.directory import UnitLevel
from schemas.notify import EscalationRaised, EscalationStarted
from schemas.tasks import DeadlineMissed, StatusReported, TaskCompleted
from services.notify.domain.policy import default_policy
from services.notify.entrypoints.consumers import ESCALATION_TYPES
from services.runtime.broker import free_port, start_tansu
from services.runtime.bus import Bus
from services.runtime.entry import tune_collector
from services.runtime.events import Cause, seal
from services.runtime.record_batches import send_in_record_batches
from services.runtime.sqlite_store import SqliteStore
from services.runtime.subscriptions import EventConsumer, SharedSubscription
from services.runtime.telemetry import install_tracing

PER_REQUEST = 17  # a request's status reports share one trace (P1 over HTTP: ≈ 17 items a request)
NOW = datetime(2026, 12, 31, 10, 0, 5, tzinfo=timezone.utc)


def _record(topic: str, offset: int, stream: str, version: int, payload, trace: str | None) -> Record:
    _, bodies = seal(stream, version - 1, [payload], Cause("service:bench", f"c-{offset}"), NOW)
    headers = [("event_type", type(payload).__name__.encode()), ("schema_version", b"1"), ("stream_id", stream.encode()),
               ("stream_version", b"%d" % version)]
    if trace:
        headers.append(("traceparent", trace.encode()))
    body = bodies[0]  # events.seal gives bytes (a str before)
    return Record(topic, 0, offset, body if isinstance(body, bytes) else body.encode(), headers, stream.encode())


def p1_records(n: int) -> list[Record]:
    out = []
    for i in range(n):
        task = f"p{i % 34:02d}-c{i % 3321:04d}.{i}"
        trace = f"00-{i // PER_REQUEST + 1:032x}-{1:016x}-01"
        payload = (TaskCompleted(task_id=task, agency_id="ca-xa", completed_on=date(2026, 11, 30), due=date(2026, 12, 31), on_time=True)
                   if i % 20 == 19 else
                   StatusReported(task_id=task, agency_id="ca-xa", status="in_progress", progress=i % 100,
                                  summary="Đã triển khai theo kế hoạch", obstacles=""))
        out.append(_record(TASKS_EVENTS, i, f"task-{task}", 7, payload, trace))
    return out


def p3_records(n: int) -> list[Record]:
    policy, out, offsets = default_policy(UnitLevel.commune), [], {TASKS_EVENTS: 0, NOTIFY_EVENTS: 0}
    for i in range(n // 3 + 1):
        task, unit = f"p{i % 34:02d}-c{i % 3321:04d}.{i}", f"p{i % 34:02d}-c{i % 3321:04d}"
        period = i % 2 == 0
        due = date(2026, 12, 31)
        item = f"{task}@{'2026-12' if period else due.isoformat()}"
        miss = DeadlineMissed(task_id=task, plan_id="kh-1", unit_id=unit, lead="ca-xa", due=due,
                              content="Triển khai thu nhận hồ sơ cấp căn cước cho công dân trên địa bàn",
                              kind="period" if period else "due", period="2026-12" if period else None)
        started = EscalationStarted(item_id=item, task_id=task, plan_id="kh-1", unit_id=unit, agency_id="ca-xa", due=due,
                                    period="2026-12" if period else None, cause_event_id=f"ev-{i}", policy=policy)
        rung = policy.rungs[0]
        raised = EscalationRaised(escalation_id=f"{item}#1", item_id=item, task_id=task, agency_id="ca-xa", unit_id=unit,
                                  rung=1, to=rung.to, cc=rung.cc, rule="default:commune v1 rung 1", cause_event_id=f"ev-{i}", due=due)
        for topic, stream, version, payload in ((TASKS_EVENTS, f"task-{task}", 9, miss),
                                                (NOTIFY_EVENTS, f"escalation-{item}", 1, started),
                                                (NOTIFY_EVENTS, f"escalation-{item}", 2, raised)):
            out.append(_record(topic, offsets[topic], stream, version, payload, None))
            offsets[topic] += 1
    return out[:n]


MIXES = {"p1": p1_records, "p3": p3_records}


def shapes(prefix: str = "") -> dict[str, list[tuple[frozenset[str], str, frozenset[str] | None, bool]]]:
    """(topics, name, types, atomic) of each service's consumers, as their entrypoints register them (`prefix`: before
    each topic's name, a mix's own topics on the broker)."""
    plans, tasks, notify = (prefix + t for t in (PLANS_EVENTS, TASKS_EVENTS, NOTIFY_EVENTS))
    credentials = frozenset({CredentialRevoked.__name__})  # every service's revocations consumer (runtime/auth/revocations.py)
    return {"reporting": [(frozenset({plans, tasks, notify}), "reporting.views", None, True),
                          (frozenset({plans}), "reporting.credentials", credentials, False)],
            "notify": [(frozenset({plans}), "notify.directory", None, False),
                       (frozenset({tasks}), "notify.escalations", frozenset(ESCALATION_TYPES), False),
                       (frozenset({plans}), "notify.credentials", credentials, False)]}


class Applied:
    """A consumer that applies nothing and counts; for notify's escalations it declines status reports by their headers,
    as notify's does for a task with no open period item (most of them: services/notify/entrypoints/consumers.py)."""

    def __init__(self, declines: str | None = None) -> None:
        self.n, self.declines = 0, declines
        if declines is None:
            self.wants = None

    def wants(self, head) -> bool:  # noqa: D102 - replaced by None when nothing is declined
        return head.event_type != self.declines

    async def __call__(self, events) -> None:
        self.n += len(events)


def _apply(name: str) -> Applied:
    return Applied("StatusReported" if name == "notify.escalations" else None)


def _stats(names) -> dict[str, dict[str, int]]:
    return {name: {"received": 0, "applied": 0, "skipped": 0, "refused": 0} for name in names}


async def ledger_at(path: Path, records: list[Record], names, filler: int) -> SqliteStore:
    """A ledger whose checkpoints say each record's stream is at the version before its first record, beside `filler`
    checkpoints of other streams (a national installation's checkpoint table holds ≈ 200k streams per consumer)."""
    ledger, before = SqliteStore(path), {}
    for record in records:
        head = dict(record.headers)
        stream, version = head["stream_id"].decode(), int(head["stream_version"])
        before[stream] = min(before.get(stream, version), version)
    async with ledger.transaction():
        for name in names:
            await ledger.advance(name, {**{f"task-filler.{i}": 3 for i in range(filler)},
                                        **{s: v - 1 for s, v in before.items() if v > 1}})
    return ledger


async def in_process(records: list[Record], shape: str, batch: int, folder: Path, filler: int) -> dict:
    names = [name for _, name, _, _ in shapes()[shape]]
    ledger = await ledger_at(folder / f"{shape}-{uuid.uuid4().hex[:6]}.sqlite3", records, names, filler)
    async def dead_letter(record, error, consumer) -> None:
        raise AssertionError(f"{consumer}: {error}")

    consumers = [EventConsumer(topics, name, _apply(name), types, atomic) for topics, name, types, atomic in shapes()[shape]]
    shared = SharedSubscription("bench", consumers, ledger, _stats(c.name for c in consumers), dead_letter)
    wall, cpu = time.perf_counter(), time.process_time()
    for first in range(0, len(records), batch):
        await shared(records[first : first + batch])
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    await ledger.close()
    return {"cpu_us_per_record": round(cpu / len(records) * 1e6, 1), "cpu_s": round(cpu, 3), "wall_s": round(wall, 3),
            "stats": shared.stats}


async def publish(bootstrap: str, records: list[Record]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=2, max_batch_size=256 * 1024)
    await producer.start()
    try:
        for topic in sorted({r.topic for r in records}):
            mine = [(r.key, r.value, r.headers) for r in records if r.topic == topic]
            failed = [e for e in await send_in_record_batches(producer, topic, mine) if e is not None]
            assert not failed, failed[:1]
    finally:
        await producer.stop()


async def raw_consume(bootstrap: str, topics: list[str], n: int) -> dict:
    consumer = AIOKafkaConsumer(*topics, bootstrap_servers=bootstrap, group_id=f"raw-{uuid.uuid4().hex[:6]}",
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    seen, wall, cpu = 0, None, 0.0
    try:
        while seen < n:
            for records in (await consumer.getmany(timeout_ms=1000, max_records=2000)).values():
                if wall is None:
                    wall, cpu = time.perf_counter(), time.process_time()
                seen += len(records)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        await consumer.stop()
    return {"cpu_us_per_record": round(cpu / n * 1e6, 1), "cpu_s": round(cpu, 3), "wall_s": round(wall, 3), "per_s": round(n / wall)}


async def through_bus(bootstrap: str, records: list[Record], shape: str, prefix: str, folder: Path, filler: int) -> dict:
    """The shape's consumers on a Bus of their own over the mix's topics they read: CPU per record they received."""
    read = set().union(*(topics for topics, _, _, _ in shapes()[shape]))
    n = sum(1 for r in records if r.topic in read)
    ledger = await ledger_at(folder / f"bus-{shape}-{uuid.uuid4().hex[:6]}.sqlite3", records, [c[1] for c in shapes()[shape]], filler)
    bus = Bus(bootstrap, client_id=f"bench-{shape}")
    bus.use_checkpoints(ledger)
    group = f"bench-{shape}-{uuid.uuid4().hex[:6]}"

    for topics, name, types, atomic in shapes(prefix)[shape]:
        bus.subscribe_events(sorted(topics), group, name, _apply(name), types=types, atomic=atomic)
    received = lambda: sum(s["received"] for s in bus.consumer_stats.values())  # noqa: E731
    await bus.start()
    wall = cpu = None
    deadline = time.monotonic() + 180
    try:
        while received() < n and time.monotonic() < deadline:
            if wall is None and received():
                wall, cpu = time.perf_counter(), time.process_time()
            await asyncio.sleep(0.002)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        await bus.stop()
        await ledger.close()
    assert received() == n, (received(), n)
    return {"records": n, "cpu_us_per_record": round(cpu / n * 1e6, 1), "cpu_s": round(cpu, 3), "wall_s": round(wall, 3),
            "stats": dict(bus.consumer_stats)}


def decodes(rounds: int = 7) -> dict:
    """Per event type of both mixes: CPU µs per record of the runtime's decode, of the typed envelope's validator alone
    (strict, and with pydantic's string cache on keys or off), of parse_event (json.loads and two validations) and of
    pydantic-core's JSON parse alone (the floor of any checked decode); the best of `rounds`."""
    from pydantic import ConfigDict, create_model
    from pydantic_core import from_json

    from schemas.catalog import PAYLOADS, parse_event
    from schemas.envelope import Envelope
    from services.runtime.events import _typed_envelope, decode

    bodies: dict[str, list[bytes]] = {}
    for record in p1_records(400) + p3_records(600):
        bodies.setdefault(dict(record.headers)["event_type"].decode(), []).append(record.value)

    def best(call, values) -> float:
        times = []
        for _ in range(rounds):
            cpu = time.thread_time()
            for value in values:
                call(value)
            times.append((time.thread_time() - cpu) / len(values))
        return round(min(times) * 1e6, 2)

    found = {}
    for kind, values in bodies.items():
        validator = _typed_envelope(kind).__pydantic_validator__
        figures = {"records": len(values), "bytes_mean": sum(map(len, values)) // len(values),
                   "decode": best(lambda b: decode(b, kind), values), "validator": best(validator.validate_json, values),
                   "validator_strict": best(lambda b: validator.validate_json(b, strict=True), values)}
        for cache in ("keys", False):
            base = type("CachedEnvelope", (Envelope,), {"model_config": ConfigDict(extra="forbid", frozen=True, cache_strings=cache)})
            other = create_model(f"{kind}Envelope", __base__=base, payload=(PAYLOADS[kind], ...)).__pydantic_validator__
            figures[f"validator_cache_strings_{cache}"] = best(other.validate_json, values)
        figures["parse_event"], figures["from_json"] = best(parse_event, values), best(from_json, values)
        found[kind] = figures
    return found


async def main(args: argparse.Namespace) -> dict:
    install_tracing("bench")  # as the services: spans made, sampled out (no exporter)
    folder = Path(tempfile.mkdtemp(prefix="tiendo-consume-"))
    result: dict = {"machine": f"{platform.machine()} {os.cpu_count()} cores", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "load_average_start": os.getloadavg(), "records": args.records, "batch": args.batch, "runs": []}
    mixes = {name: MIXES[name](args.records) for name in args.mix.split(",")}
    tune_collector()  # as a service's process after start-up (the records made here are out of the collections too)
    broker = bootstrap = None
    if args.broker:
        port = free_port()
        broker = start_tansu("127.0.0.1", port, folder / "tansu.log")
        bootstrap = f"127.0.0.1:{port}"
    try:
        for mix, records in mixes.items():
            if broker:
                await publish(bootstrap, [Record(f"{mix}.{r.topic}", r.partition, r.offset, r.value, r.headers, r.key) for r in records])
            for round_ in range(args.rounds):
                run: dict = {"mix": mix, "round": round_ + 1}
                for shape in ("reporting", "notify"):
                    if broker:
                        continue
                    run[shape] = await in_process(records, shape, args.batch, folder, args.filler)
                if broker:
                    topics = sorted({f"{mix}.{r.topic}" for r in records})
                    run["raw_consume"] = await raw_consume(bootstrap, topics, len(records))
                    for shape in ("reporting", "notify"):
                        run[shape] = await through_bus(bootstrap, records, shape, f"{mix}.", folder, args.filler)
                        run[shape]["beyond_raw_us_per_record"] = round(run[shape]["cpu_us_per_record"] - run["raw_consume"]["cpu_us_per_record"], 1)
                result["runs"].append(run)
    finally:
        if broker:
            os.killpg(broker.pid, signal.SIGKILL)
            broker.wait(timeout=10)
    result["load_average_end"] = os.getloadavg()
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--mix", default="p1,p3")
    parser.add_argument("--batch", type=int, default=500, help="in process: records per batch")
    parser.add_argument("--broker", action="store_true", help="through a fresh bundled broker and the Bus, beside raw consume")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--decode", action="store_true", help="per event type: the decode and its alternatives, CPU µs per record")
    parser.add_argument("--filler", type=int, default=200_000, help="checkpoints of other streams in each ledger")
    args = parser.parse_args()
    with contextlib.redirect_stdout(sys.stderr):  # faststream's log lines go to stdout: the JSON alone goes there
        result = ({"machine": f"{platform.machine()} {os.cpu_count()} cores", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                   "load_average": os.getloadavg(), "cpu_us_per_record": decodes()} if args.decode else asyncio.run(main(args)))
    print(json.dumps(result, indent=1))

"""Benchmark: the outbox relay and the consumers' catch-up, each beside the raw aiokafka operation.

On a fresh bundled broker, with N status-report-sized events stored in SQLite:
- raw produce / raw consume: aiokafka alone, the same bytes (the ceiling);
- relay: OutboxRelay publishing the stored bytes as they are in whole record batches with one producer span per batch
  (as now), the same with one `send()` per event (before), with one producer span per event too (before that), and
  with a decode and re-encode of every event too (long before),
  from position 0 to the end, tracing installed as in the services;
- catch-up: the relay's records read again by three consumers sharing one subscriber (as a service process's do) whose
  checkpoints say everything is applied, skipping by the headers: with the subscription's skip floors (as now: no store
  read once a stream's floor is known), with one checkpoint read per batch for the three, and with one per consumer
  (before), beside a plain aiokafka read of the same records, CPU seconds beside wall; and one consumer decoding every
  event (records without headers).
With --republish, the relay publishing its history again after a new broker, as a running process does after a broker
restart (its second publication of the same events in the process), the way it does now (batches of
RELAY_BATCH, IN_FLIGHT of them out at once) and before (batches of 10,000, the size while one batch was in flight),
alternating, beside raw produce of the same bytes; CPU seconds beside wall, and the longest CPU stretch the relay held
the event loop.
With --in-process, only the consumer side of the bus, no broker: N StatusReported records (with the relay's headers,
every record with a trace of its own: the worst case for spans; a request's events share one) handed in batches of 500 to a shared subscription of two consumers applying nothing (as reporting's projection and live views
share one), checkpoints in SQLite: CPU ms per record of the headers, decoding, checkpoints and spans.
With --relay-live, the relay at P1 rates: status reports appended to the store in batches of 500 at --rate events/s
(as tasks' decide appends them) while the relay runs as in a service (woken by each append); the relay's CPU (the
process's, less the appends' own, timed around each), its stages (batches, events per batch, seconds waiting for
acknowledgements and for the marker look, per batch) and each batch's delay from append to acknowledged position.
With --consumer-loop, the whole consumer loop of the bus (faststream's subscriber, the fetch, the shared subscription,
checkpoints, offset commits) over records the relay published, with handlers that do nothing, beside raw aiokafka
consume of the same records in the same run: CPU per record of the runtime itself, for records to apply, records of
a type the consumer does not handle, and records already applied (a catch-up); and the longest stretch the event loop
was held meanwhile (a probe coroutine's lateness).
With --loop-hold, no broker: batches of 2,000 fresh StatusReported records through a shared subscription of two atomic
consumers (as reporting's), checkpoints in SQLite, then the same records again with the skip floors forgotten (a new
process's catch-up): per batch its CPU and the longest CPU stretch it held the event loop (LoopProbe).
With --replies, tasks' replies to commands from the command topic: N CommandReply records keyed by their command ids (a
fresh UUID each) handed to the producer 500 at a time by Bus.send_many as tasks' command consumer does (in record
batches, keys hashed and not remembered: as now) and one `send()` each with aiokafka's partitioner (before), alternated,
beside raw produce of the same bytes; CPU seconds beside wall.
Prints one JSON object. Usage: python bench/pipeline.py [--events 20000] [--in-process | --republish | --relay-live |
--consumer-loop | --loop-hold | --replies] [--catch-up-only] [--rounds 1] [--rate 5000]
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import signal
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import AsyncIterator

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from opentelemetry.trace import SpanKind

from schemas.envelope import Envelope
from schemas.tasks import CommandReply, StatusReported
from services.runtime.broker import free_port, start_tansu
from services.runtime.bus import Bus
from services.runtime.continuity import Continuity
from services.runtime.events import Cause, envelop
from services.runtime import record_batches
from services.runtime.outbox import OutboxRelay
from services.runtime.ports import StoredEvent
from services.runtime.sqlite_store import SqliteStore
from services.runtime.subscriptions import EventConsumer, SharedSubscription
from services.runtime.telemetry import PROPAGATOR, context_from, install_tracing, tracer
from services.runtime.topics import TopicAdmin


def report(i: int) -> StatusReported:
    return StatusReported(task_id=f"b.{i % 1000}", agency_id="bench-ca", status="in_progress", progress=i % 100,
                          summary="Đã triển khai theo kế hoạch", obstacles="")


async def fill(store: SqliteStore, n: int) -> None:
    now, versions = datetime.now(timezone.utc), {}
    async with store.transaction():
        for i in range(n):
            stream = f"task-b.{i % 1000}"
            version = versions.get(stream, 0)
            await store.append(stream, version, envelop(stream, version, [report(i)], Cause("bench", "c"), now))
            versions[stream] = version + 1


async def raw_produce(bootstrap: str, topic: str, values: list[bytes]) -> float:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=2, max_batch_size=256 * 1024)
    await producer.start()
    start = time.perf_counter()
    await asyncio.gather(*[await producer.send(topic, v, key=str(i % 1000).encode()) for i, v in enumerate(values)])
    elapsed = time.perf_counter() - start
    await producer.stop()
    return elapsed


async def read_topic(bootstrap: str, topic: str, n: int, on_batch=None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) from the first record fetched to the n-th handled."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=f"bench-{uuid.uuid4().hex[:6]}",
                                auto_offset_reset="earliest", enable_auto_commit=False, max_poll_records=500)
    await consumer.start()
    seen, start, cpu = 0, None, 0.0
    try:
        while seen < n:
            batch = await consumer.getmany(timeout_ms=1000, max_records=500)
            for records in batch.values():
                if start is None:
                    start, cpu = time.perf_counter(), time.process_time()
                seen += len(records)
                if on_batch:
                    await on_batch(records)
        return time.perf_counter() - start, time.process_time() - cpu
    finally:
        await consumer.stop()


CATCH_UP_CONSUMERS = ("bench.projection", "bench.live", "bench.plans")  # as a process's consumers share one subscriber


class ReadPerConsumer:
    """The ledger as the shared subscription used it before: one checkpoint read per consumer per batch."""

    def __init__(self, ledger: SqliteStore) -> None:
        self.ledger = ledger

    async def checkpoints(self, consumer, stream_ids):
        return await self.ledger.checkpoints(consumer, stream_ids)

    async def checkpoints_of(self, consumers, stream_ids):
        streams = list(stream_ids)
        return {consumer: await self.ledger.checkpoints(consumer, streams) for consumer in consumers}


class WithoutFloors(SharedSubscription):
    """The subscription without the skip floors: every batch reads the checkpoints."""

    def _all_below_floors(self, claims) -> bool:
        return False


def catching_up(ledger, floors: bool = True) -> SharedSubscription:
    """A subscription of CATCH_UP_CONSUMERS whose checkpoints say everything is applied: nothing may be applied."""

    async def apply(batch) -> None:
        raise AssertionError(f"{len(batch)} events applied again")

    async def dead_letter(record, error, consumer) -> None:
        raise AssertionError(f"{consumer}: {error}")

    consumers = [EventConsumer(frozenset(["relay.now"]), name, apply) for name in CATCH_UP_CONSUMERS]
    stats = {c.name: {"received": 0, "applied": 0, "skipped": 0, "refused": 0} for c in consumers}
    return (SharedSubscription if floors else WithoutFloors)("bench", consumers, ledger, stats, dead_letter)


class SpanPerEventBus(Bus):
    """The relay path before batch spans: a producer span and a traceparent injected per event, each sent on its own."""

    async def publish_stored(self, topic, stored):
        pending = []
        for item in stored:
            headers = {"event_type": item.event_type, "schema_version": str(item.schema_version),
                       "stream_id": item.stream_id, "stream_version": str(item.stream_version)}
            with tracer().start_as_current_span(f"publish {item.event_type}", context=context_from(item.traceparent), kind=SpanKind.PRODUCER):
                PROPAGATOR.inject(headers)
            pending.append(await self._events_producer.send(topic, item.body, key=item.stream_id.encode(),
                                                            headers=[(k, v.encode()) for k, v in headers.items()]))
        return [None if r is None or not isinstance(r, BaseException) else r for r in await asyncio.gather(*pending, return_exceptions=True)]


class SendPerEventBus(Bus):
    """The relay path before record batches: one producer span per batch, but one `send()` (and its future) per event."""

    async def publish_stored(self, topic, stored):
        pending = []
        with tracer().start_as_current_span(f"publish {len(stored)} events", kind=SpanKind.PRODUCER):
            for item in stored:
                headers = [("event_type", item.event_type.encode()), ("schema_version", str(item.schema_version).encode()),
                           ("stream_id", item.stream_id.encode()), ("stream_version", str(item.stream_version).encode())]
                if item.traceparent:
                    headers.append(("traceparent", item.traceparent.encode()))
                pending.append(await self._events_producer.send(topic, item.body, key=item.stream_id.encode(), headers=headers))
        return [r if isinstance(r, BaseException) else None for r in await asyncio.gather(*pending, return_exceptions=True)]


class ReencodingBus(SpanPerEventBus):
    """The relay path long before: every stored event decoded and encoded again before it is sent."""

    async def publish_stored(self, topic, stored):
        again = [StoredEvent.of(s.position, Envelope.model_validate_json(s.body), s.traceparent) for s in stored]
        return await super().publish_stored(topic, again)


async def relay_run(bootstrap: str, store: SqliteStore, topic: str, n: int, bus_class=Bus) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) to publish the n stored events."""
    bus = bus_class(bootstrap, client_id=f"bench-{topic}")
    await bus.start()
    relay = OutboxRelay(store, bus, topic, f"bench-{topic}", topics=[topic], partitions=3)
    await relay.check_broker()
    start, cpu = time.perf_counter(), time.process_time()
    while relay.published < n:
        await relay.publish_pending()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    await bus.stop()
    return elapsed, cpu


async def relay_republish(bootstrap: str, store: SqliteStore, topic: str, n: int, before: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process, the longest CPU stretch it held the loop) for the relay to publish its n
    stored events again on a new broker,
    after it published them once in this process (the broker restart case); `before`: 10,000 events per read."""
    bus = Bus(bootstrap, client_id=f"bench-{topic}")
    await bus.start()
    relay = OutboxRelay(store, bus, topic, f"bench-{topic}", topics=[topic], partitions=3,
                        **({"batch_size": 10_000} if before else {}))
    try:
        await relay.check_broker()
        while relay.published < n:
            await relay.publish_pending()
        relay.epoch = "gone"  # as after a broker restart: its marker is not on the broker
        start, cpu = time.perf_counter(), time.process_time()
        with LoopProbe() as probe:
            await relay.check_broker()
            while relay.published < 2 * n:
                await relay.publish_pending()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        await bus.stop()
    return elapsed, cpu, probe.worst_cpu


class SendPerReplyBus(Bus):
    """Replies before record batches: one `send()` (aiokafka's partitioner, a coroutine and a future) per reply."""

    async def send_many(self, topic, messages):
        pending = [await self._events_producer.send(topic, value, key=key.encode() if key else None,
                                                    headers=[(k, v.encode()) for k, v in headers.items()])
                   for value, key, headers in messages]
        return asyncio.ensure_future(asyncio.gather(*pending))


async def replies(n: int, rounds: int) -> dict:
    """CPU and wall of handing n replies to the producer 500 at a time and waiting for them, now and before."""
    made = [CommandReply(command_id=str(uuid.uuid4()), accepted=True, event_ids=[str(uuid.uuid4())], duplicate=False) for _ in range(n)]
    messages = [(r.model_dump_json().encode(), r.command_id, {}) for r in made]
    async with broker_and_store(0) as (bootstrap, _, _, _):
        runs = []
        for i in range(rounds):
            await TopicAdmin(bootstrap).ensure([f"raw{i}", f"now{i}", f"before{i}"], 3)
            cpu = time.process_time()
            produce = await raw_produce(bootstrap, f"raw{i}", [value for value, _, _ in messages])
            figures = {"raw_produce_per_s": round(n / produce), "raw_produce_cpu_us_per_record": round((time.process_time() - cpu) / n * 1e6, 1)}
            order = [("before", SendPerReplyBus), ("now", Bus)] if i % 2 else [("now", Bus), ("before", SendPerReplyBus)]
            for name, bus_class in order:
                bus = bus_class(bootstrap, client_id=f"bench-{name}{i}")
                await bus.start()
                await bus.send_many(f"{name}{i}", messages[:10])  # metadata known before the clock starts
                start, cpu = time.perf_counter(), time.process_time()
                tails = [await bus.send_many(f"{name}{i}", messages[at:at + 500]) for at in range(0, n, 500)]
                await asyncio.gather(*tails)
                wall, cpu = time.perf_counter() - start, time.process_time() - cpu
                await bus.stop()
                figures.update({f"{name}_per_s": round(n / wall), f"{name}_cpu_us_per_record": round(cpu / n * 1e6, 1)})
            runs.append(figures)
        return {"machine": f"{platform.machine()} {os.cpu_count()} cores", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "load_average": os.getloadavg(), "replies": n, "reply_bytes_mean": round(sum(len(m[0]) for m in messages) / n), "rounds": runs}


@contextlib.asynccontextmanager
async def broker_and_store(n: int) -> AsyncIterator[tuple[str, SqliteStore, list[str], Path]]:
    """A fresh bundled broker and a tasks store holding `n` stored events: (bootstrap, store, the events' bodies, a
    folder of its own for other stores)."""
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="tiendo-bench-"))
    broker = start_tansu("127.0.0.1", port, folder / "tansu.log")
    try:
        store = SqliteStore(folder / "tasks.sqlite3")
        await fill(store, n)
        yield f"127.0.0.1:{port}", store, [s.body for s in await store.read_after(0, n)], folder
    finally:
        os.killpg(broker.pid, signal.SIGKILL)
        broker.wait(timeout=10)


async def republish(n: int, rounds: int) -> dict:
    async with broker_and_store(n) as (bootstrap, store, bodies, folder):
        install_tracing("bench")
        runs = []
        for i in range(rounds):
            await TopicAdmin(bootstrap).ensure([f"raw{i}", f"now{i}", f"before{i}"], 3)
            produce_cpu = time.process_time()
            produce = await raw_produce(bootstrap, f"raw{i}", bodies)
            produce_cpu = time.process_time() - produce_cpu
            order = [("before", True), ("now", False)] if i % 2 else [("now", False), ("before", True)]
            figures = {"raw_produce_per_s": round(n / produce), "raw_produce_cpu_s": round(produce_cpu, 2)}
            for name, before in order:
                record_batches._HASHES.clear()
                wall, cpu, held = await relay_republish(bootstrap, store, f"{name}{i}", n, before)
                figures.update({f"{name}_per_s": round(n / wall), f"{name}_cpu_s": round(cpu, 2), f"{name}_loop_held_most_cpu_ms": round(held * 1000, 1)})
            runs.append(figures)
        return {"machine": f"{platform.machine()} {os.cpu_count()} cores", "date": datetime.now(timezone.utc).date().isoformat(),
                "events": n, "load_average": os.getloadavg(), "republish_after_a_new_broker": runs}


async def consumer_side(n: int) -> dict:
    """CPU of the shared subscription's path per record: headers, decode, continuity (SQLite checkpoints), spans."""
    from reporting_consumer import Record  # a fetched record as the subscription reads it

    install_tracing("bench")
    now, records = datetime.now(timezone.utc), []
    for i in range(n):
        stream, version = f"task-b.{i % 2000}", i // 2000 + 1
        event = envelop(stream, version - 1, [report(i)], Cause("bench", "c"), now)[0]
        headers = [("event_type", b"StatusReported"), ("schema_version", b"1"), ("stream_id", stream.encode()),
                   ("stream_version", str(version).encode()), ("traceparent", f"00-{i + 1:032x}-{1:016x}-01".encode())]
        records.append(Record("tiendo.tasks.events", 0, i, event.model_dump_json().encode(), headers))
    folder = Path(tempfile.mkdtemp(prefix="tiendo-bench-"))
    ledger = SqliteStore(folder / "ledger.sqlite3")
    applied = {"n": 0}

    async def apply(batch) -> None:
        applied["n"] += len(batch)

    async def dead_letter(record, error, consumer) -> None:
        raise AssertionError(f"{consumer}: {error}")

    consumers = [EventConsumer(frozenset(["tiendo.tasks.events"]), name, apply) for name in ("projection", "live")]
    shared = SharedSubscription("bench", consumers, ledger, {c.name: {"received": 0, "applied": 0, "skipped": 0, "refused": 0} for c in consumers},
                                dead_letter)
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(0, n, 500):
        await shared(records[i : i + 500])
    cpu, wall = time.process_time() - cpu, time.perf_counter() - start
    assert applied["n"] == 2 * n
    return {"machine": f"{platform.machine()} {os.cpu_count()} cores", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "load_average": os.getloadavg(), "records": n, "consumers": 2, "cpu_s": round(cpu, 2), "wall_s": round(wall, 2),
            "cpu_ms_per_record": round(cpu / n * 1000, 3)}


async def main(n: int, catch_up_only: bool = False, catch_up_rounds: int = 1) -> dict:
    async with broker_and_store(n) as (bootstrap, store, bodies, folder):
        admin = TopicAdmin(bootstrap)
        await admin.ensure(["raw", "relay.now", "relay.send-per-event", "relay.span-per-event", "relay.before"], 3)
        install_tracing("bench")  # as every service process does: spans are recorded (and dropped: no exporter)
        produce_cpu = time.process_time()
        produce = await raw_produce(bootstrap, "raw", bodies)
        produce_cpu = time.process_time() - produce_cpu
        consume, consume_cpu = await read_topic(bootstrap, "raw", n)
        now, now_cpu = await relay_run(bootstrap, store, "relay.now", n)
        rate = lambda seconds: round(n / seconds) if seconds else None  # noqa: E731
        per_send = per_send_cpu = per_event = per_event_cpu = before = 0.0
        if not catch_up_only:
            per_send, per_send_cpu = await relay_run(bootstrap, store, "relay.send-per-event", n, SendPerEventBus)
            per_event, per_event_cpu = await relay_run(bootstrap, store, "relay.span-per-event", n, SpanPerEventBus)
            before, _ = await relay_run(bootstrap, store, "relay.before", n, ReencodingBus)
        ledger = SqliteStore(folder / "reporting.sqlite3")
        for name in ("bench", *CATCH_UP_CONSUMERS):
            await ledger.advance(name, {f"task-b.{i}": n for i in range(1000)})

        async def skip_by_decoding(records):
            from schemas.catalog import parse_event
            continuity = Continuity(ledger, "bench")
            await continuity.admit([(r, parse_event(r.value)) for r in records])

        # the same republished records (relay.now) read again: first plain, then by three consumers sharing one subscriber
        # that applied them all, with one checkpoint read per batch for the three (now) and one per consumer (before)
        rounds = []
        for _ in range(catch_up_rounds):  # alternating, so neither side has the warmer cache throughout
            again, again_cpu = await read_topic(bootstrap, "relay.now", n)
            shared_read, shared_cpu = await read_topic(bootstrap, "relay.now", n, catching_up(ledger))
            one_read, one_read_cpu = await read_topic(bootstrap, "relay.now", n, catching_up(ledger, floors=False))
            per_consumer, per_consumer_cpu = await read_topic(bootstrap, "relay.now", n, catching_up(ReadPerConsumer(ledger), floors=False))
            rounds.append({"raw_consume_per_s": rate(again), "raw_consume_cpu_s": round(again_cpu, 2),
                           "floors_per_s": rate(shared_read), "floors_cpu_s": round(shared_cpu, 2),
                           "one_read_per_batch_per_s": rate(one_read), "one_read_per_batch_cpu_s": round(one_read_cpu, 2),
                           "one_read_per_consumer_per_s": rate(per_consumer), "one_read_per_consumer_cpu_s": round(per_consumer_cpu, 2)})
        catch_up_decoding, _ = await read_topic(bootstrap, "raw", n, skip_by_decoding)  # the raw topic's records carry no headers
        return {
            "machine": f"{platform.machine()} {os.cpu_count()} cores", "date": datetime.now(timezone.utc).date().isoformat(),
            "events": n, "event_bytes_mean": round(sum(map(len, bodies)) / n),
            "load_average": os.getloadavg(),
            "raw_produce_per_s": rate(produce), "raw_produce_cpu_s": round(produce_cpu, 2),
            "raw_consume_per_s": rate(consume), "raw_consume_cpu_s": round(consume_cpu, 2),
            "relay_record_batches_per_s": rate(now), "relay_record_batches_cpu_s": round(now_cpu, 2),
            "relay_send_per_event_per_s": rate(per_send), "relay_send_per_event_cpu_s": round(per_send_cpu, 2),
            "relay_span_per_event_per_s": rate(per_event), "relay_span_per_event_cpu_s": round(per_event_cpu, 2),
            "relay_decode_reencode_per_s": rate(before),
            "catch_up_3_consumers_of_the_republished_records": rounds,
            "catch_up_decode_every_event_per_s": rate(catch_up_decoding),
        }


async def relay_live(n: int, rate: float) -> dict:
    """The relay as a service runs it while status reports are appended at `rate` per second in batches of 500."""
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="tiendo-bench-"))
    broker = start_tansu("127.0.0.1", port, folder / "tansu.log")
    bootstrap = f"127.0.0.1:{port}"
    try:
        install_tracing("bench")
        store = SqliteStore(folder / "tasks.sqlite3")
        await TopicAdmin(bootstrap).ensure(["live"], 3)
        bus = Bus(bootstrap, client_id="bench-live")
        await bus.start()
        relay = OutboxRelay(store, bus, "live", "bench-live", topics=["live"], partitions=3)
        await relay.check_broker()
        running = asyncio.ensure_future(relay.run())
        now, versions, append_cpu, appended_at, delays = datetime.now(timezone.utc), {}, 0.0, {}, []
        batches = []  # made before the clock starts: the decide's work is not the relay's
        for first in range(0, n, 500):
            appends = []
            for i in range(first, min(n, first + 500)):
                stream = f"task-b.{i % 20000}"
                version = versions.get(stream, 0)
                appends.append((stream, version, envelop(stream, version, [report(i)], Cause("bench", "c"), now)))
                versions[stream] = version + 1
            batches.append((first, appends))
        start, cpu = time.perf_counter(), time.process_time()
        for first, appends in batches:
            due = start + first / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            began = time.process_time()
            await store.append_many(appends)  # one transaction, as tasks' decide appends a batch
            append_cpu += time.process_time() - began
            appended_at[min(n, first + 500)] = time.perf_counter()
            relay.wake()
            for position in [p for p in appended_at if p <= await store.get_position("bench-live")]:
                delays.append(time.perf_counter() - appended_at.pop(position))
        deadline = time.perf_counter() + 120
        while await store.get_position("bench-live") < n and time.perf_counter() < deadline:
            await asyncio.sleep(0.005)
            for position in [p for p in appended_at if p <= await store.get_position("bench-live")]:
                delays.append(time.perf_counter() - appended_at.pop(position))
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
        await bus.stop()
        figures = bus.stages.figures.get("relay bench-live", {})
        batches = figures.get("batches", 0) or 1
        delays.sort()
        return {"machine": f"{platform.machine()} {os.cpu_count()} cores", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "load_average": os.getloadavg(), "events": n, "offered_per_s": rate, "wall_s": round(wall, 2),
                "published": relay.published, "relay_cpu_s": round(cpu - append_cpu, 2), "append_cpu_s": round(append_cpu, 2),
                "relay_cpu_ms_per_event": round((cpu - append_cpu) / n * 1000, 4),
                "batches": int(figures.get("batches", 0)), "events_per_batch": round(figures.get("events", 0) / batches),
                "most_in_flight": figures.get("most_in_flight"),
                "per_batch_ms": {k: round(figures.get(k, 0) / batches * 1000, 2) for k in ("read_s", "publish_acked_s", "marker_s", "position_s")},
                "marker_looks_s": round(figures.get("marker_s", 0), 3),
                "append_to_acknowledged_ms": {"p50": round(delays[len(delays) // 2] * 1000), "p95": round(delays[int(len(delays) * 0.95)] * 1000),
                                              "max": round(delays[-1] * 1000)} if delays else None}
    finally:
        os.killpg(broker.pid, signal.SIGKILL)
        broker.wait(timeout=10)


class LoopProbe:
    """How late a coroutine that asks for the loop every 5 ms gets it: the longest stretch the loop was held, in wall
    seconds (`worst`: on a loaded machine mostly the process waiting for a core) and in this thread's CPU seconds
    (`worst_cpu`: the work that ran in the loop meanwhile, whatever the load)."""

    def __init__(self) -> None:
        self.worst = self.worst_cpu = 0.0
        self._task = None

    def reset(self) -> None:
        self.worst = self.worst_cpu = 0.0

    def __enter__(self) -> "LoopProbe":
        async def probe() -> None:
            while True:
                asked, cpu = time.perf_counter(), time.thread_time()
                await asyncio.sleep(0.005)
                self.worst = max(self.worst, time.perf_counter() - asked - 0.005)
                self.worst_cpu = max(self.worst_cpu, time.thread_time() - cpu)
        self._task = asyncio.ensure_future(probe())
        return self

    def __exit__(self, *exc) -> None:
        self._task.cancel()


async def bus_consume(bootstrap: str, topic: str, ledger: SqliteStore, consumer: str, n: int, types=None) -> dict:
    """The bus's consumer loop over `n` records of `topic` with a handler that applies nothing: (wall, CPU) from the
    first record received to the n-th, and the loop's worst lateness meanwhile."""
    bus = Bus(bootstrap, client_id=f"bench-{consumer}")
    bus.use_checkpoints(ledger)
    applied = {"n": 0}

    async def apply(batch) -> None:
        applied["n"] += len(batch)

    bus.subscribe_events([topic], f"bench-{uuid.uuid4().hex[:6]}", consumer, apply, types=types, atomic=True)
    stats = bus.consumer_stats[consumer]
    await bus.start()
    start = cpu = None
    with LoopProbe() as probe:
        deadline = time.perf_counter() + 120
        while stats["received"] < n and time.perf_counter() < deadline:
            if start is None and stats["received"]:
                start, cpu = time.perf_counter(), time.process_time()
                probe.reset()
            await asyncio.sleep(0.002)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    await bus.stop()
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 3), "per_s": round(n / wall), "applied": applied["n"],
            "skipped": stats["skipped"], "loop_held_most_ms": round(probe.worst * 1000, 1),
            "loop_held_most_cpu_ms": round(probe.worst_cpu * 1000, 1)}


async def loop_hold(n: int, batch: int = 2000) -> dict:
    """Per batch of the shared subscription: its CPU ms and the longest CPU stretch it held the loop (ms)."""
    from reporting_consumer import Record  # a fetched record as the subscription reads it

    now, records = datetime.now(timezone.utc), []
    for i in range(n):
        stream, version = f"task-b.{i % batch}", i // batch + 1
        event = envelop(stream, version - 1, [report(i)], Cause("bench", "c"), now)[0]
        headers = [("event_type", b"StatusReported"), ("schema_version", b"1"), ("stream_id", stream.encode()),
                   ("stream_version", str(version).encode())]
        records.append(Record("tiendo.tasks.events", 0, i, event.model_dump_json().encode(), headers))
    ledger = SqliteStore(Path(tempfile.mkdtemp(prefix="tiendo-bench-")) / "ledger.sqlite3")

    async def apply(events) -> None:
        pass

    async def dead_letter(record, error, consumer) -> None:
        raise AssertionError(f"{consumer}: {error}")

    consumers = [EventConsumer(frozenset(["tiendo.tasks.events"]), name, apply, atomic=True) for name in ("projection", "live")]
    shared = SharedSubscription("bench", consumers, ledger, {c.name: {"received": 0, "applied": 0, "skipped": 0, "refused": 0} for c in consumers},
                                dead_letter)
    figures: dict[str, list] = {"apply": [], "catch_up": []}
    with LoopProbe() as probe:
        for label in figures:
            shared.floors.clear()  # the catch-up of a process that just started: checkpoints read, nothing decoded
            for first in range(0, n, batch):
                await asyncio.sleep(0.01)
                probe.reset()
                cpu = time.thread_time()
                await shared(records[first : first + batch])
                cpu = time.thread_time() - cpu
                await asyncio.sleep(0.01)  # the probe's turn: it sees the stretch the batch held
                figures[label].append({"batch_cpu_ms": round(cpu * 1000, 1), "loop_held_most_cpu_ms": round(probe.worst_cpu * 1000, 1)})
    return {"machine": f"{platform.machine()} {os.cpu_count()} cores", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "load_average": os.getloadavg(), "records": n, "batch": batch, **figures}


async def consumer_loop(n: int, rounds: int) -> dict:
    """Raw aiokafka consume beside the bus's consumer loop over the same records (relay-published, with headers)."""
    async with broker_and_store(n) as (bootstrap, store, bodies, folder):
        install_tracing("bench")
        await TopicAdmin(bootstrap).ensure(["loop"], 3)
        await relay_run(bootstrap, store, "loop", n)
        runs = []
        for i in range(rounds):
            ledger = SqliteStore(folder / f"ledger{i}.sqlite3")
            raw, raw_cpu = await read_topic(bootstrap, "loop", n)
            fresh = await bus_consume(bootstrap, "loop", ledger, "bench.fresh", n)
            other = await bus_consume(bootstrap, "loop", ledger, "bench.other", n, types=["TaskAssigned"])
            again = await bus_consume(bootstrap, "loop", ledger, "bench.fresh", n)  # everything applied: a catch-up
            assert fresh["applied"] == n and other["applied"] == 0 and again["skipped"] == n
            per = lambda figures: round((figures["cpu_s"] - raw_cpu) / n * 1e6, 1)  # noqa: E731
            runs.append({"raw_consume": {"per_s": round(n / raw), "cpu_s": round(raw_cpu, 3)},
                         "bus_apply_every_record": fresh, "bus_records_of_another_type": other, "bus_all_applied_catch_up": again,
                         "runtime_cpu_us_per_record_beyond_raw": {"apply": per(fresh), "another_type": per(other), "catch_up": per(again)}})
        return {"machine": f"{platform.machine()} {os.cpu_count()} cores", "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "load_average": os.getloadavg(), "records": n, "event_bytes_mean": round(sum(map(len, bodies)) / n), "rounds": runs}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--in-process", action="store_true", help="the consumer side of the bus only, no broker")
    parser.add_argument("--republish", action="store_true", help="the relay's republication after a new broker, now and before")
    parser.add_argument("--catch-up-only", action="store_true", help="leave out the relay's former paths (send or span per event, re-encoding)")
    parser.add_argument("--rounds", type=int, default=1, help="catch-up rounds (raw read, now, before each)")
    parser.add_argument("--relay-live", action="store_true", help="the relay while events are appended at --rate")
    parser.add_argument("--rate", type=float, default=5000, help="--relay-live: events appended per second")
    parser.add_argument("--consumer-loop", action="store_true", help="the bus's consumer loop beside raw consume")
    parser.add_argument("--loop-hold", action="store_true", help="how long a subscription's batch holds the event loop")
    parser.add_argument("--replies", action="store_true", help="command replies sent in record batches (now) and one send() each (before)")
    args = parser.parse_args()
    if args.replies:
        print(json.dumps(asyncio.run(replies(args.events, args.rounds)), indent=2))
    elif args.loop_hold:
        print(json.dumps(asyncio.run(loop_hold(args.events))))
    elif args.relay_live:
        print(json.dumps(asyncio.run(relay_live(args.events, args.rate)), indent=2))
    elif args.consumer_loop:
        print(json.dumps(asyncio.run(consumer_loop(args.events, args.rounds)), indent=2))
    elif args.republish:
        print(json.dumps(asyncio.run(republish(args.events, args.rounds)), indent=2))
    else:
        print(json.dumps(asyncio.run(consumer_side(args.events) if args.in_process else main(args.events, args.catch_up_only, args.rounds)), indent=2))

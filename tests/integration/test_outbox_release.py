"""`tiendo outbox parked list|show|release`: a parked stream is let go after a fix and arrives whole, in order.

The relay here has a 3,000-byte limit, standing for a broker that took less than the event; "the
fix" is a relay with the ordinary limit (as after the broker's message limit was raised and the
service restarted). The real bundled broker carries the events; the store is SQLite.
"""
from __future__ import annotations

import asyncio
import json
import uuid
from datetime import datetime, timezone

import pytest

from schemas.envelope import Envelope
from services.cli import main as tiendo
from services.runtime.bus import Bus
from services.runtime.outbox import MAX_PUBLISH_BYTES, PARKED, RELEASED, OutboxRelay
from services.runtime.sqlite_store import SqliteStore
from tests.support.kafka import read_topic_async
from tests.support.polling import eventually

NOW = datetime(2026, 11, 29, tzinfo=timezone.utc)
TOPIC = "test.outbox-release"


def event(stream: str, version: int, size: int = 10) -> Envelope:
    return Envelope(event_id=uuid.uuid4(), event_type="UnitRegistered", stream_id=stream, stream_version=version, occurred_at=NOW,
                    recorded_at=NOW, correlation_id="c", actor="a", payload={"unit_id": stream, "name": "x" * size, "level": "province"})


async def relaying(store, broker: str, **limit):
    bus = Bus(broker, client_id=f"test-relay-{uuid.uuid4().hex[:6]}")
    relay = OutboxRelay(store, bus, TOPIC, "plans", topics=[TOPIC], partitions=1, idle_seconds=0.05, check_seconds=0.5, **limit)
    await bus.ensure_topics([TOPIC], 1)
    await bus.start()
    return bus, relay, asyncio.create_task(relay.run())


async def stop(bus, task) -> None:
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await bus.stop()


def versions_of(messages, stream: str) -> list[int]:
    return [json.loads(m.value())["stream_version"] for m in messages if m.key() and m.key().decode() == stream]


@pytest.mark.timeout(180)
async def test_a_released_stream_arrives_whole_and_in_order_after_the_fix(broker, tmp_path, capsys):
    store = SqliteStore(tmp_path / "plans.sqlite3")
    await store.append("unit-a", 0, [event("unit-a", 1)])
    await store.append("unit-big", 0, [event("unit-big", 1, size=5000)])  # over this relay's limit: parked
    await store.append("unit-big", 1, [event("unit-big", 2)])  # held behind it
    await store.append("unit-a", 1, [event("unit-a", 2)])
    bus, relay, task = await relaying(store, broker, max_bytes=3000)
    try:
        await eventually(lambda: asyncio.sleep(0, relay.parked == 2 and relay.published == 2), timeout=60, what="one stream parked")
    finally:
        await stop(bus, task)
    await store.close()

    store = SqliteStore(tmp_path / "plans.sqlite3")
    bus, relay, task = await relaying(store, broker)  # the fix: the ordinary limit; the stream stays parked until released
    try:
        await store.append("unit-big", 2, [event("unit-big", 3)])  # held behind the parked ones
        await eventually(lambda: asyncio.sleep(0, relay.parked == 3), timeout=30, what="the new event held behind")
        assert await cli(tmp_path, "list") == 0
        listed = capsys.readouterr().out.splitlines()
        assert [line.split()[2:4] for line in listed] == [["unit-big", "v1"], ["unit-big", "v2"], ["unit-big", "v3"]]
        assert "larger than the 3,000" in listed[0] and "held behind" in listed[2]
        assert await cli(tmp_path, "show", "unit-big") == 0
        assert [e["stream_version"] for e in json.loads(capsys.readouterr().out)] == [1, 2, 3]

        assert await cli(tmp_path, "release", "unit-big") == 0  # another process, while the relay runs
        assert "released 3 event(s) of unit-big" in capsys.readouterr().out
        messages = await read_topic_async(broker, TOPIC, lambda ms: len(versions_of(ms, "unit-big")) >= 3, timeout=60)
        assert versions_of(messages, "unit-big") == [1, 2, 3]
        await store.append("unit-big", 3, [event("unit-big", 4)])  # after the release: straight out, after the others
        messages = await read_topic_async(broker, TOPIC, lambda ms: len(versions_of(ms, "unit-big")) >= 4, timeout=60)
        assert versions_of(messages, "unit-big") == [1, 2, 3, 4]
        assert versions_of(messages, "unit-a") == [1, 2]  # and nothing of the other stream went out twice
        assert relay.parked == 0 and await store.find(PARKED) == [] and await store.find(RELEASED) == []
    finally:
        await stop(bus, task)
        await store.close()


async def cli(var, *command: str) -> int:
    return await asyncio.to_thread(tiendo, ["outbox", "parked", "--service", "plans", "--var", str(var), *command])


async def test_a_stream_still_too_large_for_the_producer_is_not_released(tmp_path, capsys):
    store = SqliteStore(tmp_path / "tasks.sqlite3")
    await store.put(PARKED, "7", {"position": 7, "stream_id": "task-x", "stream_version": 1, "event_type": "TaskAssigned",
                                  "bytes": MAX_PUBLISH_BYTES + 1, "reason": "too large"})
    await store.close()
    run = lambda *command: asyncio.to_thread(tiendo, ["outbox", "parked", "--service", "tasks", "--var", str(tmp_path), *command])
    assert await run("release", "task-x") == 2
    refusal = capsys.readouterr().err.strip()
    assert refusal.startswith("tiendo: not released: task-x v1") and "\n" not in refusal and "replace it first" in refusal
    assert await run("list", "--json") == 0
    assert json.loads(capsys.readouterr().out)["state"] == "parked"  # still parked, nothing half-released
    assert await run("release", "task-nobody") == 2


@pytest.mark.timeout(180)
async def test_ready_reports_a_parked_event_of_a_running_service_until_it_is_released(broker, tmp_path):
    """An event stored before the size check (too large for any producer) stands for one the broker refused."""
    from services.plans.bootstrap import create_app as create_plans
    from tests.support.services import running, settings_for

    store = SqliteStore(tmp_path / "plans.sqlite3")
    await store.append("unit-big", 0, [event("unit-big", 1, size=MAX_PUBLISH_BYTES)])
    await store.close()
    app = await create_plans(settings_for(broker, tmp_path, "plans"))
    async with running(app) as plans:
        async def parked_on_ready():
            response = await plans.get("/ready")
            relay = response.json()["checks"]["relay"]
            return response.status_code == 503 and relay.get("parked") == 1 and not relay["ok"] and relay

        await eventually(parked_on_ready, timeout=60, what="/ready to report the parked event")
        assert await cli(tmp_path, "release", "unit-big") == 2  # still too large for the producer: refused, still parked
        assert (await plans.get("/ready")).json()["checks"]["relay"]["parked"] == 1

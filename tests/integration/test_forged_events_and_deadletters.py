"""A forged event from the future is dead-lettered with its reason and blocks nothing; the CLI lists,
shows and re-drives dead letters; no credential is kept in one."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid
from datetime import datetime, timezone

from schemas.catalog import DEAD_LETTER
from schemas.directory import UnitRegistered
from services.runtime.bus import Bus
from services.runtime.deadletter_cli import read_dead_letters, redrive
from services.runtime.events import Cause, envelop
from services.runtime.memory_store import MemoryStore
from services.runtime.ports import StoredEvent
from tests.support.kafka import produce
from tests.support.polling import eventually


def unit_event(version: int, name: str):
    return envelop("unit-u", version - 1, [UnitRegistered(unit_id="u", name=name, level="province")], Cause("t", "c"), datetime.now(timezone.utc))[0]


async def test_a_forged_future_version_is_dead_lettered_and_the_real_stream_goes_on(broker):
    topic = f"test.forged.{uuid.uuid4().hex[:8]}"
    bus = Bus(broker, client_id="forged-test")
    bus.use_checkpoints(MemoryStore())
    await bus.ensure_topics([topic, DEAD_LETTER], 1)
    applied: list[tuple[str, int]] = []

    async def apply(events) -> None:
        applied.extend((e.payload.name, e.envelope.stream_version) for e in events)

    bus.subscribe_events([topic], f"forged-{uuid.uuid4().hex[:6]}", "forged.test", apply)
    await bus.start()
    try:
        await bus.publish_stored(topic, [StoredEvent.of(1, unit_event(1, "first"))])
        forged = unit_event(999, "forged").model_dump_json().encode()
        await asyncio.to_thread(produce, broker, topic, forged, "unit-u", {"token": "agency.secret.sig"})
        await bus.publish_stored(topic, [StoredEvent.of(2, unit_event(2, "second"))])
        await eventually(lambda: _is(applied, [("first", 1), ("second", 2)]), timeout=60, what="the real events applied in order")

        async def forged_kept():
            return [r for r in await read_dead_letters(broker) if dict(r.headers).get("source_topic") == topic.encode()]

        (dead,) = await eventually(forged_kept, timeout=30, what="the forged event on the dead-letter topic")
        headers = {k: v.decode() for k, v in dead.headers}
        assert "version 999 would skip 997 event(s)" in headers["error"] and headers["consumer"] == "forged.test"
        assert headers["token"] == "[redacted]" and b"agency.secret.sig" not in dead.value

        listed = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "services.cli", "deadletters", "--bootstrap", broker, "list", "--json"],
                                         capture_output=True, text=True, timeout=60)
        rows = [json.loads(line) for line in listed.stdout.splitlines()]
        assert any(r["id"] == f"{dead.partition}:{dead.offset}" and r["source_topic"] == topic for r in rows), listed.stderr
        assert await redrive(broker, [dead]) == [f"{dead.partition}:{dead.offset} -> {topic}"]
        await eventually(lambda: _refused_twice(bus), timeout=60, what="the re-driven forged event refused again")
        assert applied == [("first", 1), ("second", 2)]
    finally:
        await bus.stop()


async def _is(value, expected) -> bool:
    return value == expected


async def _refused_twice(bus: Bus) -> bool:
    return bus.consumer_stats.get("forged.test", {}).get("refused", 0) >= 2

"""One record that its handler cannot apply does not stall the partition: it is dead-lettered after retries."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from schemas.catalog import DEAD_LETTER
from schemas.directory import UnitRegistered
from services.runtime.bus import POISON_ATTEMPTS, Bus
from services.runtime.events import Cause, envelop
from services.runtime.ports import StoredEvent
from tests.support.kafka import read_topic_async
from tests.support.polling import eventually


async def test_a_record_the_handler_keeps_failing_on_is_dead_lettered_and_the_rest_are_applied(broker):
    topic = f"test.poison.{uuid.uuid4().hex[:8]}"
    bus = Bus(broker, client_id="poison-test")
    await bus.ensure_topics([topic, DEAD_LETTER], 1)
    applied: list[str] = []
    attempts = {"poison": 0}

    async def apply(events) -> None:
        names = [e.payload.name for e in events]
        if "poison" in names:
            attempts["poison"] += 1
            raise RuntimeError("cannot apply the poison unit")
        applied.extend(names)

    bus.subscribe_events([topic], f"poison-{uuid.uuid4().hex[:6]}", "poison.test", apply)
    await bus.start()
    try:
        now = datetime.now(timezone.utc)
        stored = [
            StoredEvent.of(n, envelop(f"unit-{name}", 0, [UnitRegistered(unit_id=name, name=name, level="province")], Cause("t", "c"), now)[0])
            for n, name in enumerate(["first", "poison", "last"], start=1)
        ]
        await bus.publish_stored(topic, stored)

        async def both_applied():
            return sorted(applied) == ["first", "last"]

        await eventually(both_applied, timeout=60, what="the records around the poison one to be applied")
        assert attempts["poison"] >= POISON_ATTEMPTS
        dead = await read_topic_async(broker, DEAD_LETTER, lambda ms: any(m.key() == b"unit-poison" for m in ms), timeout=60)
        poison = [m for m in dead if m.key() == b"unit-poison"][0]
        headers = {k: v.decode() for k, v in poison.headers()}
        assert "cannot apply the poison unit" in headers["error"] and headers["source_topic"] == topic
    finally:
        await bus.stop()

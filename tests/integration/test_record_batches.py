"""The relay's record batches on the real broker: each event lands on its key's partition (the one `send()` would
choose) in its stream's order, with the headers consumers skip by."""
from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timezone

from aiokafka import AIOKafkaConsumer
from aiokafka.partitioner import DefaultPartitioner

from schemas.directory import UnitRegistered
from services.runtime.bus import Bus
from services.runtime.events import Cause, envelop
from services.runtime.ports import StoredEvent

STREAMS, VERSIONS = 40, 30  # 1,200 events: more than one record batch per partition at the relay's batch size


def history() -> list[StoredEvent]:
    now, stored = datetime.now(timezone.utc), []
    for version in range(1, VERSIONS + 1):
        for s in range(STREAMS):
            event = envelop(f"unit-{s}", version - 1, [UnitRegistered(unit_id=f"u{s}", name="x" * 300, level="province")],
                            Cause("t", "c"), now)[0]
            stored.append(StoredEvent.of(len(stored) + 1, event))
    return stored


async def test_events_sent_in_record_batches_keep_their_partition_order_and_headers(broker):
    topic = f"test.batches.{uuid.uuid4().hex[:8]}"
    bus = Bus(broker, client_id="batches-test")
    await bus.ensure_topics([topic], 3)
    await bus.start()
    try:
        stored = history()
        assert await bus.publish_stored(topic, stored) == [None] * len(stored)
    finally:
        await bus.stop()
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=broker, group_id=f"g-{uuid.uuid4().hex[:6]}",
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    seen: dict[str, list[int]] = defaultdict(list)
    partitions, choose = {}, DefaultPartitioner()
    try:
        while sum(map(len, seen.values())) < len(stored):
            for tp, records in (await consumer.getmany(timeout_ms=2000)).items():
                for record in records:
                    headers = dict(record.headers)
                    stream = record.key.decode()
                    assert headers["stream_id"].decode() == stream
                    seen[stream].append(int(headers["stream_version"]))
                    partitions.setdefault(stream, set()).add(tp.partition)
    finally:
        await consumer.stop()
    assert all(versions == list(range(1, VERSIONS + 1)) for versions in seen.values()) and len(seen) == STREAMS
    assert all(found == {choose(s.encode(), [0, 1, 2], [0, 1, 2])} for s, found in partitions.items())
    assert len({p for found in partitions.values() for p in found}) == 3  # the streams spread over every partition

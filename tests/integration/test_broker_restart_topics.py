"""What the bundled broker does across a restart, and how topics made anew keep every record reachable.

The first test pins the broker behaviour behind the restart flake (topics.py): a batch pending
while the broker restarts is acknowledged into a topic the new broker does not have; creating
the topic then hides those records and later batches land at overlapping offsets. The others
show the repair: the relay's topic deleted and created again, and consumers that follow the
topic's epoch marker back to its beginning.
"""
from __future__ import annotations

import asyncio
import os
import signal
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from services.runtime.broker import free_port, start_tansu
from services.runtime.bus import Bus
from services.runtime.epochs import EpochWatch
from services.runtime.topics import TopicAdmin, marker_topic, new_epoch
from tests.support.polling import eventually

TOPIC = "restart.events"


@pytest.fixture
def restartable(tmp_path):
    port = free_port()
    log = tmp_path / "tansu.log"
    state = {"process": start_tansu("127.0.0.1", port, log)}

    def kill() -> None:
        os.killpg(state["process"].pid, signal.SIGKILL)
        state["process"].wait(timeout=10)

    def start() -> None:
        state["process"] = start_tansu("127.0.0.1", port, log)

    yield f"127.0.0.1:{port}", (kill, start)
    os.killpg(state["process"].pid, signal.SIGKILL)
    state["process"].wait(timeout=10)


async def read_all(bootstrap: str, partitions: int = 3) -> list[bytes]:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=f"read-{uuid.uuid4().hex[:6]}", enable_auto_commit=False)
    await consumer.start()
    try:
        consumer.assign([TopicPartition(TOPIC, p) for p in range(partitions)])
        await consumer.seek_to_beginning()
        values: list[bytes] = []
        for _ in range(4):  # a few fetch rounds: everything written is there already
            for records in (await consumer.getmany(timeout_ms=500)).values():
                values.extend(r.value for r in records)
        return values
    finally:
        await consumer.stop()


async def send(producer: AIOKafkaProducer, prefix: str, count: int) -> list:
    futures = [await producer.send(TOPIC, f"{prefix}{i}".encode(), partition=i % 3) for i in range(count)]
    return await asyncio.gather(*futures, return_exceptions=True)


async def orphans_after_restart(bootstrap: str, restart, producer: AIOKafkaProducer) -> None:
    """Leave a batch pending in a producer while the broker is away; the new broker acknowledges it."""
    kill, start = restart
    await TopicAdmin(bootstrap).ensure([TOPIC], 3)
    await producer.start()
    await send(producer, "before", 6)
    kill()
    futures = [await producer.send(TOPIC, f"orphan{i}".encode(), partition=i % 3) for i in range(30)]
    await asyncio.sleep(0.3)  # the producer retries against the dead broker meanwhile
    start()
    acknowledged = await asyncio.gather(*futures)
    assert all(r.offset >= 0 for r in acknowledged)


async def test_records_acknowledged_before_their_topic_existed_hide_later_batches(restartable):
    bootstrap, restart = restartable
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=2)
    try:
        await orphans_after_restart(bootstrap, restart, producer)
        assert TOPIC not in set((await producer.client.fetch_all_metadata()).topics())
        await TopicAdmin(bootstrap).ensure([TOPIC], 3)
        first = await send(producer, "next", 9)
        assert all(isinstance(r, Exception) for r in first)  # AlreadyExists at offset 0 in the broker
        later = await send(producer, "later", 9)
        assert not any(isinstance(r, Exception) for r in later)
        values = await read_all(bootstrap)
        assert not any(v.startswith(b"later") for v in values)  # acknowledged, and unreachable
    finally:
        await producer.stop()


async def test_a_topic_made_anew_keeps_every_later_record_reachable(restartable):
    bootstrap, restart = restartable
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=2)
    try:
        await orphans_after_restart(bootstrap, restart, producer)
        await TopicAdmin(bootstrap).recreate(TOPIC, 3)
        results = await send(producer, "later", 9)
        assert not any(isinstance(r, Exception) for r in results)
        assert sorted(await read_all(bootstrap)) == sorted(f"later{i}".encode() for i in range(9))
    finally:
        await producer.stop()


async def test_consumers_go_back_to_the_beginning_of_a_topic_with_a_new_epoch(restartable):
    bootstrap, _ = restartable
    admin = TopicAdmin(bootstrap)
    await admin.ensure([TOPIC, marker_topic(TOPIC, new_epoch())], 3)
    seen: list[bytes] = []
    bus = Bus(bootstrap, client_id="epoch-test")

    async def handle(records) -> None:
        seen.extend(r.value for r in records)

    bus.subscribe_records([TOPIC], f"epoch-{uuid.uuid4().hex[:6]}", handle)
    watch = EpochWatch(bus, interval=0.2)
    await bus.start()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await watch.check()
        await send(producer, "old", 12)
        await eventually(lambda: _count(seen, 12), timeout=60, what="the first records consumed")
        await admin.recreate(TOPIC, 3)  # what a relay does on a new broker, before publishing its history again
        await send(producer, "new", 3)  # the start of the history again: behind the consumer's position
        await admin.ensure([marker_topic(TOPIC, new_epoch())], 1)
        await eventually(lambda: _checked(watch), timeout=30, what="the new epoch to be seen and followed")
        await eventually(lambda: _count([v for v in seen if v.startswith(b"new")], 3), timeout=60, what="the records behind the old position")
    finally:
        await producer.stop()
        await bus.stop()


async def _count(values: list, n: int) -> bool:
    return len(values) >= n


async def _checked(watch: EpochWatch) -> bool:
    await watch.check()
    return watch.rewinds >= 1

"""A service process started again under the same static group membership (TIENDO_KAFKA_INSTANCE_ID)
takes its old member's place on the real broker: it gets the partitions, goes on from the committed offsets, and the
events published while no process ran are applied once, with nothing applied twice."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from aiokafka.admin import AIOKafkaAdminClient

from schemas.directory import UnitRegistered
from services.runtime.bus import Bus
from services.runtime.events import Cause, envelop
from services.runtime.ports import StoredEvent
from services.runtime.settings import ConsumerTuning
from services.runtime.sqlite_store import SqliteStore
from tests.support.polling import eventually

STREAMS = 6


def versions(first: int, last: int) -> list[StoredEvent]:
    now, stored = datetime.now(timezone.utc), []
    for version in range(first, last + 1):
        for s in range(STREAMS):
            event = envelop(f"unit-{s}", version - 1, [UnitRegistered(unit_id=f"u{s}", name=f"v{version}", level="province")], Cause("t", "c"), now)[0]
            stored.append(StoredEvent.of(version * STREAMS + s, event))
    return stored


async def test_a_process_started_again_as_the_same_static_member_loses_and_doubles_nothing(broker, tmp_path):
    topic = f"test.static.{uuid.uuid4().hex[:8]}"
    group, instance = f"static-{uuid.uuid4().hex[:6]}", f"tasks-{uuid.uuid4().hex[:4]}"
    tuning = ConsumerTuning(instance_id=instance)
    applied: list[tuple[str, int]] = []

    async def apply(events) -> None:
        applied.extend((e.envelope.stream_id, e.envelope.stream_version) for e in events)

    def everything(upto: int) -> list[tuple[str, int]]:
        return sorted((f"unit-{s}", v) for s in range(STREAMS) for v in range(1, upto + 1))

    async def applied_upto(upto: int) -> bool:
        return sorted(applied) == everything(upto)

    ledger = SqliteStore(tmp_path / "ledger.sqlite3")
    first = Bus(broker, client_id="static-first", tuning=tuning)
    first.use_checkpoints(ledger)
    await first.ensure_topics([topic], 3)
    first.subscribe_events([topic], group, "test.static", apply)
    await first.start()
    try:
        await first.publish_stored(topic, versions(1, 3))
        await eventually(lambda: applied_upto(3), timeout=60, what="the first process to apply versions 1-3")
    finally:
        await first.stop()  # a static member does not leave its group: as a crashed process, to the broker

    publisher = Bus(broker, client_id="static-publisher")
    await publisher.start()
    try:
        await publisher.publish_stored(topic, versions(4, 5))  # while no process of the service runs
    finally:
        await publisher.stop()

    second = Bus(broker, client_id="static-second", tuning=tuning)
    second.use_checkpoints(ledger)
    second.subscribe_events([topic], group, "test.static", apply)
    await second.start()
    try:
        ((group_id, _, _, consumer),) = second.subscriptions()
        assert consumer.assignment() and group_id.startswith(group)  # joined, with the partitions
        admin = AIOKafkaAdminClient(bootstrap_servers=broker)
        await admin.start()
        try:
            (described,) = await admin.describe_consumer_groups([group_id])
        finally:
            await admin.close()
        (members,) = [g[-1] for g in described.groups]
        assert [m[0].startswith(f"{instance}-") for m in members] == [True]  # one member: the static one took its old place
        await eventually(lambda: applied_upto(5), timeout=60, what="the second process to apply versions 4-5")
        assert len(applied) == len(set(applied)) == STREAMS * 5  # nothing applied twice
        for s in range(STREAMS):
            assert [v for stream, v in applied if stream == f"unit-{s}"] == [1, 2, 3, 4, 5]  # in order
        stats = second.consumer_stats["test.static"]
        assert stats["applied"] == STREAMS * 2 and stats["refused"] == 0  # only what came while it was away
    finally:
        await second.stop()
        await ledger.close()

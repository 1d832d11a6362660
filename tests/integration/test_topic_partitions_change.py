"""A topic's partition count must not change under its consumers on the bundled broker, and does not.

The stall behind this (the fault-injection test, 2026-12-01): after a broker restart, tasks' relay made its topic anew
with the configured 3 partitions while the services' own metadata requests had the broker make it with its 4 (or the
other way round); reporting's group held an assignment of 3, and the reports of every task keyed on the fourth
partition were never counted. The first test pins why a consumer cannot recover from that on Tansu 0.6.0 (it keeps a
group's first assignment); the second that the services make their topics with the broker's own count, so whoever makes
a topic first after a restart, it has the same partitions (topics.py).
"""
from __future__ import annotations

import uuid

from aiokafka import AIOKafkaConsumer

from services.runtime.bus import Bus
from services.runtime.settings import ServiceSettings
from services.runtime.topics import TopicAdmin
from tests.support.polling import eventually


async def test_the_bundled_broker_keeps_a_groups_first_assignment_when_its_topic_gains_partitions(broker):
    topic = f"test.partitions.{uuid.uuid4().hex[:8]}"
    admin = TopicAdmin(broker)
    await admin.ensure([topic], 3)

    async def handle(records) -> None:
        return None

    bus = Bus(broker, client_id="partitions-test")
    bus.subscribe_records([topic], f"partitions-{uuid.uuid4().hex[:6]}", handle)
    await bus.start()
    try:
        (_, consumer), = bus.consumers()
        joins = next(iter(bus.joins.values()))

        async def joined(count: int):
            return joins.count >= count and not joins.rebalancing

        await eventually(lambda: joined(1), timeout=60, what="the subscriber to join its group")
        assert {tp.partition for tp in consumer.assignment()} == {0, 1, 2}
        await admin.recreate(topic, 4)
        await consumer._client.force_metadata_update()  # it sees the fourth partition and joins again
        await eventually(lambda: joined(2), timeout=60, what="the subscriber to join again")
        assert consumer.partitions_for_topic(topic) == {0, 1, 2, 3}
        # the leader assigned all four; the broker answered with the first assignment: partition 3 stays unread
        assert {tp.partition for tp in consumer.assignment()} == {0, 1, 2}
    finally:
        await bus.stop()


async def test_the_services_make_their_topics_with_the_count_the_bundled_broker_gives_a_topic_a_client_names(broker):
    topic = f"test.named.{uuid.uuid4().hex[:8]}"
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=broker, group_id=None)  # its metadata request makes the topic
    await consumer.start()
    try:
        async def made() -> int:
            return len(consumer.partitions_for_topic(topic) or ())

        made_with = await eventually(made, timeout=30, what="the broker to make the topic a client named")
    finally:
        await consumer.stop()
    assert made_with == ServiceSettings(environment="test").topic_partitions

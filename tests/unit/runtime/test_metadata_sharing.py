"""The relay's and the epoch watch's periodic looks at the broker's topics share one metadata request; a fresh look
(after a batch, for /ready) always asks; a failed answer is never shared."""
from __future__ import annotations

import asyncio

import pytest

from services.runtime.bus import Bus
from services.runtime.memory_store import MemoryStore
from services.runtime.outbox import OutboxRelay
from services.runtime.topics import marker_topic


class Metadata:
    def __init__(self, names: set[str]) -> None:
        self.names = names

    def topics(self) -> set[str]:
        return set(self.names)


class CountingClient:
    def __init__(self) -> None:
        self.asked, self.names, self.fail = 0, {"a"}, False

    async def fetch_all_metadata(self) -> Metadata:
        self.asked += 1
        await asyncio.sleep(0)  # answered later, as over the network
        if self.fail:
            raise ConnectionError("broker away")
        return Metadata(self.names)


class Producer:
    def __init__(self) -> None:
        self.client = CountingClient()


async def test_periodic_looks_share_one_request_and_fresh_looks_ask_again():
    bus = Bus("127.0.0.1:9", client_id="metadata-test")  # never started
    bus._events_producer = producer = Producer()
    assert await asyncio.gather(bus.topic_names(max_age=2), bus.topic_names(max_age=2)) == [{"a"}, {"a"}]
    assert await bus.topic_names(max_age=2) == {"a"} and producer.client.asked == 1
    producer.client.names = {"a", "b"}
    assert await bus.topic_names() == {"a", "b"} and producer.client.asked == 2  # a fresh look asks
    assert await bus.topic_names(max_age=2) == {"a", "b"} and producer.client.asked == 2  # and is shared from then on
    producer.client.fail = True
    with pytest.raises(ConnectionError):
        await bus.topic_names()
    producer.client.fail = False
    assert await bus.topic_names(max_age=2) == {"a", "b"} and producer.client.asked == 4  # the failure was not kept


class StaleBus:
    """Stand-in bus whose shared answer predates the relay's own marker (the epoch watch asked just before)."""

    def __init__(self) -> None:
        self.shared, self.fresh = {"events"}, {"events", marker_topic("events", "e1")}

    async def topic_names(self, max_age: float = 0.0):
        return self.shared if max_age else self.fresh


async def test_the_relay_decides_the_broker_is_new_only_on_a_fresh_answer():
    relay = OutboxRelay(MemoryStore(), StaleBus(), "events", "test", topics=["events"], partitions=1)
    relay.epoch = "e1"
    await relay.check_broker()
    assert relay.epoch == "e1" and relay.republished_histories == 0  # a stale shared answer did not make the topic anew

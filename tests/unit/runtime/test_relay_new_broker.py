"""On a new broker, a relay keeps the topic it finds when nothing of its was in flight, and makes it anew (orphans)
when a batch was; either way it publishes its history again, in large batches, with an epoch that says which."""
from __future__ import annotations

import pytest

from services.runtime.memory_store import MemoryStore
from services.runtime.outbox import BrokerReplaced, OutboxRelay
from services.runtime.topics import epochs, kept, marker_topic
from tests.unit.runtime.test_outbox_parking import AcceptingBus, event


class Admin:
    def __init__(self, bus: "Broker") -> None:
        self.bus, self.recreated = bus, []

    async def ensure(self, topics, partitions) -> None:
        self.bus.topics |= set(topics)

    async def recreate(self, topic, partitions) -> None:
        self.recreated.append(topic)


class Broker(AcceptingBus):
    """The bus with an admin; `die_on_send`: the broker is replaced while the next batch is out."""

    def __init__(self) -> None:
        super().__init__()
        self.admin, self.die_on_send = Admin(self), False

    async def publish_stored(self, topic, stored, extra=None, partitions=None):
        if self.die_on_send:
            self.topics, self.die_on_send = {"events"}, False  # acknowledged by a new broker that has no marker
        return await super().publish_stored(topic, stored, extra, partitions)


async def relay_with_history(events: int = 25) -> tuple[OutboxRelay, Broker, MemoryStore]:
    store, bus = MemoryStore(), Broker()
    for n in range(events):
        await store.append(f"unit-{n}", 0, [event(f"unit-{n}", 1)])
    relay = OutboxRelay(store, bus, "events", "test", topics=["events"], partitions=3, batch_size=10)
    await relay.check_broker()
    while await relay.publish_pending():
        pass
    return relay, bus, store


async def test_a_relay_with_nothing_in_flight_keeps_the_topic_and_republishes_its_history():
    relay, bus, _ = await relay_with_history()
    assert len(bus.sent) == 25 and not relay.in_flight
    bus.topics = {"events"}  # a new, empty broker: the consumers' metadata requests made the topic, no marker
    await relay.check_broker()
    assert bus.admin.recreated == [] and relay.republished_histories == 1
    (epoch,) = epochs(bus.topics)["events"]
    assert kept(epoch) and relay.epoch == epoch
    batches = relay.bus.stages.figures["relay test"]["batches"]
    assert [await relay.publish_pending() for _ in range(2)] == [25, 0]  # the whole history in one cycle,
    assert relay.bus.stages.figures["relay test"]["batches"] - batches == 3  # in the relay's batches
    assert len(bus.sent) == 50


async def test_a_relay_with_a_batch_in_flight_makes_its_topic_anew():
    relay, bus, store = await relay_with_history()
    await store.append("unit-late", 0, [event("unit-late", 1)])
    bus.die_on_send = True
    with pytest.raises(BrokerReplaced):
        await relay.publish_pending()
    assert relay.in_flight
    await relay.check_broker()
    assert bus.admin.recreated == ["events"] and relay.recreated_topics == 1
    (epoch,) = epochs(bus.topics)["events"]
    assert not kept(epoch) and marker_topic("events", epoch) in bus.topics and not relay.in_flight

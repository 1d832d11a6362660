"""The relay hands over its next batches while the earlier ones' acknowledgements travel; the stored position moves only
over acknowledged batches, in order; the marker is looked for once per cycle, after the last acknowledgement."""
from __future__ import annotations

import asyncio

import pytest
from aiokafka.errors import KafkaConnectionError

from services.runtime.memory_store import MemoryStore
from services.runtime.outbox import OutboxRelay
from tests.unit.runtime.test_outbox_parking import AcceptingBus, event


class HeldAcksBus(AcceptingBus):
    """Hands over at once; each batch's acknowledgements come when the test says."""

    def __init__(self) -> None:
        super().__init__()
        self.handed: list[list[int]] = []  # the positions of each batch handed over
        self.acks: list[asyncio.Future] = []
        self.marker_looks = 0

    async def hand_over_stored(self, topic, stored, extra=None, partitions=None):
        self.handed.append([s.position for s in stored])
        self.acks.append(asyncio.get_running_loop().create_future())
        return self.acks[-1]

    async def topic_names(self, max_age: float = 0.0):
        self.marker_looks += 1
        return await super().topic_names(max_age)


async def _until(condition) -> None:
    for _ in range(1000):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("never")


async def relay_with(events: int) -> tuple[OutboxRelay, HeldAcksBus, MemoryStore]:
    store, bus = MemoryStore(), HeldAcksBus()
    for n in range(events):
        await store.append(f"unit-{n}", 0, [event(f"unit-{n}", 1)])
    relay = OutboxRelay(store, bus, "events", "test", topics=["events"], partitions=3, batch_size=10, in_flight=3)
    relay.epoch = "e1"
    return relay, bus, store


async def test_the_next_batches_go_out_before_the_first_is_acknowledged_and_the_position_follows_the_acks_in_order():
    relay, bus, store = await relay_with(35)
    cycle = asyncio.ensure_future(relay.publish_pending())
    await _until(lambda: len(bus.handed) == 3)
    assert [b[0] for b in bus.handed] == [1, 11, 21] and bus.marker_looks == 0  # three out, none acknowledged
    await asyncio.sleep(0)
    assert len(bus.handed) == 3  # the window is full: the fourth waits for an acknowledgement
    bus.acks[1].set_result([None] * 10)  # the second acknowledged before the first: the position may not pass the first
    for _ in range(20):
        await asyncio.sleep(0)
    assert await store.get_position("test") == 0 and len(bus.handed) == 3
    bus.acks[0].set_result([None] * 10)
    await _until(lambda: len(bus.handed) == 4)
    assert await store.get_position("test") == 20  # over both, in order, once both are in
    bus.acks[2].set_result([None] * 10)
    bus.acks[3].set_result([None] * 5)
    assert await cycle == 35
    assert await store.get_position("test") == 35 and relay.published == 35
    assert bus.marker_looks == 1 and not relay.in_flight  # one look for the whole cycle, after the last acknowledgement


async def test_a_broker_gone_mid_window_keeps_the_position_before_the_failed_event_and_lets_the_later_batches_settle():
    relay, bus, store = await relay_with(30)
    cycle = asyncio.ensure_future(relay.publish_pending())
    await _until(lambda: len(bus.handed) == 3)
    bus.acks[0].set_result([None] * 10)
    bus.acks[1].set_result([None] * 4 + [KafkaConnectionError("away")] * 6)
    await asyncio.sleep(0)
    assert not cycle.done()  # the third batch's sends have not settled yet: the cycle may not end before them
    bus.acks[2].set_result([None] * 10)  # acknowledged, but after a failure: published again later (at least once)
    with pytest.raises(KafkaConnectionError):
        await cycle
    assert await store.get_position("test") == 14 and relay.in_flight and bus.marker_looks == 0


async def test_an_append_while_a_batch_travels_goes_out_in_the_same_cycle():
    relay, bus, store = await relay_with(5)
    cycle = asyncio.ensure_future(relay.publish_pending())
    await _until(lambda: len(bus.handed) == 1)
    await store.append("unit-late", 0, [event("unit-late", 1)])
    relay.wake()
    await _until(lambda: len(bus.handed) == 2)
    assert bus.handed[1] == [6] and not bus.acks[0].done()
    for ack, n in zip(bus.acks, (5, 1)):
        ack.set_result([None] * n)
    assert await cycle == 6 and await store.get_position("test") == 6 and bus.marker_looks == 1

"""A long batch gives the event loop back now and then (every TURN_SECONDS of work), without a transaction in between:
/health, heartbeats and acknowledgements wait at most that long behind a consumer batch or a relay hand-over."""
from __future__ import annotations

import asyncio
import time

from services.runtime.memory_store import MemoryStore
from services.runtime.record_batches import hand_over_in_record_batches
from services.runtime.turns import Turns
from tests.unit.runtime.test_record_batches import Producer
from tests.unit.runtime.test_shared_decoding import Collected, record, reported, subscription


class Beats:
    """A coroutine that counts the turns of the loop it got while it was running."""

    def __init__(self) -> None:
        self.count, self.task = 0, None

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(0)
            self.count += 1

    async def during(self, work) -> int:
        self.task = asyncio.ensure_future(self._beat())
        await asyncio.sleep(0)
        before = self.count
        try:
            await work
        finally:
            self.task.cancel()
        return self.count - before


async def test_turns_yield_only_after_their_time_of_work():
    turns, beats = Turns(every=0.01), Beats()

    async def work() -> None:
        await turns.take()  # no time went by: no turn
        assert beats.count == 0
        time.sleep(0.012)  # the synchronous work of a batch
        await turns.take()

    assert await beats.during(work()) == 1 and turns.taken == 1


async def test_a_consumer_batch_decoding_thousands_of_events_lets_the_loop_run_meanwhile():
    ledger, sink = MemoryStore(), Collected()
    shared = subscription(ledger, {"reporting.projection": None, "reporting.live": None}, sink)
    records = [record(reported(progress=v % 100), v, stream=f"task-t{s}") for v in range(1, 4) for s in range(1000)]
    turns = await Beats().during(shared(records))  # 3,000 events decoded and checked: ≥ 30 ms on any machine
    assert len(sink.events) == 2 * 3000
    assert turns >= 1  # none without the turns: nothing in a batch's handling waits on anything


async def test_handing_over_ten_thousand_records_lets_the_loop_run_meanwhile():
    class SlowProducer(Producer):
        def create_batch(self):
            builder = super().create_batch()
            append = builder.append

            def slow_append(**record):
                time.sleep(0.00001)  # stands for the record encoding of a real batch builder
                return append(**record)
            builder.append = slow_append
            return builder

    producer = SlowProducer()
    records = [(f"k{i % 7}".encode(), b"v", []) for i in range(10_000)]
    handed: list[asyncio.Future] = []

    async def hand_over() -> None:
        handed.append(await hand_over_in_record_batches(producer, "t", records))

    assert await Beats().during(hand_over()) >= 2  # ≥ 0.1 s of appending: turns while handing over, not only after
    assert await handed[0] == [None] * 10_000 and len(producer.acknowledged) == 10_000

"""A subscriber that lets its batches gather (Bus.subscribe_records' `gather_seconds`) hands over what arrived within
the window in one batch, each partition's records in order, never more than its largest batch."""
from __future__ import annotations

import asyncio
import time

from services.runtime.bus import _gathered


class Arriving:
    """A consumer's getmany over records that arrive at given times (seconds after it was made), per partition."""

    def __init__(self, arrivals: list[tuple[float, str, int]]) -> None:
        self.started, self.arrivals, self.asked = time.monotonic(), list(arrivals), 0

    async def getmany(self, timeout_ms: int, max_records: int) -> dict[str, list[tuple[str, int]]]:
        self.asked += 1
        until = time.monotonic() + timeout_ms / 1000
        while True:
            now = time.monotonic() - self.started
            due = [a for a in self.arrivals if a[0] <= now][:max_records]
            if due or time.monotonic() >= until:
                break
            await asyncio.sleep(0.005)
        for arrival in due:
            self.arrivals.remove(arrival)
        found: dict[str, list[tuple[str, int]]] = {}
        for _, partition, offset in due:
            found.setdefault(partition, []).append((partition, offset))
        return found


async def test_records_arriving_within_the_window_join_the_batch_in_each_partitions_order():
    consumer = Arriving([(0.02, "p0", 1), (0.03, "p1", 1), (0.05, "p0", 2), (0.5, "p0", 3)])
    batch = await _gathered(consumer, (("p0", 0),), max_records=100, seconds=0.15)
    assert list(batch) == [("p0", 0), ("p0", 1), ("p1", 1), ("p0", 2)]  # the one arriving after the window is left
    assert [r for r in batch if r[0] == "p0"] == [("p0", 0), ("p0", 1), ("p0", 2)]


async def test_a_batch_stops_gathering_at_its_largest_size():
    consumer = Arriving([(0.0, "p0", n) for n in range(1, 50)])
    began = time.monotonic()
    batch = await _gathered(consumer, (("p0", 0),), max_records=10, seconds=2.0)
    assert len(batch) == 10 and [r[1] for r in batch] == list(range(10))
    assert time.monotonic() - began < 1.0  # full: handed over without waiting out the window

"""Turns of the event loop during long synchronous stretches in the shared runtime.

The stores are synchronous and a process runs everything in one event loop: a relay batch of 10,000 events or a consumer
batch of 2,000 records held the loop for 0.1–0.6 s at national size, and /health, heartbeats and acknowledgements waited
behind it (bench/history/national-scale.md, "notify's event loop during a national start"). Code that loops over many records asks
`Turns.take()` every TURN_RECORDS + 1 records; it yields only when TURN_SECONDS of work went by since the last turn, so a
short batch costs nothing, and nothing is committed in between (a turn is not a transaction boundary).
"""
from __future__ import annotations

import asyncio
import time

TURN_SECONDS = 0.02  # work between two turns of the loop at most (about: checked every TURN_RECORDS + 1 records)
TURN_RECORDS = 255  # check the time when `index & TURN_RECORDS == 0`: every 256 records


class Turns:
    __slots__ = ("every", "since", "taken")

    def __init__(self, every: float = TURN_SECONDS) -> None:
        self.every, self.since, self.taken = every, time.perf_counter(), 0

    async def take(self) -> None:
        """Give the loop a turn if `every` seconds went by since the last one (or since this was made)."""
        now = time.perf_counter()
        if now - self.since >= self.every:
            await asyncio.sleep(0)
            self.taken += 1
            self.since = time.perf_counter()

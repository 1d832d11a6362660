"""Some topics' records before others' while a subscriber is behind: one fetch loop over several topics takes records in
the order the broker hands them over, so a backlog on one topic (a quarter end's DeadlineMissed on tasks' topic) waits
behind another's (notify's escalations of the same misses, twice as many).

A subscriber given `later` topics pauses their partitions while it is behind on its other topics (at least a full batch
of their records waiting: the high watermarks its fetches brought back, less its positions), and resumes them as soon as
it is not, or after `HOLD_S` at most (then it pauses them again only once a fetch has brought records of them: they are
never starved). Records are only put off, never skipped: aiokafka drops what it had fetched of a paused partition and
fetches it again from the same position after the resume, and no offset of a paused partition is committed meanwhile
(a broker whose fetches carry no high watermark leaves nothing paused: the broker's order, as before). Each consumer
keeps its own checkpoints per stream, so the order between topics changes nothing it applies (a read model that
joins two topics orders their events by their own times: reporting's timelines).
"""
from __future__ import annotations

from typing import Any, Sequence

HOLD_S = 30.0  # the longest the later topics wait while the others keep the subscriber behind


class Precedence:
    def __init__(self, later: frozenset[str], full: int, hold_s: float = HOLD_S) -> None:
        self.later, self.full, self.hold_s = later, full, hold_s
        self.paused_at: float | None = None
        self.armed = True  # False after a resume forced by HOLD_S, until a fetch brings records of the later topics
        self.pauses, self.held_s = 0, 0.0  # how often, and how long in all, the later topics waited

    async def after_fetch(self, consumer: Any, records: Sequence[Any], now: float) -> None:
        """Pause or resume the later topics' partitions after a fetch that returned `records` (module docstring)."""
        behind = await self._waiting(consumer) >= self.full
        if self.paused_at is not None:
            held = now - self.paused_at >= self.hold_s
            if not behind or held:
                self._resume(consumer, now)
                self.armed = not held
        elif behind and self.armed:
            self._pause(consumer, now)
        elif not self.armed and any(record.topic in self.later for record in records):
            self.armed = True

    async def _waiting(self, consumer: Any) -> int:
        """Records of the other topics not yet handed over, by the high watermarks of the last fetches (0 where unknown)."""
        waiting = 0
        for tp in consumer.assignment():
            if tp.topic not in self.later:
                high = consumer.highwater(tp)
                if high is not None:
                    waiting += max(0, high - await consumer.position(tp))
        return waiting

    def _partitions(self, consumer: Any) -> list[Any]:
        return [tp for tp in consumer.assignment() if tp.topic in self.later]

    def _pause(self, consumer: Any, now: float) -> None:
        partitions = self._partitions(consumer)
        if partitions:
            consumer.pause(*partitions)
            self.paused_at, self.pauses = now, self.pauses + 1

    def _resume(self, consumer: Any, now: float) -> None:
        consumer.resume(*self._partitions(consumer))  # those assigned now (a join may have changed them); resuming one not paused does nothing
        self.held_s += now - self.paused_at
        self.paused_at = None

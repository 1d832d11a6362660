"""A subscriber's offset commits, in the background: the next batch is fetched and applied while the last one's commit
travels to the broker.

A batch's offsets are handed over only once it is handled (its store transaction committed): what is committed to the
broker was applied, as before. Commits are coalesced: while one is on its way, the offsets of the batches handled
meanwhile wait and go in the next one (one commit per broker round trip, whatever the batch rate), never more than one
commit in flight, so they reach the broker in order. A commit that fails (a rebalance took the partition, the broker
is away) is only logged: the batches it covered are delivered again and skipped by the consumers' checkpoints
(continuity.py), as after any crash between a store commit and an offset commit.

A batch may leave a tail when it is handled (its replies still on their way to the broker): its offsets are handed
over once the tail is done, after the tails of the batches before it, while the next batches are fetched and handled
(at most MAX_TAILS in flight: the next batch waits for the oldest beyond that). A tail that fails sends the partitions
back to its batch's first records (`again`), and no offset of a batch handled before that is handed over: they all come
again and are skipped or answered as duplicates, as after a crash.
"""
from __future__ import annotations

import asyncio
import contextvars
import logging
from typing import Any, Awaitable, Callable, Iterable, Sequence

from aiokafka import TopicPartition

log = logging.getLogger("tiendo.bus")
MAX_TAILS = 4  # batches whose tails (replies) may be on their way while the next one is handled


class OffsetCommits:
    def __init__(self, consumer: Callable[[], Any], name: str) -> None:
        self._consumer, self.name = consumer, name
        self._pending: dict[TopicPartition, int] = {}
        self._running: asyncio.Task | None = None
        self._tails: list[asyncio.Future] = []  # in the order their batches were handled
        self._failed_tails = 0  # how many tails failed: a tail's offsets are handed over only if none failed since it began

    def handled(self, records: Sequence[Any]) -> None:
        """The batch is applied: commit past its records, soon (the caller goes on to the next batch at once)."""
        pending, last = self._pending, {}
        for record in records:  # the highest offset per partition first: one TopicPartition per partition, not per record
            key = (record.topic, record.partition)
            if record.offset > last.get(key, -1):
                last[key] = record.offset
        for (topic, number), offset in last.items():
            partition = TopicPartition(topic, number)
            if offset + 1 > pending.get(partition, -1):
                pending[partition] = offset + 1
        if pending and (self._running is None or self._running.done()):
            # in a context of its own, not the batch's: a task copies the context it is made in, and each commit's
            # request timers (aiokafka's 40 s wait_for, kept in the loop's heap after the answer) would hold the batch
            # there, its records and all, through faststream's message variable (bench/history/national-scale.md, notify-catchup)
            self._running = asyncio.get_running_loop().create_task(self._commit_pending(), context=contextvars.Context())

    async def handled_after(self, records: Sequence[Any], tail: Awaitable[Any] | None, again: Callable[[Sequence[Any]], None]) -> None:
        """The batch is applied and its tail is on its way: commit past its records once the tail and every tail before
        it are done. Returns at once, unless MAX_TAILS are in flight (then once the oldest is done)."""
        previous = self._tails[-1] if self._tails else None
        self._tails.append(asyncio.ensure_future(self._after(previous, tail, records, again, self._failed_tails)))
        self._tails = [t for t in self._tails if not t.done()]
        while len(self._tails) > MAX_TAILS:
            await asyncio.wait([self._tails[0]])
            self._tails = [t for t in self._tails if not t.done()]

    async def _after(self, previous: asyncio.Future | None, tail: Awaitable[Any] | None, records: Sequence[Any],
                     again: Callable[[Sequence[Any]], None], failed_before: int) -> None:
        if previous is not None:
            await asyncio.wait([previous])
        try:
            if tail is not None:  # a batch with no tail of its own, handled while others' were on their way
                await tail
        except Exception as error:  # noqa: BLE001 - the batch comes again (module docstring)
            log.warning("%s: a batch's tail failed (%s); its records will be delivered again", self.name, error)
            self._failed_tails += 1
            consumer = self._consumer()
            if consumer is not None:
                again(records)
            return
        if self._failed_tails == failed_before:
            self.handled(records)

    @property
    def tails(self) -> bool:
        """Some batch's tail is still on its way (a batch handled now must hand its offsets over after it)."""
        return any(not t.done() for t in self._tails)

    def forget(self, partitions: Iterable[TopicPartition]) -> None:
        """Leave these partitions' waiting offsets uncommitted (they were sent back to their beginning)."""
        for partition in partitions:
            self._pending.pop(partition, None)

    async def settled(self) -> None:
        """Wait until every offset handed over so far was committed (or its commit failed), tails included."""
        if self._tails:
            await asyncio.wait(self._tails)
        while self._running is not None and not self._running.done():
            await asyncio.shield(self._running)

    async def _commit_pending(self) -> None:
        while self._pending:
            offsets, self._pending = self._pending, {}
            consumer = self._consumer()
            if consumer is None:
                return
            assigned = consumer.assignment()
            offsets = {partition: offset for partition, offset in offsets.items() if partition in assigned}
            if not offsets:
                continue
            try:
                await consumer.commit(offsets)
            except Exception as error:  # noqa: BLE001 - redelivered and skipped by checkpoints (module docstring)
                log.warning("%s: offset commit failed (%s); those records will be delivered again and skipped", self.name, error)

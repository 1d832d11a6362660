"""A subscriber's offset commits, in the background: the next batch is fetched and applied while the last one's commit
travels to the broker.

A batch's offsets are handed over only once it is handled (its store transaction committed): what is committed to the
broker was applied, as before. Commits are coalesced: while one is on its way, the offsets of the batches handled
meanwhile wait and go in the next one (one commit per broker round trip, whatever the batch rate), never more than one
commit in flight, so they reach the broker in order. A commit that fails (a rebalance took the partition, the broker
is away) is only logged: the batches it covered are delivered again and skipped by the consumers' checkpoints
(continuity.py), as after any crash between a store commit and an offset commit.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Callable, Iterable, Sequence

from aiokafka import TopicPartition

log = logging.getLogger("tiendo.bus")


class OffsetCommits:
    def __init__(self, consumer: Callable[[], Any], name: str) -> None:
        self._consumer, self.name = consumer, name
        self._pending: dict[TopicPartition, int] = {}
        self._running: asyncio.Task | None = None

    def handled(self, records: Sequence[Any]) -> None:
        """The batch is applied: commit past its records, soon (the caller goes on to the next batch at once)."""
        pending = self._pending
        for record in records:
            partition = TopicPartition(record.topic, record.partition)
            if record.offset + 1 > pending.get(partition, -1):
                pending[partition] = record.offset + 1
        if pending and (self._running is None or self._running.done()):
            self._running = asyncio.ensure_future(self._commit_pending())

    def forget(self, partitions: Iterable[TopicPartition]) -> None:
        """Leave these partitions' waiting offsets uncommitted (they were sent back to their beginning)."""
        for partition in partitions:
            self._pending.pop(partition, None)

    async def settled(self) -> None:
        """Wait until every offset handed over so far was committed (or its commit failed)."""
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

"""notify's whole-history catch-up (a first start on a fresh broker, or a group with no floors) reads every record of
the plans and tasks topics again, ≈ 560k at national size, in batches of up to 2,000: a batch must be freed once it is
handled, whatever the offset commit it starts does.

faststream keeps the message being handled (the batch, its records and all) in a context variable, and a task copies
the context it is made in. The offset commit a batch starts was such a task, and aiokafka's request timer in it (a
40 s `wait_for`, cancelled when the broker answers but left in the loop's heap until it falls due) kept that context,
so every batch committed in the last 40 s stayed alive: 33 contexts, 59,326 records, notify at 322–336 MB
(bench/history/national-scale.md, "notify's whole-history catch-up in < 250 MB")."""
from __future__ import annotations

import asyncio
import gc
import weakref

from aiokafka import TopicPartition
from faststream import ContextRepo

from services.runtime.offset_commits import OffsetCommits

A = TopicPartition("tiendo.tasks.events", 0)


class Record:
    def __init__(self, offset: int) -> None:
        self.topic, self.partition, self.offset = A.topic, A.partition, offset
        self.value = b"x" * 1024  # what a batch holds: the events' bytes


class Batch(list):
    """A batch of records that a weak reference can watch."""


class Consumer:
    """Commits as aiokafka's do: the request waits for the broker's answer under a 40 s `wait_for`."""

    def __init__(self) -> None:
        self.commits: list[dict[TopicPartition, int]] = []

    def assignment(self) -> set[TopicPartition]:
        return {A}

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.commits.append(dict(offsets))
        await asyncio.wait_for(asyncio.sleep(0), 40)


async def test_a_batch_handled_and_committed_is_not_kept_alive_by_its_commit():
    consumer, context = Consumer(), ContextRepo()
    commits = OffsetCommits(lambda: consumer, "notify.escalations")
    batch = Batch(Record(offset) for offset in range(2_000))
    alive = weakref.ref(batch)
    with context.scope("message", batch):  # as faststream handles a batch
        commits.handled(batch)
    await commits.settled()
    del batch
    gc.collect()
    assert consumer.commits == [{A: 2_000}]
    assert alive() is None, "the batch is still referenced after it was handled and committed"


async def test_batches_handled_one_after_another_leave_none_behind():
    consumer, context = Consumer(), ContextRepo()
    commits = OffsetCommits(lambda: consumer, "notify.escalations")
    watched = []
    for first in range(0, 10_000, 2_000):
        batch = Batch(Record(offset) for offset in range(first, first + 2_000))
        watched.append(weakref.ref(batch))
        with context.scope("message", batch):
            commits.handled(batch)
        await asyncio.sleep(0)
        del batch
    await commits.settled()
    gc.collect()
    assert consumer.commits[-1] == {A: 10_000}
    assert [ref for ref in watched if ref() is not None] == []

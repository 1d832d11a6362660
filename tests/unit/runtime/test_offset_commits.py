"""A subscriber's offsets are committed in the background once a batch is handled: one commit in flight, the batches
handled meanwhile coalesced into the next, partitions no longer assigned left out, failures logged (never raised)."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiokafka import TopicPartition

from services.runtime.offset_commits import OffsetCommits

A, B = TopicPartition("tiendo.tasks.events", 0), TopicPartition("tiendo.tasks.events", 1)


@dataclass
class Record:
    topic: str
    partition: int
    offset: int


def batch(partition: TopicPartition, *offsets: int) -> list[Record]:
    return [Record(partition.topic, partition.partition, o) for o in offsets]


class Consumer:
    """Commits wait for `release` (a broker round trip the test controls)."""

    def __init__(self, assigned=(A, B), fails: bool = False) -> None:
        self.assigned, self.fails = set(assigned), fails
        self.commits: list[dict[TopicPartition, int]] = []
        self.release = asyncio.Event()

    def assignment(self) -> set[TopicPartition]:
        return self.assigned

    async def commit(self, offsets: dict[TopicPartition, int]) -> None:
        self.commits.append(dict(offsets))
        await self.release.wait()
        if self.fails:
            raise RuntimeError("the group rebalanced")


async def test_the_handler_does_not_wait_for_the_commit_and_batches_handled_meanwhile_go_in_the_next_one():
    consumer = Consumer()
    commits = OffsetCommits(lambda: consumer, "reporting")
    commits.handled(batch(A, 0, 1, 2))  # returns at once: the commit travels in the background
    await asyncio.sleep(0)
    assert consumer.commits == [{A: 3}]
    commits.handled(batch(A, 3, 4))
    commits.handled(batch(B, 7) + batch(A, 5))
    await asyncio.sleep(0)
    assert consumer.commits == [{A: 3}], "never two commits in flight"
    consumer.release.set()
    await commits.settled()
    assert consumer.commits == [{A: 3}, {A: 6, B: 8}]


async def test_partitions_no_longer_assigned_or_sent_back_are_not_committed():
    consumer = Consumer(assigned=(A,))
    commits = OffsetCommits(lambda: consumer, "reporting")
    consumer.release.set()
    commits.handled(batch(A, 4) + batch(B, 9))
    await commits.settled()
    commits.handled(batch(A, 5))
    commits.forget([A])  # a rewind: no older position may land after it
    await commits.settled()
    assert consumer.commits == [{A: 5}]


async def test_a_failed_commit_is_logged_and_the_next_batches_are_still_committed(caplog):
    consumer = Consumer(fails=True)
    commits = OffsetCommits(lambda: consumer, "reporting")
    consumer.release.set()
    commits.handled(batch(A, 0))
    await commits.settled()
    consumer.fails = False
    commits.handled(batch(A, 1))
    await commits.settled()
    assert consumer.commits == [{A: 1}, {A: 2}]
    assert "offset commit failed" in caplog.text


async def test_a_batch_whose_replies_are_on_their_way_is_committed_once_they_and_the_tails_before_it_are_in():
    consumer = Consumer()
    consumer.release.set()
    commits = OffsetCommits(lambda: consumer, "tasks.commands")
    first, second = asyncio.get_running_loop().create_future(), asyncio.get_running_loop().create_future()
    await commits.handled_after(batch(A, 0, 1), first, lambda records: None)  # returns at once: the next batch goes on
    await commits.handled_after(batch(A, 2, 3), second, lambda records: None)
    second.set_result(None)  # the later batch's replies are in first: nothing may be committed past the earlier batch
    for _ in range(5):
        await asyncio.sleep(0)
    assert consumer.commits == [] and commits.tails
    first.set_result(None)
    await commits.settled()
    assert consumer.commits[-1] == {A: 4} and not commits.tails


async def test_a_failed_tail_sends_its_batch_again_and_nothing_after_it_is_committed():
    consumer = Consumer()
    consumer.release.set()
    commits = OffsetCommits(lambda: consumer, "tasks.commands")
    again: list[int] = []
    failed, later = asyncio.get_running_loop().create_future(), asyncio.get_running_loop().create_future()
    await commits.handled_after(batch(A, 0, 1), failed, lambda records: again.append(records[0].offset))
    await commits.handled_after(batch(A, 2, 3), later, lambda records: again.append(records[0].offset))
    failed.set_exception(RuntimeError("the broker went away"))
    later.set_result(None)
    await commits.settled()
    assert again == [0] and consumer.commits == []  # the seek to offset 0 brings both batches again


async def test_the_next_batch_waits_when_too_many_tails_are_on_their_way():
    from services.runtime.offset_commits import MAX_TAILS
    consumer = Consumer()
    consumer.release.set()
    commits = OffsetCommits(lambda: consumer, "tasks.commands")
    tails = [asyncio.get_running_loop().create_future() for _ in range(MAX_TAILS + 1)]
    for n, tail in enumerate(tails[:MAX_TAILS]):
        await commits.handled_after(batch(A, n), tail, lambda records: None)
    one_more = asyncio.ensure_future(commits.handled_after(batch(A, MAX_TAILS), tails[-1], lambda records: None))
    for _ in range(5):
        await asyncio.sleep(0)
    assert not one_more.done()  # held until the oldest tail is in
    tails[0].set_result(None)
    await asyncio.wait_for(one_more, 5)
    for tail in tails[1:]:
        tail.set_result(None)
    await commits.settled()
    assert consumer.commits[-1] == {A: MAX_TAILS + 1}


async def test_a_batch_without_a_tail_handled_behind_one_waits_for_it_and_is_not_sent_again():
    consumer = Consumer()
    consumer.release.set()
    commits = OffsetCommits(lambda: consumer, "tasks.commands")
    again: list[int] = []
    replies = asyncio.get_running_loop().create_future()
    await commits.handled_after(batch(A, 0), replies, lambda records: again.append(records[0].offset))
    await commits.handled_after(batch(A, 1), None, lambda records: again.append(records[0].offset))  # e.g. a batch set aside record by record
    for _ in range(5):
        await asyncio.sleep(0)
    assert consumer.commits == []
    replies.set_result(None)
    await commits.settled()
    assert consumer.commits[-1] == {A: 2} and again == []

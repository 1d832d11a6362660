"""A subscriber behind on its first topics puts its later topics' partitions off (runtime/precedence.py): paused while a
full batch of the first topics' records waits, resumed once it has caught up, and never held past HOLD_S."""
from __future__ import annotations

from types import SimpleNamespace

from aiokafka import TopicPartition

from services.runtime.precedence import Precedence

TASKS, NOTIFY = "tiendo.tasks.events", "tiendo.notify.events"


class Consumer:
    """aiokafka's consumer as far as precedence sees it: assignment, high watermarks and positions, pause and resume."""

    def __init__(self) -> None:
        self.assigned = {TopicPartition(t, p) for t in (TASKS, NOTIFY) for p in range(2)}
        self.paused: set[TopicPartition] = set()
        self.high = {tp: 0 for tp in self.assigned}
        self.at = {tp: 0 for tp in self.assigned}

    def waiting(self, topic: str, records: int) -> None:
        """`records` of `topic` fetched past, spread over its partitions (what the fetches' high watermarks say)."""
        for p in range(2):
            tp = TopicPartition(topic, p)
            self.high[tp] = self.at[tp] + records // 2 + (records % 2 if p == 0 else 0)

    def assignment(self) -> set[TopicPartition]:
        return self.assigned

    def highwater(self, tp: TopicPartition) -> int | None:
        return self.high.get(tp)

    async def position(self, tp: TopicPartition) -> int:
        return self.at[tp]

    def pause(self, *partitions: TopicPartition) -> None:
        assert all(p in self.assigned for p in partitions)
        self.paused.update(partitions)

    def resume(self, *partitions: TopicPartition) -> None:
        self.paused.difference_update(partitions)

    def paused_topics(self) -> set[str]:
        return {p.topic for p in self.paused}


def records(tasks: int, notify: int = 0) -> list:
    return [SimpleNamespace(topic=TASKS)] * tasks + [SimpleNamespace(topic=NOTIFY)] * notify


async def test_a_full_batch_waiting_on_the_first_topics_pauses_the_later_ones_until_it_has_caught_up():
    consumer, precedence = Consumer(), Precedence(frozenset({NOTIFY}), full=10)
    consumer.waiting(TASKS, 9)
    await precedence.after_fetch(consumer, records(4, 3), now=0)  # less than a batch waiting: it keeps up, nothing waits
    assert consumer.paused == set()
    consumer.waiting(TASKS, 10)
    consumer.waiting(NOTIFY, 5000)
    await precedence.after_fetch(consumer, records(0, 10), now=1)  # behind on tasks, whatever this fetch brought
    assert consumer.paused_topics() == {NOTIFY} and len(consumer.paused) == 2
    await precedence.after_fetch(consumer, records(10), now=2)  # still behind
    assert consumer.paused_topics() == {NOTIFY}
    consumer.waiting(TASKS, 3)
    await precedence.after_fetch(consumer, records(10), now=3)  # caught up on tasks: notify's records come again
    assert consumer.paused == set()


async def test_a_backlog_of_the_later_topics_alone_pauses_nothing():
    consumer, precedence = Consumer(), Precedence(frozenset({NOTIFY}), full=10)
    consumer.waiting(NOTIFY, 5000)
    await precedence.after_fetch(consumer, records(0, 10), now=0)
    assert consumer.paused == set()


async def test_no_high_watermark_known_pauses_nothing():
    consumer, precedence = Consumer(), Precedence(frozenset({NOTIFY}), full=10)
    consumer.high = {tp: None for tp in consumer.assigned}
    await precedence.after_fetch(consumer, records(10), now=0)
    assert consumer.paused == set()


async def test_the_later_topics_wait_hold_s_at_most_and_are_paused_again_only_after_a_fetch_brought_them():
    consumer, precedence = Consumer(), Precedence(frozenset({NOTIFY}), full=10, hold_s=30)
    consumer.waiting(TASKS, 100)
    await precedence.after_fetch(consumer, records(10), now=0)
    assert consumer.paused_topics() == {NOTIFY}
    await precedence.after_fetch(consumer, records(10), now=29)
    assert consumer.paused_topics() == {NOTIFY}
    await precedence.after_fetch(consumer, records(10), now=30)  # held 30 s: resumed although still behind
    assert consumer.paused == set()
    await precedence.after_fetch(consumer, records(10), now=31)  # no notify record fetched since: not paused again
    assert consumer.paused == set()
    await precedence.after_fetch(consumer, records(8, 2), now=32)  # notify's records came: they may wait again
    await precedence.after_fetch(consumer, records(10), now=33)
    assert consumer.paused_topics() == {NOTIFY} and precedence.pauses == 2


async def test_a_resume_after_a_join_resumes_the_partitions_assigned_now():
    consumer, precedence = Consumer(), Precedence(frozenset({NOTIFY}), full=10)
    consumer.waiting(TASKS, 100)
    await precedence.after_fetch(consumer, records(10), now=0)
    consumer.assigned = {TopicPartition(TASKS, 0), TopicPartition(NOTIFY, 1)}  # a join took some away
    consumer.paused &= consumer.assigned
    consumer.waiting(TASKS, 0)
    await precedence.after_fetch(consumer, records(2), now=1)
    assert consumer.paused == set() and precedence.paused_at is None

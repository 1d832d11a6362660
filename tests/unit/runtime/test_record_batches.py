"""A record batch refused for what a record is (too large) is sent again record by record: only that record gets the
error; a broker away is the outcome of every record not acknowledged."""
from __future__ import annotations

import asyncio

from aiokafka.errors import KafkaConnectionError, MessageSizeTooLargeError

from services.runtime.record_batches import send_in_record_batches


class Builder:
    def __init__(self) -> None:
        self.records: list[bytes] = []

    def append(self, *, key, value, timestamp, headers):
        if len(self.records) == 4:
            return None  # full
        self.records.append(value)
        return object()


class Producer:
    """Stands for aiokafka's producer: a batch holding a value over `limit` bytes is refused whole, as a broker does."""

    def __init__(self, limit: int = 100, away: bool = False) -> None:
        self.limit, self.away, self.acknowledged = limit, away, []

    async def partitions_for(self, topic):
        if self.away:
            raise KafkaConnectionError("broker away")
        return {0, 1}

    def create_batch(self) -> Builder:
        return Builder()

    async def send_batch(self, builder, topic, *, partition):
        return self._settled(builder.records)

    async def send(self, topic, value, key=None, headers=None):
        return self._settled([value])

    def _settled(self, values: list[bytes]) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        if any(len(v) > self.limit for v in values):
            future.set_exception(MessageSizeTooLargeError())
        else:
            self.acknowledged.extend(values)
            future.set_result(None)
        return future


def records(values: list[bytes]):
    return [(f"k{i % 3}".encode(), value, []) for i, value in enumerate(values)]


async def test_only_the_record_too_large_gets_the_error_and_the_others_of_its_batch_go_out():
    values = [b"a" * 10] * 9 + [b"b" * 500] + [b"c" * 10] * 5
    producer = Producer()
    outcomes = await send_in_record_batches(producer, "t", records(values), (MessageSizeTooLargeError,))
    assert [i for i, o in enumerate(outcomes) if o is not None] == [9]
    assert isinstance(outcomes[9], MessageSizeTooLargeError)
    assert sorted(producer.acknowledged) == sorted(v for v in values if len(v) < 100)


async def test_a_broker_away_is_the_outcome_of_every_record():
    outcomes = await send_in_record_batches(Producer(away=True), "t", records([b"a"] * 5), (MessageSizeTooLargeError,))
    assert all(isinstance(o, KafkaConnectionError) for o in outcomes) and len(outcomes) == 5


async def test_records_go_to_the_partitions_given_not_to_those_the_producer_knows():
    sent_to: list[int] = []

    class Counting(Producer):
        async def send_batch(self, builder, topic, *, partition):
            sent_to.append(partition)
            return await super().send_batch(builder, topic, partition=partition)

    keys = [f"stream-{n}".encode() for n in range(40)]
    await send_in_record_batches(Counting(), "t", [(k, b"v", []) for k in keys], partitions=[0, 1, 2, 3])
    assert set(sent_to) == {0, 1, 2, 3}  # the producer knows {0, 1} only: the relay's chain counted four


async def test_records_without_a_key_are_spread_over_the_partitions_in_turn():
    sent_to: list[int] = []

    class Counting(Producer):
        async def send_batch(self, builder, topic, *, partition):
            sent_to.append(partition)
            return await super().send_batch(builder, topic, partition=partition)

    outcomes = await send_in_record_batches(Counting(), "t", [(None, b"v", [])] * 4, keys_repeat=False)
    assert outcomes == [None] * 4 and sorted(sent_to) == [0, 1]

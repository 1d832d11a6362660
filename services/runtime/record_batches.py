"""Sending many records as whole record batches: the outbox relay's way to publish at the producer's full speed.

aiokafka's `send()` costs a coroutine, an accumulator call and a future per record; here the records are appended to
one record batch per partition (the key's partition, murmur2 as `send()` and Java clients choose it) and each full
batch is handed over with `send_batch()`. On this machine that is about half the CPU and twice the rate of one
`send()` per record (bench/pipeline.py). Per-partition order is the order of `records`, as with `send()`.

A record batch refused for what its records are (too large for the broker) is sent again record by record, so only
the record at fault gets the error; every other error is the outcome of every record of the batches it hit.
"""
from __future__ import annotations

import asyncio
from typing import Any, Sequence

from aiokafka.partitioner import DefaultPartitioner

Record = tuple[bytes, bytes, list[tuple[str, bytes]]]  # key, value, headers

_PARTITIONER = DefaultPartitioner()


async def send_in_record_batches(producer: Any, topic: str, records: Sequence[Record],
                                 record_errors: tuple[type[BaseException], ...] = ()) -> list[BaseException | None]:
    """Per record, None once the broker acknowledged it, or the error. Every batch handed over settles before this
    returns (a send left pending could be retried against a broker that came back empty: see topics.py)."""
    outcomes: list[BaseException | None] = [None] * len(records)
    sent: list[tuple[list[int], asyncio.Future]] = []
    try:
        await _hand_over(producer, topic, records, sent)
    except Exception as error:  # the broker is away: what was not handed over has the error
        handed = {index for members, _ in sent for index in members}
        outcomes = [error if index not in handed else None for index in range(len(records))]
    finally:
        results = await asyncio.gather(*(future for _, future in sent), return_exceptions=True)
    for (members, _), result in zip(sent, results):
        if isinstance(result, BaseException):
            for index in members:
                outcomes[index] = result
    if len(records) > 1:
        for index, outcome in enumerate(outcomes):
            if isinstance(outcome, record_errors):  # which record of its batch: one at a time
                outcomes[index] = await _send_one(producer, topic, records[index])
    return outcomes


async def _hand_over(producer: Any, topic: str, records: Sequence[Record], sent: list[tuple[list[int], asyncio.Future]]) -> None:
    partitions = sorted(await producer.partitions_for(topic))
    open_batches: dict[int, tuple[Any, list[int]]] = {}
    for index, (key, value, headers) in enumerate(records):
        partition = _PARTITIONER(key, partitions, partitions)
        builder, members = open_batches.get(partition) or (producer.create_batch(), [])
        if builder.append(key=key, value=value, timestamp=None, headers=headers) is None:  # full: hand it over
            sent.append((members, await producer.send_batch(builder, topic, partition=partition)))
            builder, members = producer.create_batch(), []
            builder.append(key=key, value=value, timestamp=None, headers=headers)
        members.append(index)
        open_batches[partition] = (builder, members)
    for partition, (builder, members) in open_batches.items():
        sent.append((members, await producer.send_batch(builder, topic, partition=partition)))


async def _send_one(producer: Any, topic: str, record: Record) -> BaseException | None:
    key, value, headers = record
    try:
        await (await producer.send(topic, value, key=key, headers=headers))
    except Exception as error:
        return error
    return None

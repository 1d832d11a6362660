"""Sending many records as whole record batches: the outbox relay's way to publish at the producer's full speed.

aiokafka's `send()` costs a coroutine, an accumulator call and a future per record; here the records are appended to
one record batch per partition (the key's partition, murmur2 as `send()` and Java clients choose it: `partition_of`)
and each full batch is handed over with `send_batch()`. On this machine that is about half the CPU and twice the rate of one
`send()` per record (bench/pipeline.py). Per-partition order is the order of `records`, as with `send()`.

A record batch refused for what its records are (too large for the broker) is sent again record by record, so only
the record at fault gets the error; every other error is the outcome of every record of the batches it hit.
"""
from __future__ import annotations

import asyncio
from typing import Any, Sequence

import struct

from services.runtime.turns import TURN_RECORDS, Turns

Record = tuple[bytes | None, bytes, list[tuple[str, bytes]]]  # key, value, headers

MURMUR_M = 0x5BD1E995
MURMUR_SEED = 0x9747B28C
MAX_CACHED_KEYS = 300_000  # keys whose hash is remembered (≈ 120 bytes each) before the cache starts again
_HASHES: dict[bytes, int] = {}
_UNPACK: dict[int, Any] = {}  # words in a key -> its compiled unpacking (keys are short: a few lengths)


def murmur2(data: bytes) -> int:
    """Kafka's murmur2 of `data` (Java's Utils.murmur2, unsigned 32 bits), as aiokafka's pure-Python one computes it,
    with the 4-byte words unpacked at once (a compiled struct per key length) and one mask per word: a word's two
    products are masked together (masking distributes over xor), about a quarter of its time per key."""
    length = len(data)
    h = MURMUR_SEED ^ length
    words = length >> 2
    if words:
        unpack = _UNPACK.get(words) or _UNPACK.setdefault(words, struct.Struct(f"<{words}I").unpack_from)
        for k in unpack(data):
            k = k * MURMUR_M & 0xFFFFFFFF
            h = (h * MURMUR_M ^ (k ^ k >> 24) * MURMUR_M) & 0xFFFFFFFF
    tail = words << 2
    extra = length & 3
    if extra >= 3:
        h ^= data[tail + 2] << 16
    if extra >= 2:
        h ^= data[tail + 1] << 8
    if extra:
        h = ((h ^ data[tail]) * MURMUR_M) & 0xFFFFFFFF
    h = ((h ^ (h >> 13)) * MURMUR_M) & 0xFFFFFFFF
    return h ^ (h >> 15)


def partition_of(key: bytes, partitions: Sequence[int], keys_repeat: bool = True) -> int:
    """The partition Kafka's default partitioner gives `key` among `partitions` (sorted): murmur2 & 0x7fffffff modulo
    their count. A key's hash is computed once per process: stream ids repeat (every event of a stream, and the whole
    history again after a broker restart), so a republished history hashes nothing it published before. Keys that do not
    repeat (`keys_repeat=False`: a command id) are hashed every time and not remembered."""
    if not keys_repeat:
        return partitions[(murmur2(key) & 0x7FFFFFFF) % len(partitions)]
    hashed = _HASHES.get(key)
    if hashed is None:
        if len(_HASHES) >= MAX_CACHED_KEYS:
            _HASHES.clear()  # bounded memory: keys are hashed again
        hashed = _HASHES[key] = murmur2(key) & 0x7FFFFFFF
    return partitions[hashed % len(partitions)]


async def send_in_record_batches(producer: Any, topic: str, records: Sequence[Record],
                                 record_errors: tuple[type[BaseException], ...] = (), partitions: Sequence[int] | None = None,
                                 keys_repeat: bool = True) -> list[BaseException | None]:
    """Per record, None once the broker acknowledged it, or the error. Every batch handed over settles before this
    returns (a send left pending could be retried against a broker that came back empty: see topics.py). `partitions`:
    the topic's partitions the keys are spread over (default: as the producer knows them now)."""
    return await (await hand_over_in_record_batches(producer, topic, records, record_errors, partitions, keys_repeat))


async def hand_over_in_record_batches(producer: Any, topic: str, records: Sequence[Record],
                                      record_errors: tuple[type[BaseException], ...] = (), partitions: Sequence[int] | None = None,
                                      keys_repeat: bool = True) -> "asyncio.Future[list[BaseException | None]]":
    """Hand every record to the producer and return once they are all handed over (not acknowledged): the returned
    future settles with the outcomes, as `send_in_record_batches` gives them. Records handed over by a later call go
    after these in each partition (the producer keeps one request in flight per partition), so a caller may hand
    over its next records while these travel; it must await the future before it counts them published. The loop gets
    a turn every TURN_SECONDS of appending (a republished batch of 10,000 records takes tens of milliseconds).
    `keys_repeat`: as `partition_of`; a record without a key goes to the partitions in turn."""
    sent: list[tuple[list[int], asyncio.Future]] = []
    failed: Exception | None = None
    try:
        await _hand_over(producer, topic, records, sent, partitions, keys_repeat)
    except Exception as error:  # the broker is away: what was not handed over has the error
        failed = error
    return asyncio.ensure_future(_settle(producer, topic, records, sent, failed, record_errors))


async def _settle(producer: Any, topic: str, records: Sequence[Record], sent: list[tuple[list[int], asyncio.Future]],
                  failed: Exception | None, record_errors: tuple[type[BaseException], ...]) -> list[BaseException | None]:
    outcomes: list[BaseException | None] = [None] * len(records)
    if failed is not None:
        handed = {index for members, _ in sent for index in members}
        outcomes = [failed if index not in handed else None for index in range(len(records))]
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


async def _hand_over(producer: Any, topic: str, records: Sequence[Record], sent: list[tuple[list[int], asyncio.Future]],
                     partitions: Sequence[int] | None = None, keys_repeat: bool = True) -> None:
    partitions = sorted(partitions if partitions is not None else await producer.partitions_for(topic))
    open_batches: dict[int, tuple[Any, list[int]]] = {}
    turns = Turns()
    for index, (key, value, headers) in enumerate(records):
        if not index & TURN_RECORDS:
            await turns.take()  # only this call hands records of this topic over meanwhile: the order holds
        partition = partition_of(key, partitions, keys_repeat) if key is not None else partitions[index % len(partitions)]
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

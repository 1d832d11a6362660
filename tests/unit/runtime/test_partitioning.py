"""The relay's partition of a key is the one Kafka's default partitioner (aiokafka's, Java's) gives it, whatever the key
and the partition count, computed once per key."""
from __future__ import annotations

import random

from aiokafka.partitioner import DefaultPartitioner, murmur2 as aiokafka_murmur2

from services.runtime import record_batches
from services.runtime.record_batches import murmur2, partition_of


def keys() -> list[bytes]:
    rng = random.Random(11)
    made = [bytes(rng.randrange(256) for _ in range(length)) for length in range(0, 70) for _ in range(30)]
    made += [f"task-{uuid}".encode() for uuid in (rng.getrandbits(128) for _ in range(2000))]
    return made + ["kế-hoạch-tỉnh-04".encode(), b"\xff" * 13, b"\x80\x00\x7f"]


def test_murmur2_is_aiokafkas_for_every_length_and_byte():
    for key in keys():
        assert murmur2(key) == aiokafka_murmur2(key), key


def test_the_partition_of_a_key_is_the_default_partitioners_for_any_count():
    choose = DefaultPartitioner()
    for count in (1, 2, 3, 4, 7, 12):
        partitions = list(range(count))
        for key in keys():
            assert partition_of(key, partitions) == choose(key, partitions, partitions), (key, count)


def test_a_key_is_hashed_once_and_the_cache_is_bounded(monkeypatch):
    calls: list[bytes] = []
    monkeypatch.setattr(record_batches, "_HASHES", {})
    monkeypatch.setattr(record_batches, "MAX_CACHED_KEYS", 3)
    monkeypatch.setattr(record_batches, "murmur2", lambda key: calls.append(key) or aiokafka_murmur2(key))
    for key in (b"a", b"b", b"a", b"a", b"b"):
        partition_of(key, [0, 1, 2])
    assert calls == [b"a", b"b"]  # each key hashed once
    for key in (b"c", b"d", b"e"):
        partition_of(key, [0, 1, 2])
    assert len(record_batches._HASHES) <= 3  # started again past the bound
    assert partition_of(b"a", [0, 1, 2]) == DefaultPartitioner()(b"a", [0, 1, 2], [0, 1, 2])


def test_keys_that_do_not_repeat_take_the_default_partitioners_choice_and_are_not_remembered(monkeypatch):
    monkeypatch.setattr(record_batches, "_HASHES", {})
    choose = DefaultPartitioner()
    for key in keys():
        assert partition_of(key, [0, 1, 2, 3, 4, 5], keys_repeat=False) == choose(key, list(range(6)), list(range(6)))
    assert record_batches._HASHES == {}  # command ids would only fill the cache

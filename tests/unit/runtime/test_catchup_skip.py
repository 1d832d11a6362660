"""A catch-up over history already applied costs next to nothing: the consumers of a process read their checkpoints of
a batch's streams in ONE query together, and skip what is at or below them by the headers alone (no decode, no write,
no further store read per record or per consumer)."""
from __future__ import annotations

from typing import Iterable, Mapping

import services.runtime.subscriptions as subscriptions
from services.runtime.memory_store import MemoryStore
from tests.unit.runtime.test_shared_decoding import Collected, record, reported, subscription

CONSUMERS = {"reporting.projection": None, "reporting.live": None, "reporting.plans": None}


class CountingLedger(MemoryStore):
    """A ledger that counts its reads and writes."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    async def checkpoints(self, consumer: str, stream_ids: Iterable[str]) -> dict[str, int]:
        self.calls.append("checkpoints")
        return await super().checkpoints(consumer, stream_ids)

    async def checkpoints_of(self, consumers: Iterable[str], stream_ids: Iterable[str]) -> dict[str, dict[str, int]]:
        self.calls.append("checkpoints_of")
        return await super().checkpoints_of(consumers, stream_ids)

    async def advance(self, consumer: str, versions: Mapping[str, int]) -> None:
        self.calls.append("advance")
        await super().advance(consumer, versions)


def history(streams: int, versions: int, body: bytes | None = None) -> list:
    return [record(reported(), v, stream=f"task-t{s}", body=body) for v in range(1, versions + 1) for s in range(streams)]


async def test_a_batch_every_consumer_applied_is_skipped_with_one_store_read_and_no_decoding(monkeypatch):
    ledger, sink = CountingLedger(), Collected()
    for name in CONSUMERS:
        await ledger.advance(name, {f"task-t{s}": 5 for s in range(100)})
    ledger.calls.clear()
    decoded = []
    real_decode = subscriptions.decode
    monkeypatch.setattr(subscriptions, "decode", lambda *args: decoded.append(args) or real_decode(*args))
    shared = subscription(ledger, CONSUMERS, sink)
    await shared(history(100, 5, body=b"not json: a skipped record is never read"))  # 500 records, all applied
    assert ledger.calls == ["checkpoints_of"]  # one read for three consumers and 100 streams; nothing written
    assert decoded == [] and sink.events == [] and sink.dead == []
    for name in CONSUMERS:
        assert shared.stats[name] == {"received": 500, "applied": 0, "skipped": 500, "refused": 0}


async def test_a_consumer_behind_the_others_applies_what_it_lacks_from_the_same_single_read(monkeypatch):
    ledger, sink = CountingLedger(), Collected()
    await ledger.advance("reporting.projection", {f"task-t{s}": 3 for s in range(10)})
    await ledger.advance("reporting.live", {f"task-t{s}": 2 for s in range(10)})  # one version behind
    ledger.calls.clear()
    decoded = []
    real_decode = subscriptions.decode
    monkeypatch.setattr(subscriptions, "decode", lambda *args: decoded.append(args) or real_decode(*args))
    shared = subscription(ledger, {"reporting.projection": None, "reporting.live": None}, sink)
    await shared(history(10, 3))
    assert ledger.calls == ["checkpoints_of", "advance"]  # the one read, then live's advance
    assert len(decoded) == 10  # only version 3 of each stream, once
    assert sorted((e.envelope.stream_id, e.envelope.stream_version) for e in sink.events) == [(f"task-t{s}", 3) for s in range(10)]
    assert await ledger.checkpoints("reporting.live", [f"task-t{s}" for s in range(10)]) == {f"task-t{s}": 3 for s in range(10)}
    assert shared.stats["reporting.projection"]["skipped"] == 30 and shared.stats["reporting.live"]["applied"] == 10

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


async def test_once_a_streams_floor_is_known_its_applied_records_are_skipped_with_no_store_read_at_all(monkeypatch):
    ledger, sink = CountingLedger(), Collected()
    await ledger.advance("reporting.projection", {f"task-t{s}": 3 for s in range(10)})
    await ledger.advance("reporting.live", {f"task-t{s}": 2 for s in range(10)})  # one version behind
    shared = subscription(ledger, {"reporting.projection": None, "reporting.live": None}, sink)
    await shared(history(10, 2))  # both applied these: the floors become 2 (the lower checkpoint of the two)
    assert shared.floors == {f"task-t{s}": 2 for s in range(10)}
    ledger.calls.clear()
    await shared(history(10, 2))  # the same history again (a broker restart): no read, no decode, no write
    assert ledger.calls == [] and sink.events == []
    await shared(history(10, 3))  # version 3 is above live's floor: read from the store, applied by live alone
    assert ledger.calls == ["checkpoints_of", "advance"]
    assert sorted((e.envelope.stream_id, e.envelope.stream_version) for e in sink.events) == [(f"task-t{s}", 3) for s in range(10)]
    assert shared.floors == {f"task-t{s}": 3 for s in range(10)}
    assert shared.stats["reporting.live"]["applied"] == 10 and shared.stats["reporting.projection"]["applied"] == 0


async def test_a_failed_batch_moves_no_floor_so_its_redelivery_reaches_the_consumer_that_failed():
    ledger, sink = CountingLedger(), Collected()
    failing = {"left": 1}

    async def flaky(batch) -> None:
        if failing["left"]:
            failing["left"] -= 1
            raise RuntimeError("the store was briefly away")
        sink.events.extend(batch)

    from services.runtime.subscriptions import EventConsumer, SharedSubscription
    from tests.unit.runtime.test_shared_decoding import TOPIC
    consumers = [EventConsumer(frozenset([TOPIC]), "steady", sink.apply), EventConsumer(frozenset([TOPIC]), "flaky", flaky)]
    shared = SharedSubscription("g", consumers, ledger, {c.name: {"received": 0, "applied": 0, "skipped": 0, "refused": 0} for c in consumers},
                                sink.dead_letter)
    batch = history(5, 2)
    try:
        await shared(batch)
    except Exception as error:
        assert "flaky" in str(error)
    else:
        raise AssertionError("the failure must reach the bus (the batch is redelivered)")
    assert shared.floors == {}  # steady applied the batch, flaky did not: no floor may say it is applied
    await shared(batch)  # redelivered: steady skips, flaky applies
    assert shared.stats["flaky"]["applied"] == 10 and shared.stats["steady"]["applied"] == 10
    assert shared.floors == {f"task-t{s}": 2 for s in range(5)}

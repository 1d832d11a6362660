"""After a broker restart, the consumers of a process catch up on the republished history: nothing applied twice,
nothing missed, and the history they had applied is skipped by its headers below the subscription's skip floors, with
no checkpoint read or write at all, on the real bundled broker."""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timezone
from typing import Iterable, Mapping

from schemas.directory import UnitRegistered
from services.runtime.bus import Bus
from services.runtime.epochs import EpochWatch
from services.runtime.events import Cause, envelop
from services.runtime.outbox import OutboxRelay
from services.runtime.sqlite_store import SqliteStore
from tests.integration.test_broker_restart_topics import restartable  # noqa: F401  (the broker killed and started again)
from tests.support.polling import eventually

STREAMS, VERSIONS = 40, 5
CONSUMERS = ("test.projection", "test.live", "test.audit")


class CountingStore(SqliteStore):
    """The consumers' ledger, counting its checkpoint reads and writes."""

    calls: dict[str, int]

    async def checkpoints(self, consumer: str, stream_ids: Iterable[str]) -> dict[str, int]:
        self.calls["checkpoints"] += 1
        return await super().checkpoints(consumer, stream_ids)

    async def checkpoints_of(self, consumers: Iterable[str], stream_ids: Iterable[str]) -> dict[str, dict[str, int]]:
        self.calls["checkpoints_of"] += 1
        return await super().checkpoints_of(consumers, stream_ids)

    async def advance(self, consumer: str, versions: Mapping[str, int]) -> None:
        self.calls["advance"] += 1
        await super().advance(consumer, versions)


async def stop_all(loops: list, bus: Bus, *stores: SqliteStore) -> None:
    """The relay's and the epoch watch's loops cancelled and awaited, then the bus stopped and the stores closed."""
    for loop in loops:
        loop.cancel()
    await asyncio.gather(*loops, return_exceptions=True)
    await bus.stop()
    for store in stores:
        await store.close()


async def append_versions(store: SqliteStore, versions: range, streams: str = "unit") -> None:
    """These versions of each of the STREAMS streams `<streams>-N`."""
    now = datetime.now(timezone.utc)
    for version in versions:
        for s in range(STREAMS):
            event = UnitRegistered(unit_id=f"{streams[0]}{s}", name=f"v{version}", level="province")
            await store.append(f"{streams}-{s}", version - 1, envelop(f"{streams}-{s}", version - 1, [event], Cause("t", "c"), now))


class Applied:
    """What each consumer applied, as (stream id, version) pairs, and whether that is every version up to one."""

    def __init__(self, consumers: Iterable[str]) -> None:
        self.by_consumer: dict[str, list[tuple[str, int]]] = {name: [] for name in consumers}

    def recorder(self, name: str):
        async def apply(batch) -> None:
            self.by_consumer[name].extend((e.envelope.stream_id, e.envelope.stream_version) for e in batch)
        return apply

    async def everything_up_to(self, upto: int) -> bool:
        expected = sorted((f"unit-{s}", v) for s in range(STREAMS) for v in range(1, upto + 1))
        return all(sorted(seen) == expected for seen in self.by_consumer.values())

    def assert_each_once_in_order(self, upto: int) -> None:
        """Every consumer applied every version up to `upto` of every stream once, each stream's in order."""
        for name, seen in self.by_consumer.items():
            assert len(seen) == len(set(seen)) == STREAMS * upto, name  # nothing doubled, nothing lost
            for s in range(STREAMS):
                assert [v for stream, v in seen if stream == f"unit-{s}"] == list(range(1, upto + 1)), name  # in order


async def test_consumers_catch_up_after_a_broker_restart_skipping_by_headers_and_applying_nothing_twice(restartable, tmp_path):  # noqa: F811
    bootstrap, (kill, start) = restartable
    topic = f"test.catchup.{uuid.uuid4().hex[:8]}"
    events = SqliteStore(tmp_path / "events.sqlite3")
    ledger = CountingStore(tmp_path / "ledger.sqlite3")
    ledger.calls = {"checkpoints": 0, "checkpoints_of": 0, "advance": 0}
    await append_versions(events, range(1, VERSIONS + 1))
    applied = Applied(CONSUMERS)

    bus = Bus(bootstrap, client_id="catchup-test")
    bus.use_checkpoints(ledger)
    await bus.ensure_topics([topic], 3)
    group = f"catchup-{uuid.uuid4().hex[:6]}"
    for name in CONSUMERS:
        bus.subscribe_events([topic], group, name, applied.recorder(name))
    relay = OutboxRelay(events, bus, topic, "catchup", topics=[topic], partitions=3, check_seconds=0.3)
    watch = EpochWatch(bus, interval=0.3)
    await bus.start()
    loops = [asyncio.create_task(relay.run()), asyncio.create_task(watch.run())]

    try:
        await eventually(lambda: applied.everything_up_to(VERSIONS), timeout=90, what="the history applied by every consumer")
        first = STREAMS * VERSIONS
        assert all(bus.consumer_stats[name]["received"] == first for name in CONSUMERS)
        ledger.calls.update({"checkpoints": 0, "checkpoints_of": 0, "advance": 0})

        kill()
        start()  # a new, empty broker on the same port: the relay republishes, the consumers read their topic again

        async def caught_up() -> bool:
            return relay.republished_histories >= 1 and relay.published >= 2 * first and all(
                bus.consumer_stats[name]["received"] >= 2 * first for name in CONSUMERS)

        await eventually(caught_up, timeout=120, what="the republished history read again by every consumer")
        for name in CONSUMERS:
            assert bus.consumer_stats[name]["applied"] == first  # nothing applied twice
            assert bus.consumer_stats[name]["skipped"] >= first and bus.consumer_stats[name]["refused"] == 0
        # no store read at all (every stream's skip floor was known from applying it) and no write
        assert ledger.calls == {"checkpoints": 0, "checkpoints_of": 0, "advance": 0}

        await append_versions(events, range(VERSIONS + 1, VERSIONS + 3))  # new events after the restart: applied once
        relay.wake()
        await eventually(lambda: applied.everything_up_to(VERSIONS + 2), timeout=90, what="the new events applied by every consumer")
        applied.assert_each_once_in_order(VERSIONS + 2)
        assert await ledger.checkpoints_of(CONSUMERS, [f"unit-{s}" for s in range(STREAMS)]) == {
            name: {f"unit-{s}": VERSIONS + 2 for s in range(STREAMS)} for name in CONSUMERS}
    finally:
        await stop_all(loops, bus, ledger, events)

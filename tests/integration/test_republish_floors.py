"""After a broker restart a relay publishes again only what some subscriber group has not applied (its floors,
services/runtime/floors.py), on the real bundled broker with real SQLite stores: every event reaches every consumer
once and in order, the relay sends exactly what lies above the floors, and a group that never answers, or whose store is
fresh, gets the whole history."""
from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field

from services.runtime.bus import Bus
from services.runtime.epochs import EpochWatch
from services.runtime.outbox import OutboxRelay
from services.runtime.sqlite_store import SqliteStore
from tests.integration.test_broker_restart_catchup import STREAMS, VERSIONS, Applied, append_versions
from tests.integration.test_broker_restart_topics import restartable  # noqa: F401  (the broker killed and started again)
from tests.support.polling import eventually

HISTORY = STREAMS * VERSIONS


@dataclass
class Group:
    """One consumer group of two consumers in its own process (a Bus) with its own store."""
    name: str
    ledger: SqliteStore
    applied: Applied
    bus: Bus | None = None
    loops: list = field(default_factory=list)

    async def start(self, bootstrap: str, topic: str) -> None:
        self.bus = Bus(bootstrap, client_id=self.name)
        self.bus.use_checkpoints(self.ledger)
        for consumer in self.applied.by_consumer:
            self.bus.subscribe_events([topic], self.name, consumer, self.applied.recorder(consumer))
        watch = EpochWatch(self.bus, interval=1.0)
        await self.bus.start()
        self.loops = [asyncio.create_task(watch.run())]

    async def stop(self) -> None:
        for loop in self.loops:
            loop.cancel()
        await asyncio.gather(*self.loops, return_exceptions=True)
        if self.bus is not None:
            await self.bus.stop()
            self.bus = None


async def run_relay(events: SqliteStore, bootstrap: str, topic: str, subscribers: list[str], wait: float) -> tuple[OutboxRelay, Bus, asyncio.Task]:
    bus = Bus(bootstrap, client_id="floors-relay")
    await bus.ensure_topics([topic], 3)
    relay = OutboxRelay(events, bus, topic, "floors", topics=[topic], partitions=3, check_seconds=1.0, subscribers=subscribers, floor_wait=wait)
    await bus.start()
    return relay, bus, asyncio.create_task(relay.run())


async def republished(relay: OutboxRelay, events: SqliteStore) -> bool:
    last = (await events.read_after(0, 10 * HISTORY))[-1].position
    return relay.republished_histories >= 1 and await events.get_position(relay.name) == last


async def test_a_relay_republishes_only_what_lies_above_the_floors_and_every_event_arrives_once_in_order(restartable, tmp_path):  # noqa: F811
    bootstrap, (kill, start) = restartable
    topic = f"test.floors.{uuid.uuid4().hex[:8]}"
    events = SqliteStore(tmp_path / "events.sqlite3")
    ahead = Group(f"ahead-{topic}", SqliteStore(tmp_path / "ahead.sqlite3"), Applied(("ahead.projection", "ahead.live")))
    behind = Group(f"behind-{topic}", SqliteStore(tmp_path / "behind.sqlite3"), Applied(("behind.projection", "behind.live")))
    await append_versions(events, range(1, 3))
    relay, relay_bus, loop = await run_relay(events, bootstrap, topic, [ahead.name, behind.name], wait=60)
    try:
        await ahead.start(bootstrap, topic)
        await behind.start(bootstrap, topic)
        await eventually(lambda: behind.applied.everything_up_to(2), timeout=90, what="versions 1-2 applied by the group behind")
        await behind.stop()  # its process stops: it applies nothing more until after the broker restart
        await append_versions(events, range(3, VERSIONS + 1))
        relay.wake()
        await eventually(lambda: ahead.applied.everything_up_to(VERSIONS), timeout=90, what="the history applied by the group ahead")
        published_before, unapplied_by_behind = relay.published, STREAMS * (VERSIONS - 2)

        kill()
        start()  # a new, empty broker: the relay and the group ahead running, the group behind started again on it
        await behind.start(bootstrap, topic)
        await eventually(lambda: republished(relay, events), timeout=120, what="the relay's history published again")
        await eventually(lambda: behind.applied.everything_up_to(VERSIONS), timeout=90, what="the rest applied by the group behind")

        # exactly the events the group behind had not applied went out again; everything else was skipped as applied
        assert relay.published - published_before == unapplied_by_behind
        assert relay.republished_from > 0 and relay.skipped_as_applied + relay.republished_from >= HISTORY - unapplied_by_behind
        await append_versions(events, range(VERSIONS + 1, VERSIONS + 2))  # and the relay goes on live after it
        relay.wake()
        for group in (ahead, behind):
            await eventually(lambda: group.applied.everything_up_to(VERSIONS + 1), timeout=90, what=f"the new version applied by {group.name}")
            group.applied.assert_each_once_in_order(VERSIONS + 1)
            assert all(group.bus.consumer_stats[c]["refused"] == 0 for c in group.applied.by_consumer)
        # the group ahead read none of the history again: only what went out for the group behind, and the new version
        assert all(ahead.bus.consumer_stats[c]["received"] <= HISTORY + unapplied_by_behind + STREAMS for c in ahead.applied.by_consumer)

        # another restart: the floors moved on over the last life (the broker made the topic with its own 4 partitions
        # there, the relay's producer knew 3 from before): every group applied everything, nothing goes out again
        published_before, histories = relay.published, relay.republished_histories
        kill()
        start()

        async def again() -> bool:
            return relay.republished_histories > histories and await republished(relay, events)

        await eventually(again, timeout=120, what="the relay's history published again a second time")
        assert relay.published - published_before == 0 and relay.republished_from > 0
    finally:
        loop.cancel()
        await asyncio.gather(loop, return_exceptions=True)
        for group in (ahead, behind):
            await group.stop()
            await group.ledger.close()
        await relay_bus.stop()
        await events.close()


async def test_a_declared_group_that_never_answers_or_a_fresh_store_gets_the_whole_history(restartable, tmp_path):  # noqa: F811
    bootstrap, (kill, start) = restartable
    topic = f"test.floors.{uuid.uuid4().hex[:8]}"
    events = SqliteStore(tmp_path / "events.sqlite3")
    running = Group(f"running-{topic}", SqliteStore(tmp_path / "running.sqlite3"), Applied(("running.projection",)))
    fresh = Group(f"fresh-{topic}", SqliteStore(tmp_path / "fresh.sqlite3"), Applied(("fresh.projection",)))
    await append_versions(events, range(1, VERSIONS + 1))
    silent = f"silent-{topic}"  # declared, never started: its floors never come
    relay, relay_bus, loop = await run_relay(events, bootstrap, topic, [running.name, silent], wait=4)
    try:
        await running.start(bootstrap, topic)
        await eventually(lambda: running.applied.everything_up_to(VERSIONS), timeout=90, what="the history applied")
        before = relay.published
        kill()
        start()
        await eventually(lambda: republished(relay, events), timeout=120, what="the relay's history published again")
        assert relay.published - before == HISTORY and relay.republished_from == 0  # the silent group: everything again
        assert relay.republished_histories == 1

        assert relay.heard == (running.name,)
        # a second restart with the silent group's place taken by one with a fresh store (started on the new broker):
        # it is heard, with no floors, and everything goes out again for it
        relay.subscribers, relay.floor_wait = (running.name, fresh.name), 60
        before = relay.published
        kill()
        start()
        await fresh.start(bootstrap, topic)
        async def second() -> bool:
            return relay.republished_histories == 2

        await eventually(second, timeout=60, what="the second republish")
        await eventually(lambda: republished(relay, events), timeout=120, what="the relay's history published again")
        await eventually(lambda: fresh.applied.everything_up_to(VERSIONS), timeout=90, what="the whole history applied by the fresh store")
        assert relay.published - before == HISTORY and relay.republished_from == 0
        assert set(relay.heard) == {running.name, fresh.name}  # both answered: the fresh store's floors are none
        for group in (running, fresh):
            group.applied.assert_each_once_in_order(VERSIONS)
    finally:
        loop.cancel()
        await asyncio.gather(loop, return_exceptions=True)
        for group in (running, fresh):
            await group.stop()
            await group.ledger.close()
        await relay_bus.stop()
        await events.close()

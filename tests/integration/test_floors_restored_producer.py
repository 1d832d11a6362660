"""Producer positions that go back, and readers that are not declared groups (services/runtime/floors.py), on the real
bundled broker with real SQLite stores: a producer's store replaced by an older copy makes new events at positions the
groups' floors already cover; after a fresh broker the relay finds the floors naming other events than its outbox holds,
takes those groups as covering nothing, and every event reaches every group, none applied twice. A topic republished
from the floors tells a reader from its beginning that its history is not whole (reporting's rebuild refuses it)."""
from __future__ import annotations

import asyncio
import sqlite3
import uuid

import pytest

from schemas.catalog import PLANS_EVENTS
from services.reporting.rebuild import rebuild
from services.runtime.floors import IncompleteHistory, incomplete, require_whole
from services.runtime.sqlite_store import SqliteStore
from tests.integration.test_broker_restart_catchup import STREAMS, Applied, append_versions
from tests.integration.test_broker_restart_topics import restartable  # noqa: F401  (the broker killed and started again)
from tests.integration.test_republish_floors import Group, run_relay
from tests.support.polling import eventually
from tests.support.services import settings_for


async def append_fresh(store: SqliteStore, versions: range) -> None:
    """Versions of streams the groups never saw (`fresh-N`): what a producer makes after its store went back."""
    await append_versions(store, versions, streams="fresh")


def expected(old_versions: int, fresh_versions: int) -> list[tuple[str, int]]:
    return sorted([(f"unit-{s}", v) for s in range(STREAMS) for v in range(1, old_versions + 1)]
                  + [(f"fresh-{s}", v) for s in range(STREAMS) for v in range(1, fresh_versions + 1)])


async def stop_relay(relay_bus, loop) -> None:
    loop.cancel()
    await asyncio.gather(loop, return_exceptions=True)
    await relay_bus.stop()


async def test_a_producer_store_replaced_by_an_older_copy_loses_nothing_after_a_fresh_broker(restartable, tmp_path):  # noqa: F811
    bootstrap, (kill, start) = restartable
    topic = f"test.restored.{uuid.uuid4().hex[:8]}"
    events = SqliteStore(tmp_path / "events.sqlite3")
    groups = [Group(f"{name}-{topic}", SqliteStore(tmp_path / f"{name}.sqlite3"), Applied((f"{name}.projection", f"{name}.live")))
              for name in ("one", "two")]
    names = [g.name for g in groups]
    await append_versions(events, range(1, 3))
    relay, relay_bus, loop = await run_relay(events, bootstrap, topic, names, wait=60)
    restored = None
    try:
        for group in groups:
            await group.start(bootstrap, topic)
        await eventually(lambda: all_applied(groups, expected(2, 0)), timeout=90, what="versions 1-2 applied by both groups")
        await eventually(lambda: at_end(relay, events), timeout=30, what="the relay's position stored at the end")
        source, backup = sqlite3.connect(tmp_path / "events.sqlite3"), sqlite3.connect(tmp_path / "backup.sqlite3")
        source.backup(backup)  # the older copy: positions 1-80, the relay's position 80
        source.close(), backup.close()
        await append_versions(events, range(3, 6))  # positions 81-200, applied by both groups: their floors go up to them
        relay.wake()
        await eventually(lambda: all_applied(groups, expected(5, 0)), timeout=90, what="versions 1-5 applied by both groups")
        assert await incomplete(bootstrap, [topic]) == []  # the first history went out whole

        await stop_relay(relay_bus, loop)
        await events.close()
        restored = SqliteStore(tmp_path / "backup.sqlite3")  # the producer's store replaced by the older copy
        await append_fresh(restored, range(1, 4))  # new events at positions 81-200: what the floors say is applied
        assert (await restored.read_after(0, 1000))[-1].position == 5 * STREAMS

        kill()
        start()  # a fresh broker: the groups running, the producer's relay started again on the copy
        relay, relay_bus, loop = await run_relay(restored, bootstrap, topic, names, wait=60)
        await eventually(lambda: at_end(relay, restored, 1), timeout=120, what="the relay's history published again")
        await eventually(lambda: all_applied(groups, expected(5, 3)), timeout=90, what="the new events applied by both groups")

        assert set(relay.refused_floors) == set(names) and all("went back" in why for why in relay.refused_floors.values())
        assert relay.republished_from == 0 and relay.skipped_as_applied == 0  # both cover nothing: the whole history
        assert relay.published == 5 * STREAMS
        for group in groups:
            for consumer, seen in group.applied.by_consumer.items():
                assert sorted(seen) == expected(5, 3) and len(seen) == len(set(seen)), consumer  # none lost, none doubled
            assert all(group.bus.consumer_stats[c]["refused"] == 0 for c in group.applied.by_consumer)
        assert await incomplete(bootstrap, [topic]) == []  # a whole history again: a rebuild may read it

        # the groups' floors follow the restored outbox now: another fresh broker publishes nothing again
        published, histories = relay.published, relay.republished_histories
        kill()
        start()

        async def again() -> bool:
            return await at_end(relay, restored, histories + 1)

        await eventually(again, timeout=120, what="the history published a second time")
        assert relay.refused_floors == {} and relay.published == published
        with pytest.raises(IncompleteHistory, match="floors"):  # republished from the floors: a reader from the start is refused
            await require_whole(bootstrap, [topic], "the rebuild")
    finally:
        await stop_relay(relay_bus, loop)
        for group in groups:
            await group.stop()
            await group.ledger.close()
        await (restored or events).close()


async def all_applied(groups: list[Group], pairs: list[tuple[str, int]]) -> bool:
    return all(sorted(seen) == pairs for group in groups for seen in group.applied.by_consumer.values())


async def at_end(relay, store: SqliteStore, histories: int = 0) -> bool:
    """The relay went through its whole outbox, after `histories` histories published again at least."""
    last = (await store.read_after(0, 10_000))[-1].position
    return relay.republished_histories >= histories and await store.get_position(relay.name) == last


async def test_reporting_s_rebuild_refuses_a_plans_topic_published_again_from_the_floors(restartable, tmp_path):  # noqa: F811
    bootstrap, (kill, start) = restartable
    events = SqliteStore(tmp_path / "plans.sqlite3")
    group = Group(f"reporting-{uuid.uuid4().hex[:6]}", SqliteStore(tmp_path / "group.sqlite3"), Applied(("g.projection",)))
    await append_versions(events, range(1, 3))
    relay, relay_bus, loop = await run_relay(events, bootstrap, PLANS_EVENTS, [group.name], wait=60)
    try:
        await group.start(bootstrap, PLANS_EVENTS)
        await eventually(lambda: all_applied([group], expected(2, 0)), timeout=90, what="the history applied by the group")
        settings = settings_for(bootstrap, tmp_path, "reporting")
        assert await incomplete(bootstrap, [PLANS_EVENTS]) == []  # a whole history: the rebuild may read it (test_reporting.py)
        kill()
        start()  # the declared group applied everything: nothing goes out again, the topic is empty on the new broker
        await eventually(lambda: at_end(relay, events, 1), timeout=120, what="the history published again from the floors")
        assert relay.republished_from > 0
        with pytest.raises(IncompleteHistory, match=f"the rebuild refused: {PLANS_EVENTS} was published again from its subscribers' floors"):
            await rebuild(settings, f"sqlite:///{tmp_path / 'rebuilt.sqlite3'}", quiet=1.5, settle=5, timeout=60)
    finally:
        await stop_relay(relay_bus, loop)
        await group.stop()
        await group.ledger.close()
        await events.close()

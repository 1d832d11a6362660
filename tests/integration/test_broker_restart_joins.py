"""A broker restart under a running consumer costs it ONE group join (counted by its rebalance listener), and it goes
back to its topic's beginning within that join: nothing lost, nothing applied twice, on the real bundled broker.

Before, the relay deleted and made anew its topic on every new broker, after the consumer had joined there, and the
consumer joined again for it (half a session on this broker each time); the epoch watch's rewind met those joins
(CommitFailedError) and was retried a tick later. Now a relay with nothing in flight keeps the topic it finds."""
from __future__ import annotations

import asyncio
import uuid

from services.runtime.bus import Bus
from services.runtime.epochs import EpochWatch
from services.runtime.outbox import OutboxRelay
from services.runtime.sqlite_store import SqliteStore
from services.runtime.topics import epochs, kept
from tests.integration.test_broker_restart_catchup import STREAMS, VERSIONS, Applied, append_versions, stop_all
from tests.integration.test_broker_restart_topics import restartable  # noqa: F401  (the broker killed and started again)
from tests.support.polling import eventually

CONSUMERS = ("test.projection", "test.live")


async def test_a_broker_restart_costs_one_join_and_loses_or_doubles_nothing(restartable, tmp_path):  # noqa: F811
    bootstrap, (kill, start) = restartable
    topic = f"test.joins.{uuid.uuid4().hex[:8]}"
    events = SqliteStore(tmp_path / "events.sqlite3")
    ledger = SqliteStore(tmp_path / "ledger.sqlite3")
    await append_versions(events, range(1, VERSIONS + 1))
    applied = Applied(CONSUMERS)

    bus = Bus(bootstrap, client_id="joins-test")  # the services' consumer timing: a join takes half a 6 s session here
    bus.use_checkpoints(ledger)
    await bus.ensure_topics([topic], 3)
    for name in CONSUMERS:
        bus.subscribe_events([topic], f"joins-{topic}", name, applied.recorder(name))
    relay = OutboxRelay(events, bus, topic, "joins", topics=[topic], partitions=3, check_seconds=1.0)
    watch = EpochWatch(bus, interval=1.0)
    await bus.start()
    loops = [asyncio.create_task(relay.run()), asyncio.create_task(watch.run())]
    (joins,) = bus.joins.values()

    try:
        await eventually(lambda: applied.everything_up_to(VERSIONS), timeout=90, what="the history applied by every consumer")
        first, joined_before = STREAMS * VERSIONS, joins.count
        assert joined_before == 1 and watch.rewinds == 0

        kill()
        start()  # a new, empty broker on the same port, the consumer and the relay running

        async def caught_up() -> bool:
            return relay.republished_histories >= 1 and relay.published >= 2 * first and all(
                bus.consumer_stats[name]["received"] >= 2 * first for name in CONSUMERS)

        await eventually(caught_up, timeout=120, what="the republished history read again by every consumer")
        # new events after the restart, applied once: by then any further join the restart caused would have happened
        await append_versions(events, range(VERSIONS + 1, VERSIONS + 3))
        relay.wake()
        await eventually(lambda: applied.everything_up_to(VERSIONS + 2), timeout=90, what="the new events applied by every consumer")

        assert joins.count == joined_before + 1  # one join for the broker restart
        assert relay.recreated_topics == 0  # nothing was in flight: the relay kept the topic the consumer joined on
        (epoch,) = epochs(await bus.topic_names())[topic]
        assert kept(epoch)
        assert watch.rewinds == 1 and not watch.pending  # back to the beginning once, within that join
        applied.assert_each_once_in_order(VERSIONS + 2)
        assert all(bus.consumer_stats[name]["refused"] == 0 for name in CONSUMERS)
    finally:
        await stop_all(loops, bus, ledger, events)

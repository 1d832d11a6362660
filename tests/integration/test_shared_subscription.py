"""Event consumers of one process share one consumer group on the real broker: each sees every record once and keeps
its own checkpoints; a batch redelivered after one of them failed, or history read again, applies nothing twice."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from schemas.directory import UnitRegistered
from services.runtime.bus import Bus
from services.runtime.events import Cause, envelop
from services.runtime.ports import StoredEvent
from services.runtime.sqlite_store import SqliteStore
from tests.support.polling import eventually

STREAMS, VERSIONS = 3, 4


def history() -> list[StoredEvent]:
    now, stored = datetime.now(timezone.utc), []
    for version in range(1, VERSIONS + 1):
        for s in range(STREAMS):
            event = envelop(f"unit-{s}", version - 1, [UnitRegistered(unit_id=f"u{s}", name=f"v{version}", level="province")], Cause("t", "c"), now)[0]
            stored.append(StoredEvent.of(len(stored) + 1, event))
    return stored


def recorder(seen: list[tuple[str, int]], fail_first: bool = False):
    failures = {"left": 1 if fail_first else 0}

    async def apply(events) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise RuntimeError("the store was briefly away")
        seen.extend((e.envelope.stream_id, e.envelope.stream_version) for e in events)

    return apply


async def test_two_consumers_of_one_topic_share_one_group_each_applying_every_event_once(broker, tmp_path):
    topic = f"test.shared.{uuid.uuid4().hex[:8]}"
    ledger = SqliteStore(tmp_path / "ledger.sqlite3")
    group = f"shared-{uuid.uuid4().hex[:6]}"
    everything = sorted((f"unit-{s}", v) for s in range(STREAMS) for v in range(1, VERSIONS + 1))
    directory, assignments = [], []
    bus = Bus(broker, client_id="shared-test")
    bus.use_checkpoints(ledger)
    await bus.ensure_topics([topic], 2)
    bus.subscribe_events([topic], group, "test.directory", recorder(directory))
    bus.subscribe_events([topic], group, "test.assignments", recorder(assignments, fail_first=True))  # its first batch fails
    await bus.start()
    try:
        ((group_id, members, topics, _),) = bus.subscriptions()  # one subscriber, one broker group for both
        assert members == ["test.directory", "test.assignments"] and topics == (topic,) and group_id.startswith(group)
        await bus.publish_stored(topic, history())

        async def both_done():
            return sorted(directory) == everything and sorted(assignments) == everything

        await eventually(both_done, timeout=60, what="both consumers to apply the whole history")
        # the failed batch was redelivered to both: the one that had applied it skipped it, nothing applied twice
        assert len(directory) == len(assignments) == len(everything)
        assert bus.consumer_stats["test.directory"]["skipped"] >= 1
        for name in ("test.directory", "test.assignments"):
            assert await ledger.checkpoints(name, [f"unit-{s}" for s in range(STREAMS)]) == {f"unit-{s}": VERSIONS for s in range(STREAMS)}
        for seen in (directory, assignments):
            for s in range(STREAMS):
                assert [v for stream, v in seen if stream == f"unit-{s}"] == list(range(1, VERSIONS + 1))  # in order per stream
    finally:
        await bus.stop()

    # Another process on the same store (a restart, the broker's history read again): its consumers apply nothing again;
    # a consumer new to the group gets a new broker group, so it reads the history from its start.
    again, audit = [], []
    restarted = Bus(broker, client_id="shared-test-2")
    restarted.use_checkpoints(ledger)
    restarted.subscribe_events([topic], group, "test.directory", recorder(again))
    restarted.subscribe_events([topic], group, "test.audit", recorder(audit))
    await restarted.start()
    try:
        ((second_group, _, _, _),) = restarted.subscriptions()
        assert second_group != group_id

        async def audit_done():
            return sorted(audit) == everything and restarted.consumer_stats["test.directory"]["skipped"] >= len(everything)

        await eventually(audit_done, timeout=60, what="the new consumer to apply the history while the other skips it")
        assert again == [] and restarted.consumer_stats["test.directory"]["applied"] == 0
    finally:
        await restarted.stop()
        await ledger.close()

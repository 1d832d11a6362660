"""On the real broker, a subscriber over two topics that is behind on both takes the first topic's backlog before the
later topic's (runtime/precedence.py: reporting shows a quarter end's misses before notify's escalations of them), and
still applies every record of both exactly once."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from schemas.directory import UnitRegistered
from services.runtime.bus import Bus
from services.runtime.events import Cause, envelop
from services.runtime.ports import StoredEvent
from services.runtime.sqlite_store import SqliteStore
from tests.support.polling import eventually

EACH, BATCH = 3000, 100


def backlog(prefix: str) -> list[StoredEvent]:
    now = datetime.now(timezone.utc)
    return [StoredEvent.of(i + 1, envelop(f"unit-{prefix}{i}", 0, [UnitRegistered(unit_id=f"{prefix}{i}", name=f"{prefix}{i}", level="commune")],
                                          Cause("t", "c"), now)[0]) for i in range(EACH)]


async def test_a_subscriber_behind_on_both_topics_takes_the_first_topics_backlog_before_the_later_ones(broker, tmp_path):
    first, later = f"test.first.{uuid.uuid4().hex[:8]}", f"test.later.{uuid.uuid4().hex[:8]}"
    applied: list[str] = []

    async def apply(events) -> None:
        applied.extend(e.envelope.stream_id for e in events)

    publisher = Bus(broker, client_id="precedence-backlog")
    await publisher.ensure_topics([first, later], 2)
    await publisher.start()
    try:
        await publisher.publish_stored(later, backlog("b"))  # the later topic's backlog is there first
        await publisher.publish_stored(first, backlog("a"))
    finally:
        await publisher.stop()
    bus = Bus(broker, client_id="precedence-test")
    bus.use_checkpoints(SqliteStore(tmp_path / "ledger.sqlite3"))
    bus.subscribe_events([first, later], f"precedence-{uuid.uuid4().hex[:6]}", "test.precedence", apply, max_records=BATCH, later=[later])
    await bus.start()
    try:
        async def all_applied():
            return len(applied) >= 2 * EACH

        await eventually(all_applied, timeout=90, what="every record of both topics")
        assert sorted(applied) == sorted([f"unit-a{i}" for i in range(EACH)] + [f"unit-b{i}" for i in range(EACH)])  # each once
        last_first = max(i for i, stream in enumerate(applied) if stream.startswith("unit-a"))
        before = sum(1 for stream in applied[:last_first] if stream.startswith("unit-b"))
        # only what the fetches before the pause brought (a few batches); taken in the broker's order, about half would be
        assert before <= 5 * BATCH, f"{before} of the later topic's records applied before the first topic's backlog was through"
        (precedence,) = bus.precedences.values()
        assert precedence.pauses >= 1 and precedence.paused_at is None  # resumed once the first topic was through
    finally:
        await bus.stop()

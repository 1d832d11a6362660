"""reporting's escalations view (handlers/escalations.follow_escalations): a batch's documents read in one indexed `find`,
with the same documents as applying the events one at a time, and a redelivered batch changing nothing."""
from __future__ import annotations

from datetime import date, timedelta

from services.reporting.bootstrap import INDEXES
from services.reporting.domain.escalations import ESCALATIONS
from services.reporting.handlers.escalations import follow_escalations
from services.runtime.memory_store import MemoryStore
from services.runtime.sqlite_store import SqliteStore
from tests.unit.dashboard.live import acknowledged, raised, resolved, started

DUE = date(2026, 9, 30)


def quarter_end(items: int) -> list:
    """Each item started and raised at once (a quarter end), then some climb, are acknowledged or resolved."""
    events = []
    for n in range(items):
        events += [started(f"t{n}", f"xa-{n % 5}", DUE, at=DUE), raised(f"t{n}", f"xa-{n % 5}", DUE, 1, 2, at=DUE)]
    for n in range(0, items, 3):
        events.append(raised(f"t{n}", f"xa-{n % 5}", DUE, 2, 3, at=DUE + timedelta(days=7)))
    for n in range(1, items, 3):
        events.append(acknowledged(f"t{n}", DUE, 3, by=f"ca-xa.agency_head", until=DUE + timedelta(days=20), at=DUE + timedelta(days=2)))
    for n in range(2, items, 3):
        events.append(resolved(f"t{n}", DUE, 3, DUE + timedelta(days=3)))
    return events


class CountingStore(MemoryStore):
    """The in-memory store, counting the document reads of the escalations view."""

    def __init__(self) -> None:
        super().__init__()
        self.gets, self.finds = 0, 0

    async def get(self, collection, doc_id):
        self.gets += collection == ESCALATIONS
        return await super().get(collection, doc_id)

    async def find(self, collection, **where):
        self.finds += collection == ESCALATIONS
        return await super().find(collection, **where)


async def test_a_batch_of_escalation_events_reads_its_documents_in_one_find_and_builds_what_one_at_a_time_builds():
    events = quarter_end(60)
    batched, single = CountingStore(), MemoryStore()
    for at in range(0, len(events), 50):
        await follow_escalations(events[at : at + 50], batched)
    batches = -(-len(events) // 50)
    assert (batched.gets, batched.finds) == (0, batches)
    for e in events:
        await follow_escalations([e], single)
    shown = {d["item_id"]: d for d in await batched.find(ESCALATIONS)}
    assert shown == {d["item_id"]: d for d in await single.find(ESCALATIONS)}
    assert len(shown) == 60
    assert shown["t0@2026-09-30"]["rung"] == 2 and shown["t0@2026-09-30"]["version"] == 3
    assert shown["t1@2026-09-30"]["acknowledged"]["expected_on"] == "2026-10-20"
    assert shown["t2@2026-09-30"]["open"] is False and shown["t3@2026-09-30"]["open"] is True


async def test_a_redelivered_batch_changes_no_escalation_document(tmp_path):
    store = SqliteStore(tmp_path / "reporting.sqlite3", INDEXES)
    try:
        events = quarter_end(30)
        assert await follow_escalations(events, store) == 30
        before = await store.find(ESCALATIONS)
        assert await follow_escalations(events, store) == 0
        assert await follow_escalations(events[:60], store) == 0  # the starts and first rungs again, after later events
        assert await store.find(ESCALATIONS) == before
    finally:
        await store.close()


async def test_the_escalations_find_by_item_is_a_search_of_its_index(tmp_path):
    store = SqliteStore(tmp_path / "reporting.sqlite3", INDEXES)
    try:
        await follow_escalations(quarter_end(3), store)
        plan = store.plan_of_find(ESCALATIONS, item_id=["t0@2026-09-30", "t1@2026-09-30"])
        assert "ix_escalations_item_id" in plan and "SCAN" not in plan, plan
    finally:
        await store.close()

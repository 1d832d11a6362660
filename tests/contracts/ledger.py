"""Contract of the Ledger port: which events each consumer has already applied."""
from __future__ import annotations

from tests.contracts import StoreContract


class LedgerContract(StoreContract):
    async def test_everything_is_unseen_at_first(self, store):
        assert await store.unseen("reporting", ["e1", "e2"]) == {"e1", "e2"}
        assert await store.unseen("reporting", []) == set()

    async def test_mark_hides_events_from_unseen(self, store):
        await store.mark("reporting", ["e1", "e2"])
        assert await store.unseen("reporting", ["e1", "e2", "e3"]) == {"e3"}

    async def test_mark_is_idempotent(self, store):
        await store.mark("reporting", ["e1", "e2"])
        await store.mark("reporting", ["e2", "e1", "e3", "e3"])
        await store.mark("reporting", [])
        assert await store.unseen("reporting", ["e1", "e2", "e3", "e4"]) == {"e4"}

    async def test_consumers_are_isolated(self, store):
        await store.mark("reporting", ["e1"])
        await store.mark("notify", ["e2"])
        assert await store.unseen("reporting", ["e1", "e2"]) == {"e2"}
        assert await store.unseen("notify", ["e1", "e2"]) == {"e1"}
        assert await store.unseen("other", ["e1", "e2"]) == {"e1", "e2"}

    async def test_unseen_accepts_any_iterable_and_many_ids(self, store):
        ids = [f"e{i}" for i in range(1200)]
        await store.mark("reporting", (i for i in ids[:1000]))
        assert await store.unseen("reporting", iter(ids)) == set(ids[1000:])

    async def test_marks_survive_reopening(self, store):
        self.skip_unless_persistent()
        await store.mark("reporting", ["e1"])
        store = await self.reopen(store)
        assert await store.unseen("reporting", ["e1", "e2"]) == {"e2"}

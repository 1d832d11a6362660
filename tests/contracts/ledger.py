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

    # -- stream checkpoints: the last version of each stream a consumer applied ---------
    async def test_a_stream_never_seen_has_no_checkpoint(self, store):
        assert await store.checkpoints("reporting", ["task-1"]) == {}
        assert await store.checkpoints("reporting", []) == {}

    async def test_advance_records_versions_per_consumer(self, store):
        await store.advance("reporting", {"task-1": 3, "plan-9": 1})
        await store.advance("notify", {"task-1": 7})
        assert await store.checkpoints("reporting", ["task-1", "plan-9", "task-2"]) == {"task-1": 3, "plan-9": 1}
        assert await store.checkpoints("notify", iter(["task-1"])) == {"task-1": 7}

    async def test_a_checkpoint_never_moves_back(self, store):
        await store.advance("reporting", {"task-1": 5})
        await store.advance("reporting", {"task-1": 2})
        await store.advance("reporting", {})
        assert await store.checkpoints("reporting", ["task-1"]) == {"task-1": 5}

    async def test_checkpoints_of_many_streams_at_once(self, store):
        await store.advance("reporting", {f"task-{i}": i + 1 for i in range(1200)})
        found = await store.checkpoints("reporting", [f"task-{i}" for i in range(1300)])
        assert len(found) == 1200 and found["task-1199"] == 1200

    async def test_checkpoints_survive_reopening(self, store):
        self.skip_unless_persistent()
        await store.advance("reporting", {"task-1": 4})
        store = await self.reopen(store)
        assert await store.checkpoints("reporting", ["task-1"]) == {"task-1": 4}

    async def test_checkpoints_of_several_consumers_in_one_read(self, store):
        await store.advance("reporting.projection", {f"task-{i}": i + 1 for i in range(600)})
        await store.advance("reporting.live", {"task-1": 9})
        await store.advance("notify", {"task-2": 4})
        streams = [f"task-{i}" for i in range(700)]
        found = await store.checkpoints_of(["reporting.projection", "reporting.live", "nobody"], iter(streams))
        assert set(found) == {"reporting.projection", "reporting.live"}  # notify was not asked; nobody has none
        assert len(found["reporting.projection"]) == 600 and found["reporting.projection"]["task-599"] == 600
        assert found["reporting.live"] == {"task-1": 9}
        assert found["reporting.projection"] == await store.checkpoints("reporting.projection", streams)
        assert await store.checkpoints_of([], streams) == {} and await store.checkpoints_of(["notify"], []) == {}

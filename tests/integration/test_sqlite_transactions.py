"""SQLite transactions: all or nothing, and savepoints for nested blocks."""
from __future__ import annotations

import pytest

from services.runtime.sqlite_store import SqliteStore


@pytest.fixture
async def store(tmp_path):
    store = SqliteStore(tmp_path / "t.sqlite3")
    yield store
    await store.close()


async def test_a_failing_transaction_leaves_nothing_written(store):
    with pytest.raises(RuntimeError):
        async with store.transaction():
            await store.put("c", "a", {"n": 1})
            raise RuntimeError("boom")
    assert await store.get("c", "a") is None


async def test_a_failing_nested_block_is_undone_alone(store):
    async with store.transaction():
        await store.put("c", "kept", {"n": 1})
        with pytest.raises(RuntimeError):
            async with store.transaction():
                await store.put("c", "undone", {"n": 2})
                raise RuntimeError("boom")
    assert await store.get("c", "kept") == {"n": 1}
    assert await store.get("c", "undone") is None

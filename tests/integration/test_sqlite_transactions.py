"""SQLite transactions: all or nothing, savepoints for nested blocks, and tasks take turns."""
from __future__ import annotations

import asyncio

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


async def test_transactions_of_two_tasks_take_turns_and_one_failing_does_not_undo_the_other(store):
    inside = asyncio.Event()
    release = asyncio.Event()

    async def slow_writer() -> None:
        async with store.transaction():
            await store.put("c", "slow", {"n": 1})
            inside.set()
            await release.wait()  # real suspension while the transaction is open

    async def failing_writer() -> None:
        await inside.wait()
        with pytest.raises(RuntimeError):
            async with store.transaction():
                await store.put("c", "failed", {"n": 2})
                raise RuntimeError("boom")

    slow = asyncio.create_task(slow_writer())
    failing = asyncio.create_task(failing_writer())
    await inside.wait()
    await asyncio.sleep(0)  # let the failing writer reach the store and wait its turn
    assert not failing.done()
    release.set()
    await asyncio.gather(slow, failing)
    assert await store.get("c", "slow") == {"n": 1}
    assert await store.get("c", "failed") is None

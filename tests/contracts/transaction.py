"""Contract of `transaction()`: what a handler writes together (event, document, ledger) is kept together or not at all."""
from __future__ import annotations

import pytest

from services.runtime.ports import ConcurrencyError
from tests.contracts import StoreContract, batch


class Boom(Exception):
    pass


class TransactionContract(StoreContract):
    async def test_event_document_and_ledger_are_written_together(self, store):
        async with store.transaction():
            await store.append("task-1", 0, batch("task-1", 0, 1))
            await store.put("tasks", "1", {"task_id": "1", "version": 1})
            await store.mark("reporting", ["e1"])
            await store.advance("reporting", {"task-1": 1})
        assert len(await store.load("task-1")) == 1 and await store.get("tasks", "1") == {"task_id": "1", "version": 1}
        assert await store.unseen("reporting", ["e1"]) == set() and await store.checkpoints("reporting", ["task-1"]) == {"task-1": 1}

    async def test_a_block_that_fails_leaves_nothing_behind(self, store):
        await store.put("tasks", "1", {"v": 0})
        with pytest.raises(Boom):
            async with store.transaction():
                await store.append("task-1", 0, batch("task-1", 0, 2))
                await store.put("tasks", "1", {"v": 1})
                await store.put("tasks", "2", {"v": 1})
                await store.mark("reporting", ["e1"])
                await store.set_position("relay", 2)
                raise Boom
        assert await store.load("task-1") == [] and await store.read_after(0, 10) == []
        assert await store.get("tasks", "1") == {"v": 0} and await store.get("tasks", "2") is None
        assert await store.unseen("reporting", ["e1"]) == {"e1"} and await store.get_position("relay") == 0
        await store.append("task-1", 0, batch("task-1", 0, 1))  # the stream is usable again from version 0

    async def test_a_nested_block_that_fails_is_undone_alone(self, store):
        async with store.transaction():
            await store.put("tasks", "outer", {"v": 1})
            with pytest.raises(Boom):
                async with store.transaction():
                    await store.put("tasks", "inner", {"v": 1})
                    await store.append("task-9", 0, batch("task-9", 0, 1))
                    raise Boom
            await store.mark("reporting", ["e-outer"])
        assert await store.get("tasks", "outer") == {"v": 1} and await store.get("tasks", "inner") is None
        assert await store.load("task-9") == [] and await store.unseen("reporting", ["e-outer"]) == set()

    async def test_a_concurrency_error_inside_undoes_the_whole_block(self, store):
        await store.append("task-1", 0, batch("task-1", 0, 1))
        with pytest.raises(ConcurrencyError):
            async with store.transaction():
                await store.put("tasks", "1", {"v": 2})
                await store.append("task-1", 0, batch("task-1", 0, 1))
        assert await store.get("tasks", "1") is None and len(await store.load("task-1")) == 1

"""A rebuild holds the bus's stream checkpoints in memory and writes them with its model (services/runtime/continuity.py)."""
from __future__ import annotations

from services.runtime.continuity import HeldCheckpoints
from services.runtime.memory_store import MemoryStore


async def test_checkpoints_are_held_in_memory_until_written_then_the_ledger_answers():
    store = MemoryStore()
    held = HeldCheckpoints(store)
    await held.advance("reporting.projection", {"task-t1": 2, "task-t2": 1})
    await held.advance("reporting.projection", {"task-t1": 1, "task-t3": 4})  # a checkpoint never moves back
    assert await store.checkpoints("reporting.projection", ["task-t1"]) == {}  # nothing written per batch
    assert await held.checkpoints("reporting.projection", ["task-t1", "task-t3", "task-t9"]) == {"task-t1": 2, "task-t3": 4}
    async with store.transaction():
        await held.write()
    assert await store.checkpoints("reporting.projection", ["task-t1", "task-t2", "task-t3"]) == {"task-t1": 2, "task-t2": 1, "task-t3": 4}
    await held.advance("reporting.projection", {"task-t1": 3})  # after the write, straight to the ledger
    assert await store.checkpoints("reporting.projection", ["task-t1"]) == {"task-t1": 3}
    assert await held.checkpoints("reporting.projection", ["task-t1"]) == {"task-t1": 3}


def test_the_rebuild_turns_the_cyclic_collector_off_while_it_holds_its_model_and_as_before_afterwards():
    import gc

    import pytest

    from services.reporting.rebuild import collector_off

    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with collector_off():
            assert not gc.isenabled()
            raise RuntimeError("the rebuild fails")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_off():
            pass
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()

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
            made = [[] for _ in range(1000)]
            raise RuntimeError("the rebuild fails")
    assert gc.isenabled()
    assert gc.get_count()[0] < 1000 and gc.get_freeze_count() >= len(made)  # frozen: no young collection walks them
    gc.unfreeze()
    gc.disable()
    try:
        with collector_off():
            pass
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()


async def test_the_rebuild_counts_the_units_and_tasks_it_wrote_and_reads_them_back_only_when_more_came_after():
    from services.reporting.domain.projection import TASKS, UNITS
    from services.reporting.handlers.project import project, write_memory
    from services.reporting.handlers.repository.counters import Memory
    from services.reporting.rebuild import _counted
    from tests.unit.reporting.events import assignment, unit

    store, memory = MemoryStore(), Memory()
    await project([unit("tinh", level="province"), unit("xa", "tinh"), assignment("t1", "xa"), assignment("t2", "xa")], store, memory=memory)
    await write_memory(store, memory)
    assert await _counted(store, memory, as_written=True) == (2, 2) == (len(await store.find(UNITS)), len(await store.find(TASKS)))
    await project([assignment("t3", "xa")], store)  # applied to the store after the write: the memory no longer tells
    assert await _counted(store, memory, as_written=True) == (2, 2)
    assert await _counted(store, memory, as_written=False) == (2, 3)

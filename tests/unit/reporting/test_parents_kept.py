"""A live batch takes the units' parents an earlier batch learnt while the directory's token stands (parents.py): no
`find` of the units for them; a unit written by any writer (this process, another instance) makes the next batch
learn them again, so totals follow a move."""
from __future__ import annotations

from datetime import date

from schemas.directory import UnitMoved
from services.reporting.bootstrap import INDEXES
from services.reporting.handlers.project import ProjectionProgress, project
from services.reporting.handlers.repository.parents import DIRECTORY, GENERATION
from services.reporting.reading import counts_of
from services.runtime.sqlite_store import SqliteStore
from tests.unit.reporting.events import assignment, event, status, unit


class UnitFinds:
    """How many `find`s of the units the store was asked."""

    def __init__(self, store: SqliteStore) -> None:
        self.count, original = 0, store.find

        async def find(collection, *args, **kwargs):
            if collection == "units":
                self.count += 1
            return await original(collection, *args, **kwargs)

        store.find = find


def moved(unit_id: str, old: str, new: str) -> object:
    return event(f"unit-{unit_id}", 2, UnitMoved(unit_id=unit_id, from_parent=old, to_parent=new, effective_on=date(2026, 12, 1)))


async def directory(store: SqliteStore, progress: ProjectionProgress) -> None:
    await project([unit("tinh", level="province"), unit("huyen-a", "tinh", "district"), unit("huyen-b", "tinh", "district"),
                   unit("xa", "huyen-a"), *(assignment(f"t{n}", "xa") for n in range(6))], store, progress, checkpointed=True)


async def total(store: SqliteStore, unit_id: str) -> int:
    owner = f"total:{unit_id}"
    return (await counts_of(store, [owner]))[owner].get("status_reports", 0)


async def test_a_batch_takes_the_parents_an_earlier_batch_learnt_while_the_directory_stands(tmp_path):
    store, progress = SqliteStore(tmp_path / "reporting.sqlite3", INDEXES), ProjectionProgress()
    await directory(store, progress)
    await project([status("t0", 2)], store, progress, checkpointed=True)  # learns xa's chain
    finds = UnitFinds(store)
    await project([status("t1", 2), status("t2", 2)], store, progress, checkpointed=True)
    assert finds.count == 0
    assert (await total(store, "xa"), await total(store, "huyen-a"), await total(store, "tinh")) == (3, 3, 3)
    fresh = ProjectionProgress()  # another process on the same store: nothing kept, so it learns them
    await project([status("t3", 2)], store, fresh, checkpointed=True)
    assert finds.count > 0 and await total(store, "tinh") == 4


async def test_a_unit_moved_by_another_instance_is_followed_by_the_next_batch(tmp_path):
    store, mine, other = SqliteStore(tmp_path / "reporting.sqlite3", INDEXES), ProjectionProgress(), ProjectionProgress()
    await directory(store, mine)
    await project([status("t0", 2)], store, mine, checkpointed=True)  # xa under huyen-a, kept by `mine`
    token = (await store.get(GENERATION, DIRECTORY))["token"]
    await project([moved("xa", "huyen-a", "huyen-b")], store, other, checkpointed=True)
    assert (await store.get(GENERATION, DIRECTORY))["token"] != token
    finds = UnitFinds(store)
    await project([status("t1", 2)], store, mine, checkpointed=True)
    assert finds.count > 0  # the token changed: learnt again, not taken from what `mine` kept
    assert (await total(store, "huyen-a"), await total(store, "huyen-b"), await total(store, "tinh")) == (0, 2, 2)


async def test_a_batch_that_moves_a_unit_keeps_nothing_it_read_for_the_next(tmp_path):
    store, progress = SqliteStore(tmp_path / "reporting.sqlite3", INDEXES), ProjectionProgress()
    await directory(store, progress)
    await project([status("t0", 2), moved("xa", "huyen-a", "huyen-b"), status("t1", 2)], store, progress, checkpointed=True)
    await project([status("t2", 2)], store, progress, checkpointed=True)
    assert (await total(store, "huyen-a"), await total(store, "huyen-b"), await total(store, "tinh")) == (0, 3, 3)
    assert progress.parents.token == (await store.get(GENERATION, DIRECTORY))["token"]
    assert progress.parents.parents["xa"] == "huyen-b"

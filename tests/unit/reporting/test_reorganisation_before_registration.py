"""A move or rename that reaches reporting before the unit's registration (the unit's stream and the reorganisations'
have different keys, read in no promised order) ends the read model as when it comes after."""
from __future__ import annotations

from datetime import date

import pytest

from schemas.directory import UnitMoved, UnitRenamed
from services.reporting.domain.projection import UNIT_NEWS, UNITS
from services.reporting.handlers.project import ProjectionProgress, project
from services.reporting.handlers.repository.counters import COUNTERS
from services.runtime.memory_store import MemoryStore
from tests.unit.reporting.events import assignment, event, plan, status, unit
from tests.unit.reporting.test_incremental_equals_rebuilt import build, model

REORGANISATIONS = "directory-reorganisations"
MOVED = event(REORGANISATIONS, 1, UnitMoved(unit_id="xa", from_parent="huyen-a", to_parent="huyen-b", effective_on=date(2023, 2, 1)),
              at=date(2023, 2, 1))
RENAMED = event(REORGANISATIONS, 2, UnitRenamed(unit_id="xa", old_name="xa", new_name="Xã Mới", effective_on=date(2023, 2, 1)),
                at=date(2023, 2, 1))
KINDS = {"moved": [MOVED], "renamed": [RENAMED], "moved and renamed": [MOVED, RENAMED]}


def directory() -> list:
    """A province, two districts with a plan each (monthly reports of their communes), and xa's tasks."""
    return [unit("tinh", level="province"), unit("huyen-a", "tinh", "district"), unit("huyen-b", "tinh", "district"),
            plan("kh-a", "huyen-a", date(2023, 1, 2)), plan("kh-b", "huyen-b", date(2023, 1, 3)),
            assignment("t1", "xa", date(2023, 3, 1), at=date(2023, 1, 5)), status("t1", 2, at=date(2023, 1, 6))]


async def read_model(store) -> dict:
    found = await model(store)
    found["units"] = {d["unit_id"]: d for d in await store.find(UNITS)}
    found["news"] = await store.find(UNIT_NEWS)
    return found


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("in_memory", [False, True], ids=["live", "rebuild"])
async def test_a_reorganisation_before_the_units_registration_ends_the_read_model_as_after_it(kind, in_memory):
    news, registered = KINDS[kind], unit("xa", "huyen-a")
    after = await read_model(await build([*directory(), registered, *news], batch=1, in_memory=in_memory))
    before = await read_model(await build([*directory(), *news, registered], batch=1, in_memory=in_memory))
    assert before == after
    xa = after["units"]["xa"]
    assert (xa["parent_id"], xa["name"]) == (("huyen-b" if "moved" in kind else "huyen-a"), ("Xã Mới" if "renamed" in kind else "xa"))
    assert after["news"] == []
    assert after["parents"]["xa"] == xa["parent_id"]
    totals = {u: after["counters"].get(f"total:{u}", {}).get("all", 0) for u in ("huyen-a", "huyen-b", "tinh")}
    assert totals == {"huyen-a": 0 if "moved" in kind else 1, "huyen-b": 1 if "moved" in kind else 0, "tinh": 1}


async def test_news_and_registration_in_one_batch_and_in_one_rebuild_batch_end_the_same():
    order = [*directory(), MOVED, RENAMED, unit("xa", "huyen-a")]
    live = await read_model(await build(order, batch=len(order)))
    rebuilt = await read_model(await build(order, batch=len(order), in_memory=True))
    normal = await read_model(await build([*directory(), unit("xa", "huyen-a"), MOVED, RENAMED], batch=3))
    assert live == rebuilt == normal


async def test_news_of_a_unit_never_registered_is_kept_out_of_the_units():
    store = await build([*directory(), MOVED, RENAMED], batch=2, in_memory=True)
    assert await store.get(UNITS, "xa") is None
    assert await store.find(UNIT_NEWS) == [{"unit_id": "xa", "parent_id": "huyen-b", "name": "Xã Mới"}]


async def test_parents_kept_between_live_batches_follow_the_registration_that_applies_the_news():
    """The live consumer keeps the units' parents between batches (parents.py): xa learnt unregistered, then the news,
    then the registration; a report after it counts in huyen-b's total, not huyen-a's."""
    store, progress = MemoryStore(), ProjectionProgress()
    for batch in ([*directory()], [MOVED], [status("t1", 3, at=date(2023, 2, 2))], [unit("xa", "huyen-a")],
                  [status("t1", 4, at=date(2023, 2, 3))]):
        await project(batch, store, progress, checkpointed=True)
    counts = {u: (await store.get(COUNTERS, f"total:{u}") or {"counts": {}})["counts"] for u in ("huyen-a", "huyen-b")}
    assert counts["huyen-b"].get("all") == 1 and not counts["huyen-a"].get("all")
    reports = await read_model(store)
    assert reports["reports"]["total:huyen-b"] == {"status_reports": 3}
    assert "total:huyen-a" not in reports["reports"]


async def test_on_sqlite_the_news_before_the_registration_ends_as_after_it(tmp_path):
    from services.reporting.bootstrap import INDEXES
    from services.runtime.sqlite_store import SqliteStore

    models = []
    for name, order in (("after", [*directory(), unit("xa", "huyen-a"), MOVED, RENAMED]),
                        ("before", [*directory(), MOVED, RENAMED, unit("xa", "huyen-a")])):
        store = SqliteStore(tmp_path / f"{name}.sqlite3", INDEXES)
        for start in range(0, len(order), 2):
            await project(order[start:start + 2], store)
        models.append(await read_model(store))
    assert models[0] == models[1]
    assert (models[1]["units"]["xa"]["parent_id"], models[1]["units"]["xa"]["name"]) == ("huyen-b", "Xã Mới")

"""A quarter end's DeadlineMissed in one batch: the views and every counter are those of the same events one at a time and
of a rebuild from offset 0, the dated tasks show as overdue, and the missed periods of recurring tasks neither read nor
write a task view (they change nothing it shows)."""
from __future__ import annotations

from datetime import date, timedelta

from schemas.tasks import DeadlineMissed, MissKind
from services.reporting.handlers.project import project, write_memory
from services.reporting.handlers.repository.counters import COUNTERS, GROUP_COUNTERS, MONTHS, Memory
from services.reporting.views import unit_summary
from services.runtime.memory_store import MemoryStore
from tests.unit.reporting.events import assignment, event, missed, status, unit

QUARTER_END = date(2026, 12, 31)
NEXT_DAY = QUARTER_END + timedelta(days=1)
DIRECTORY = [unit("tinh", level="province"), unit("xa-a", "tinh"), unit("xa-b", "tinh")]


def period_missed(task_id: str, version: int, month: int, unit_id: str) -> object:
    last_day = date(2026, month + 1, 1) - timedelta(days=1) if month < 12 else QUARTER_END
    payload = DeadlineMissed(task_id=task_id, plan_id="kh-1", unit_id=unit_id, lead="ca-xa", due=last_day, content="Nhiệm vụ",
                             kind=MissKind.period, period=f"2026-{month:02d}")
    return event(f"task-{task_id}", version, payload, at=NEXT_DAY)


def quarter() -> tuple[list, list]:
    """(history before the quarter end, the quarter end's batch): dated tasks due that day (one done, one reported on),
    recurring tasks missing three monthly periods each, one of them reported on between its misses."""
    before, batch = list(DIRECTORY), []
    for n in range(6):
        unit_id = f"xa-{'ab'[n % 2]}"
        before += [assignment(f"d{n}", unit_id, QUARTER_END, group=n % 5 + 1, at=date(2026, 10, 1)),
                   assignment(f"r{n}", unit_id, recurring=True, raw="Thường xuyên", group=n % 5 + 1, at=date(2026, 10, 1))]
        if n == 0:
            before.append(status("d0", 2, "done", 100, at=date(2026, 12, 30)))
        batch.append(missed(f"d{n}", 3 if n == 0 else 2, QUARTER_END, unit_id, at=NEXT_DAY))
        batch += [period_missed(f"r{n}", 2, 10, unit_id), period_missed(f"r{n}", 3, 11, unit_id)]
        if n == 1:
            batch.append(status("r1", 4, "in_progress", 40, at=NEXT_DAY))
        batch.append(period_missed(f"r{n}", 5 if n == 1 else 4, 12, unit_id))
    batch.append(status("d1", 3, "blocked", 20, at=NEXT_DAY))  # after its miss, as its stream orders them
    return before, batch


async def model(store: MemoryStore) -> dict:
    return {c: {d.get("task_id") or d.get("owner") or repr(sorted(d)): d for d in await store.find(c)}
            for c in ("tasks", COUNTERS, GROUP_COUNTERS, MONTHS)}


class CountingStore(MemoryStore):
    """A memory store that remembers the task views asked for and written."""

    def __init__(self) -> None:
        super().__init__()
        self.read: list[str] = []
        self.written: list[str] = []

    async def find(self, collection, **where):
        if collection == "tasks":
            self.read += list(where.get("task_id", []))
        return await super().find(collection, **where)

    async def bulk_put(self, collection, docs):
        if collection == "tasks":
            self.written += list(docs)
        return await super().bulk_put(collection, docs)


async def test_a_quarter_end_batch_gives_the_model_of_one_event_at_a_time_and_of_a_rebuild():
    before, batch = quarter()
    whole, single = MemoryStore(), MemoryStore()
    for store in (whole, single):
        await project(before, store, checkpointed=True)
    await project(batch, whole, checkpointed=True)
    for e in batch:
        await project([e], single, checkpointed=True)
    rebuilt, memory = MemoryStore(), Memory()
    for start in range(0, len(before + batch), 4):
        await project((before + batch)[start:start + 4], rebuilt, memory=memory)
    await write_memory(rebuilt, memory)
    assert await model(whole) == await model(single) == await model(rebuilt)
    views = (await model(whole))["tasks"]
    assert all(views[f"d{n}"]["missed"] == [QUARTER_END.isoformat()] for n in range(6))
    assert (views["r1"]["progress"], views["r1"]["missed"]) == (40, [])
    summary = await unit_summary(whole, "tinh", NEXT_DAY, "vi")
    assert summary["total"]["overdue"] == 6  # every dated task (d0 reported done, not completed); recurring ones never are
    assert summary["total"]["all"] == 12


async def test_missed_periods_neither_read_nor_write_task_views():
    before, batch = quarter()
    store = CountingStore()
    await project(before, store, checkpointed=True)
    views_before = (await model(store))["tasks"]
    store.read, store.written = [], []
    await project(batch, store, checkpointed=True)
    assert sorted(set(store.read)) == sorted({*(f"d{n}" for n in range(6)), "r1"})  # the dated misses, and r1's report
    assert sorted(store.written) == sorted({*(f"d{n}" for n in range(6)), "r1"})
    views = (await model(store))["tasks"]
    assert all(views[f"r{n}"] == views_before[f"r{n}"] for n in (0, 2, 3, 4, 5))  # a missed period: the view as it was
    assert views["r1"]["version"] == 4  # the last event it shows: the report between its misses

"""Given open and completed tasks of a unit that ceases, when the reorganisation arrives, then the open ones move with their history."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from schemas.catalog import Event
from schemas.directory import Succession, UnitLevelAbolished, UnitsMerged
from schemas.tasks import StatusReport, TaskCompleted
from services.runtime.clock import ManualClock
from services.runtime.eventlog import EventLog
from services.runtime.events import Cause, envelop
from services.runtime.memory_store import MemoryStore
from services.tasks.domain.task import report_status
from services.tasks.domain.transfers import transfer
from services.tasks.handlers.assign import accept_assignments
from services.tasks.handlers.repository import load
from services.tasks.handlers.transfers import transfer_tasks
from tests.unit.tasks.given import EVIDENCE, assigned, given, then

JULY = date(2025, 7, 1)


def test_an_open_task_of_a_ceased_unit_moves_to_its_successor_and_a_completed_one_stays():
    events = transfer(given(), {"xa": "xa-moi"}, JULY, "UnitsMerged")
    task = then(given(), *events)
    assert task.unit_id == "xa-moi" and task.transfers[0]["from_unit"] == "xa"
    done = then(given(), TaskCompleted(task_id="t1", agency_id="ca", completed_on=date(2025, 6, 1), on_time=True, evidence=EVIDENCE))
    assert transfer(done, {"xa": "xa-moi"}, JULY, "UnitsMerged") == []
    assert transfer(task, {"xa": "xa-moi"}, JULY, "UnitsMerged") == []  # moved already: a redelivery moves nothing


async def test_a_merger_and_a_level_abolished_move_the_open_tasks_once():
    store = MemoryStore()
    log = EventLog(store, ManualClock(datetime(2025, 7, 2, tzinfo=timezone.utc)))

    def events(*payloads):
        return [Event(e, p) for e, p in zip(envelop("x", 0, payloads, Cause("plans", str(uuid.uuid4())), datetime(2025, 7, 2, tzinfo=timezone.utc)), payloads)]

    await accept_assignments(events(assigned(), assigned(task_id="t2", unit_id="huyen")), store, log)
    await log.append("task-t1", 1, report_status(await load(store, log, "t1"), "ca", StatusReport(status="in_progress", progress=10), JULY),
                     Cause("test", "c"))
    merged = events(UnitsMerged(unit_ids=["xa"], into="xa-moi", effective_on=JULY))
    assert await transfer_tasks(merged, store, log) == 1
    assert await transfer_tasks(merged, store, log) == 0
    abolished = events(UnitLevelAbolished(level="district", effective_on=JULY, unit_ids=["huyen"],
                                          successions=[Succession(unit_id="huyen", successor_id="tinh")]))
    assert await transfer_tasks(abolished, store, log) == 1
    t1 = await load(store, log, "t1", fresh=True)
    assert (t1.unit_id, t1.progress) == ("xa-moi", 10)  # its history came with it
    assert (await load(store, log, "t2")).unit_id == "tinh"

"""The agency simulator (bench/simulator.py) sends what tiendo accepts: "done" only on dated tasks, never on a recurring one."""
from __future__ import annotations

import importlib.util
import zlib
from datetime import date, timedelta
from pathlib import Path

import pytest

from schemas.rejections import Invalid
from schemas.tasks import StatusReport
from services.tasks.domain.task import Task, report_status

_SPEC = importlib.util.spec_from_file_location("simulator", Path(__file__).resolve().parents[2] / "bench" / "simulator.py")
simulator = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(simulator)

DUE = date(2027, 3, 31)


def finish_day(task_id: str) -> date:
    return DUE - timedelta(days=zlib.crc32(task_id.encode()) % 6)  # an on-time agency's day (simulator.day_reports)


def test_a_dated_task_is_reported_done_on_its_day_and_a_recurring_one_never():
    dated, recurring = ("xa.t1", DUE, False), ("xa.t2", DUE, True)
    done: set[str] = set()
    sent = [item for n in range(-10, 1) for item in simulator.day_reports([dated, recurring], "on_time", DUE + timedelta(days=n), done)]
    assert [(i["task_id"], i["status"]) for i in sent if i["status"] == "done"] == [("xa.t1", "done")]
    assert done == {"xa.t1"}
    on_the_15th = simulator.day_reports([dated, recurring], "on_time", date(2027, 3, 15), set())
    assert {i["task_id"]: i["status"] for i in on_the_15th}["xa.t2"] == "in_progress"  # it is still reported, period by period


def test_tiendo_refuses_done_on_a_recurring_task_which_is_why_the_simulator_does_not_send_it():
    task = Task(task_id="xa.t2", plan_id="p", unit_id="xa", lead="ca", support=(), content="c", code=None, due=DUE, recurring=True, condition=None)
    report = StatusReport(status="done", progress=100, evidence={"document_number": "12/BC-UBND", "document_date": "2027-03-30", "issuer": "UBND"})
    with pytest.raises(Invalid, match="recurring"):
        report_status(task, "ca", report, date(2027, 3, 30))


def test_outcomes_name_the_refusal():
    assert simulator.outcome(201, None) == "accepted"
    assert simulator.outcome(422, "invalid request") == "refused 422 invalid request"
    assert simulator.outcome(409, "conflict", "task 'xa.t1' was completed on 2027-03-30") == "refused 409 conflict: task … was completed on …"

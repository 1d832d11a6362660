"""Given a task with a lead and coordinating agencies, each reports its own part; the task's progress is the lead's."""
from __future__ import annotations

from datetime import date

import pytest

from schemas.rejections import Conflict, Forbidden, Invalid
from schemas.tasks import Role, StatusReport
from services.tasks.domain.parts import stop_waiting_on_agency, wait_on_agency
from services.tasks.domain.task import report_status
from tests.unit.tasks.given import given, then

TODAY = date(2026, 11, 10)


def test_each_agency_keeps_its_own_part_and_the_task_shows_the_leads_progress():
    task = given()
    lead = report_status(task, "ca", StatusReport(status="in_progress", progress=40), TODAY)
    support = report_status(task, "vp", StatusReport(status="in_progress", progress=90), TODAY)
    assert (lead[0].role, support[0].role) == (Role.lead, Role.support)
    task = then(task, *lead, *support)
    assert (task.status, task.progress) == ("in_progress", 40)
    assert {p["agency_id"]: (p["role"], p["progress"]) for p in task.parts} == {"ca": ("lead", 40), "vp": ("support", 90)}


def test_the_lead_marks_the_task_waiting_on_a_named_coordinating_agency_and_clears_it():
    events = wait_on_agency(given(), "ca", "vp", "Chờ Văn phòng cung cấp danh sách", TODAY)
    task = then(given(), *events)
    assert task.waiting_on == ({"agency_id": "vp", "reason": "Chờ Văn phòng cung cấp danh sách", "since": "2026-11-10"},)
    with pytest.raises(Conflict):
        wait_on_agency(task, "ca", "vp", "again", TODAY)
    cleared = stop_waiting_on_agency(task, "ca", "vp", date(2026, 11, 12))
    assert cleared[0].since == TODAY and then(task, *cleared).waiting_on == ()


def test_only_the_lead_marks_a_wait_and_only_on_a_coordinating_agency():
    with pytest.raises(Forbidden):
        wait_on_agency(given(), "vp", "tp", "x", TODAY)
    with pytest.raises(Invalid) as refused:
        wait_on_agency(given(), "ca", "ca-huyen", "x", TODAY)
    assert refused.value.field == "agency_id"
    with pytest.raises(Conflict):
        stop_waiting_on_agency(given(), "ca", "vp", TODAY)


def test_a_deadline_missed_while_waiting_names_the_agency_waited_on():
    from services.tasks.domain.task import miss_deadline

    task = then(given(), *wait_on_agency(given(), "ca", "vp", "Chờ danh sách", TODAY))
    assert miss_deadline(task, date(2026, 12, 1))[0].waiting_on == ["vp"]

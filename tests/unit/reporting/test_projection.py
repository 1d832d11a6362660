"""A task view folds its events once: a redelivered or older event changes nothing."""
from __future__ import annotations

from datetime import date

from schemas.directory import AgencyRegistered, UnitLevel, UnitRegistered, WorkingGroupRole
from schemas.plans import PlanIssued
from services.reporting.domain.projection import evolve_task, is_task_stream, plain
from tests.unit.reporting.events import assignment, completion, missed, status


def fold(events, doc=None):
    for e in events:
        doc = evolve_task(doc, e)
    return doc


def test_a_task_view_follows_its_stream():
    due = date(2023, 3, 31)
    doc = fold([assignment("t1", "xa", due), status("t1", 2, "blocked", 30), missed("t1", 3, due), status("t1", 4, "done", 100),
                completion("t1", 5, date(2023, 4, 2), due, on_time=False)])
    assert doc["version"] == 5 and doc["status"] == "done" and doc["progress"] == 100
    assert doc["missed"] == ["2023-03-31"] and doc["completed_on"] == "2023-04-02" and doc["on_time"] is False
    assert doc["due"] == "2023-03-31" and doc["unit_id"] == "xa" and doc["open"] is False


def test_the_same_event_twice_changes_nothing():
    report = status("t1", 2, "in_progress", 40)
    once = fold([assignment("t1", "xa"), report])
    assert evolve_task(once, report) is once  # not even a rewrite of the same document
    assert evolve_task(once, assignment("t1", "xa")) is once


def test_an_older_event_after_a_newer_one_changes_nothing():
    newer = fold([assignment("t1", "xa"), status("t1", 2, "in_progress", 40), status("t1", 3, "blocked", 60)])
    older = status("t1", 2, "not_started", 0)
    assert evolve_task(newer, older) == newer
    assert newer["status"] == "blocked" and newer["progress"] == 60


def test_a_stream_that_does_not_start_with_an_assignment_makes_no_view():
    assert evolve_task(None, status("t1", 2)) is None


def test_only_the_tasks_own_stream_counts_not_the_plans_copy_of_the_assignment():
    assert is_task_stream(assignment("t1", "xa"))
    assert not is_task_stream(assignment("t1", "xa", stream="plan-kh-1", version=2))


def test_a_directory_document_read_off_the_fields_is_the_one_pydantic_dumps():
    payloads = [
        UnitRegistered(unit_id="xa-1", name="Xã Trường Hà", level=UnitLevel.commune, parent_id="tinh", head_name="Nguyễn Văn A",
                       code="01392", established_on=date(2025, 7, 1)),
        UnitRegistered(unit_id="tinh", name="Tỉnh Cao Bằng", level=UnitLevel.province),
        AgencyRegistered(agency_id="ca-xa-1", unit_id="xa-1", name="Công an xã", head_title="Trưởng Công an", standing_body=True,
                         working_group=list(WorkingGroupRole)[0]),
        PlanIssued(plan_id="kh-1", unit_id="tinh", title="Kế hoạch", issued_on=date(2026, 1, 2),
                   reporting_schedules=[{"schedule_id": "thang", "frequency": "monthly", "day_of_month": 14}]),
    ]
    for payload in payloads:
        assert plain(payload) == payload.model_dump(mode="json")
    assert plain(payloads[0])["level"] == "commune" and plain(payloads[0])["established_on"] == "2025-07-01"

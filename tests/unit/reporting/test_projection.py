"""A task view folds its events once: a redelivered or older event changes nothing."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from pydantic import TypeAdapter

from schemas.directory import AgencyRegistered, UnitLevel, UnitRegistered, WorkingGroupRole
from schemas.plans import PlanIssued
from services.reporting.domain.projection import event_day, evolve_task, is_task_stream, plain
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


def test_an_events_day_is_its_local_day_in_vietnam_whatever_offset_its_time_was_given_in():
    parsed = TypeAdapter(datetime).validate_json  # the decode's aware datetimes (pydantic-core's tzinfo)
    cases = [(parsed('"2026-03-05T16:59:59Z"'), "2026-03-05"), (parsed('"2026-03-05T17:00:00Z"'), "2026-03-06"),
             (datetime(2026, 3, 5, 22, 29, 59, tzinfo=timezone(timedelta(hours=5, minutes=30))), "2026-03-05"),
             (datetime(2026, 3, 5, 22, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))), "2026-03-06"),
             (parsed('"2026-03-05T22:30:00+05:30"'), "2026-03-06"), (parsed('"2026-03-05T16:59:59+00:00"'), "2026-03-05")]
    for _ in range(2):  # asked again: the same answers
        assert [event_day(status("t1", 2, at=at)) for at, _ in cases] == [day for _, day in cases]

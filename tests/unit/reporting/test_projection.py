"""A task view folds its events once: a redelivered or older event changes nothing."""
from __future__ import annotations

from datetime import date

from services.reporting.domain.projection import evolve_task, is_task_stream
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

"""The Task aggregate: decisions return events, the fold rebuilds the state, deadlines are missed once."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

import pytest

from schemas.plans import TaskAssigned
from schemas.rejections import Conflict, Forbidden, Invalid
from schemas.tasks import DeadlineMissed, StatusReport, StatusReported, TaskCompleted
from services.runtime.events import Cause, envelop
from services.tasks.domain.task import Task, miss_deadline, next_attention, rebuild, report_status, started

NOW = datetime(2023, 3, 20, 2, 0, tzinfo=timezone.utc)
ASSIGNED = TaskAssigned(task_id="t1", plan_id="p1", unit_id="xa", content="Rà soát dữ liệu", lead="ca", support=["vp"],
                        timing={"due": "2023-03-31"})


def task(**changes) -> Task:
    from dataclasses import replace

    return replace(started(ASSIGNED, assigned_on=date(2023, 3, 1)), **changes)


def report(status="in_progress", progress=50) -> StatusReport:
    evidence = {"document_number": "12/KH-UBND", "document_date": "2023-03-15", "issuer": "UBND xã"} if status == "done" else None
    return StatusReport(status=status, progress=progress, summary="Đang thực hiện", evidence=evidence)


def test_the_lead_and_a_coordinating_agency_may_report_status():
    assert isinstance(report_status(task(), "ca", report(), date(2023, 3, 20))[0], StatusReported)
    assert report_status(task(), "vp", report(), date(2023, 3, 20))[0].agency_id == "vp"


def test_an_agency_that_neither_leads_nor_supports_is_refused():
    with pytest.raises(Forbidden):
        report_status(task(), "tp", report(), date(2023, 3, 20))


def test_only_the_lead_can_report_a_task_done():
    with pytest.raises(Forbidden):
        report_status(task(), "vp", report("done", 100), date(2023, 3, 20))


def test_done_needs_full_progress():
    with pytest.raises(Invalid) as refused:
        report_status(task(), "ca", report("done", 90), date(2023, 3, 20))
    assert refused.value.field == "progress"


def test_done_on_or_before_the_due_date_completes_on_time_and_after_it_late():
    on_due_day = report_status(task(), "ca", report("done", 100), date(2023, 3, 31))
    assert isinstance(on_due_day[1], TaskCompleted) and on_due_day[1].on_time is True
    late = report_status(task(), "ca", report("done", 100), date(2023, 4, 1))
    assert late[1].on_time is False


def test_a_completed_task_takes_no_more_reports():
    with pytest.raises(Conflict):
        report_status(task(completed_on=date(2023, 3, 30), on_time=True), "ca", report(), date(2023, 4, 2))


def test_the_deadline_is_missed_only_after_the_due_day_has_passed():
    assert miss_deadline(task(), date(2023, 3, 31)) == []
    missed = miss_deadline(task(), date(2023, 4, 1))
    assert isinstance(missed[0], DeadlineMissed) and missed[0].due == date(2023, 3, 31)


def test_a_deadline_is_missed_once_per_task_and_due_date():
    assert miss_deadline(task(missed=(date(2023, 3, 31),)), date(2023, 4, 5)) == []


def test_done_recurring_and_conditional_tasks_miss_no_deadline():
    assert miss_deadline(task(completed_on=date(2023, 3, 30), on_time=True), date(2023, 4, 5)) == []
    assert {m.kind.value for m in miss_deadline(task(recurring=True), date(2030, 1, 1))} == {"period"}  # never "due" as a whole
    assert miss_deadline(task(due=None, condition="Khi có chỉ đạo"), date(2030, 1, 1)) == []


def test_a_task_needs_attention_from_the_first_day_its_deadline_can_be_missed():
    for today in (date(2023, 3, 31), date(2023, 4, 1), date(2023, 4, 9)):
        assert bool(miss_deadline(task(), today)) == (today >= next_attention(task()))
    assert next_attention(task()) == date(2023, 4, 1)


def test_a_task_with_nothing_left_to_decide_needs_no_attention():
    assert next_attention(task(missed=(date(2023, 3, 31),))) is None
    assert next_attention(task(completed_on=date(2023, 3, 30), on_time=True)) is None
    assert next_attention(task(due=None, condition="Khi có hướng dẫn của huyện")) is None  # waiting on its condition


def test_a_recurring_task_needs_attention_after_its_first_unreported_period():
    assert next_attention(task(due=None, recurring=True)) == date(2023, 4, 1)  # monthly by default: March closes on the 31st


def test_the_snapshot_carries_the_day_of_next_attention():
    assert task().to_doc()["attention_on"] == "2023-04-01"
    assert Task.from_doc(task().to_doc()) == task()


def test_the_fold_rebuilds_the_state_the_decisions_describe():
    cause = Cause("test", str(uuid.uuid4()))
    history = envelop("task-t1", 0, [ASSIGNED], cause, NOW)
    current = rebuild(history)
    for events in (report_status(current, "ca", report(progress=40), date(2023, 3, 20)), miss_deadline(current, date(2023, 4, 1))):
        history += envelop("task-t1", len(history), events, cause, NOW)
        current = rebuild(history)
    history += envelop("task-t1", len(history), report_status(current, "ca", report("done", 100), date(2023, 4, 3)), cause, NOW)
    final = rebuild(history)
    assert (final.version, final.progress, final.status) == (5, 100, "done")
    assert final.missed == (date(2023, 3, 31),) and final.completed_on == date(2023, 4, 3) and final.on_time is False
    assert Task.from_doc(final.to_doc()) == final

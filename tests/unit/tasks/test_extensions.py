"""Given a dated task, when its lead asks for more time and the standing body decides, then the due date changes from
then on and the original stays on record."""
from __future__ import annotations

from datetime import date

import pytest

from schemas.rejections import Conflict, Forbidden, Invalid, NotFound
from schemas.tasks import ExtensionRejected, ExtensionRequested, TaskDeadlineChanged
from services.tasks.domain.extensions import decide_extension, request_extension
from services.tasks.domain.task import miss_deadline
from tests.unit.tasks.given import given, then

TODAY = date(2026, 11, 20)
ASKED = ExtensionRequested(request_id="r1", task_id="t1", agency_id="ca", reason="Chờ số liệu của Bộ", proposed_due=date(2026, 12, 31),
                           current_due=date(2026, 11, 30))


def test_the_lead_asks_for_more_time_with_a_reason_and_a_date():
    events = request_extension(given(), "ca", "r1", "Chờ số liệu của Bộ", date(2026, 12, 31), TODAY)
    assert events == [ASKED]
    assert then(given(), *events).extensions[0]["state"] == "pending"


@pytest.mark.parametrize("proposed, words", [(date(2026, 11, 19), "before today"), (date(2026, 11, 30), "original")])
def test_a_date_before_today_or_not_after_the_original_is_refused(proposed, words):
    with pytest.raises(Invalid) as refused:
        request_extension(given(), "ca", "r1", "x", proposed, TODAY)
    assert refused.value.field == "proposed_due" and words in refused.value.detail


def test_only_the_lead_asks_and_one_request_waits_at_a_time():
    with pytest.raises(Forbidden):
        request_extension(given(), "vp", "r1", "x", date(2026, 12, 31), TODAY)
    with pytest.raises(Conflict):
        request_extension(given(ASKED), "ca", "r2", "x", date(2027, 1, 31), TODAY)


def test_approval_changes_the_due_date_and_keeps_the_original_on_record():
    events = decide_extension(given(ASKED), "r1", True, "ca-huyen", "", TODAY)
    assert events == [TaskDeadlineChanged(task_id="t1", original_due=date(2026, 11, 30), previous_due=date(2026, 11, 30),
                                          new_due=date(2026, 12, 31), request_id="r1", reason="Chờ số liệu của Bộ", decided_by="ca-huyen")]
    task = then(given(ASKED), *events)
    assert (task.due, task.original_due, task.extensions[0]["state"]) == (date(2026, 12, 31), date(2026, 11, 30), "approved")
    assert miss_deadline(task, date(2026, 12, 5)) == []  # judged against the new date from now on
    second = request_extension(task, "ca", "r2", "Thêm thời gian", date(2027, 1, 15), date(2026, 12, 20))
    changed = decide_extension(then(task, *second), "r2", True, "ca-huyen", "", date(2026, 12, 20))[0]
    assert (changed.original_due, changed.previous_due, changed.new_due) == (date(2026, 11, 30), date(2026, 12, 31), date(2027, 1, 15))


def test_a_rejection_needs_a_reason_and_leaves_the_due_date():
    with pytest.raises(Invalid) as refused:
        decide_extension(given(ASKED), "r1", False, "ca-huyen", " ", TODAY)
    assert refused.value.field == "reason"
    events = decide_extension(given(ASKED), "r1", False, "ca-huyen", "Không có căn cứ", TODAY)
    assert isinstance(events[0], ExtensionRejected)
    task = then(given(ASKED), *events)
    assert task.due == date(2026, 11, 30) and task.extensions[0]["state"] == "rejected"
    with pytest.raises(Conflict):
        decide_extension(task, "r1", True, "ca-huyen", "", TODAY)
    with pytest.raises(NotFound):
        decide_extension(task, "r9", True, "ca-huyen", "", TODAY)

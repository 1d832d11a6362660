"""Given a task waiting on a condition, when the condition is met, then it gets its due date by the plan's rule."""
from __future__ import annotations

from datetime import date

import pytest

from schemas.rejections import Conflict, Invalid
from schemas.tasks import ConditionSource
from services.tasks.domain.conditions import meet_condition, names_document
from tests.unit.tasks.given import assigned, given, then

WITHIN_15 = assigned(timing={"condition": "Trong vòng 15 ngày kể từ khi có Kế hoạch số 12/KH-UBND của UBND huyện",
                             "condition_rule": {"days_after": 15}})
IMMEDIATELY = assigned(timing={"condition": "Ngay sau khi có hướng dẫn của UBND huyện", "condition_rule": {"immediately": True}})
TODAY = date(2026, 11, 29)


def test_a_condition_met_gives_the_due_date_n_days_after_by_the_plans_rule():
    events = meet_condition(given(WITHIN_15), date(2026, 11, 20), TODAY, ConditionSource.declared, 7, declared_by="ca-huyen")
    assert (events[0].due, events[0].days_after, events[0].declared_by) == (date(2026, 12, 5), 15, "ca-huyen")
    task = then(given(WITHIN_15), *events)
    assert (task.due, task.original_due, task.condition_met_on) == (date(2026, 12, 5), date(2026, 12, 5), date(2026, 11, 20))
    assert not task.waiting_condition


def test_immediately_means_the_configured_number_of_days():
    events = meet_condition(given(IMMEDIATELY), TODAY, TODAY, ConditionSource.declared, 10)
    assert events[0].due == date(2026, 12, 9)


def test_a_condition_declared_twice_is_refused_and_names_the_day_it_was_met():
    task = then(given(WITHIN_15), *meet_condition(given(WITHIN_15), date(2026, 11, 20), TODAY, ConditionSource.declared, 7))
    with pytest.raises(Conflict) as refused:
        meet_condition(task, TODAY, TODAY, ConditionSource.declared, 7)
    assert refused.value.field == "condition" and "2026-11-20" in refused.value.detail


def test_a_task_without_condition_or_a_day_in_the_future_is_refused():
    with pytest.raises(Invalid) as refused:
        meet_condition(given(), TODAY, TODAY, ConditionSource.declared, 7)
    assert refused.value.field == "task_id"
    with pytest.raises(Invalid) as refused:
        meet_condition(given(WITHIN_15), date(2026, 12, 1), TODAY, ConditionSource.declared, 7)
    assert refused.value.field == "met_on"


def test_a_condition_met_before_the_plan_reached_tiendo_gives_a_due_date_that_may_have_passed():
    events = meet_condition(given(WITHIN_15), date(2026, 9, 1), TODAY, ConditionSource.declared, 7)
    assert events[0].due == date(2026, 9, 16)


def test_an_issued_plan_meets_a_condition_naming_its_number_or_its_whole_title():
    assert names_document("Trong vòng 15 ngày kể từ khi có Kế hoạch số 12/KH-UBND của UBND huyện", "12/KH-UBND", "Kế hoạch")
    assert names_document("sau khi có KH số 12 / KH - UBND", "12/KH-UBND", "x")
    assert not names_document("Kế hoạch số 112/KH-UBND", "12/KH-UBND", "x")
    assert names_document("Ngay sau khi có Kế hoạch thanh toán không dùng tiền mặt", None, "Kế hoạch thanh toán không dùng tiền mặt")
    assert not names_document("Ngay sau khi có hướng dẫn của UBND huyện", "5/HD-UBND", "Hướng dẫn")

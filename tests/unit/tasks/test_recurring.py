"""Given a recurring task, each reporting period without the lead's report is a miss for that period, never overdue as a whole."""
from __future__ import annotations

import dataclasses
import random
from datetime import date, datetime, timedelta, timezone

import pytest

from schemas.periods import bounds, deadline, period_of
from schemas.plans import ReportingSchedule
from schemas.rejections import Invalid
from schemas.tasks import MissKind, StatusReport
from services.tasks.domain.periods import _frequency, schedule_of
from services.tasks.domain.task import miss_deadline, report_status
from tests.unit.tasks.given import assigned, given, then

MONTHLY_14 = {"schedule_id": "r1", "frequency": "monthly", "day_of_month": 14}
RECURRING = assigned(timing={"raw": "Thường xuyên", "recurring": True, "due": "2026-10-15"}, schedule=MONTHLY_14)


def test_each_month_without_the_leads_report_by_the_14th_is_missed_for_that_month():
    task = given(RECURRING)  # assigned 1 October 2026
    assert miss_deadline(task, date(2026, 10, 14)) == []
    missed = miss_deadline(task, date(2026, 11, 15))
    assert [(m.kind, m.period, m.due) for m in missed] == [(MissKind.period, "2026-10", date(2026, 10, 14)),
                                                            (MissKind.period, "2026-11", date(2026, 11, 14))]
    assert miss_deadline(then(task, *missed), date(2026, 11, 20)) == []  # once per period


def test_a_report_of_the_lead_in_the_period_counts_and_a_coordinating_agencys_does_not():
    task = given(RECURRING)
    by_lead = report_status(task, "ca", StatusReport(status="in_progress", progress=30), date(2026, 10, 10))
    assert by_lead[0].period == "2026-10"
    by_support = report_status(task, "vp", StatusReport(status="in_progress", progress=30), date(2026, 11, 3))
    task = then(task, *by_lead, *by_support)
    assert [m.period for m in miss_deadline(task, date(2026, 11, 15))] == ["2026-11"]


def test_a_task_assigned_after_this_months_deadline_is_first_judged_next_month():
    task = given(RECURRING, at=datetime(2026, 10, 20, 2, tzinfo=timezone.utc))
    assert [m.period for m in miss_deadline(task, date(2026, 11, 15))] == ["2026-11"]


def test_a_recurring_task_is_never_done_as_a_whole():
    with pytest.raises(Invalid) as refused:
        report_status(given(RECURRING), "ca", StatusReport(status="done", progress=100), date(2026, 10, 10))
    assert refused.value.field == "status"


def test_without_a_schedule_a_recurring_task_is_judged_monthly_at_the_end_of_the_month():
    task = given(assigned(timing={"recurring": True}))
    assert [m.period for m in miss_deadline(task, date(2026, 11, 1))] == ["2026-10"]


def test_the_next_day_to_look_at_a_recurring_task_is_the_day_after_its_first_open_periods_deadline():
    from services.tasks.domain.periods import next_period_attention

    task = given(RECURRING)  # assigned 1 October, reports due by the 14th
    assert next_period_attention(task) == date(2026, 10, 15)
    reported = then(task, *report_status(task, "ca", StatusReport(status="in_progress", progress=10), date(2026, 10, 3)))
    assert next_period_attention(reported) == date(2026, 11, 15)


def test_next_attention_follows_the_rule_of_misses_for_dated_and_recurring_tasks():
    from services.tasks.domain.task import next_attention

    assert next_attention(given()) == date(2026, 12, 1)
    assert next_attention(given(RECURRING)) == date(2026, 10, 15)
    assert next_attention(given(assigned(timing={"condition": "Khi có chỉ đạo"}))) is None


def _walked(task) -> date | None:
    """next_period_attention as the rule reads: period after period from the task's first, no calendar kept."""
    from services.tasks.domain.periods import MAX_PERIODS

    begin = max(d for d in (task.assigned_on, task.start) if d)
    schedule, day = schedule_of(task), begin
    for _ in range(MAX_PERIODS):
        key = period_of(day, _frequency(schedule))
        due = deadline(key, schedule)
        if due >= begin and key not in task.reported_periods and key not in task.missed_periods:
            return due + timedelta(days=1)
        day = bounds(key)[1] + timedelta(days=1)
    return None


@pytest.mark.parametrize("schedule", [
    None, MONTHLY_14, {"schedule_id": "w", "frequency": "weekly", "weekday": 5}, {"schedule_id": "w", "frequency": "weekly"},
    {"schedule_id": "d", "frequency": "daily"}, {"schedule_id": "q", "frequency": "quarterly", "day_of_month": 20},
    {"schedule_id": "h", "frequency": "semiannual", "day_of_month": 31}, {"schedule_id": "y", "frequency": "annual"},
    {"schedule_id": "f", "frequency": "dates", "dates": [{"month": 6, "day": 14}, {"month": 12, "day": 14}], "day_of_month": 14},
])
def test_the_next_day_to_look_at_is_the_same_from_the_kept_calendar_as_from_walking_the_periods(schedule):
    from services.tasks.domain.periods import CALENDAR_RUN, next_period_attention

    rng = random.Random(11)
    for at in (datetime(2026, 10, 1, 2, tzinfo=timezone.utc), datetime(2024, 2, 29, 2, tzinfo=timezone.utc), datetime(2023, 12, 31, 2, tzinfo=timezone.utc)):
        task = given(assigned(timing={"recurring": True}, schedule=schedule), at=at)
        first = task.assigned_on
        keys = []  # the task's periods, in order, for twice a cached run of the calendar and more
        day = first
        for _ in range(2 * CALENDAR_RUN + 5):
            keys.append(period_of(day, _frequency(schedule_of(task))))
            day = bounds(keys[-1])[1] + timedelta(days=1)
        for settled in (0, 1, CALENDAR_RUN - 1, CALENDAR_RUN, CALENDAR_RUN + 1, 2 * CALENDAR_RUN + 3):
            reported = [k for k in keys[:settled] if rng.random() < 0.5]
            missed = [k for k in keys[:settled] if k not in reported]
            kept = dataclasses.replace(task, reported_periods=tuple(reported), missed_periods=tuple(missed))
            assert next_period_attention(kept) == _walked(kept) is not None
            if settled:  # the first open period is the one after those settled (or the first whose deadline is after the start)
                assert next_period_attention(kept) > deadline(keys[settled - 1], schedule_of(task))


def test_a_tasks_schedule_is_validated_once_and_read_as_validating_it_gives():
    task = given(RECURRING)
    assert schedule_of(task) == ReportingSchedule.model_validate(task.schedule) and schedule_of(task) is schedule_of(given(RECURRING))
    assert schedule_of(given(assigned(timing={"recurring": True}))).frequency == "monthly"  # none named: monthly

"""The one rule of "overdue", due soon and the reporting periods of recurring tasks."""
from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from schemas.deadlines import Standing, effective_due, is_due_soon, is_overdue, standing
from schemas.periods import bounds, closed_periods, deadline, period_of
from schemas.plans import Frequency, ReportingSchedule
from schemas.tasks import Evidence


def test_a_task_is_overdue_only_after_its_due_day_and_while_not_done():
    due = date(2026, 11, 30)
    assert not is_overdue(due, None, date(2026, 11, 30))
    assert is_overdue(due, None, date(2026, 12, 1))
    assert not is_overdue(due, date(2026, 11, 30), date(2027, 1, 1))
    assert is_overdue(due, date(2026, 12, 2), date(2027, 1, 1))
    assert not is_overdue(None, None, date(2030, 1, 1))


def test_the_adjusted_due_date_counts_from_now_on():
    assert effective_due(date(2026, 11, 30), date(2026, 12, 31)) == date(2026, 12, 31)
    assert effective_due(date(2026, 11, 30), None) == date(2026, 11, 30)


def test_due_soon_is_a_window_before_the_due_day():
    assert is_due_soon(date(2026, 12, 5), None, date(2026, 11, 29))
    assert not is_due_soon(date(2026, 12, 7), None, date(2026, 11, 29))
    assert is_due_soon(date(2026, 12, 7), None, date(2026, 11, 29), window_days=8)


def test_a_recurring_task_is_never_overdue_as_a_whole():
    assert standing(date(2025, 1, 1), None, date(2026, 11, 29), recurring=True) == Standing.recurring
    assert standing(None, None, date(2026, 11, 29), waiting_condition=True) == Standing.waiting_condition
    assert standing(date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 29)) == Standing.done_late


@pytest.mark.parametrize("frequency, key", [
    (Frequency.daily, "2026-11-29"), (Frequency.weekly, "2026-W48"), (Frequency.monthly, "2026-11"),
    (Frequency.quarterly, "2026-Q4"), (Frequency.semiannual, "2026-H2"), (Frequency.annual, "2026"),
])
def test_every_day_falls_in_one_period_whose_bounds_hold_it(frequency, key):
    day = date(2026, 11, 29)
    assert period_of(day, frequency) == key
    first, last = bounds(key)
    assert first <= day <= last


def test_a_monthly_report_before_the_14th_is_due_on_the_14th():
    schedule = ReportingSchedule(schedule_id="m", frequency=Frequency.monthly, day_of_month=14)
    assert deadline("2026-11", schedule) == date(2026, 11, 14)
    assert deadline("2026-02", ReportingSchedule(schedule_id="m", frequency=Frequency.monthly, day_of_month=31)) == date(2026, 2, 28)
    assert closed_periods(date(2026, 9, 20), date(2026, 11, 15), Frequency.monthly, schedule) == ["2026-09", "2026-10", "2026-11"]
    assert closed_periods(date(2026, 9, 20), date(2026, 11, 14), Frequency.monthly, schedule) == ["2026-09", "2026-10"]


@pytest.mark.parametrize("number", ["123/KH-UBND", "45/QĐ-CAH", "01/2023/NQ-HĐND", "1234/UBND-VX", "45 / QĐ - CAH"])
def test_document_numbers_in_the_usual_forms_are_accepted(number):
    Evidence(document_number=number, document_date=date(2026, 11, 1), issuer="UBND tỉnh")


@pytest.mark.parametrize("number", ["KH-UBND", "123/KH", "123/kh-ubnd", "abc/KH-UBND", "123/KH-UBND/", ""])
def test_malformed_document_numbers_are_refused(number):
    with pytest.raises(ValidationError):
        Evidence(document_number=number, document_date=date(2026, 11, 1), issuer="UBND tỉnh")


def test_a_weekly_report_before_friday_is_due_on_the_friday_of_each_iso_week():
    friday = ReportingSchedule(schedule_id="w", frequency=Frequency.weekly, weekday=5, hour=17)
    assert deadline("2026-W48", friday) == date(2026, 11, 27)
    assert closed_periods(date(2026, 11, 23), date(2026, 12, 5), Frequency.weekly, friday) == ["2026-W48", "2026-W49"]


def test_a_six_month_report_before_the_14th_of_june_is_due_on_14_june():
    half = ReportingSchedule(schedule_id="h", frequency=Frequency.semiannual, day_of_month=14)
    assert deadline("2026-H1", half) == date(2026, 6, 14) and deadline("2026-H2", half) == date(2026, 12, 14)
    assert bounds("2026-Q1") == (date(2026, 1, 1), date(2026, 3, 31))

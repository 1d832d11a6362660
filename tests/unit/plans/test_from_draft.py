"""What the importer read becomes what the plan carries: a month stays a month, schedules and targets are kept."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace as Read

from schemas.plans import Comparator, Frequency, Rollup
from services.plans.handlers.from_draft import issued_on, schedules, targets


def test_a_full_date_is_a_day_and_a_month_stays_a_month():
    assert issued_on("2023-02-28") == (date(2023, 2, 28), None)
    assert issued_on("2023-03") == (None, "2023-03")
    assert issued_on(None) == (None, None)


def test_reporting_schedules_keep_their_day_weekday_hour_and_recipient():
    read = [Read(cycle="monthly", due_day=14, due="hằng tháng, trước ngày 14", to="Công an huyện"),
            Read(cycle="weekly", due_day=5, due="hằng tuần, trước 17h thứ Sáu", to=None),
            Read(cycle="fortnightly", due_day=None, due=None, to=None)]
    monthly, weekly = schedules(read)
    assert (monthly.frequency, monthly.day_of_month, monthly.recipient) == (Frequency.monthly, 14, "Công an huyện")
    assert (weekly.frequency, weekly.weekday, weekly.hour, weekly.day_of_month) == (Frequency.weekly, 5, 17, None)


def test_targets_keep_value_comparator_year_and_how_they_roll_up():
    above, rate = targets([Read(text="Trên 35.000 tài khoản VNeID được kích hoạt", value=35000, unit="tài khoản", by="2025"),
                           Read(text="100% hồ sơ được số hóa", value=100, unit="percent", by=None)])
    assert (above.comparator, above.year, above.rollup, above.value) == (Comparator.above, 2025, Rollup.sum, 35000)
    assert (rate.comparator, rate.rollup, rate.unit_of_measure) == (Comparator.equal, Rollup.average, "percent")

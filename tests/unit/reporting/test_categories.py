"""Every task falls into exactly one category on a given local day."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.reporting.domain.categories import LABELS, Category, TaskFacts, categorize, is_blocked, tally

TODAY = date(2023, 6, 20)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.mark.parametrize(
    "task, expected",
    [
        (TaskFacts(due=days(0)), Category.due_soon),
        (TaskFacts(due=days(-1)), Category.overdue),
        (TaskFacts(due=days(1)), Category.due_soon),
        (TaskFacts(due=days(7)), Category.due_soon),
        (TaskFacts(due=days(8)), Category.not_yet_due),
        (TaskFacts(due=days(30), missed=(days(-3),)), Category.not_yet_due),
        (TaskFacts(due=days(-5), completed_on=days(-6), on_time=True), Category.done_on_time),
        (TaskFacts(due=days(-5), completed_on=days(-5), on_time=True), Category.done_on_time),
        (TaskFacts(due=days(-5), completed_on=days(-1), on_time=False, missed=(days(-5),)), Category.done_late),
        (TaskFacts(due=days(-5), completed_on=days(-1)), Category.done_late),
        (TaskFacts(completed_on=days(-1)), Category.done_on_time),
        (TaskFacts(condition="Sau khi có hướng dẫn của Bộ Công an"), Category.waiting),
        (TaskFacts(condition="Sau khi có hướng dẫn", recurring=True), Category.ongoing),
        (TaskFacts(condition="Sau khi có hướng dẫn", due=days(-2)), Category.overdue),
        (TaskFacts(recurring=True), Category.ongoing),
        (TaskFacts(recurring=True, due=days(3)), Category.ongoing),
        (TaskFacts(recurring=True, due=days(-3)), Category.ongoing),
        (TaskFacts(recurring=True, due=days(60)), Category.ongoing),
        (TaskFacts(), Category.not_yet_due),
    ],
    ids=[
        "due_today_is_due_soon_not_overdue", "due_yesterday_is_overdue", "due_tomorrow_is_due_soon",
        "due_in_seven_days_is_due_soon", "due_in_eight_days_is_not_yet_due", "a_missed_deadline_since_extended_is_judged_by_the_new_due",
        "completed_before_due_is_on_time", "completed_on_the_due_day_is_on_time", "completed_after_due_is_late",
        "completed_after_due_without_a_verdict_is_late", "completed_without_due_is_on_time", "condition_without_due_waits",
        "recurring_wins_over_a_condition", "condition_with_a_past_due_is_overdue", "recurring_without_due_is_ongoing",
        "recurring_is_judged_per_period_not_due_soon", "recurring_is_never_overdue_as_a_whole", "recurring_far_due_is_ongoing", "no_timing_is_not_yet_due",
    ],
)
def test_a_task_falls_into_exactly_one_category(task, expected):
    assert categorize(task, TODAY) is expected


def test_only_an_open_task_whose_latest_report_is_blocked_is_blocked():
    assert is_blocked(TaskFacts(due=days(3), status="blocked"))
    assert not is_blocked(TaskFacts(due=days(3), status="in_progress"))
    assert not is_blocked(TaskFacts(due=days(-3), status="blocked", completed_on=days(-1), on_time=False))


def test_a_tally_counts_each_task_once_and_blocked_beside_the_categories():
    tasks = [TaskFacts(due=days(-1), status="blocked"), TaskFacts(due=days(2)), TaskFacts(recurring=True), TaskFacts(due=days(-1))]
    counts = tally(tasks, TODAY)
    assert counts == {"not_yet_due": 0, "due_soon": 1, "overdue": 2, "done_on_time": 0, "done_late": 0, "waiting": 0,
                      "ongoing": 1, "blocked": 1, "all": 4}
    assert sum(counts[c.value] for c in Category) == counts["all"]


def test_every_category_and_the_blocked_flag_have_vietnamese_and_english_labels():
    assert {c.value for c in Category} | {"blocked"} <= set(LABELS)
    assert LABELS["overdue"].vi == "Quá hạn" and LABELS["done_late"].vi == "Hoàn thành quá hạn"
    assert LABELS["waiting"].vi == "Chờ điều kiện" and LABELS["blocked"].vi == "Vướng mắc"
    assert LABELS["ongoing"].vi == "Thường xuyên" and LABELS["due_soon"].vi == "Sắp đến hạn"
    assert all(label.vi and label.en for label in LABELS.values())

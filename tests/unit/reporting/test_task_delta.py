"""The cheap per-task delta (domain/counters.task_delta) equals the general one on every kind of change."""
from __future__ import annotations

import itertools

from services.reporting.domain.counters import add, delta, owner_keys, task_delta, task_keys, views_counts

BASE = {"task_id": "t1", "unit_id": "xa-1", "group": 3, "lead": "ca", "support": ["vp", "tp"], "due": "2026-12-31",
        "original_due": "2026-12-31", "recurring": False, "condition": None, "completed_on": None, "on_time": None,
        "status": "in_progress", "reports": 1, "missed": []}

VARIANTS = [
    {}, {"reports": 2}, {"status": "blocked"}, {"due": "2027-01-30"}, {"completed_on": "2027-01-05", "on_time": False},
    {"completed_on": "2026-12-01", "on_time": True}, {"due_soon_days": 14}, {"recurring": True}, {"due": None, "condition": "Chỉ thị"},
    {"unit_id": "xa-2"}, {"lead": "vp"}, {"support": ["ca", "ca"]}, {"group": None}, {"group": 1, "reports": 3},
    {"status": "not_started", "reports": 5}, {"original_due": "2026-11-30"}, {"due": None, "condition": "Chỉ thị", "condition_met": "2026-05-01"},
    {"due_soon_days": 14, "reports": 4}, {"completed_on": "2027-01-05", "on_time": False, "reports": 6},
]


def test_task_delta_equals_the_general_delta_for_every_pair_of_views():
    views = [None, *({**BASE, **v} for v in VARIANTS)]
    checked = 0
    for before, after in itertools.product(views, views):
        assert task_delta(before, after) == delta(owner_keys(before), owner_keys(after)), (before, after)
        checked += 1
    assert checked == len(views) ** 2
    assert task_delta(BASE, {**BASE, "reports": 2}) == {"own:xa-1": {"status_reports": 1}}  # a report: no agency's counters


def test_agencies_count_their_tasks_but_not_the_status_reports_on_them():
    reported = {**BASE, "reports": 3}
    owners = owner_keys(reported)
    assert owners["own:xa-1"].count("status_reports") == 3
    assert [k for o, ks in owners.items() if o.startswith("agency:") for k in ks if k.endswith("status_reports")] == []
    assert "lead|all" in owners["agency:ca"] and "support|all" in owners["agency:vp"]
    blocked = task_delta(reported, {**reported, "status": "blocked", "reports": 4})
    assert blocked["agency:ca"] == {"lead|blocked": 1} and blocked["own:xa-1"]["status_reports"] == 1


def test_task_delta_with_kept_keys_equals_the_one_that_works_them_out():
    views = [None, *({**BASE, **v} for v in VARIANTS)]
    for before, after in itertools.product(views, views[1:]):
        kept = (task_keys(before), task_keys(after))
        assert task_delta(before, after, agencies=False, keys=kept) == task_delta(before, after, agencies=False), (before, after)


def test_views_counts_equals_the_sum_of_every_views_delta_from_nothing():
    views = [{**BASE, **v, "task_id": f"t{n}"} for n, v in enumerate(VARIANTS * 2)]
    expected: dict[str, dict[str, int]] = {}
    for view in views:
        for owner, change in task_delta(None, view).items():
            add(expected.setdefault(owner, {}), change)
    counted = views_counts((view, task_keys(view)) for view in views)
    assert counted == expected
    assert counted["own:xa-1"]["g3|all"] == sum(1 for v in views if v["unit_id"] == "xa-1" and v["group"] == 3)
    assert counted["agency:ca"]["support|all"] == 4  # {"support": ["ca", "ca"]} in two views: each listed share counts

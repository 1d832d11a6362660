"""The cheap per-task delta (domain/counters.task_delta) equals the general one on every kind of change."""
from __future__ import annotations

import itertools

from services.reporting.domain.counters import delta, owner_keys, task_delta

BASE = {"task_id": "t1", "unit_id": "xa-1", "group": 3, "lead": "ca", "support": ["vp", "tp"], "due": "2026-12-31",
        "original_due": "2026-12-31", "recurring": False, "condition": None, "completed_on": None, "on_time": None,
        "status": "in_progress", "reports": 1, "missed": []}

VARIANTS = [
    {}, {"reports": 2}, {"status": "blocked"}, {"due": "2027-01-30"}, {"completed_on": "2027-01-05", "on_time": False},
    {"completed_on": "2026-12-01", "on_time": True}, {"due_soon_days": 14}, {"recurring": True}, {"due": None, "condition": "Chỉ thị"},
    {"unit_id": "xa-2"}, {"lead": "vp"}, {"support": ["ca", "ca"]}, {"group": None}, {"group": 1, "reports": 3},
]


def test_task_delta_equals_the_general_delta_for_every_pair_of_views():
    views = [None, *({**BASE, **v} for v in VARIANTS)]
    checked = 0
    for before, after in itertools.product(views, views):
        assert task_delta(before, after) == delta(owner_keys(before), owner_keys(after)), (before, after)
        checked += 1
    assert checked == len(views) ** 2
    assert task_delta(BASE, {**BASE, "reports": 2}) == {"own:xa-1": {"status_reports": 1}, "agency:ca": {"lead|status_reports": 1},
                                                        "agency:vp": {"support|status_reports": 1}, "agency:tp": {"support|status_reports": 1}}

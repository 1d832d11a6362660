"""Figures on a day D from counters (see counters.py): buckets, rates, overdue aging and overdue days.

Of the tasks that have fallen due by D (due before D, or already completed): done on time, done
late, overdue. Of the rest: not yet due, due soon (due within the plan's window, D included), waiting
on a condition, ongoing; blocked is a flag counted beside them. A task due on D is not overdue yet.

    completion_rate = (done on time + done late) / fallen due
    on_time_rate    = done on time / fallen due

Both are None when nothing has fallen due. Reading is O(distinct due days), never O(tasks).
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Mapping

from schemas.deadlines import DUE_SOON_DAYS, is_due_soon, is_overdue

AGING = (("1-7", 1, 7), ("8-30", 8, 30), ("31-120", 31, 120), (">120", 121, None))
BUCKETS = ("not_yet_due", "due_soon", "overdue", "done_on_time", "done_late", "waiting", "ongoing", "blocked", "all")


def buckets(counts: Mapping[str, int], today: date, basis: str = "a", prefix: str = "") -> dict[str, int]:
    """The nine counts the dashboard shows, for the keys under `prefix` (e.g. `lead|` for an agency's lead part)."""
    return buckets_and_aging(counts, today, basis, prefix)[0]


def buckets_and_aging(counts: Mapping[str, int], today: date, basis: str = "a", prefix: str = "") -> tuple[dict[str, int], dict[str, int]]:
    """buckets() and aging() in one pass over the keys."""
    out = dict.fromkeys(BUCKETS, 0)
    out["all"] = counts.get(f"{prefix}all", 0)
    out["blocked"] = counts.get(f"{prefix}blocked", 0)
    late_by = {name: 0 for name, _, _ in AGING}
    late_by["overdue_days"] = 0
    head = f"{prefix}{basis}|"
    for key, value in counts.items():
        if not key.startswith(head):
            continue
        rest = key[len(head):]
        if rest.startswith("open|"):
            bucket, late, band = _open(rest[5:], today)
            out[bucket] += value
            if band:
                late_by[band] += value
                late_by["overdue_days"] += late * value
        elif rest == "undated":
            out["not_yet_due"] += value
        else:
            out[rest] += value
    return out, late_by


def rates(counts: Mapping[str, int]) -> dict[str, float | int | None]:
    """Fallen due, completion rate and on-time rate from buckets()."""
    done = counts["done_on_time"] + counts["done_late"]
    fallen = done + counts["overdue"]
    return {"fallen_due": fallen, "completion_rate": _ratio(done, fallen), "on_time_rate": _ratio(counts["done_on_time"], fallen)}


def aging(counts: Mapping[str, int], today: date, basis: str = "a", prefix: str = "") -> dict[str, int]:
    """Open overdue tasks by days overdue (today - due): 1-7, 8-30, 31-120, >120; plus `overdue_days`, their sum."""
    return buckets_and_aging(counts, today, basis, prefix)[1]


def split(counts: Mapping[str, int], basis: str) -> tuple[dict[str, int], dict[str, int]]:
    """In one pass: the task keys of one basis (with the undated ones), and the reporting keys (`exp|`, `rep|`),
    the other basis's keys left out, so that buckets() and aging() read only the first and reporting() the second."""
    tasks: dict[str, int] = {}
    reports: dict[str, int] = {}
    mine = f"{basis}|"
    for key, value in counts.items():
        if key.startswith(mine) or "|" not in key:
            tasks[key] = value
        elif key.startswith(("exp|", "rep|")):
            reports[key] = value
    return tasks, reports


@lru_cache(maxsize=65_536)
def _open(rest: str, today: date) -> tuple[str, int, str | None]:
    """An open key's bucket, days late and aging band (None when not late) on `today`: the same due days recur
    across units, so each is worked out once."""
    due, window = open_key(rest)
    late = (today - due).days
    return _open_bucket(due, window, today), late, _aging_bucket(late) if late >= 1 else None


def open_key(rest: str) -> tuple[date, int]:
    """The due day and due-soon window of an open key's tail: `2026-12-31` or `2026-12-31|14` (counters.py)."""
    due, _, window = rest.partition("|")
    return date.fromisoformat(due), int(window) if window else DUE_SOON_DAYS


def _open_bucket(due: date, window: int, today: date) -> str:
    if is_overdue(due, None, today):
        return "overdue"
    return "due_soon" if is_due_soon(due, None, today, window) else "not_yet_due"


def _aging_bucket(late: int) -> str:
    for name, low, high in AGING:
        if late >= low and (high is None or late <= high):
            return name
    raise AssertionError(late)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None

"""What one task adds to the counters of its unit and agencies, as a list of keys (each worth 1).

Counters are kept by delta: when a task's view changes, the keys it contributed before are taken
away and the keys it contributes now are added, at its unit, every ancestor, its lead agency and
its coordinating agencies. No key depends on today's date: an open task is counted by its due
day (`a|open|2026-12-31`), so "overdue on D" is the sum of the open counts due before D (see
figures.py). A task whose plan sets a due-soon window other than the default 7 days carries it in
the key (`a|open|2026-12-31|14`), so "due soon on D" is still read from the keys alone. Every date-dependent key exists twice, once per basis:

- `o|…` against the original due date (as the plan first assigned it),
- `a|…` against the adjusted due date (after approved extensions or a met condition).

Whether a task is overdue or done late is asked of schemas.deadlines, the one rule for it.

Status reports are counted for units (`status_reports`, own and total, and in the units' day history), not for agencies:
no figure of an agency reads them (its buckets and rates are of its tasks' keys), and a report that changes neither the
task's status nor its lateness, the most common event, then writes no agency's counters (`agency_keys`).
"""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable, Mapping, Sequence

from schemas.deadlines import DUE_SOON_DAYS, is_overdue

Doc = Mapping[str, Any]
BASES = {"original": "o", "adjusted": "a"}
LEAD, SUPPORT = "lead", "support"
GROUPS = (1, 2, 3, 4, 5)  # the five utility groups (glossary: Task.group)
REPORTS = "status_reports"  # a unit's count of status reports received (one key per report a task's view has taken in)


def agency_keys(keys: Iterable[str]) -> list[str]:
    """The keys of a task's agencies (with their role prefixed): the task's keys but its status reports (module docstring)."""
    return [k for k in keys if k != REPORTS]


def task_keys(doc: Doc | None) -> list[str]:
    """The counter keys a task view contributes; none for no view."""
    if doc is None:
        return []
    keys = ["all", *[REPORTS] * doc.get("reports", 0)]
    completed_on = doc.get("completed_on")
    dues = (("o", doc.get("original_due") or doc.get("due")), ("a", doc.get("due")))
    if completed_on is not None:
        finished = date.fromisoformat(completed_on)
        for prefix, due in dues:
            late = is_overdue(_day(due), finished, finished)
            keys.append(f"{prefix}|done_late" if late else f"{prefix}|done_on_time")
        return keys
    if doc.get("status") == "blocked":
        keys.append("blocked")
    window = doc.get("due_soon_days", DUE_SOON_DAYS)
    suffix = "" if window == DUE_SOON_DAYS else f"|{window}"
    for prefix, due in dues:
        keys.append(f"{prefix}|open|{due}{suffix}" if due and not doc.get("recurring") else f"{prefix}|{_undated(doc)}")
    return keys


def owner_keys(doc: Doc | None) -> dict[str, list[str]]:
    """Keys per owner: `own:<unit>` (rolled up to ancestors by the caller), and `agency:<id>` with role prefixes."""
    if doc is None:
        return {}
    keys = task_keys(doc)
    owners: dict[str, list[str]] = {f"own:{doc['unit_id']}": keys + group_keys(doc, keys)}
    counted = agency_keys(keys)
    owners.setdefault(f"agency:{doc['lead']}", []).extend(f"{LEAD}|{k}" for k in counted)
    for agency in doc.get("support") or ():
        owners.setdefault(f"agency:{agency}", []).extend(f"{SUPPORT}|{k}" for k in counted)
    return owners


def group_keys(doc: Doc, keys: list[str]) -> list[str]:
    """The unit's keys again under its utility group (`g3|a|open|2026-12-31`, `g3|all`): the dashboard's heat by group.

    Adjusted basis only, on the unit's counters (not the agencies'); a group's figures are figures.buckets / aging of
    its keys with the prefix taken off (dashboard/reported.by_group)."""
    group = doc.get("group")
    if group not in GROUPS:
        return []
    return [f"g{group}|{k}" for k in keys if not k.startswith("o|") and k != REPORTS]


def task_delta(before: Doc | None, after: Doc | None, agencies: bool = True,
               keys: tuple[Sequence[str], Sequence[str]] | None = None) -> dict[str, dict[str, int]]:
    """`delta(owner_keys(before), owner_keys(after))`, cheaply when the task keeps its unit, group and agencies.

    Then every owner's keys are the task's keys under a fixed prefix, so the change is worked out once on the few task
    keys and handed to each owner (most task events only add a status report or move a due date). Without `agencies`:
    the units' (`own:`) changes only. `keys`: (task_keys(before), task_keys(after)) when the caller keeps them."""
    if after is None or (before is not None and (before["unit_id"] != after["unit_id"] or before.get("group") != after.get("group")
                                                 or before["lead"] != after["lead"] or before.get("support") != after.get("support"))):
        found = delta(owner_keys(before), owner_keys(after))
        return found if agencies else {o: c for o, c in found.items() if o.startswith("own:")}
    if keys is None and before is not None and _shape(before) == _shape(after):  # most reports: only one more report
        reports = after.get("reports", 0) - before.get("reports", 0)
        change = {REPORTS: reports} if reports else {}
    else:
        keys_before, keys_after = keys if keys is not None else (task_keys(before), task_keys(after))
        change = {}
        for key in keys_after:
            change[key] = change.get(key, 0) + 1
        for key in keys_before:  # none for no view before
            change[key] = change.get(key, 0) - 1
        change = {k: v for k, v in change.items() if v}
    if not change:
        return {}
    own = dict(change)
    group = after.get("group")
    if group in GROUPS:
        own.update({f"g{group}|{k}": v for k, v in change.items() if not k.startswith("o|") and k != REPORTS})
    changes: dict[str, dict[str, int]] = {f"own:{after['unit_id']}": own}
    if not agencies or (len(change) == 1 and REPORTS in change):  # a report that changes no other key: no agency's
        return changes
    for role, agency in ((LEAD, after["lead"]), *((SUPPORT, a) for a in after.get("support") or ())):
        add(changes.setdefault(f"agency:{agency}", {}), {f"{role}|{k}": v for k, v in change.items() if k != REPORTS})
    return {owner: c for owner, c in changes.items() if c}


def _shape(doc: Doc) -> tuple:
    """Every field task_keys reads but the report count: two views of one shape differ in their keys by status reports only."""
    return (doc.get("completed_on"), doc.get("status") == "blocked", doc.get("due"), doc.get("original_due"), doc.get("recurring"),
            doc.get("condition"), doc.get("condition_met"), doc.get("due_soon_days", DUE_SOON_DAYS))


def views_counts(views: Iterable[tuple[Doc, Sequence[str]]]) -> dict[str, dict[str, int]]:
    """What the task views contribute, per owner: the sum of `task_delta(None, view)` over them, each view given with its
    task_keys. The keys are counted per (unit, group) and per (role, agency) first; a unit's own counts are its groups'
    added up, and every owner's prefix is put on once per distinct key at the end, not once per task (a rebuild counts
    every final view this way)."""
    groups: dict[tuple[str, Any], dict[str, int]] = {}
    roles: dict[tuple[str, str], dict[str, int]] = {}
    for doc, keys in views:
        own = groups.setdefault((doc["unit_id"], doc.get("group")), {})
        for key in keys:
            own[key] = own.get(key, 0) + 1
        counted = agency_keys(keys) if REPORTS in keys else keys
        for into in [roles.setdefault((LEAD, doc["lead"]), {}), *(roles.setdefault((SUPPORT, a), {}) for a in doc.get("support") or ())]:
            for key in counted:
                into[key] = into.get(key, 0) + 1
    counts: dict[str, dict[str, int]] = {}
    for (unit, group), found in groups.items():
        own = counts.setdefault(f"own:{unit}", {})
        add(own, found)
        if group in GROUPS:
            own.update({f"g{group}|{k}": v for k, v in found.items() if not k.startswith("o|") and k != REPORTS})
    for (role, agency), found in roles.items():  # a role's keys never meet the other role's: plain updates
        counts.setdefault(f"agency:{agency}", {}).update({f"{role}|{k}": v for k, v in found.items()})
    return counts


def is_group_key(key: str) -> bool:
    """A key of the dashboard's heat by group (`g3|…`): kept in documents of its own, beside the counters."""
    return key[:1] == "g" and key[2:3] == "|" and key[1:2].isdigit()


def split_parts(counts: Mapping[str, int]) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """(the counts without the group keys and the status reports, the group keys, the status reports): the three
    documents a unit's counts are stored in (handlers/repository/counters.py)."""
    plain: dict[str, int] = {}
    groups: dict[str, int] = {}
    reports: dict[str, int] = {}
    for key, value in counts.items():  # is_group_key, inline: this runs for every owner a live batch changes
        if key[:1] == "g" and key[2:3] == "|" and key[1:2].isdigit():
            groups[key] = value
        elif key == REPORTS:
            reports[key] = value
        else:
            plain[key] = value
    return plain, groups, reports


def delta(before: Mapping[str, Iterable[str]], after: Mapping[str, Iterable[str]]) -> dict[str, dict[str, int]]:
    """Per owner, what changes: +1 for each key gained, -1 for each key lost; owners with no change left out.

    Plain dicts, not Counter: this runs for every task event of a rebuild."""
    changes: dict[str, dict[str, int]] = {}
    for owner in before.keys() | after.keys():
        change: dict[str, int] = {}
        for key in after.get(owner, ()):
            change[key] = change.get(key, 0) + 1
        for key in before.get(owner, ()):
            change[key] = change.get(key, 0) - 1
        change = {k: v for k, v in change.items() if v}
        if change:
            changes[owner] = change
    return changes


def add(into: dict[str, int], change: Mapping[str, int], sign: int = 1) -> None:
    """Add `change` into the counts in place; keys that reach zero are removed, so equal models are equal documents."""
    for key, value in change.items():
        total = into.get(key, 0) + sign * value
        if total:
            into[key] = total
        else:
            into.pop(key, None)


def _undated(doc: Doc) -> str:
    """Recurring tasks are judged per reporting period, never overdue as a whole (schemas.deadlines)."""
    if doc.get("recurring"):
        return "ongoing"
    return "waiting" if doc.get("condition") and not doc.get("condition_met") else "undated"


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None



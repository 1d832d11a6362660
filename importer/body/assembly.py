"""Turn walker candidates into draft tasks: agencies, timing, warnings."""

from __future__ import annotations

import re

from ..vocabulary.agencies import partners_in, split_agencies
from ..draft.model import DraftTask, Timing
from .role_cues import supporting_work
from .selection import select
from ..read.text import compare_key, fold
from ..vocabulary.roles import marked_roles, trailing_roles
from ..vocabulary.timing import inline_timing, parse_timing
from .candidates import Candidate

Warn = tuple[int | None, str]


def _exec_split(value: str) -> tuple[list[str], list[str]]:
    """"X chủ trì, phối hợp với Y" or "X (chủ trì); Y (phối hợp)" -> ([X], [Y]); otherwise everyone leads."""
    roles = trailing_roles(value) or marked_roles(value)
    if roles:
        return roles
    folded = fold(value)
    m = re.search(r"\bchu tri\b", folded)
    if not m:
        return split_agencies(value), []
    lead = split_agencies(value[: m.start()])
    rest = re.search(r"\bphoi hop\s*(?:voi|cung)?\s*", folded[m.end():])
    support = split_agencies(value[m.end() + rest.end():]) if rest else []
    return lead, support


def merge_timings(timings: list[Timing]) -> Timing:
    timings = [t for t in timings if t.raw]
    if not timings:
        return Timing()
    dues = [t.due for t in timings if t.due]
    starts = [t.start for t in timings if t.start]
    return Timing(
        raw="; ".join(t.raw for t in timings),
        due=min(dues) if dues else None,
        start=min(starts) if starts else None,
        recurring=any(t.recurring for t in timings),
        condition=next((t.condition for t in timings if t.condition), None),
    )


def _timing(c: Candidate, plan_year: int | None, warns: list[Warn]) -> Timing:
    parsed = []
    for label, line in c.labels:
        if label.kind == "time":
            timing, notes = parse_timing(label.value, plan_year, label.role)
            parsed.append(timing)
            warns.extend((line, n) for n in notes)
    if parsed:
        return merge_timings(parsed)
    if c.scope is not None and not c.scope.has_time_label or c.kind == "para":  # the time inside the sentence
        found = inline_timing(c.content, plan_year)
        if found:
            warns.extend((c.line, n) for n in found[1])
            return found[0]
    return Timing()


def _agencies(c: Candidate) -> tuple[list[str], list[str]]:
    lead: list[str] = []
    support: list[str] = []
    for label, _ in c.labels:
        if label.kind == "lead":
            lead += split_agencies(label.value)
        elif label.kind == "support":
            support += split_agencies(label.value)
        elif label.kind == "exec":
            more_lead, more_support = _exec_split(label.value)
            lead, support = lead + more_lead, support + more_support
    if not lead and c.scope is not None:
        lead = list(c.scope.names)
    if not support and c.scope is not None:
        support = list(c.scope.support)
    if not support:
        support = partners_in(c.content)  # "Phối hợp với X …" in the sentence
    keys = {compare_key(n) for n in lead}
    return _dedupe(lead), [n for n in _dedupe(support) if compare_key(n) not in keys]


def _dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        if compare_key(name) not in seen:
            seen.add(compare_key(name))
            out.append(name)
    return out


MIRROR_MIN_CHARS = 20  # the shortest shared opening that makes two items the same work


def _mirrors(tasks: list[tuple[int, DraftTask]]) -> set[int]:
    """Indexes of items "Phối hợp với X <work>" whose work X leads elsewhere in the plan ("1. Công an xã: - Chủ trì
    … thu nhận hồ sơ …" and "3. Phòng Văn hóa - Xã hội: - Phối hợp với Công an xã thu nhận hồ sơ …"): the same task
    seen from its partner's side, no task of its own. An item whose X leads no such work stays a task."""
    out = set()
    for i, (_, task) in enumerate(tasks):
        found = supporting_work(task.content)
        if found is None:
            continue
        names = {compare_key(n) for n in split_agencies(found[0])}
        work = compare_key(found[1]).rstrip(" .;")
        for j, (_, other) in enumerate(tasks):
            theirs = compare_key(other.content)
            shared = min(len(work), len(theirs))
            if j != i and names & {compare_key(n) for n in other.lead} and shared >= MIRROR_MIN_CHARS \
                    and work[:shared] == theirs[:shared]:
                out.add(i)
                break
    return out


def build_tasks(
    candidates: list[Candidate], plan_year: int | None
) -> tuple[list[tuple[int, DraftTask]], list[Warn], set[int]]:
    """(line, task) pairs in document order, warnings, lines used by tasks."""
    warns: list[Warn] = []
    tasks = []
    used: set[int] = set()
    for c in select(candidates, plan_year):
        used.update(c.lines)
        lead, support = _agencies(c)
        if not lead:
            warns.append((c.line, f"task {c.code}: no lead agency found"))
        tasks.append((c.line, DraftTask(
            code=c.code, section=c.section, content=c.content, lead=lead, support=support,
            timing=_timing(c, plan_year, warns),
        )))
    mirrors = _mirrors(tasks)
    return [t for i, t in enumerate(tasks) if i not in mirrors], warns, used


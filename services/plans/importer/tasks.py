"""Turn walker candidates into draft tasks: agencies, timing, warnings."""

from __future__ import annotations

import re

from .agencies import partners_in, split_agencies
from .assignment import split_assignment
from .draft import DraftTask, Timing
from .structure import Label, parse_label
from .text import compare_key, fold
from .timing import inline_timing, parse_timing
from .walker import Candidate, Scope

_TASKISH = re.compile(r"nhiem vu|to chuc thuc hien|phan cong|trach nhiem|giai phap")
_NOT_TASKISH = re.compile(r"^(?:muc dich|muc tieu|yeu cau|pham vi|can cu|ket qua|danh gia|tinh hinh|doi tuong)")
_INLINE_LABEL = re.compile(
    r"(?:(?:co quan|don vi)\s+)?(?:chu tri|phoi hop)\s*:|(?:thoi gian|thoi han)[^:.;]{0,25}:"
)
Warn = tuple[int | None, str]


def _taskish(title: str) -> bool:
    folded = fold(title)
    return bool(_TASKISH.search(folded)) and not _NOT_TASKISH.match(folded)


def _scope_ok(scope: Scope, members: list[Candidate], plan_year: int | None) -> bool:
    top = members[0].top if members else ""
    if scope.has_time_label or _taskish(top):
        return True
    if _NOT_TASKISH.match(fold(top)):
        return False  # "I. KẾT QUẢ THỰC HIỆN": a report's results, not tasks
    return any(inline_timing(c.content, plan_year) for c in members)


def _inline_labels(c: Candidate) -> None:
    """Split "… Chủ trì: X; thời gian: Y" written inside the item's paragraph."""
    text = c.content
    folded = fold(text)
    starts = [m.start() for m in _INLINE_LABEL.finditer(folded) if m.start() > 20]
    if not starts:
        return
    pieces = [text[a:b].strip(" ;,()") for a, b in zip(starts, starts[1:] + [len(text)])]
    labels = [parse_label(p) for p in pieces]
    if any(labels):
        c.parts = [text[: starts[0]].strip(" ;,(-–")]
        c.labels = [(label, c.line) for label in labels if label] + c.labels


_BRACKET = re.compile(r"^\[([^\[\]]{2,80})\]\s*(?=\S)")


def _bracket_timing(c: Candidate, plan_year: int | None) -> None:
    """"[Quý III/2024] Kiểm tra …": timing written in a leading bracket."""
    m = _BRACKET.match(c.content)
    if not m:
        return
    timing, _ = parse_timing(m.group(1), plan_year)
    if timing.due or timing.start or timing.recurring or timing.condition:
        c.parts = [c.content[m.end():]]
        c.labels.insert(0, (Label("time", m.group(1)), c.line))


def _assignment(c: Candidate) -> None:
    """"… . Giao X chủ trì, phối hợp với Y thực hiện; hoàn thành …" at the paragraph's end."""
    if c.kind is None or any(label.kind in ("lead", "exec") for label, _ in c.labels):
        return  # only numbered or bulleted items: a plain paragraph may be preamble
    found = split_assignment(c.content)
    if found is not None:
        c.parts = [found[0]]
        c.labels = [(label, c.line) for label in found[1]] + c.labels


def select(candidates: list[Candidate], plan_year: int | None) -> list[Candidate]:
    """Keep the candidates that are tasks."""
    members: dict[int, list[Candidate]] = {}
    for c in candidates:
        if c.scope is not None:
            members.setdefault(id(c.scope), []).append(c)
        _bracket_timing(c, plan_year)
        _assignment(c)
        _inline_labels(c)
    ok = {key: _scope_ok(group[0].scope, group, plan_year) for key, group in members.items()}
    chosen = []
    for c in candidates:
        if not c.content:
            continue
        if c.labels:
            chosen.append(c)
        elif c.scope is not None and ok[id(c.scope)]:
            if c.kind is None or c.scope.item_kind in (None, c.kind):
                chosen.append(c)
    return chosen


def _exec_split(value: str) -> tuple[list[str], list[str]]:
    """"X chủ trì, phối hợp với Y" -> ([X], [Y]); otherwise everyone leads."""
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
    if c.scope is not None and not c.scope.has_time_label:
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
    return tasks, warns, used


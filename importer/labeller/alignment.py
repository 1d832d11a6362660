"""Line labels from a hand-made reading: each expected task's fields found among the segments.

A task starts at the first segment (from where the previous task started on) whose text holds the
beginning of the task's content. Its block runs to the next task's start; inside it a segment is
LEAD when it names the first lead agency, SUPPORT a coordinating one, TIME when it holds the
reading's raw time, PRODUCT when it is a product field, TASK_CONT otherwise — up to the last segment
that holds a field; what follows (and what lies outside every block) is HEADING or OTHER.
"""
from __future__ import annotations

import re

from ..read.text import compare_key, fold
from ..vocabulary.agency_directory import agency_key
from .scopes import scope_roles
from .features import ITEMS_FOLLOW
from .fields import column_role
from .segments import Segment

LABELS = ("TASK_START", "TASK_CONT", "LEAD", "SUPPORT", "TIME", "PRODUCT", "HEADING", "OTHER")
PROBE = 40  # characters of a task's content that locate its start
_HEADING = re.compile(r"^(?:[ivx]{1,4}|[a-z]|\d{1,2}(?:\.\d{1,2})*)[.)]\s|^(?:nhom|phan|muc|phu luc)\b")


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", compare_key(text or "")).split())


def _holds(segment_key: str, wanted: str | None) -> bool:
    return bool(wanted) and wanted in segment_key


def task_starts(segments: list[Segment], tasks: list[dict]) -> dict[int, int]:
    """segment index -> expected task index, in document order."""
    keys = [_key(s.text) for s in segments]
    starts: dict[int, int] = {}
    cursor = 0
    for ti, task in enumerate(tasks):
        whole = _key(task["content_start"])
        probe = whole[:PROBE].rsplit(" ", 1)[0] if len(whole) > PROBE else whole
        if not probe:
            continue
        for si in list(range(cursor, len(segments))) + list(range(cursor)):
            if si not in starts and probe in keys[si]:
                starts[si] = ti
                cursor = si + 1
                break
    return starts


def _heading_or_other(segment: Segment) -> str:
    folded = fold(segment.text).lower()
    letters = [c for c in segment.text if c.isalpha()]
    upper = len(letters) > 3 and sum(c.isupper() for c in letters) / len(letters) > 0.7
    short = len(segment.text.split()) <= 20 and not segment.text.rstrip().endswith(".")
    scope = ITEMS_FOLLOW.search(folded.rstrip(" .")) and scope_roles(segment.text)
    return "HEADING" if segment.strong or upper or scope or (short and _HEADING.match(folded)) else "OTHER"


def _column_field(segment: Segment) -> str | None:
    """The field a cell of a task's own row holds by its column's header ("Đơn vị chủ trì", "Đơn vị phối hợp",
    "Thời hạn"), when the reading spells its value otherwise (a code the plan defines, "PC06"; a short form)."""
    if segment.cell is None:
        return None
    header = fold(segment.header).lower()
    if column_role(segment, "OTHER") == "TIME":
        return "TIME"
    if ("chu tri" in header) != ("phoi hop" in header):
        return "LEAD" if "chu tri" in header else "SUPPORT"
    return None


def _field(segment: Segment, task: dict) -> str | None:
    if ITEMS_FOLLOW.search(fold(segment.text).lower().rstrip(" .")):
        return None  # "Giao X chủ trì … thực hiện các nhiệm vụ sau:" heads the tasks below, not a field
    key = agency_key(segment.text)
    folded = fold(segment.text).lower()
    timing = (task.get("timing") or {}).get("raw")
    if folded.startswith(("san pham", "ket qua", "ket qua/san pham")) or "san pham" in fold(segment.header).lower():
        return "PRODUCT"
    if task["lead"] and _holds(key, agency_key(task["lead"][0])):
        return "LEAD"
    if timing and _holds(_key(segment.text), _key(timing)):
        return "TIME"
    if any(_holds(key, agency_key(name)) for name in task.get("support") or []):
        return "SUPPORT"
    return None


def align(segments: list[Segment], reading: dict) -> list[str]:
    """One label per segment (LABELS) from the reading's tasks."""
    tasks = reading["tasks"]
    starts = task_starts(segments, tasks)
    labels = [_heading_or_other(s) for s in segments]
    order = sorted(starts)
    for n, si in enumerate(order):
        task = tasks[starts[si]]
        end = order[n + 1] if n + 1 < len(order) else len(segments)
        labels[si] = "TASK_START"
        for sj in range(si - 1, -1, -1):  # the row's cells before the task's text: its lead, partners or time first
            if segments[sj].line != segments[si].line or segments[si].cell is None:
                break
            labels[sj] = _field(segments[sj], task) or _column_field(segments[sj]) or labels[sj]
        block = {}
        for sj in range(si + 1, end):
            field = _field(segments[sj], task)
            if not field and labels[sj] == "HEADING" and segments[sj].line != segments[si].line:
                break  # a heading ends the block: what follows it is no part of this task
            if field:
                block[sj] = field
            elif segments[sj].line == segments[si].line and segments[sj].cell is not None:
                block[sj] = _column_field(segments[sj]) or "OTHER"  # its column's field, or a number or note cell
        last = max(block, default=si)
        for sj in range(si + 1, last + 1):
            labels[sj] = block.get(sj, "TASK_CONT")
    return labels

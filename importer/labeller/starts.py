"""Segment-level decisions around the labeller's labels: where a task starts when the labeller is unsure
(numbered like the sure starts, a sentence that assigns a task, the line before a run of field lines, a field
line repeated in one block) and sentences the reader left cut."""
from __future__ import annotations

import re
from collections import Counter

from ..body.headings import agency_heading
from ..read.text import fold
from .features import ASSIGNS_OPEN, ITEMS_FOLLOW as _ITEMS_FOLLOW, numbering_end, numbering_style
from ..vocabulary.agencies import is_head
from .fields import BARE_LABEL, bare_value, task_content
from .inline import TASK_VERB, is_time, sentence_roles
from .segments import Segment

SURE_OTHER = 0.9  # an OTHER the labeller is less sure of gives way to a sentence that assigns a task
TOP = re.compile(r"^(?:[IVX]{1,4}\s*[.)]|PHẦN|Phần|PHỤ LỤC)")  # a top-level heading
_FIELD_LINE = re.compile(r"^(?:(?:co quan|don vi|bo phan)\s+)?(?P<kw>chu tri|phoi hop|trach nhiem|thoi gian|thoi han|tien do)\b[^:]{0,30}:")


def field_line(text: str) -> str | None:
    """LEAD / SUPPORT / TIME for a labelled field line ("- Cơ quan chủ trì triển khai: X", "Tiến độ: …")."""
    m = _FIELD_LINE.match(fold(text[numbering_end(text):]).lower().strip())
    return None if m is None else {"chu tri": "LEAD", "trach nhiem": "LEAD", "phoi hop": "SUPPORT"}.get(m.group("kw"), "TIME")


def bare_field(text: str) -> str | None:
    """LEAD / SUPPORT / TIME for a field's label without a colon followed by what that field holds: an agency's
    name after "Đơn vị chủ trì" or "Cơ quan phối hợp", a time after "Thời hạn" or "Thời gian thực hiện" (a
    two-column field table read as lines: "Đơn vị chủ trì Công an phường", "Thời hạn Quý I/2026")."""
    text = text[numbering_end(text):]
    value = bare_value(text)
    if value is None:
        return None
    said = BARE_LABEL.match(fold(text.strip()).lower()).group("kw")
    kind = {"chu tri": "LEAD", "phoi hop": "SUPPORT"}.get(said, "TIME")
    return kind if (is_time(value) if kind == "TIME" else is_head(value)) else None


def opens_fields(previous: tuple[Segment, str, tuple[str, str]] | None) -> bool:
    """May the segment before a run of field lines be their task ("Mô hình 3: …" then "- Cơ quan chủ trì: …")?"""
    if previous is None:
        return False
    segment, label, _ = previous
    return (label in ("OTHER", "HEADING", "TASK_START") and segment.cell is None and not TOP.match(segment.text)
            and field_line(segment.text) is None and not segment.text.rstrip().endswith(":")
            and len(segment.text.split()) >= 4)


def repeats_field(block: list[tuple[Segment, str]], field: str, previous) -> bool:
    """Does a field line of a kind the open block already has follow a line of the block that is no field line
    (the labeller took a task's first line for a field of the task above)?"""
    segment = previous[0] if previous else None
    return (len(block) >= 3 and block[-1][0] is segment and segment.cell is None and field_line(segment.text) is None
            and any(field_line(s.text) == field for s, _ in block[1:-1]) and len(segment.text.split()) >= 4
            and not segment.text.rstrip().endswith(":"))


def rejoined(segments: list[Segment], labelled: list[tuple[str, float]]):
    """A sentence the reader left cut ("6. Giao Sở Lao động - Thương binh và Xã hội chủ trì," / "phối hợp với …"):
    a segment outside a table that begins in lowercase after one that ends with a comma goes on with it, under
    the first one's label (or the second's, when only the second starts a task)."""
    out_s: list[Segment] = []
    out_l: list[tuple[str, float]] = []
    for segment, label in zip(segments, labelled):
        before = out_s[-1] if out_s else None
        if (before is not None and before.cell is None and segment.cell is None and segment.text[:1].islower()
                and before.text.rstrip().endswith(",")
                and not _ITEMS_FOLLOW.search(fold(before.text).lower())):
            out_s[-1] = Segment(before.line, f"{before.text} {segment.text}", strong=before.strong)
            if label[0] == "TASK_START" and out_l[-1][0] != "TASK_START":
                out_l[-1] = label  # the task's words are on the second line: the sentence starts the task
            continue
        out_s.append(segment)
        out_l.append(label)
    return out_s, out_l


def assigns(text: str) -> bool:
    """Does the sentence itself assign a task: "[Giao] X chủ trì, phối hợp Y <task> …" or "X: <task verb> …",
    read whole (a lead agency and a task)? A start the labeller is less sure of then stands."""
    if ASSIGNS_OPEN.match(fold(text[numbering_end(text):]).lower()) and sentence_roles(task_content(text)) is not None:
        return True
    body = task_content(text)
    named = agency_heading(body) if 0 < body.find(":") < 120 else None
    return bool(named and named[0] and named[1] and named[1][:1].isupper() and TASK_VERB.match(fold(named[1])))


def numbering(segment: Segment) -> str:
    return numbering_style(fold(segment.text).lower())


def start_styles(segments: list[Segment], labelled: list[tuple[str, float]]) -> set[str]:
    """Numbering styles ("letter", "dash", "arabic-2" …) that at least two sure task starts of the document use."""
    styles = Counter(numbering(s) for s, (label, p) in zip(segments, labelled)
                     if label == "TASK_START" and p >= SURE_OTHER and s.cell is None)
    return {style for style, n in styles.items() if n >= 2 and style != "none"}

"""A task sentence closed by a time field of its own ("…, phối hợp với Y. Hoàn thành: Tháng 5/2026.", "…. Hoàn
thành: Theo hướng dẫn của Sở Tư pháp."): the field's whole value is the task's time, a period or an event waited on.

Two cues compete: the words of time inside the sentence (read by `inline_timing` when a trigger such as "trước"
opens them) and the labelled field closing it. The field is read only when the sentence gives no time otherwise,
since a label before a value that no trigger opens ("Hoàn thành: Tháng 5/2026") or a condition no pattern names
("Theo hướng dẫn của …") says as plainly as a trigger that the value is the task's time.
"""
from __future__ import annotations

import re

from ..read.text import fold
from ..vocabulary.timing import inline_timing, parse_timing
from .structure import Label

# "Hoàn thành:" (a field "Thời gian:" / "Thời hạn:" inside the sentence is read by selection's inline labels)
_FIELD = re.compile(r"[.;]\s+(?:hoan thanh|han hoan thanh)\s*:\s*(?=\S)")
MAX_WORDS = 16  # "Theo hướng dẫn của Sở Văn hóa, Thể thao và Du lịch" is eleven; a longer value is a sentence


def closing_field(content: str) -> tuple[str, Label] | None:
    """("task text", time label) for "task text. Hoàn thành: <time>." when nothing before the field gives a time."""
    found = list(_FIELD.finditer(fold(content)))
    if not found:
        return None
    value = content[found[-1].end():].strip(" .;")
    if not value or len(value.split()) > MAX_WORDS:
        return None
    inline = inline_timing(content, 2000)
    if inline is not None and _timed(inline[0]):
        return None
    if not _timed(parse_timing(value, 2000)[0]):
        return None
    return content[: found[-1].start()].rstrip(" ,"), Label("time", value)


def _timed(timing) -> bool:
    return bool(timing.due or timing.start or timing.recurring or timing.condition)

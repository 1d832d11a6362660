"""Cues of time inside or above an item, whatever the layout:

    "Tháng 7/2025: Kiện toàn Tổ công tác …"        a leading time, then the task
    "… (hoàn thành trước 30/9/2025)."               a time (or a wait for an event) in a closing bracket
    "…; chậm nhất ngày 30/4/2026."                   a time as the last clause
    "Tháng 8/2024:" / "Quý IV/2024" as a heading    the time of the items below it
"""
from __future__ import annotations

import re

from ..read.text import fold
from ..vocabulary.timing import inline_timing, parse_timing
from .structure import Label

_LEAD_TIME = re.compile(r"^(?P<time>[^:()]{3,40}?)\s*:\s+(?=\S)")
CLOSING_BRACKET = re.compile(r"\s*\((?P<inside>[^()]{3,300})\)\s*(?:[.;]|$)")
TAIL_WORDS = re.compile(r"^(?:thời gian|thời hạn)(?:\s+(?:thực hiện|hoàn thành))?\s*:?\s*", re.I)
_LABEL_WORDS = re.compile(r"^(?:co quan|don vi|bo phan|chu tri|phoi hop|thoi gian|thoi han|nhiem vu|noi dung|san pham)")


def is_time(text: str) -> bool:
    """Text that is nothing but a time: "Tháng 7/2025", "Quý IV/2024", "Thường xuyên", "Trước ngày 30/9/2025"."""
    text = text.strip(" :.;")
    if not text or len(text.split()) > 8 or _LABEL_WORDS.match(fold(text)):
        return False
    timing, _ = parse_timing(text, 2000)
    if not (timing.due or timing.start or timing.recurring):
        return False
    rest = re.sub(r"\d+|[/.\-–,]", " ", fold(text))
    words = set(rest.split()) - {"thang", "quy", "nam", "ngay", "truoc", "tu", "den", "trong", "thuong", "xuyen",
                                 "hang", "i", "ii", "iii", "iv", "dau", "cuoi", "va", "chamnhat", "cham", "nhat",
                                 "hoan", "thanh", "6", "sau", "thuc", "hien", "tuan", "dinh", "ky"}
    return not words


_WORK_HEADING = re.compile(r"^(?:cac\s+)?(?:nhiem vu|cong viec|noi dung)\b[^.;:]*$")
MAX_HEADING_WORDS = 12


def heading_period(text: str) -> str | None:
    """A heading that names work and the time it is done in ("NHIỆM VỤ THỰC HIỆN THƯỜNG XUYÊN", "Các nhiệm vụ hoàn
    thành trong Quý II/2026:"): its time phrase, the time of the items below it as a bare period heading's is; else
    None. A heading of work without a time ("NHIỆM VỤ CỤ THỂ", "Nhiệm vụ năm 2026": a year alone is no phrase of
    time here) gives none."""
    text = text.strip(" :")
    if len(text.split()) > MAX_HEADING_WORDS or not _WORK_HEADING.match(fold(text)):
        return None
    found = inline_timing(text, 2000)
    return found[0].raw if found is not None and found[0].raw else None


_PHASE = re.compile(r"^(?:giai doan|dot|buoc)\s+(?:\d{1,2}|[ivx]{1,4})\s*:\s*(?=\S)")


def numbered_period(text: str, strong: bool) -> str | None:
    """A numbered heading that gives the items below it their time: a bare period ("1. Quý I năm 2026"), a phase
    and its period ("1. Giai đoạn 1: Từ ngày 12/01/2027 đến ngày 28/02/2027", "Đợt 2: Quý III/2027"), or a bold
    heading of work and its time ("4. Nhiệm vụ thực hiện thường xuyên"); None for any other item. Two cues compete
    for a phase line: its number, which opens an item, and the phase word with a time after its colon; the phase
    wins, since a task is never named by its place in a sequence. A plain numbered line of work with a time
    ("3. Nội dung tuyên truyền tháng 5/2027") may be a task: only a bold one is a heading."""
    text = text.strip(" :.;")
    if is_time(text):
        return text
    m = _PHASE.match(fold(text))
    if m is not None:
        found = inline_timing(text[m.end():], 2000) or parse_timing(text[m.end():], 2000)
        return text[m.end():] if found[0].due or found[0].start or found[0].recurring else None
    return heading_period(text) if strong else None


def leading_time(content: str) -> tuple[str, Label] | None:
    """("task text", time label) for "Tháng 7/2025: task text"."""
    m = _LEAD_TIME.match(content)
    if not m or not is_time(m.group("time")):
        return None
    return content[m.end():], Label("time", m.group("time").strip())


WAITS = re.compile(r"^(?:ngay sau khi|sau khi|khi|ngay khi)\b")


def closing_time(content: str) -> tuple[str, Label] | None:
    """("task text", time label) for "task text (hoàn thành trước 30/9/2025)."."""
    m = CLOSING_BRACKET.search(content)
    if not m or m.start() < 5 or content[m.end():].strip(" .;"):
        return None
    inside = m.group("inside").strip()
    if not is_time(TAIL_WORDS.sub("", inside)) and not is_time(inside):
        return None
    return content[: m.start()].rstrip(" ,;"), Label("time", inside)


def closing_when(content: str) -> tuple[str, Label] | None:
    """closing_time, or a closing bracket that waits for an event: "task (sau khi có hướng dẫn của Bộ Công an)"."""
    found = closing_time(content)
    if found is not None:
        return found
    m = CLOSING_BRACKET.search(content)
    if not m or m.start() < 5 or content[m.end():].strip(" .;") or not WAITS.match(fold(m.group("inside").strip())):
        return None
    return content[: m.start()].rstrip(" ,;"), Label("time", m.group("inside").strip())


_LAST_CLAUSE = re.compile(r";\s*(?P<time>[^;]{3,80}?)\s*[.;]?\s*$")


def closing_clause_time(content: str) -> tuple[str, Label] | None:
    """("task text", time label) for "task text; <time>." whose last clause, after ";", is nothing but a time of ten
    words at most ("; chậm nhất ngày 30/4/2026.", "; trong Quý II/2026.", "; hằng tháng.")."""
    m = _LAST_CLAUSE.search(content)
    if m is None or m.start() < 10 or len(m.group("time").split()) > 10:
        return None
    timing, _ = parse_timing(m.group("time"), 2000)
    if not (timing.due or timing.start or timing.recurring or timing.condition):
        return None
    return content[: m.start()].rstrip(" ,"), Label("time", m.group("time"))

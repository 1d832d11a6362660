"""Points quoted in their new wording: the numbering shape of an amending plan.

    1. Điều chỉnh điểm 2 Mục III Kế hoạch số 08 như sau:
    “2. Công an xã chủ trì …; hoàn thành trước ngày 30/6/2026.” (thay cho thời gian “Quý I/2026”)

A line that opens with a quotation mark and an item number quotes a point of the plan being amended: the quoted text
is the point as it now reads (the task), its number is the amended plan's, not this one's, and a bracket after the
closing mark ("(thay cho …)", "(thay thế …)") names the wording it replaces, which is no part of the task. The line is
read as a dashed item under the amending line ("- Công an xã chủ trì …; hoàn thành …"), so the amending line is only
its heading.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .lines import Line
from .text import fold

_QUOTED = re.compile(
    r"^[“\"]\s*(?:\d{1,3}(?:\.\d{1,3})*|[a-zđ])[.)]\s+(?P<body>[^“”\"]{10,}?)\s*[”\"]\s*[.;]?"
    r"\s*(?P<replaced>\((?:[^()]|\([^()]*\))*\))?\s*[.;]?$")
_REPLACES = re.compile(r"^\(\s*(?:thay (?:cho|the|vi)|thay doi)\b")


def quoted_point(text: str) -> str | None:
    """The quoted point as a dashed item, or None when the line quotes no numbered point."""
    m = _QUOTED.match(text.strip())
    if m is None or m.group("replaced") and not _REPLACES.match(fold(m.group("replaced"))):
        return None
    return f"- {m.group('body')}"


_OPENS = re.compile(r"^[“\"]\s*(?:\d{1,3}(?:\.\d{1,3})*|[a-zđ])[.)]\s")
MAX_QUOTED_LINES = 8  # the longest quoted point read over several lines


def _closed(text: str) -> bool:
    """Has the quoted point's closing mark come, with any bracket after it closed?"""
    quoted = text.count("”") >= text.count("“") if "“" in text else text.count('"') % 2 == 0
    return quoted and text.count("(") <= text.count(")")


def unquote_points(lines: list[Line]) -> list[Line]:
    """Quoted points read as dashed items; a point cut over several lines (text not rejoined, a wide page) is read
    to its closing mark, the bracket after it included, and its other lines are left blank."""
    out = list(lines)
    for i, line in enumerate(out):
        if line.cells is not None or not _OPENS.match(line.text):
            continue
        text, end = line.text, i
        while not _closed(text) and end + 1 < len(out) and end - i < MAX_QUOTED_LINES \
                and out[end + 1].cells is None and out[end + 1].text and not _OPENS.match(out[end + 1].text):
            end += 1
            text = f"{text} {out[end].text}"
        if end + 1 < len(out) and out[end + 1].cells is None and _REPLACES.match(fold(out[end + 1].text)) \
                and out[end + 1].text.endswith(")"):
            end += 1  # "“…”" / "(thay cho thời gian “Quý II/2026”)": the replaced wording on its own line
            text = f"{text} {out[end].text}"
        point = quoted_point(text)
        if point is not None:
            out[i] = replace(line, text=point)
            for k in range(i + 1, end + 1):
                out[k] = replace(out[k], text="")
    return out

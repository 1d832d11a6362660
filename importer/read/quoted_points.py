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


def unquote_points(lines: list[Line]) -> list[Line]:
    out = []
    for line in lines:
        point = quoted_point(line.text) if line.cells is None and line.text[:1] in "“\"" else None
        out.append(replace(line, text=point) if point is not None else line)
    return out

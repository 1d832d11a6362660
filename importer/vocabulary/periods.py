"""Find calendar expressions (dates, months, quarters, halves, years) in text.

Works on folded text (see text.fold) so the patterns need no diacritics; the
positions map back to the original string. Pure: the plan year is passed in.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from ..read.text import fold
from .lunar import tet_eve

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_SEP = r"\s*(?:[/\-.]|,?\s*nam)\s*"
_CAN_CHI = (r"(?:giap|at|binh|dinh|mau|ky|canh|tan|nham|quy)\s+(?:ty|suu|dan|mao|thin|ngo|mui|than|dau|tuat|hoi)")
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("tet", re.compile(r"\btet(?:\s+nguyen\s+dan)?(?:\s+" + _CAN_CHI + r")?\s*(?:nam\s*)?((?:19|20)\d{2})\b")),
    ("months", re.compile(r"\bthang\s*(\d{1,2})\s*(?:-|den)\s*(?:thang\s*)?(\d{1,2})" + _SEP + r"(\d{4})\b")),
    ("day", re.compile(r"(?:ngay\s*)?\b(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4})\b")),
    ("day", re.compile(r"\bngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:,?\s*nam|/)\s*(\d{4})\b")),
    ("day", re.compile(r"\bngay\s*(\d{1,2})\s*(?:[/\-]|thang)\s*(\d{1,2})\b()(?!\s*[/\-.]?\s*\d)")),
    ("half", re.compile(r"\b(?:0?6|sau)\s*thang\s*(dau|cuoi)\s*(?:nam)?\s*(\d{4})?")),
    ("half", re.compile(r"\bnua\s*(dau|cuoi)\s*nam\s*(\d{4})?")),
    ("week", re.compile(r"\b(?:(0?[1-4])\s*)?tuan\s*(dau tien|dau|cuoi|thu\s*(?:[1-4]|nhat|hai|ba|tu)\b|[1-4](?=\s*(?:cua\s*)?thang))\s*(?:cua\s*)?thang\s*(\d{1,2})"
                        r"(?:" + _SEP + r"(\d{4})\b)?")),
    ("quarter", re.compile(r"\bquy\s*(iv|iii|ii|i|0?[1-4])\b(?:" + _SEP + r"(\d{4})\b)?")),
    ("month", re.compile(r"\bthang\s*(\d{1,2})(?:" + _SEP + r"(\d{4})\b)?(?!\s*[/\-]?\s*\d)")),
    ("years", re.compile(r"\b((?:19|20)\d{2})\s*-\s*((?:19|20)\d{2})\b")),
    ("year", re.compile(r"\b((?:19|20)\d{2})\b")),
    # "trước 31/5": a bare day/month, no "ngày" and no year; "05/01 - 16/01": a range of two, the year after neither
    ("day", re.compile(r"(?<![\d/.\-])\b(\d{1,2})\s*/\s*(\d{1,2})\b()(?!\s*[/.]?\s*\d)"
                       r"(?!\s*-\s*\d(?!\d?\s*/\s*\d))")),
]


@dataclass
class Period:
    first: date
    last: date
    pos: int
    end: int
    exact: bool = False  # a single day rather than a span
    is_range: bool = False  # "2023 - 2025": both a start and a deadline
    notes: list[str] = field(default_factory=list)


def _clamp_day(year: int, month: int, day: int, notes: list[str]) -> date | None:
    if not 1 <= month <= 12 or day < 1:
        notes.append(f"date {day}/{month}/{year} does not exist; ignored")
        return None
    last = calendar.monthrange(year, month)[1]
    if day > last:
        notes.append(f"date {day}/{month}/{year} does not exist; used {last}/{month}/{year}")
        day = last
    return date(year, month, day)


def _month_span(year: int, first_month: int, last_month: int) -> tuple[date, date]:
    end = calendar.monthrange(year, last_month)[1]
    return date(year, first_month, 1), date(year, last_month, end)


_NTH = {"nhat": 1, "hai": 2, "ba": 3, "tu": 4}


def _week(groups: tuple, year: int, notes: list[str]) -> tuple[date, date, bool] | None:
    """"tuần đầu tháng 7" = days 1-7, "02 tuần đầu" = 1-14, "tuần thứ 3" = 15-21, "tuần cuối" = last 7 days."""
    count, which, month = int(groups[0] or 1), groups[1], int(groups[2])
    if not 1 <= month <= 12:
        notes.append(f"month {month} does not exist; ignored")
        return None
    end = calendar.monthrange(year, month)[1]
    if which == "cuoi":
        return date(year, month, end - 7 * count + 1), date(year, month, end), False
    nth = int(which[-1]) if which[-1].isdigit() else _NTH.get(which.split()[-1], 1)  # "tuần thứ hai" = 8-14
    first = 7 * (nth - 1) + 1
    return date(year, month, first), date(year, month, min(end, first + 7 * count - 1)), False


def _build(kind: str, groups: tuple, year: int, notes: list[str]) -> tuple[date, date, bool] | None:
    if kind == "day":
        day = _clamp_day(year, int(groups[1]), int(groups[0]), notes)
        return (day, day, True) if day else None
    if kind == "week":
        return _week(groups, year, notes)
    if kind == "tet":  # "trước Tết Nguyên đán 2026": due the last day before it
        eve = tet_eve(year)
        return (eve, eve, True) if eve else None
    if kind == "months":
        first, last = int(groups[0]), int(groups[1])
        if not 1 <= first <= last <= 12:
            notes.append(f"months {first}-{last} do not make a range; ignored")
            return None
        return (*_month_span(year, first, last), False)
    if kind == "month":
        month = int(groups[0])
        if not 1 <= month <= 12:
            notes.append(f"month {month} does not exist; ignored")
            return None
        return (*_month_span(year, month, month), False)
    if kind == "quarter":
        q = _ROMAN.get(groups[0]) or int(groups[0])
        return (*_month_span(year, 3 * q - 2, 3 * q), False)
    if kind == "half":
        span = _month_span(year, 1, 6) if groups[0] == "dau" else _month_span(year, 7, 12)
        return (*span, False)
    return (*_month_span(year, 1, 12), False)


def _explicit_year(kind: str, m: re.Match[str]) -> int | None:
    idx = {"tet": 1, "week": 4, "day": 3, "month": 2, "months": 3, "quarter": 2, "half": 2, "year": 1}[kind]
    value = m.group(idx)
    return int(value) if value else None


def _later_year(folded: str, pos: int) -> int | None:
    m = re.search(r"\b((?:19|20)\d{2})\b", folded[pos:])
    return int(m.group(1)) if m else None


def find_periods(text: str, plan_year: int | None) -> tuple[list[Period], list[str]]:
    """All calendar expressions in text, in order, without overlaps."""
    folded = fold(text)
    taken: list[tuple[int, int]] = []
    found: list[Period] = []
    notes: list[str] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.extend(_period(kind, m, text, folded, plan_year, notes))
    found.sort(key=lambda p: p.pos)
    return found, notes


def _period(
    kind: str, m: re.Match[str], text: str, folded: str, plan_year: int | None, notes: list[str]
) -> list[Period]:
    if kind == "years":
        first, last = int(m.group(1)), int(m.group(2))
        if last < first:
            return []
        return [Period(date(first, 1, 1), date(last, 12, 31), m.start(), m.end(), is_range=True)]
    written = text[m.start():m.end()].strip()
    year = _explicit_year(kind, m) or _later_year(folded, m.end())
    if year is None:
        if plan_year is None:
            notes.append(f"'{written}' has no year and the plan year is unknown; ignored")
            return []
        year = plan_year
        notes.append(f"'{written}' has no year; assumed the plan's year {plan_year}")
    built = _build(kind, m.groups(), year, notes)
    if built is None:
        return []
    return [Period(built[0], built[1], m.start(), m.end(), exact=built[2], is_range=kind == "months")]

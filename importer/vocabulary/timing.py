"""Timing normalization: "Quý I năm 2022" -> due 2022-03-31, and so on.

Pure: takes the text and the plan's year, returns a Timing and warning texts.
Conventions (from the hand-made seed readings):
- a month / quarter / half / year is due on its last day; a day is due that day;
- "từ …", "bắt đầu …", "kể từ …" give a start (first day of the period);
- several due (or start) dates: the earliest is kept, with a warning;
- "thường xuyên", "hàng tháng", "định kỳ" … make the task recurring; days without a year in a yearly
  cycle ("trước ngày 15/6 và 15/12 hằng năm") are the cycle's, not a deadline; a school year ("năm học
  2023 - 2024") beside another date only names the period that date falls in;
- "ngay sau khi …", "khi có …", "theo kế hoạch/chỉ đạo/đề nghị … của …" are
  conditions: the text from that phrase on, up to the next date expression;
- a relative deadline ("trong vòng 15 ngày kể từ ngày …") is a condition too; counted from the plan's own
  date ("… kể từ ngày ban hành Kế hoạch") the draft then gives it a due date (issue_counted.py);
- a period inside a waiting clause ("Sau khi UBND tỉnh phân bổ kinh phí năm 2024") names the event, not a deadline.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .clauses import trailing_clause
from ..draft.model import Timing
from .periods import Period, find_periods
from ..read.text import clean_spaces, fold, nfc

_START_RE = re.compile(r"(?:\btu|\bbat dau|\bke tu|\bbat dau tu)\s*(?:ngay|thang|quy|nam)?\s*$")
_RANGE_END_RE = re.compile(r"^\s*(?:den|toi|-)\s*(?:het\s*)?(?:ngay|thang|quy|nam)?\s*$")
_RECURRING_RE = re.compile(
    r"\b(?:thuong xuyen|xuyen suot|hang (?:ngay|tuan|thang|quy|nam)|dinh ky|lien tuc)\b"
    r"|\bduy tri (?:den|toi) (?:het|cuoi) nam\b"  # "Hoàn thành trước 30/6/2026, duy trì đến hết năm": kept up after
)
_CONDITION_RE = re.compile(
    r"\b(?:(?:trong vong|trong thoi han|trong|sau|cham nhat)\s+\d{1,3}\s+(?:ngay|tuan|thang)(?:\s+lam viec)?"
    r"\s+(?:ke tu|tinh tu|sau khi|sau)\b"  # relative: "trong vòng 15 ngày kể từ …"
    r"|ngay sau khi|ngay khi|sau khi|khi|tuy theo|theo (?:ke hoach|chi dao|yeu cau|de nghi"
    r"|huong dan|lo trinh|lich|tien do|van ban|quyet dinh|thong bao|chuong trinh|quy dinh|kh)\b)"
)
_SCHOOL_YEAR_RE = re.compile(r"\b(?:nam hoc|nien khoa|nhiem ky)\s*$")  # a school year's or a term's name, not a span
_YEARLY_RE = re.compile(r"\bhang nam\b")
_ONWARD_RE = re.compile(r"\s*(?:va|,)\s*(?:cac|nhung)\s+nam\s+(?:tiep theo|sau|ke tiep)\b")
_YEAR_RE = re.compile(r"\d{4}")
_TRAILING = " \t.;,:*_-"


_MONTH_CELL = re.compile(r"^(\s*(?:từ|đến|trước|trong|Từ|Đến|Trước|Trong)?\s*)(0?[1-9]|1[0-2])\s*/\s*((?:19|20)\d{2})\s*$")


def _month_cell(text: str) -> str:
    """A value that is only "MM/YYYY" ("06/2026", a time cell's month) is that month: "tháng 06/2026", so a start
    reads its first day and a deadline its last. Inside a sentence the same shape is a text's number ("số 06/2026/…"),
    so only a whole value is read so."""
    m = _MONTH_CELL.match(text)
    return f"{m.group(1)}tháng {m.group(2)}/{m.group(3)}" if m else text


def _strip_value(raw: str | None) -> str | None:
    if raw is None:
        return None
    text = clean_spaces(nfc(raw)).strip(_TRAILING).strip()
    if text.endswith(")") and "(" not in text:
        text = text.rstrip(") ").strip(_TRAILING)
    return text or None


def _is_start(folded: str, period: Period) -> bool:
    return bool(_START_RE.search(folded[max(0, period.pos - 30):period.pos]))


def _is_range_end(folded: str, period: Period, previous: Period | None) -> bool:
    if previous is None:
        return False
    return bool(_RANGE_END_RE.match(folded[previous.end:period.pos]))


_OWN_TIME = re.compile(r"[,;(]|\b(?:hoan thanh|xong|truoc|cham nhat|han|den|tu|bat dau|trong|va)\b")


def _event_periods(folded: str, periods: list[Period]) -> list[Period]:
    """Periods inside a waiting clause name its event, not the task's time: "Sau khi UBND tỉnh phân bổ kinh phí năm
    2024" waits for the 2024 allocation, it is not due at the end of 2024. A period after a clause break or a time
    word ("…, hoàn thành trước 30/6/2024") is the task's own."""
    m = _WAITING_RE.search(folded)
    if not m:
        return []
    event = []
    for period in periods:
        if period.pos > m.end() and not _OWN_TIME.search(folded[m.end():period.pos]):
            event.append(period)
    return event


_WAITING_RE = re.compile(r"\b(?:ngay sau khi|sau khi|ngay khi)\b")


def _condition(text: str, folded: str, periods: list[Period]) -> str | None:
    m = _CONDITION_RE.search(folded)
    if not m:
        return None
    end = next((p.pos for p in periods if p.pos > m.start()), len(text))
    cond = text[m.start():end]
    cond = re.sub(r"(?:\s*(?:,|;|\bvà\b|\bhoàn thành\b|\btrong\b|\btrước\b))+\s*$", "", cond)
    return cond.strip(_TRAILING) or None


def parse_timing(raw: str | None, plan_year: int | None, role: str = "auto") -> tuple[Timing, list[str]]:
    """Normalize one timing value. role="start" reads bare periods as starts."""
    timing, notes = _parse_timing(raw, plan_year, role)
    return timing.model_copy(), list(notes)


@lru_cache(maxsize=4096)  # pure; a plan repeats its timing phrases ("Thường xuyên", "Quý II/2025")
def _parse_timing(raw: str | None, plan_year: int | None, role: str) -> tuple[Timing, tuple[str, ...]]:
    timing, notes = _read_timing(raw, plan_year, role)
    return timing, tuple(notes)


_FORMER = re.compile(r"\(\s*(?:trước đây|thời gian cũ|thời hạn cũ|cũ)\s*:[^()]*\)", re.I)


def _read_timing(raw: str | None, plan_year: int | None, role: str = "auto") -> tuple[Timing, list[str]]:
    text = _strip_value(raw)
    if text is None:
        return Timing(), []
    # what is read: "Quý I/2026 (trước đây: Quý IV/2025)", an amended task's old time in brackets, is not its time;
    # the timing keeps the value as written
    read = _month_cell(_FORMER.sub("", text).strip()) or text
    folded = fold(read)
    periods, notes = find_periods(read, plan_year)
    named = [p for p in periods if _SCHOOL_YEAR_RE.search(folded[max(0, p.pos - 12):p.pos])]
    if named and len(named) < len(periods):
        periods = [p for p in periods if p not in named]  # "năm học 2023 - 2024, hoàn thành trước 31/5/2024"
    timing = Timing(raw=text, recurring=bool(_RECURRING_RE.search(folded)))
    if timing.recurring and _YEARLY_RE.search(folded) and not any(_YEAR_RE.search(folded[p.pos:p.end]) for p in periods):
        periods = []  # "trước ngày 15/6 và 15/12 hằng năm": the days of a yearly cycle, no deadline
    periods = [p for p in periods if p not in _event_periods(folded, periods)]
    onward = [p for p in periods if _ONWARD_RE.match(folded[p.end:]) and (p.first.month, p.first.day, p.last.month,
                                                                           p.last.day) == (1, 1, 12, 31)]
    if onward:  # "Năm 2026 và các năm tiếp theo": every year from then on, a recurring task with no deadline
        timing.recurring, periods = True, [p for p in periods if p not in onward]
    starts, dues = _classify(folded, periods, role)
    timing.condition = _condition(read, folded, periods)
    if starts:
        timing.start = min(starts).isoformat()
        if len(set(starts)) > 1:
            notes.append(f"several start dates in '{text}'; kept the earliest ({timing.start})")
    if dues:
        timing.due = min(dues).isoformat()
        if len(set(dues)) > 1:
            notes.append(f"several deadlines in '{text}'; kept the earliest ({timing.due})")
    if not (starts or dues or timing.recurring or timing.condition):
        notes.append(f"timing '{text}' not understood")
    return timing, notes


_BETWEEN_RANGE = re.compile(r"^\s*(?:-|den|toi)\s*(?:het\s*)?(?:ngay|thang|quy|nam)?\s*$")


def _classify(folded: str, periods: list[Period], role: str) -> tuple[list, list]:
    starts, dues = [], []
    previous: Period | None = None
    previous_was_start = False
    for i, period in enumerate(periods):
        following = periods[i + 1] if i + 1 < len(periods) else None
        if following and not previous_was_start and _BETWEEN_RANGE.match(folded[period.end:following.pos]):
            starts.append(period.first)  # "Quý IV/2023 - Quý I/2024": a span
            previous, previous_was_start = period, True
            continue
        if period.is_range:
            starts.append(period.first)
            dues.append(period.last)
        elif previous_was_start and _is_range_end(folded, period, previous):
            dues.append(period.last)
            previous_was_start = False
        elif _is_start(folded, period) or role == "start":
            starts.append(period.first)
            previous_was_start = True
        else:
            dues.append(period.last)
            previous_was_start = False
        previous = period
    return starts, dues


_INLINE_TRIGGER_RE = re.compile(
    r"(?:hoan thanh|xong|truoc|cham nhat|han|trong|tu|bat dau|ke tu|den)\s*(?:het\s*|cuoi\s*)?(?:ngay|thang|quy|nam)?\s*$"
)
_INLINE_COND_RE = re.compile(
    r"\b(?:ngay sau khi|ngay khi|khi co yeu cau|theo de nghi|theo yeu cau|(?<=\. )(?:sau khi|khi)"  # "… Khi có …"
    r"|thuc hien theo (?:lich|ke hoach|huong dan|chi dao|lo trinh)"
    r"|(?<=, )theo tien do (?:chung )?cua)\b[^.;]*"  # "…, theo tiến độ của Bộ Công an": waits on another's schedule
)


def _with_trailing_clause(text: str, pieces: list[tuple[int, int]], plan_year: int | None) -> list[tuple[int, int]]:
    """"…; năm 2024.": a closing clause that reads as timing replaces the pieces found inside it."""
    tail = trailing_clause(text)
    if tail is None:
        return pieces
    timing, _ = parse_timing(text[tail[0]:tail[1]], plan_year)
    if not (timing.due or timing.start or timing.recurring or timing.condition):
        return pieces
    return [p for p in pieces if not tail[0] <= p[0] < tail[1]] + [tail]


def inline_timing(content: str, plan_year: int | None) -> tuple[Timing, list[str]] | None:
    """Timing stated inside a task sentence ("…, hoàn thành trước ngày 31/5/2023")."""
    raw = _inline_raw(content, plan_year)
    return None if raw is None else parse_timing(raw, plan_year)


@lru_cache(maxsize=4096)
def _inline_raw(content: str, plan_year: int | None) -> str | None:
    text = nfc(content)
    folded = fold(text)
    periods, _ = find_periods(text, plan_year)
    pieces: list[tuple[int, int]] = []
    for period in periods:
        m = _INLINE_TRIGGER_RE.search(folded[max(0, period.pos - 30):period.pos])
        if m:
            pieces.append((period.pos - (len(folded[max(0, period.pos - 30):period.pos]) - m.start()), period.end))
    pieces += [m.span() for m in _RECURRING_RE.finditer(folded)]
    pieces += [m.span() for m in _INLINE_COND_RE.finditer(folded)]
    pieces = _with_trailing_clause(text, pieces, plan_year)
    if not pieces:
        return None
    return "; ".join(text[s:e].strip(_TRAILING) for s, e in sorted(set(pieces)))

"""Reporting schedule: "Định kỳ hằng tháng (trước ngày 14 của tháng), 6 tháng
(trước ngày 14/6), 01 năm (trước ngày 14/12) báo cáo … về Tổ công tác …"."""

from __future__ import annotations

import re

from ..draft.model import Reporting
from ..read.lines import Line
from ..read.text import clean_spaces, fold

_CYCLES = [
    ("daily", r"hang ngay|moi ngay|bao cao ngay"),
    ("weekly", r"hang tuan|moi tuan|bao cao tuan|dinh ky tuan"),
    # "trước ngày 15 của tháng cuối quý": a day of the quarter's last month, not a monthly report
    ("monthly", r"hang thang|moi thang|bao cao thang|dinh ky thang|cua thang(?! (?:cuoi|dau|giua) (?:quy|nam|ky)\b)"),
    # "trước ngày 20 của tháng cuối quý": a day of every quarter's last month is a quarterly report on that day
    ("quarterly", r"hang quy|moi quy|bao cao quy|thang (?:cuoi|dau|giua) (?:moi |cua moi |cua )?quy"),
    ("semiannual", r"0?6 thang|sau thang|nua nam|bao cao so ket"),
    # "hằng quý, 6 tháng, năm": a bare "năm" closing a list of cycles is the annual report; so is a bare "năm"
    # opening its own due phrase after a comma ("6 tháng trước ngày 10/6, năm trước ngày 10/12")
    ("annual", r"hang nam|0?1 nam|mot nam|bao cao nam|tong ket nam|bao cao tong ket"
               r"|(?:(?<=thang, )|(?<=quy, )|(?<=thang va )|(?<=quy va ))nam(?!\s*\d)"
               r"|(?<=, )nam(?=\s+(?:truoc|cham nhat)\s+ngay\s+\d)"
               # "6 tháng (trước ngày 15/6) và năm (trước ngày 15/11)": a bare "năm" with its own bracketed due
               r"|(?:(?<=va )|(?<=, ))nam(?=\s*\(\s*(?:truoc|cham nhat)\b)"),
]
_CYCLE_RE = re.compile("|".join(f"(?P<{name}>\\b(?:{pattern})\\b)" for name, pattern in _CYCLES))
_DAY = re.compile(r"(?:\btruoc|\bcham nhat|\bhan|\bngay)\s*(?:ngay\s*)?(\d{1,2})(?:/\d{1,2}(?:/\d{4})?)?\b(?!h|\s*gio\b)")
_WEEKDAYS = {"hai": 1, "ba": 2, "tu": 3, "nam": 4, "sau": 5, "bay": 6}
_WEEKDAY = re.compile(r"\bthu\s*(hai|ba|tu|nam|sau|bay|[2-7])\b|\bchu nhat\b")
_TO = re.compile(r"\b(?:ve|len|toi|gui)\s+")
_TO_END = re.compile(
    r"\s+(?:để|trước|chậm nhất|theo|định kỳ|hàng|hằng|vào|trong|ngày|khi)\b|[.;,]|\s*\((?!qua)", re.I
)
_SENTENCES = re.compile(r"(?<=[.;])\s+")


def _due_day(cycle: str, folded: str) -> int | None:
    m = _due_match(cycle, folded)
    if m is None:
        return None
    if cycle == "weekly":
        token = m.group(1)
        return 7 if token is None else _WEEKDAYS.get(token) or int(token) - 1
    return int(m.group(1)) if 1 <= int(m.group(1)) <= 31 else None


def _due_match(cycle: str, folded: str) -> re.Match[str] | None:
    if cycle == "weekly":
        return _WEEKDAY.search(folded)
    return None if cycle == "daily" else _DAY.search(folded)


def _recipient(text: str, folded: str) -> str | None:
    start = folded.find("bao cao")
    if start < 0:
        return None
    after = start + len("bao cao")
    m = _TO.search(folded, after, after + 120)
    begin = m.end() if m else None
    if begin is None:
        from .agencies import is_head

        rest = text[after:].strip()
        if not (is_head(rest) or re.match(r"(?:giam doc|chu tich|to truong|cap tren|lanh dao|thuong truc)\b", fold(rest))):
            return None
        begin = len(text) - len(rest)
    end = _TO_END.search(text, begin)
    value = text[begin: end.start() if end else len(text)]
    if "(qua" in value and ")" not in value:
        close = text.find(")", begin)
        value = text[begin: close + 1] if close > 0 else value
    value = clean_spaces(value).strip(" ,:")
    if not value or re.match(r"(?:truoc|cham nhat|theo|hang|dinh ky|ngay|\d)", fold(value)):
        return None
    return value


_DATES_A_YEAR = re.compile(
    r"(?:truoc|cham nhat|vao)?\s*(?:ngay\s*)?\d{1,2}/\d{1,2}(?:\s*(?:,|va)\s*(?:ngay\s*)?\d{1,2}/\d{1,2})+"
    r"\s*(?:hang|moi)\s+nam\b")
_SEVERAL = {2: "semiannual", 4: "quarterly"}


def _dates_a_year(text: str, folded: str) -> Reporting | None:
    """"trước ngày 01/6 và 15/11 hằng năm": a schedule of several fixed dates a year."""
    m = _DATES_A_YEAR.search(folded)
    if not m:
        return None
    count = len(re.findall(r"\d{1,2}/\d{1,2}", m.group(0)))
    return Reporting(cycle=_SEVERAL.get(count, "annual"), due_day=None, due=clean_spaces(text[m.start():m.end()]),
                     to=_recipient(text, folded))


def _from_sentence(text: str) -> list[Reporting]:
    folded = fold(text)
    if "bao cao" not in folded:
        return []
    several = _dates_a_year(text, folded)
    if several is not None:
        return [several]
    matches = [(m.lastgroup, m.start()) for m in _CYCLE_RE.finditer(folded)]
    out: list[Reporting] = []
    to = _recipient(text, folded)
    for i, (cycle, pos) in enumerate(matches):
        if any(r.cycle == cycle for r in out):
            continue
        end = next((p for c, p in matches[i + 1:] if c != cycle), len(text))
        window = (pos, end) if _due_match(cycle, folded[pos:end]) or i else (0, end)
        if i and not _due_match(cycle, folded[pos:end]) and _due_before(matches[i - 1], folded, pos):
            window = (_CYCLE_RE.match(folded, matches[i - 1][1]).end(), pos)  # "… hằng tuần và trước ngày 15 hằng tháng"
        day = _due_day(cycle, folded[window[0]:window[1]])
        out.append(Reporting(cycle=cycle, due_day=day, due=_due_text(text, folded, pos, window), to=to))
    return _period_end_day(folded, out)


def _due_before(previous: tuple[str, int], folded: str, pos: int) -> bool:
    """Did the cycle before this one write its due before its word ("trước 16 giờ thứ Năm hằng tuần")? Then a due
    between the two is this one's, written the same way ("… và trước ngày 15 hằng tháng"): two cues compete (the due
    stands after the first cycle's word, and before the second's); the sentence's own order wins, since a list of
    cycles writes each due on the same side of its word."""
    cycle, start = previous
    keyword = _CYCLE_RE.match(folded, start)
    return keyword is not None and _due_match(cycle, folded[start:pos]) is None \
        and _due_match(cycle, folded[:start]) is not None


_PERIOD_END_DAY = re.compile(r"(?:truoc|cham nhat)\s*(?:ngay\s*)?(\d{1,2})\s*(?:cua\s*)?thang cuoi (?:cua\s*)?(?:moi\s*)?ky\b")
_LAST_MONTH = {"semiannual": 6, "annual": 12}


def _period_end_day(folded: str, found: list[Reporting]) -> list[Reporting]:
    """"hằng quý, 6 tháng, năm … trước ngày 15 của tháng cuối kỳ báo cáo": the day of each listed period's last
    month, so every cycle of the sentence is due on it (a quarter on day 15, the half year on 15/6, the year on
    15/12), not only the cycle written nearest to it."""
    m = _PERIOD_END_DAY.search(folded)
    if m is None or not 1 <= int(m.group(1)) <= 31:
        return found
    day = int(m.group(1))
    for entry in found:
        if entry.cycle in ("monthly", "quarterly", "semiannual", "annual"):
            entry.due_day = day
            month = _LAST_MONTH.get(entry.cycle)
            cycle_words = (entry.due or "").split(",")[0]
            entry.due = f"{cycle_words}, trước ngày {day}/{month}" if month else f"{cycle_words}, trước ngày {day}"
    return found


def _due_text(text: str, folded: str, pos: int, window: tuple[int, int]) -> str:
    """The cycle words, a parenthesis right after them, or the due phrase."""
    keyword = _CYCLE_RE.match(folded, pos)
    end = keyword.end() if keyword else pos
    paren = re.match(r"\s*\([^)]{0,80}\)", text[end:])
    if paren:
        return clean_spaces(text[pos: end + paren.end()])
    due = text[pos:end]
    cycle = keyword.lastgroup if keyword else ""
    m = _due_match(cycle, folded[window[0]:window[1]])
    if m:
        phrase = text[window[0] + m.start(): window[0] + m.end()]
        due = f"{due}, {phrase}"
    clock = re.search(r"(?:trước\s*)?\b\d{1,2}\s?(?:h\d{2}|h\b|giờ\b)(?:\s?\d{2}\b)?", text[window[0]:window[1]], re.I)
    if clock:
        due = f"{due}, {clock.group(0)}"
    return clean_spaces(due)


_LETTERED = re.compile(r"^\(?[a-zđ]\)\s|^[a-zđ]\.\s")  # "a) …", "(b) …", "c. …": an item's letter


# a line left open on a word that cannot end a sentence ("… báo cáo kết quả về" / "Công an xã …"): the sentence goes on
# in the next line whatever its case, as a PDF or a hard-wrapped text cuts it before a name
_OPEN_WORD = re.compile(r"\b(?:ve|cua|cho|voi|tai|len|gui|va|hoac|theo|tu|den)$")


def _sentences(lines: list[Line]):
    """The sentences of the text lines; a sentence a line leaves open (no closing ".", ";" or ":", as a PDF's
    wrapped paragraph arrives) goes on in the next text line when that line opens in lower case or with a number
    (a heading such as "CHẾ ĐỘ BÁO CÁO" before a capitalised sentence stays apart; so does a lettered item "a) …",
    which opens in lower case but is the next item, not the rest of the line above)."""
    carry = ""
    for line in lines:
        opens_on = (line.text[:1].islower() or line.text[:1].isdigit() or bool(_OPEN_WORD.search(fold(carry)))) \
            and not _LETTERED.match(line.text)
        if line.cells is not None or not line.text or carry and not opens_on:
            if carry:
                yield carry
            carry = ""
            if line.cells is not None or not line.text:
                continue
        *done, last = _SENTENCES.split(f"{carry} {line.text}".strip())
        yield from done
        carry = "" if last.rstrip().endswith((".", ";", ":")) else last
        if not carry:
            yield last
    if carry:
        yield carry


def find_reporting(lines: list[Line]) -> list[Reporting]:
    found: list[Reporting] = []
    for sentence in _sentences(lines):
        for entry in _from_sentence(sentence):
            key = (entry.cycle, entry.due_day, entry.to)
            if all((r.cycle, r.due_day, r.to) != key for r in found):
                found.append(entry)
    return found

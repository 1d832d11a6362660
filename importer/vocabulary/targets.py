"""Numeric targets (chỉ tiêu): "100% …", "trên 35.000 tài khoản …", with the
period they apply to ("a) Năm 2022:", "Giai đoạn 2023 – 2025:")."""

from __future__ import annotations

import re

from ..draft.model import Target
from ..read.lines import Line
from ..body.structure import parse_marker
from ..read.text import clean_spaces, fold
from .target_tables import table_targets

_NUMBER = r"(\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)"
_START = re.compile(
    r"^(?:(?:phan dau|chi tieu)\s*:?\s*)?(?:(?:dat|co|bao dam|dam bao)\s+)?(?:ty le\s+)?"
    r"(?P<cmp>tren|hon|it nhat|toi thieu|khoang|tu|dat)?\s*" + _NUMBER + r"\s*(?P<pct>%|phan tram)?"
)
_INSIDE = re.compile(r"(?:\b(?:tren|hon|it nhat|toi thieu|dat)\s+" + _NUMBER + r"\s+(?=[^\W\d])|" + _NUMBER + r"\s*%)")
_TARGET_WORDS = re.compile(r"^(?:phan dau|chi tieu|ty le|dat|bao dam|dam bao)\b")
_PERIOD = re.compile(r"^(?:nam|giai doan|den nam|trong nam)\s*(\d{4})(?:\s*-\s*(\d{4}))?")
_YEAR_IN = re.compile(r"\b(?:den nam|trong nam|nam|giai doan \d{4}\s*-)\s*(\d{4})\b")
# a dated bound, "ngày 31/12/2026" or "31-12-2026" (the dashes a web copy writes), its year the one group
_DAY = r"(?:ngay\s*)?\d{1,2}\s*[/-]\s*\d{1,2}\s*[/-]\s*(\d{4})"
_DATE_BY = re.compile(r"\b(?:den|truoc|het)\s+(?:het\s+)?" + _DAY + r"\b")
_UNIT_STOP = re.compile(r"\b(?:duoc|da|co|tren|cua|trong|su dung|thuc hien|tham gia|khi|la|va)\b|[,;:(]")


def _value(token: str) -> int | float:
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):
        return int(token.replace(".", ""))
    number = float(token.replace(",", "."))
    return int(number) if number.is_integer() else number


def _unit(text: str, folded: str, end: int, pct: bool) -> str | None:
    if pct:
        return "percent"
    rest, rest_folded = text[end:].strip(), folded[end:].strip()
    stop = _UNIT_STOP.search(rest_folded)
    words = rest[: stop.start() if stop else len(rest)].split()[:2]
    return " ".join(words).rstrip(".") or None  # "… đạt 1.200 hộ.": the sentence's stop is not the unit's


_OPENING_YEAR = re.compile(  # "Đến hết năm 2024, …", "Đến ngày 31/8/2026, …", "Đến hết năm 2026: …": the year of
    r"^(?:(?:den|truoc|trong)\s+)?(?:het\s+)?(?:(?:0?6|sau)\s+thang\s+(?:dau|cuoi)\s+)?(?:nam\s+(\d{4})|" + _DAY
    + r")\s*[,:]\s*(?=\S)")  # what follows; "Trong 6 tháng đầu năm 2026: …" too
# "Phấn đấu hết năm 2026: kích hoạt thêm 1.500 tài khoản …; 95% …": a target word and its year opening the line, then a
# colon or a comma, lead in the values that follow on the line, a count as a value under a heading of targets is
_TARGET_LEAD_IN = re.compile(
    r"^(?:phan dau|chi tieu)\s+(?:(?:den|trong)\s+)?(?:het\s+)?(?:nam\s+(\d{4})|" + _DAY + r")\s*[:,]\s*(?=\S)")
# "đến hết năm 2026 kích hoạt thêm 150.000 tài khoản" under a lead-in: the year opens the line, the count follows
_YEAR_THEN_VERB = re.compile(r"^(?:den|trong)\s+(?:het\s+)?(?:nam\s+(\d{4})|" + _DAY + r")\s+(?=[^\W\d])")
_COUNT = re.compile(r"^[^\d,;:]{0,40}?\b" + _NUMBER + r"\s+(?=[^\W\d])")  # "Kích hoạt mới 95.000 tài khoản …"
# "Cắt giảm ít nhất 30% thời gian …": a bound on a value in the opening words
_COMPARED = re.compile(r"^[^\d,;:]{0,40}?\b(?:it nhat|toi thieu|tren|hon|khong qua|duoi)\s+" + _NUMBER
                       + r"\s*(?P<pct>%|phan tram)?")


def _target(body: str, by: str | None, listed: bool = False) -> Target | None:
    """A target line's value, unit and year; `listed`: the line stands under a heading that names targets, where a
    value after "đạt" ("Số hộ … trong năm 2026 đạt 1.200 hộ") or a count in its opening words ("Cấp mới 2.000 thẻ
    …") makes a target whatever words open the line. A year opening the line ("Đến hết năm 2024, trên 75% …") is the
    target's year, and the value follows it; a target word and its year opening it ("Phấn đấu hết năm 2026: kích
    hoạt thêm 1.500 tài khoản …", `_TARGET_LEAD_IN`) lead in its values as such a heading does. Two cues compete
    (no value right after the target word, which a target line otherwise has; the lead-in's year and colon); the
    lead-in wins, as a lead-in on a line of its own does for the lines below it."""
    opening = _OPENING_YEAR.match(fold(body)) or _TARGET_LEAD_IN.match(fold(body)) or _YEAR_THEN_VERB.match(fold(body))
    if opening:
        listed = listed or opening.re is _TARGET_LEAD_IN
        body, by = body[opening.end():], opening.group(1) or opening.group(2)
    folded = fold(body)
    m = _START.match(folded)
    reached = _REACHED.search(folded) if listed else None
    count = (_COUNT.match(folded) or _COMPARED.match(folded)) if listed else None
    changed = _CHANGED.search(folded)
    if changed:  # "… từ “90%” thành “95%” đến hết năm 2026": the target at its new value
        value, end, pct = changed.group(2), changed.end(), bool(changed.group("pct"))
    elif m and (m.group("pct") or m.group("cmp") or _TARGET_WORDS.match(folded)):
        value, end, pct = m.group(2), m.end(), bool(m.group("pct"))
    elif _TARGET_WORDS.match(folded) and (inside := _INSIDE.search(folded)):
        value = inside.group(1) or inside.group(2)
        end, pct = inside.end(), inside.group(2) is not None
    elif reached:
        value, end, pct = reached.group(1), reached.end(), bool(reached.group("pct"))
    elif count:
        value, end, pct = count.group(1), count.end(), bool(count.groupdict().get("pct"))
    else:
        return None
    year = _YEAR_IN.search(folded) or _DATE_BY.search(folded)  # "… đến ngày 31/12/2024": that year
    text = clean_spaces(body).rstrip(" .;")
    return Target(text=text, value=_value(value), unit=_unit(body, folded, end, pct), by=year.group(1) if year else by)


_QUOTE = r"\s*[\"“”']?\s*"
_CHANGED = re.compile(r"\btu" + _QUOTE + _NUMBER + r"\s*(?:%|phan tram)?" + _QUOTE + r"(?:thanh|len)" + _QUOTE + _NUMBER
                      + r"\s*(?P<pct>%|phan tram)?")
_REACHED = re.compile(r"\bdat\s+" + _NUMBER + r"\s*(?P<pct>%|phan tram)?(?=[^\d]*$)")  # the value last, after "đạt"
_CLAUSES = re.compile(r"\s*;\s*")


def _clause_targets(body: str, by: str | None, listed: bool = False) -> list[Target]:
    """A target line whose clauses after ";" each carry a value ("100% công dân …; ít nhất 150.000 tài khoản …"): a
    target per clause; a clause without its year takes the line's."""
    clauses = [c for c in _CLAUSES.split(body) if c]
    if len(clauses) < 2:
        return []
    listed = listed or bool(_TARGET_LEAD_IN.match(fold(body)))
    year = _YEAR_IN.search(fold(body)) or _DATE_BY.search(fold(body))
    line_by = year.group(1) if year else by
    found = []
    for clause in clauses:
        folded = fold(clause)
        inside = _INSIDE.search(folded)
        if inside is None:
            counted = _target(clause, line_by, listed) if listed else None  # "…; thu nhận 45.000 hồ sơ …"
            if counted is None:
                return []  # a clause without a value: one target, as the line reads whole
            found.append(counted)
            continue
        target = _target(clause, line_by) or Target(
            text=clean_spaces(clause).rstrip(" .;"), value=_value(inside.group(1) or inside.group(2)),
            unit=_unit(clause, folded, inside.end(), inside.group(2) is not None), by=line_by)
        found.append(target)
    return found


_TARGET_HEADING = re.compile(r"\bchi tieu\b")
_AIMS = re.compile(r"\b(?:chi tieu|muc tieu cu the)\b")


def _heading_text(line: Line, marker) -> str | None:
    """The text of a section heading (a Roman or capital-letter item, or an upper-case line), else None."""
    if marker is not None and (marker.kind == "roman" or marker.kind == "ALPHA"):
        return marker.body
    letters = [c for c in line.text if c.isalpha()]
    upper = bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    return line.text if marker is None and upper and len(line.text) < 120 else None


_SENTENCE_END = re.compile(r"[.;]\s+(?=\S)")


def _closing_lead_in(body: str) -> str | None:
    """The year of a paragraph whose last sentence leads in targets ("…. Phấn đấu trong năm 2026:", "…. Phấn đấu đến
    ngày 31/12/2026:"), the items below it: the sentence opens with a target word and names a year or a dated bound."""
    if not body.rstrip(" *").endswith(":"):
        return None
    last = fold(_SENTENCE_END.split(body)[-1])
    if not _TARGET_WORDS.match(last):
        return None
    year = _YEAR_IN.search(last) or _DATE_BY.search(last)
    return year.group(1) if year else None


# "…. Chỉ tiêu năm 2026: 100% …; 85% …", "…; phấn đấu đến hết năm 2026, 100% …": a sentence or clause inside a
# paragraph that opens with a target word and its year (the colon or the comma after it) leads in its values, a value
# first or a count after a verb in the opening words ("Chỉ tiêu năm 2026: cấp mới 40.000 thẻ …; 100% …")
_INNER_LEAD_IN = re.compile(
    r"(?:^|[.;]\s+)(?:chi tieu(?:(?:\s+[^\W\d]+){0,2}?\s+(?:den het|den|trong)?\s*nam\s+(?P<year>\d{4}))?\s*:"
    r"|phan dau\s+(?:(?:den het|den|trong)\s+)?(?:nam\s+(?P<by>\d{4})|" + _DAY.replace("(\\d{4})", "(?P<dated>\\d{4})")
    + r")\s*[,:]?)\s*(?=\d|[^\W\d][^\d.;:]{0,40}?\b\d)")
# "Chỉ tiêu bổ sung năm 2026: …" (words between the target word and its year), "Phấn đấu năm 2026: 100% …; 95% …",
# "…; phấn đấu năm 2026 kích hoạt thêm 3.500 tài khoản …" (a dated aim: the year right after "phấn đấu")
# "…; phấn đấu cấp thẻ cho 100% học sinh … trong năm 2027.": a clause inside a paragraph that opens with "phấn đấu"
# and holds a percentage, its year (if any) after the value
_INNER_AIM = re.compile(r"(?:^|[.;]\s+)(?=phan dau\s+[^\W\d][^\d.;:]{0,60}?\b\d{1,3}(?:,\d+)?\s*%)")
_CLAUSE_END = re.compile(r"[.;](?:\s|$)")


def _inner_targets(body: str, by: str | None) -> list[Target]:
    """The targets of a sentence or clause led in inside a paragraph ("Điều 1. Ban hành …. Chỉ tiêu năm 2026: 100%
    hồ sơ …; 85% người dân …."): its values, each clause after ";" one, with the lead-in's year. Two cues compete
    (the paragraph opens with no target word, the inner sentence does); the inner lead-in wins, since a target word
    followed by a value says what is counted wherever the sentence stands."""
    m = _INNER_LEAD_IN.search(fold(body))
    if m is None:
        return _inner_aim(body, by) or _year_clauses(body)
    year = m.group("year") or m.group("by") or m.group("dated") or by
    rest = body[m.end():]
    target = _target(rest, year, listed=True) or _percent_in(rest, year)
    return (_clause_targets(rest, year, listed=True) or [target]) if target is not None else []


_PERCENT = re.compile(_NUMBER + r"\s*%")


def _percent_in(clause: str, by: str | None) -> Target | None:
    """"…; phấn đấu năm 2026 cấp căn cước cho 100% công dân …": a percentage after the work's words in a clause a
    dated aim leads in (a count there may be work; a percentage is what is aimed at), up to the clause's end."""
    end = _CLAUSE_END.search(clause)
    clause = clause[:end.start()] if end else clause
    m = _PERCENT.search(fold(clause))
    if m is None:
        return None
    return Target(text=clean_spaces(clause).rstrip(" .;"), value=_value(m.group(1)), unit="percent", by=by)


_YEAR_CLAUSE = re.compile(r"(?:^|[.;:]\s+)(?:den|trong)\s+(?:het\s+)?nam\s+(\d{4})\s*,\s*(?=\d{1,3}(?:,\d+)?\s*%)")


def _year_clauses(body: str) -> list[Target]:
    """Clauses inside a paragraph that open with their year and a percentage ("… với các mục tiêu sau: đến năm 2028,
    90% hồ sơ …; đến năm 2030, 100% người dân …", "…. Trong năm 2027, 100% học sinh …"): a target each, with its
    own year. Two cues compete (the paragraph opens with no target word; the clause opens as a target line does,
    `_OPENING_YEAR`); the clause wins, since a year then a percentage says what is aimed at by when wherever it
    stands. Only a percentage is read so: a count after a year ("trong năm 2027, 3 lớp …") may be work."""
    found = []
    for m in _YEAR_CLAUSE.finditer(fold(body)):
        rest = body[m.end():]
        end = _CLAUSE_END.search(rest)
        target = _target(rest[:end.start()] if end else rest, m.group(1))
        found += [target] if target is not None else []
    return found


def _inner_aim(body: str, by: str | None) -> list[Target]:
    """The target of a clause inside a paragraph of aims that opens with "phấn đấu" and holds a percentage ("Giao việc
    …; phấn đấu cấp thẻ cho 100% học sinh đủ điều kiện trong năm 2027."): one target, the clause up to its end. Two
    cues compete (the paragraph under an aims heading, not one of targets, and no value right after the target word;
    "phấn đấu" opening the clause and a percentage in it); the clause wins, since "phấn đấu" says the value is aimed
    at wherever the clause stands. A count without "%" is not read here: "phấn đấu tổ chức 2 đợt …" is work."""
    m = _INNER_AIM.search(fold(body))
    if m is None:
        return []
    rest = body[m.end():]
    end = _CLAUSE_END.search(rest)
    target = _target(rest[:end.start()] if end else rest, by)
    return [target] if target is not None else []


def find_targets(lines: list[Line], task_lines: set[int], year: int | None = None) -> list[Target]:
    targets: list[Target] = []
    by: str | None = None
    listed = False  # under a heading that names targets ("II. CHỈ TIÊU", "MỤC TIÊU, CHỈ TIÊU")
    carried: str | None = None  # the year of a target line left open with ";"
    for line in lines:
        if line.cells is not None or not line.text:
            continue
        marker = parse_marker(line.text)
        body = marker.body if marker else line.text
        heading = _heading_text(line, marker)
        if heading is not None:
            listed = bool(_TARGET_HEADING.search(fold(heading)))
        aims = heading is not None and bool(_AIMS.search(fold(heading)))  # "II. CHỈ TIÊU NĂM 2026": the year of its items
        if marker and not marker.is_bullet or aims:
            period = _PERIOD.match(fold(body).strip("* "))
            lead_in = _YEAR_IN.search(fold(body)) if body.rstrip(" *").endswith(":") or aims else None
            by = (period.group(2) or period.group(1)) if period else lead_in.group(1) if lead_in else None
            listed = listed or bool(lead_in and _AIMS.search(fold(body)))  # "1.2. Mục tiêu cụ thể đến hết năm 2026:"
        elif marker is None and (closing := _closing_lead_in(body)) is not None:
            by, listed = closing, True  # "… thời gian hoàn thành. Phấn đấu đến ngày 31/12/2026:" over its items
            continue  # (read first: "Điều 1. … ngày 10/02/2025 …. Chỉ tiêu bổ sung năm 2026:" names its own year)
        elif marker is None and body.rstrip(" *").endswith(":") and (_AIMS.search(fold(body)) or _TARGET_WORDS.match(
                fold(body))) and (lead_in := _YEAR_IN.search(fold(body))):
            by = lead_in.group(1)  # "Phấn đấu đến hết năm 2026, toàn xã đạt các chỉ tiêu sau:" over its items
            listed = listed or bool(_TARGET_WORDS.match(fold(body)))
            continue  # the lead-in is no target of its own
        if line.number in task_lines or len(body) < 10:
            continue
        target = _target(body, by, listed and heading is None)  # a heading's "… ĐỀ ÁN 06 NĂM 2026" counts nothing
        found = (_clause_targets(body, by, listed and heading is None) or [target]) if target is not None else []
        inner = _INNER_LEAD_IN.search(fold(body)) if heading is None else None
        if inner is not None and inner.start() > 0:
            # "Bảo đảm …. Phấn đấu đến hết năm 2026: …; 100% …": a sentence after the first that leads in its values
            # is read for them, not the paragraph whole from its first words. Two cues compete (the paragraph opens
            # with a target word; a later sentence leads in values with its year); the lead-in wins, since it says
            # where the values start and which year they are for
            found = _inner_targets(body, by) or found
        if not found and heading is None:
            found = _inner_targets(body, by)
        for t in found:
            t.by = t.by or carried  # "…, năm 2025, trên 70% …;" / "100% …": the line goes on the sentence above
        carried = found[-1].by if found and body.rstrip(" *").endswith(";") else None
        targets += found
    return targets + table_targets(lines, year)

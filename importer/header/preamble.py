"""The plan's identity: number, title, issuer, issue date, references."""

from __future__ import annotations

import re

from .attached import attached_to
from ..draft.model import PlanInfo
from ..read.lines import Line
from ..read.text import clean_spaces, fold

_NUMBER = re.compile(r"\bS[ốô]\s*[:.]?\s*(\d*)\s*/\s*((?:\d{4}/)?[A-ZĐ][A-Za-zĐđ0-9]*(?:\s*-\s*[A-Za-zĐđ0-9]+)*)")
_DATE = re.compile(r"ngay\s*(\d{1,2})?\s*(?:thang|/)\s*(\d{1,2})?\s*(?:nam|/)\s*(\d{4})")
_DOC_TYPES = re.compile(r"^(?:ke hoach|quyet dinh|chuong trinh|phuong an|chi thi|huong dan|ke hoach hanh dong)\b")
_REF = re.compile(r"\b(\d{1,5}(?:/\d{4})?/[A-ZĐ][A-Za-zĐđ]*(?:-[A-Za-zĐđ0-9]+)*)")
_REF_LINE = re.compile(r"^(?:can cu|thuc hien|theo|trien khai)\b")
_REF_NAMED = re.compile(r"\b(?:ke hoach|quyet dinh|chi thi|cong van|nghi quyet|thong bao|nghi dinh|thong tu|de an)\s+so\s+\d")
_SECTION = re.compile(r"^(?:[IVX]{1,4}|[A-Z]|1)\s*[.)]\s+")
_REF_INTRO = re.compile(
    r"\s(?:Căn cứ|Thực hiện|Theo)\s+(?:Quyết định|Kế hoạch|Chỉ thị|Nghị quyết|Công văn|Thông tư|Nghị định|Luật)"
)
_PLACE_DATE = re.compile(r"(?:^|[^\d\s][^,]{0,40},\s*)ngay$")
HEAD_LINES = 60


def _texts(lines: list[Line]) -> list[tuple[int, str]]:
    """Non-blank texts of the first lines; table cells are split into lines."""
    out: list[tuple[int, str]] = []
    for line in lines:
        parts = line.cells if line.cells is not None else [line.text]
        for part in parts:
            out.extend((line.number, p.strip()) for p in part.split("\n") if p.strip())
    return out


_NUMBER_OPEN = re.compile(r"\bS[ốô]\s*[:.]?\s*$")
# a Party body's number joins the count to the kind with a dash ("Số 27-KH/ĐU", "112-KH/TU"): the count, the kind and body
_PARTY_NUMBER = re.compile(r"\bS[ốô]\s*[:.]?\s*(\d+)\s*-\s*([A-ZĐ][A-ZĐa-z]{0,4}\s*/\s*[A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-Za-zĐđ0-9]+)*)")


def _number(texts: list[tuple[int, str]], notes: list[tuple[int | None, str]]) -> str | None:
    """The plan's number; "Số:" left alone on its line (a heading cell broken after it) takes the next line's."""
    head = texts[:HEAD_LINES]
    for i, (number, text) in enumerate(head):
        if _NUMBER_OPEN.search(text) and i + 1 < len(head):
            text = f"{text} {head[i + 1][1]}"
        m = _NUMBER.search(text) or _PARTY_NUMBER.search(text)
        if m:
            code = re.sub(r"\s+", "", m.group(2))
            if m.group(1):
                return f"{m.group(1)}{'-' if m.re is _PARTY_NUMBER else '/'}{code}"
            notes.append((number, f"the plan number is left blank ('Số: /{code}')"))
            return None
    return None


_DATE_OPEN = re.compile(r"ngay\s*(?:\d{1,2}\s*)?(?:thang\s*(?:\d{1,2}\s*)?)?(?:nam\s*)?$")


def _joined_dates(texts: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Each text, a date line broken before its month or year ("…, ngày 05 tháng 3" / "năm 2025") joined."""
    out = []
    for i, (number, text) in enumerate(texts):
        if _DATE_OPEN.search(fold(text)) and i + 1 < len(texts):
            out.append((number, f"{text} {texts[i + 1][1]}"))
        else:
            out.append((number, text))
    return out


def _issued(texts: list[tuple[int, str]], notes: list[tuple[int | None, str]]) -> tuple[str | None, str | None]:
    """(issued_on, place) from the 'Place, ngày … tháng … năm …' line (also when broken over two lines)."""
    for number, text in _joined_dates(texts[:HEAD_LINES]):
        folded = fold(text)
        m = _DATE.search(folded)
        if not m or _REF_LINE.match(folded) or not _PLACE_DATE.search(folded[: m.start() + 4]):
            continue
        day, month, year = m.groups()
        place = clean_spaces(_NUMBER.sub("", text[: m.start()])).strip(", ") or None
        if place and len(place) > 40:
            place = None
        if day and month:
            return f"{year}-{int(month):02d}-{int(day):02d}", place
        notes.append((number, "the issue date has a blank day; only the month is known"))
        return (f"{year}-{int(month):02d}" if month else year), place
    return None, None


def _title(texts: list[tuple[int, str]]) -> tuple[str | None, int]:
    """The line after "KẾ HOẠCH" (or the rest of a merged "KẾ HOẠCH …" line)."""
    for i, (number, text) in enumerate(texts[:HEAD_LINES]):
        clean = text.strip(" *#")
        m = _DOC_TYPES.match(fold(clean))
        if not m or not clean[: m.end()].isupper():
            continue
        rest = clean[m.end():].strip(" :-")
        if len(rest) > 3:
            return clean_spaces(rest), number
        for number2, nxt in texts[i + 1:i + 3]:
            cut = _REF_INTRO.search(nxt)
            if cut and cut.start() > 10:
                nxt = nxt[: cut.start()]  # a PDF reflow glued the preamble on
            if not _REF.search(nxt) and not _SECTION.match(nxt):
                return _continued(clean_spaces(nxt.strip("* ")), texts, number2), number2
        return None, number
    return None, 0


def _continued(title: str, texts: list[tuple[int, str]], line: int) -> str:
    """A title over two or three lines: the lines after it that start in lowercase or with a digit."""
    after = [text for number, text in texts if number > line][:2]
    for text in after:
        clean = text.strip("* ")
        if not (clean[:1].islower() or clean[:1].isdigit()) or _REF.search(clean) or _SECTION.match(clean):
            break
        title = f"{title} {clean_spaces(clean)}"
    return title


def _references(texts: list[tuple[int, str]], start: int, own: str | None) -> list[str]:
    refs: list[str] = []
    seen = {own.casefold()} if own else set()
    for number, text in texts:
        if number <= start:
            continue
        if _SECTION.match(text):
            break
        if not (_REF_LINE.match(fold(text)) or _REF_NAMED.search(fold(text))):
            continue
        for m in _REF.finditer(text):
            ref = m.group(1)
            if ref.casefold() not in seen:
                seen.add(ref.casefold())
                refs.append(ref)
    return refs


def read_header(lines: list[Line]) -> tuple[PlanInfo, int | None, list[tuple[int | None, str]]]:
    """PlanInfo, the plan year (for timing) and warnings."""
    from .issuer import find_issuer

    notes: list[tuple[int | None, str]] = []
    texts = _texts(lines[:400])
    number = _number(texts, notes)
    issued_on, place = _issued(texts, notes)
    issuer = find_issuer(texts, place, number)
    attached = attached_to(texts[:HEAD_LINES]) if number is None else None
    if attached is not None:  # a sheet without its own "Số:" line: the plan it is attached to
        number, issued_on, issuer = attached[0], issued_on or attached[1], attached[2] or issuer
    title, title_line = _title(texts)
    refs = _references(texts, title_line, number)
    year = int(issued_on[:4]) if issued_on else _year_from(title)
    if issued_on is None:
        notes.append((None, "no issue date found" + (f"; using {year} from the title" if year else "")))
    info = PlanInfo(number=number, title=title, issuer=issuer, issued_on=issued_on, references=refs)
    return info, year, notes


def body_start(lines: list[Line]) -> int:
    """Number of the "KẾ HOẠCH" title line; the letterhead above it holds no tasks (0 if none). When the document
    opens with a report part ("PHẦN I. KẾT QUẢ THỰC HIỆN …" before "PHẦN II. KẾ HOẠCH …"), the body starts at the
    next part: results and shortcomings of the past name agencies and dates but assign nothing."""
    start = 0
    for number, text in _texts(lines[:HEAD_LINES]):
        clean = text.strip(" *#")
        m = _DOC_TYPES.match(fold(clean))
        if m and clean[: m.end()].isupper():
            start = number
            break
    return _after_report_part(lines, start)


_PART = re.compile(r"^phan\s+(?:thu\s+)?(?:[ivx]{1,3}|\d|nhat|hai|ba|bon)\b\s*[.:\-–]?\s*(.*)$")
_REPORT_PART = re.compile(r"^(?:danh gia\s+)?(?:ket qua|tinh hinh|bao cao|danh gia)\b")


def _after_report_part(lines: list[Line], start: int) -> int:
    first_is_report = None
    for line in lines:
        if line.number < start or line.cells is not None or not line.text.strip():
            continue
        clean = line.text.strip(" *#")
        m = _PART.match(fold(clean))
        if not m or not clean[:4].isupper():
            continue
        if first_is_report is None:
            first_is_report = bool(_REPORT_PART.match(m.group(1)))
            if not first_is_report:
                return start
            continue
        return line.number
    return start


def _year_from(text: str | None) -> int | None:
    m = re.search(r"\b(20\d{2})\b(?!.*\b20\d{2}\b)", text or "")
    return int(m.group(1)) if m else None

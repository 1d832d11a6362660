"""Closing paragraphs: the plan's own reporting duty is its reporting schedule, not a task.

"8. Các sở, ban, ngành, địa phương báo cáo kết quả thực hiện … về Công an tỉnh trước ngày 15 hằng tháng …"
or "Định kỳ trước ngày 15/12 hằng năm, các cơ quan, đơn vị báo cáo kết quả về Sở …": reporting is the
paragraph's own action (only its subject or its cycle stands before the report verb: no assignment, no
other action, no sentence end) and the schedule reader finds a cycle in it (vocabulary.schedules, which
puts it in the draft's reporting list). Such a paragraph is no task when it stands after the last task or
under the plan's implementation heading ("Tổ chức thực hiện", "Chế độ báo cáo"); a task that reports as
one of its steps ("… tổ chức kiểm tra …; tổng hợp, báo cáo Chủ tịch UBND tỉnh, định kỳ 6 tháng") stays a task.
"""

from __future__ import annotations

import re

from ..draft.model import DraftTask
from ..read.lines import Line
from ..read.text import fold
from ..vocabulary.schedules import find_reporting
from .structure import parse_marker

# the report verb: "báo cáo", or results sent to the standing body ("Kết quả thực hiện, … gửi về Công an tỉnh …")
_REPORT = re.compile(r"\bbao cao\b|^ket qua\b[^.;:]{0,80}?\bgui (?:ve|toi|den)\b")
_NOT_A_SUBJECT = re.compile(  # before the report verb: an assignment, another action or a finished sentence
    r"[;:.]|\b(?:giao|chu tri|phoi hop voi|tong hop|to chuc|trien khai|xay dung|kiem tra|ra soat|so ket|tong ket"
    r"|huong dan|theo doi|tham muu|de xuat|cap nhat|danh gia)\b")
_SUBJECT_WORDS = 18
_IMPLEMENTATION = re.compile(r"^(?:to chuc thuc hien|trach nhiem thuc hien|che do bao cao|bao cao)\b")


def reporting_duty(text: str) -> bool:
    """Does this paragraph set a reporting duty on a cycle (and nothing else before it)?"""
    marker = parse_marker(text)
    body = marker.body if marker is not None and not marker.is_bullet else text.lstrip("-–+•* ")
    folded = fold(body)
    verb = _REPORT.search(folded)
    if verb is None:
        return False
    before = folded[:verb.start()]
    if len(before.split()) > _SUBJECT_WORDS or _NOT_A_SUBJECT.search(before):
        return False
    return bool(find_reporting([Line(0, body)]))


def implementation_heading(text: str) -> bool:
    """"III. TỔ CHỨC THỰC HIỆN", "Chế độ báo cáo": the part of a plan that says who reports and how."""
    return bool(_IMPLEMENTATION.match(_heading_words(text)))


def without_reporting_duties(pairs: list[tuple[int, DraftTask]], lines: list[Line]) -> list[tuple[int, DraftTask]]:
    """The tasks less those drafted from a reporting paragraph after the last task or under the implementation
    heading (the paragraph is read into the draft's reporting schedule by vocabulary.schedules)."""
    if not pairs:
        return pairs
    text = {line.number: line.text for line in lines if line.cells is None and line.text}
    last = max(line for line, _ in pairs)
    under = _lines_under(lines, implementation_heading)
    return [(line, task) for line, task in pairs
            if not (line in text and (line == last or line in under) and reporting_duty(text[line]))]


_PROPOSALS = re.compile(r"^(?:de xuat|kien nghi)\b")


def without_proposals(pairs: list[tuple[int, DraftTask]], lines: list[Line]) -> list[tuple[int, DraftTask]]:
    """The tasks less those drafted under a section of proposals ("IV. ĐỀ XUẤT, KIẾN NGHỊ", a report's or a plan's
    requests to the level above: "Đề nghị Sở X hướng dẫn …"). Two cues compete there: an item "Đề nghị X <work>"
    reads as a task X leads, and the heading says the requests go up, to bodies the issuer does not direct; the
    heading wins, since the issuer cannot track work it only asks for."""
    under = _lines_under(lines, lambda text: bool(_PROPOSALS.match(_heading_words(text))))
    return [(line, task) for line, task in pairs if line not in under]


def _heading_words(text: str) -> str:
    marker = parse_marker(text)
    return fold(marker.body if marker is not None else text).strip()


def _lines_under(lines: list[Line], heads) -> set[int]:
    """The text lines under a section heading (a Roman item or a bold line) for which `heads(text)` holds, up to
    the next such heading."""
    under: set[int] = set()
    inside = False
    for line in lines:
        if line.cells is not None or not line.text:
            continue
        marker = parse_marker(line.text)
        if marker is not None and marker.kind == "roman" or marker is None and line.strong:
            inside = heads(line.text)
        elif inside:
            under.add(line.number)
    return under

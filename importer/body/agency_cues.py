"""An agency named by its place in the item, without role words:

    "Công an huyện tiếp tục tổ chức …"             the sentence's subject leads
    "Định kỳ hằng tháng, Công an phường rà soát …"  a time clause before that subject
    "task text – Công an xã." / "task – Agency – time."   after a closing dash
    "(Sở Y tế) Triển khai …"                        in a leading bracket
"""
from __future__ import annotations

import re

from ..read.text import fold
from ..vocabulary.timing import inline_timing, parse_timing
from .role_cues import TASK_VERBS, names_masked
from .structure import Label
from .time_cues import WAITS, is_time

_LEAD_CLAUSE = re.compile(r"^(?P<time>[^,:;()]{3,60}?),\s+(?=\S)")


def leading_clause_time(content: str) -> tuple[str, Label] | None:
    """("Công an phường rà soát …", time label) for "Định kỳ hằng tháng, Công an phường rà soát …" or "Sau khi có
    hướng dẫn của Bộ Công an, Công an phường triển khai …": a time or a condition opens the sentence before its
    subject, an agency."""
    m = _LEAD_CLAUSE.match(content)
    if not m or not _AGENCY_START.match(content[m.end():]):
        return None
    clause = m.group("time").strip()
    if not is_time(clause):
        timing, _ = parse_timing(clause, 2000)
        if not (timing.condition and WAITS.match(fold(clause))):
            return None
    return content[m.end():], Label("time", clause)


_TIME_FIELD = re.compile(r"\b(?:thoi gian|thoi han)[^:]{0,20}:")
_TOPIC = re.compile(r"^(?:về|đối với)\s+[^:]{2,60}:\s+(?=\S)", re.I)
_SUBJECT = re.compile(
    rf"^(?P<lead>[^;:()]{{3,80}}?)(?:\s+phoi hop\s+(?:voi|cung)\s+(?P<support>[^;:,]{{3,80}}?))?\s+(?=(?:{TASK_VERBS})\b)")


def subject_roles(content: str, timed: bool = False) -> tuple[str, list[Label]] | None:
    """An item "[Về …:] Công an huyện tiếp tục tổ chức …": the agency that is the sentence's subject leads.

    Only for numbered or lettered items (the caller checks): an unnumbered paragraph naming an agency
    first is as often a closing instruction as a task."""
    if not (timed or _TIME_FIELD.search(fold(content)) or inline_timing(content, 2000)):
        return None  # a task states when; an agency sentence without a time is a duty or a description
    topic = _TOPIC.match(content)
    body = content[topic.end():] if topic else content
    m = _SUBJECT.match(names_masked(body))
    if not m or not _AGENCY_START.match(body) or len(m.group("lead").split()) > 12:
        return None
    labels = [Label("lead", body[: m.end("lead")].strip())]
    if m.group("support"):  # "X phối hợp với Y chi trả …": Y coordinates; the sentence stays the task's text
        labels.append(Label("support", body[m.start("support"): m.end("support")].strip()))
    return body[m.end("lead"):].strip(), labels


# the words an agency's name starts with, as written (folding would make "Số hóa" look like "Sở")
_AGENCY_START = re.compile(
    r"^(?:Công an|Phòng|Sở|Văn phòng|UBND|Ủy ban|Uỷ ban|Ban(?! hành)|Trung tâm|Hội|Đoàn|Bảo hiểm|Bưu điện|Công chức|Cục|"
    r"Chi cục|Tổ(?! chức| trưởng| phó)|Kho bạc|Báo(?! cáo)|Đài|Trường|Bệnh viện|Trạm|Mặt trận|Liên đoàn|Thanh tra|Huyện đoàn|Tỉnh đoàn|Thành đoàn|"
    r"Các|Ngân hàng|Ban Chỉ huy|Viện|Chi nhánh|Hạt|Đội|Bộ phận)\b")
_NOT_A_NAME = re.compile(r"chu tri|phoi hop|thuc hien|thoi han|thoi gian|hoan thanh|\d")
_DASH_AGENCY = re.compile(r"\s+[–—-]\s+(?P<agency>[^–—.;:]{3,80}?)\s*(?:[.;]|$)")


def dash_agency(content: str) -> tuple[str, Label] | None:
    """"task text – Công an xã.": the agency after a closing dash leads."""
    if len(re.findall(r"\s[–—-]\s", content)) > 1:
        return None  # "Chủ tịch UBND - Tổ trưởng; Trưởng Công an - Tổ phó; …": a list of roles, not a task
    m = next((m for m in _DASH_AGENCY.finditer(content)
              if m.start() >= 5 and _AGENCY_START.match(m.group("agency")) and len(m.group("agency").split()) <= 12
              and not _NOT_A_NAME.search(fold(m.group("agency")))), None)
    if m is None:
        return None
    return content[: m.start()].rstrip(" ,;"), Label("lead", m.group("agency").strip())


_LEADING_BRACKET = re.compile(r"^\((?P<agency>[^()]{3,80})\)\s+(?=\S)")


def leading_agency(content: str) -> tuple[str, Label] | None:
    """"(Sở Y tế) Triển khai …": the agency in a leading bracket leads."""
    m = _LEADING_BRACKET.match(content)
    if not m or not _AGENCY_START.match(m.group("agency")) or _NOT_A_NAME.search(fold(m.group("agency"))):
        return None
    return content[m.end():], Label("lead", m.group("agency").strip())


def dash_fields(content: str) -> tuple[str, list[Label]] | None:
    """"task – Agency – time." on one line: (task text, lead and time labels)."""
    parts = [part.strip(" .;") for part in re.split(r"\s[–—]\s", content)]
    if len(parts) != 3:  # en/em dashes first: a hyphen may sit inside a name ("Văn hóa - Xã hội")
        parts = [part.strip(" .;") for part in re.split(r"\s[–—-]\s", content)]
    if len(parts) != 3 or not _AGENCY_START.match(parts[1]) or _NOT_A_NAME.search(fold(parts[1])):
        return None
    if not is_time(parts[2]):
        return None
    return parts[0], [Label("lead", parts[1]), Label("time", parts[2])]

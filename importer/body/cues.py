"""Cues inside or above an item that say what its parts are, whatever the layout:

    "Tháng 7/2025: Kiện toàn Tổ công tác …"        a leading time, then the task
    "… tại nhà (Công an phường chủ trì; Hội … phối hợp)."   roles in a closing bracket
    "Tháng 8/2024:" / "Quý IV/2024" as a heading    the time of the items below it
"""
from __future__ import annotations

import re

from ..read.text import fold
from ..vocabulary.agencies import is_head
from ..vocabulary.roles import labeled_roles, lead_then_partners, trailing_roles
from ..vocabulary.timing import inline_timing, parse_timing
from .structure import Label

_LEAD_TIME = re.compile(r"^(?P<time>[^:()]{3,40}?)\s*:\s+(?=\S)")
_CLOSING_BRACKET = re.compile(r"\s*\((?P<inside>[^()]{3,300})\)\s*(?:[.;]|$)")
_TAIL_WORDS = re.compile(r"^(?:thời gian|thời hạn)(?:\s+(?:thực hiện|hoàn thành))?\s*:?\s*", re.I)
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


_CONTENT_LABEL = re.compile(
    r"^(?:nội dung(?:\s+(?:công việc|nhiệm vụ|thực hiện))?|nhiệm vụ|công việc"
    r"|(?!giai đoạn|đợt|quý|tháng|tuần|năm|ngày)[^\W\d]+(?:\s+[^\W\d]+)?\s+\d{1,2})\s*:\s*(?=\S)", re.I)


def without_content_label(content: str) -> str:
    """"Nội dung: Hướng dẫn …", "Mô hình 3: Trường học …" -> the text after the label: the label names the field
    or counts the item, it is not the task (a time such as "Giai đoạn 1:" is no label)."""
    return _CONTENT_LABEL.sub("", content, count=1)


def leading_time(content: str) -> tuple[str, Label] | None:
    """("task text", time label) for "Tháng 7/2025: task text"."""
    m = _LEAD_TIME.match(content)
    if not m or not is_time(m.group("time")):
        return None
    return content[m.end():], Label("time", m.group("time").strip())


_LEAD_CLAUSE = re.compile(r"^(?P<time>[^,:;()]{3,60}?),\s+(?=\S)")
_WAITS = re.compile(r"^(?:ngay sau khi|sau khi|khi|ngay khi)\b")


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
        if not (timing.condition and _WAITS.match(fold(clause))):
            return None
    return content[m.end():], Label("time", clause)


def closing_roles(content: str) -> tuple[str, list[Label]] | None:
    """("task text", role labels) for "task text (X chủ trì; Y phối hợp)."; what follows the bracket's
    sentence (a paragraph run on after the item) is not part of the task."""
    for m in _CLOSING_BRACKET.finditer(content):
        if m.start() < 5:
            continue
        inside = m.group("inside")
        if re.search(r"\b(?:thoi gian|thoi han|tien do)\b", fold(inside)):
            return None  # "(Chủ trì: X; thời hạn: Y)": inline labels, read elsewhere
        roles = labeled_roles(inside) or trailing_roles(inside) or (lead_then_partners(inside) if is_head(inside) else None)
        if roles is not None:
            break
    else:
        return None
    lead, support = roles
    labels = [Label("lead", "; ".join(lead))] + ([Label("support", "; ".join(support))] if support else [])
    tail = _TAIL_WORDS.sub("", content[m.end():].strip(" .;,"))
    text = content[: m.start()].rstrip(" ,;")
    if tail and len(tail.split()) <= 10 and is_time(tail):
        labels.append(Label("time", tail))  # "(X chủ trì); hoàn thành trong Quý II/2025."
    else:
        inline = inline_timing(text, 2000)  # "task, hoàn thành trước 30/6/2024 (X chủ trì)."
        if inline is not None and inline[0].raw:
            labels.append(Label("time", inline[0].raw))
    return text, labels


def closing_time(content: str) -> tuple[str, Label] | None:
    """("task text", time label) for "task text (hoàn thành trước 30/9/2025)."."""
    m = _CLOSING_BRACKET.search(content)
    if not m or m.start() < 5 or content[m.end():].strip(" .;"):
        return None
    inside = m.group("inside").strip()
    if not is_time(_TAIL_WORDS.sub("", inside)) and not is_time(inside):
        return None
    return content[: m.start()].rstrip(" ,;"), Label("time", inside)


def closing_when(content: str) -> tuple[str, Label] | None:
    """closing_time, or a closing bracket that waits for an event: "task (sau khi có hướng dẫn của Bộ Công an)"."""
    found = closing_time(content)
    if found is not None:
        return found
    m = _CLOSING_BRACKET.search(content)
    if not m or m.start() < 5 or content[m.end():].strip(" .;") or not _WAITS.match(fold(m.group("inside").strip())):
        return None
    return content[: m.start()].rstrip(" ,;"), Label("time", m.group("inside").strip())


_ENUMERATED = re.compile(r"(?:^|[;.]\s*)\((\d{1,2})\)\s+")


def enumerated(content: str) -> list[str]:
    """"(1) task, thời hạn …; (2) task, …" in one paragraph: the tasks, or [] when not enumerated."""
    marks = list(_ENUMERATED.finditer(content))
    if not marks or marks[0].start() != 0 and len(marks) < 2:
        return []  # one "(1)" counts only at the very start ("(1) task, thời hạn …" alone)
    if [int(m.group(1)) for m in marks] != list(range(1, len(marks) + 1)):
        return []
    ends = [m.start() for m in marks[1:]] + [len(content)]
    return [content[m.end():end].strip(" ;.") for m, end in zip(marks, ends)]


_DASH_OPEN = re.compile(r"\s*[-+•–]\s+\S")
_DASH_ITEM = re.compile(r"(?:^\s*|(?<=[;.])\s+|\s*\n\s*)[-+•–]\s+")


def dashed_items(content: str) -> list[str]:
    """"- task (time); - task (time)." in one cell or paragraph: the items, or [] when it does not open with a dash.
    An item starts at the text's start, after a new line, or after the ";" or "." that closes the item before it, so
    a dash inside a name ("Văn hóa - Xã hội") parts nothing."""
    if not _DASH_OPEN.match(content):
        return []
    return [part.strip(" ;.") for part in _DASH_ITEM.split(content) if part.strip(" ;.")]


def has_dashed_activities(content: str) -> bool:
    """Does the text open with its own words and hold dashed lines below them ("<task>\n- <activity>;\n- …", or
    flattened "<task> - <activity>; - …")? Those lines are the task's activities; a text whose items are tasks opens
    with a dash (`dashed_items`)."""
    return not _DASH_OPEN.match(content) and bool(_DASH_ITEM.search(content))


_TASK_VERBS = (r"ra soat|bo tri|van dong|cap nhat|to chuc|trien khai|xay dung|huong dan|tham muu|thuc hien|kiem tra|"
               r"tuyen truyen|so hoa|ket noi|lam sach|tong hop|theo doi|bao dam|dam bao|cap|chi tra|ho tro|tap huan|"
               r"kien toan|danh gia|nang cap|thu nhan|lap|giai quyet|tiep nhan|phoi hop|tiep tuc|chu dong|niem yet|cong khai|"
               r"chi dao")
_LEADING_ROLES = re.compile(
    rf"^(?P<lead>[^;:()]{{3,80}}?)\s+chu tri(?:\s*,\s*phoi hop\s+(?:voi|cung)\s+(?P<support>(?:(?!\.\s)[^;:]){{3,120}}?))?"
    rf"\s+(?!thuc hien\s*(?:[.;,]|$))(?=(?:{_TASK_VERBS})\b)")  # "X chủ trì thực hiện." names no task


def leading_roles(content: str) -> tuple[str, list[Label]] | None:
    """"Công an xã chủ trì[, phối hợp với Y] rà soát …, hoàn thành trước …": (task text, labels).

    The text runs from the task verb; a trailing time clause becomes the time label."""
    from ..vocabulary.agencies import is_head
    from ..vocabulary.timing import inline_timing

    folded = fold(content)
    m = _LEADING_ROLES.match(folded)
    if not m or not is_head(content[: m.end("lead")]):
        return None
    labels = [Label("lead", content[: m.end("lead")].strip())]
    if m.group("support"):
        labels.append(Label("support", content[m.start("support"): m.end("support")].strip()))
    text = content[m.end():].strip()
    found = inline_timing(text, 2000)
    if found is not None and found[0].raw:
        labels.append(Label("time", found[0].raw))
    return text, labels


_ROLE_WORDS = r"^chu tri\s*(?:,|va)\s*phoi hop\s+(?:voi|cung)\s+"
_OPENING_ROLES = re.compile(rf"{_ROLE_WORDS}(?P<support>[^;:]{{3,120}}?)\s+(?=(?:{_TASK_VERBS})\b)")
_OPENING_LEVEL = re.compile(  # the partners end at a level word a task verb follows: "Bộ phận tiếp nhận … xã triển khai"
    rf"{_ROLE_WORDS}(?P<support>(?:(?!\b(?:cua|cho|tai|tren|ve|theo|de)\b)[^;:,.]){{3,80}}?"
    rf"\b(?:xa|phuong|thi tran|huyen|quan|thi xa|thanh pho|tinh))\s+(?=(?:{_TASK_VERBS})\b)")


def opening_roles(content: str) -> tuple[str, list[Label]] | None:
    """An item under its lead's heading that opens with the role words: "Chủ trì, phối hợp với Y rà soát …; hoàn
    thành trước …" -> ("rà soát …", [support Y, time]). The role words and Y are fields, not the task's text; Y ends
    at the first task verb that is not a capitalised word of a name ("Trường Tiểu học Tân Lập thu nhận …"). Two cues
    compete when a task verb stands inside the name ("Bộ phận tiếp nhận và trả kết quả xã triển khai …"): a level
    word ("xã", "huyện", "tỉnh" …) with a task verb after it wins, since a local body's name ends with its level; it
    does not reach past a preposition ("của", "tại", "cho" …), which opens the task's object."""
    from ..vocabulary.timing import inline_timing

    masked = _names_masked(content)
    m = _OPENING_LEVEL.match(masked) or _OPENING_ROLES.match(masked)
    if not m:
        return None
    text = content[m.end():].strip()
    labels = [Label("support", content[m.start("support"): m.end("support")].strip(" ,"))]
    found = inline_timing(text, 2000)
    if found is not None and found[0].raw:
        labels.append(Label("time", found[0].raw))
    return text[:1].upper() + text[1:], labels


_SUPPORTING = re.compile(
    rf"^phoi hop\s+(?:voi|cung)\s+(?P<names>[^;:]{{3,120}}?)\s+(?=(?:{_TASK_VERBS})\b)")


def supporting_work(content: str) -> tuple[str, str] | None:
    """"Phối hợp với X thu nhận hồ sơ …" -> (X, "thu nhận hồ sơ …"): an item whose agency only supports X."""
    m = _SUPPORTING.match(_names_masked(content))
    if not m:
        return None
    return content[m.start("names"): m.end("names")].strip(" ,"), content[m.end():].strip()


def opens_assignment(text: str) -> bool:
    """Does this line open with "X chủ trì <task verb>" (a new task, not the previous line's continuation)?"""
    return bool(_LEADING_ROLES.match(fold(text))) and text[:1].isupper()


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


_TIME_FIELD = re.compile(r"\b(?:thoi gian|thoi han)[^:]{0,20}:")
_TOPIC = re.compile(r"^(?:về|đối với)\s+[^:]{2,60}:\s+(?=\S)", re.I)
_SUBJECT = re.compile(
    rf"^(?P<lead>[^;:()]{{3,80}}?)(?:\s+phoi hop\s+(?:voi|cung)\s+(?P<support>[^;:,]{{3,80}}?))?\s+(?=(?:{_TASK_VERBS})\b)")


def subject_roles(content: str, timed: bool = False) -> tuple[str, list[Label]] | None:
    """An item "[Về …:] Công an huyện tiếp tục tổ chức …": the agency that is the sentence's subject leads.

    Only for numbered or lettered items (the caller checks): an unnumbered paragraph naming an agency
    first is as often a closing instruction as a task."""
    from ..vocabulary.agencies import is_head

    from ..vocabulary.timing import inline_timing

    if not (timed or _TIME_FIELD.search(fold(content)) or inline_timing(content, 2000)):
        return None  # a task states when; an agency sentence without a time is a duty or a description
    topic = _TOPIC.match(content)
    body = content[topic.end():] if topic else content
    m = _SUBJECT.match(_names_masked(body))
    if not m or not _AGENCY_START.match(body) or len(m.group("lead").split()) > 12:
        return None
    labels = [Label("lead", body[: m.end("lead")].strip())]
    if m.group("support"):  # "X phối hợp với Y chi trả …": Y coordinates; the sentence stays the task's text
        labels.append(Label("support", body[m.start("support"): m.end("support")].strip()))
    return body[m.end("lead"):].strip(), labels


def _names_masked(text: str) -> str:
    """The folded text with its capitalised words masked: "Bộ phận Tiếp nhận …" holds no task verb, "tiếp nhận" does."""
    folded = fold(text)
    if len(folded) != len(text):
        return folded
    for word in re.finditer(r"\S+", text):
        if word.start() > 0 and text[word.start()].isupper():
            folded = folded[:word.start()] + "X" * len(word.group()) + folded[word.end():]
    return folded


# the words an agency's name starts with, as written (folding would make "Số hóa" look like "Sở")
_AGENCY_START = re.compile(
    r"^(?:Công an|Phòng|Sở|Văn phòng|UBND|Ủy ban|Uỷ ban|Ban(?! hành)|Trung tâm|Hội|Đoàn|Bảo hiểm|Bưu điện|Công chức|Cục|"
    r"Chi cục|Tổ(?! chức| trưởng| phó)|Kho bạc|Báo(?! cáo)|Đài|Trường|Bệnh viện|Trạm|Mặt trận|Liên đoàn|Thanh tra|Huyện đoàn|Tỉnh đoàn|Thành đoàn|"
    r"Các|Ngân hàng|Ban Chỉ huy|Viện|Chi nhánh|Hạt|Đội|Bộ phận)\b")
_NOT_A_NAME = re.compile(r"chu tri|phoi hop|thuc hien|thoi han|thoi gian|hoan thanh|\d")
_DASH_AGENCY = re.compile(r"\s+[–—-]\s+(?P<agency>[^–—.;:]{3,80}?)\s*(?:[.;]|$)")


def dash_agency(content: str) -> tuple[str, Label] | None:
    """"task text – Công an xã.": the agency after a closing dash leads."""
    from ..vocabulary.agencies import is_head

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

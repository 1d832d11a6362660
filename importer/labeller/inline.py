"""Fields written inside a task's own sentence: roles in a closing bracket, "task – Agency – time", an
assignment sentence "[Giao] X chủ trì, phối hợp Y <task> …", "Agency: task", a time as the item's label
("Quý III/2025: <task>"). Only the vocabulary's agency and timing readers are used, so the blind bench can run
this package inside older rules."""
from __future__ import annotations

import re

from ..body.headings import agency_heading
from ..read.text import fold
from ..vocabulary import roles as _roles
from ..vocabulary.agencies import is_head, split_agencies
from ..vocabulary.roles import cell_roles, labeled_roles, lead_then_partners
from ..vocabulary.timing import parse_timing

_DASH_PART = re.compile(r"\s[-–—]\s")
_BRACKET = re.compile(r"\(([^()]{3,200})\)\s*[.;]?\s*$")
_OPENING_BRACKET = re.compile(r"^\(([^()]{3,120})\)\s*")


def inline_fields(content: str) -> tuple[str, list[str], list[str], str | None]:
    """"task – Agency – time" or "task (Chủ trì: X; Thời gian: …)": (content, lead, support, time)."""
    opening = _OPENING_BRACKET.match(content)
    named = bracket_roles(opening.group(1)) if opening else None
    if named:  # "(Sở Y tế) <task>, hoàn thành …"
        return content[opening.end():].strip(), *named
    bracket = _BRACKET.search(content)
    if bracket and "chu tri" in fold(bracket.group(1)):
        parts = [p.strip() for p in bracket.group(1).split(";") if p.strip()]
        timed = [p for p in parts if "thoi" in fold(p) or is_time(p)]
        said = [p for p in parts if p not in timed]
        trailing = getattr(_roles, "trailing_roles", None)  # absent from the round-4 rules the blind bench runs
        roles = labeled_roles(parts[0]) or (trailing("; ".join(said)) if said and trailing else None)
        if roles and roles[0]:  # "(Chủ trì: X; Thời gian: …)" or "(X chủ trì; Y, Z phối hợp; hoàn thành …)"
            time = timed[0].split(":", 1)[-1].strip() if timed else None
            return content[: bracket.start()].strip(), roles[0], roles[1], time
    roles = sentence_roles(content) if "chu tri" in fold(content) else None
    if roles:
        return roles[0], roles[1], roles[2], None
    parts = re.split(r"\s[–—]\s", content) if re.search(r"\s[–—]\s", content) else _DASH_PART.split(content)
    if len(parts) >= 2 and is_head(parts[1]):
        lead, support = cell_roles(parts[1].strip(" .;"))
        return parts[0].strip(), lead, support, " ".join(parts[2:]).strip(" .;") or None
    roles = lead_then_partners(content.split(",")[0]) if "chu tri" in fold(content) else None
    if roles and is_head(content):
        return content, roles[0], roles[1], None
    named = agency_heading(content) if 0 < content.find(":") < 120 else None
    if named and named[1]:
        return named[1], named[0], [], None  # "Công an tỉnh: task …"
    named_bracket = bracket_roles(bracket.group(1)) if bracket else None
    if named_bracket:  # "task (Công an xã thực hiện; các ban, ngành phối hợp)", "task (Văn phòng UBND phường)"
        return content[: bracket.start()].strip(), *named_bracket
    return content, [], [], None


# verbs a task sentence goes on with after its agencies (folded); written lowercase in the sentence, which tells
# them from the same words inside a name ("Sở Xây dựng", "Trung tâm Phục vụ hành chính công")
TASK_VERB = re.compile(
    r"\b(?:ra soat|bo tri|van dong|cap nhat|to chuc(?!\s+(?:chinh tri|doan the|xa hoi|kinh te|tin dung|lien quan))|"
    r"trien khai|xay dung|huong dan|tham muu|thuc hien|kiem tra|tuyen truyen|so hoa|ket noi|lam sach|tong hop|"
    r"theo doi|bao dam|dam bao|chi tra|ho tro|tap huan|kien toan|danh gia|nang cap|thu nhan|lap|giai quyet|"
    r"tiep nhan|tiep tuc|chu dong|mo|bao cao|chi dao|day manh|nghien cuu|su dung|dong bo|phu song|dien tap|"
    r"xac thuc|cung cap|hoan thien|ap dung|thu thap|quan ly|van hanh|chuan hoa|tai cau truc|tich hop|phat trien|"
    r"nang cao|so ket|tong ket|ban hanh|de xuat|cap (?:moi|doi|lai|phat|the|tai khoan|giay))\b")
_ROLE_SENTENCE = re.compile(
    r"^(?:(?:ve|doi voi)\s+[^:]{2,60}:\s+)?(?:(?:giao(?: cho)?|de nghi)\s+)?(?P<lead>[^;:()]{3,90}?)\s+chu tri\b"
    r"\s*,?\s*(?:(?:va\s+)?phoi hop\b\s*(?:voi\b|cung\b)?\s*)?")


def sentence_roles(content: str) -> tuple[str, list[str], list[str]] | None:
    """"[Giao] X chủ trì, phối hợp [với] Y <task> …" in one sentence: (task text, lead, support).

    The coordinating agencies run up to the first task verb written lowercase; the task is the rest of the
    sentence (its time stays in it, where the timing reader finds it)."""
    folded = fold(content)
    m = _ROLE_SENTENCE.match(folded)
    if not m or not is_head(content[m.start("lead"): m.end("lead")]):
        return None
    lead = split_agencies(content[m.start("lead"): m.end("lead")])
    coordinated = "phoi hop" in folded[m.end("lead"): m.end()]
    verb = next((v for v in TASK_VERB.finditer(folded, m.end()) if content[v.start()].islower()
                 and not folded[max(0, v.start() - 4): v.start()].endswith("cac ")), None)
    if verb is None or not lead:
        return None
    support = split_agencies(content[m.end(): verb.start()].strip(" ,;")) if coordinated else []
    if coordinated and not support or not coordinated and content[m.end(): verb.start()].strip(" ,"):
        return None  # "phối hợp" with no agency before the task, or words between "chủ trì" and the task
    task = content[verb.start():].strip()
    return task[:1].upper() + task[1:], lead, support


_TOPIC = re.compile(r"^(?:ve|doi voi|linh vuc)\s+[^:]{2,60}:\s+")
_SUBJECT_WORDS = 16  # an agency's name before its verb is at most this long
_NOT_NAME = re.compile(r"\b(?:da|dang|se|can|phai|co|duoc|chua|khong|tiep tuc|nham|de)$|\b(?:da|dang|se|chua|khong) ")


def subject_roles(content: str) -> tuple[str, list[str]] | None:
    """"[Về <topic>:] <Agency> <task verb, lowercase> …": the agency that opens the sentence does the task, which
    runs from the verb ("Công an huyện tiếp tục cấp …", "Phòng Y phối hợp với Z chi trả …")."""
    folded = fold(content).lower()
    topic = _TOPIC.match(folded)
    start = topic.end() if topic else 0
    if not is_head(content[start:]):
        return None
    verbs = (v for v in re.finditer(TASK_VERB.pattern + r"|\bphoi hop\b", folded[start:]) if content[start + v.start()].islower())
    verb = next(verbs, None)
    if verb is None:
        return None
    name = content[start: start + verb.start()].strip(" ,")
    if (not name or len(name.split()) > _SUBJECT_WORDS or re.search(r"[:;.()]", name) or _NOT_NAME.search(fold(name).lower())
            or TASK_VERB.match(fold(name).lower())):  # "Số hóa hồ sơ … tiếp nhận": a task, not a name
        return None
    lead = split_agencies(name)
    if not lead or not is_head(lead[0]):
        return None
    return content[start + verb.start():].strip(), lead


def is_time(text: str) -> bool:
    timing, _ = parse_timing(text, None)
    return bool(timing.due or timing.start or timing.recurring or timing.condition)


_SUPPORT_WORDS = re.compile(r"^\s*(?:co quan |don vi )?phoi hop(?: voi)?\s*:?\s*|\s*\(?(?:cung )?phoi hop(?: thuc hien)?\)?\s*$")
_LEAD_WORDS = re.compile(r"^\s*(?:co quan |don vi )?(?:chu tri|thuc hien|phu trach)\s*:\s*|"
                         r"\s*\(?(?:chu tri|thuc hien|phu trach|chinh|la dau moi)\)?\s*$")


def _without(words: re.Pattern[str], text: str) -> str:
    """`text` without its role words at either end (found in the folded text, cut from the original)."""
    for _ in range(2):
        m = words.search(fold(text).lower())
        if m is None or m.end() - m.start() == 0:
            break
        text = (text[: m.start()] + text[m.end():]).strip(" ,.")
    return text


def bracket_roles(inner: str) -> tuple[list[str], list[str], str | None] | None:
    """A closing bracket that names who does the task, without "chủ trì": "(Công an xã thực hiện; các ban, ngành
    phối hợp)", "(Văn phòng UBND phường)", "(X; Y phối hợp; tháng 8/2025)": (lead, support, time); None when any
    part is neither agencies nor a time (an ordinary remark in brackets)."""
    lead: list[str] = []
    support: list[str] = []
    time = None
    for part in (p.strip() for p in inner.split(";")):
        if not part:
            continue
        if "phoi hop" in fold(part).lower():
            support += split_agencies(_without(_SUPPORT_WORDS, part))
        elif is_head(_without(_LEAD_WORDS, part)) and not lead:
            lead = split_agencies(_without(_LEAD_WORDS, part))
        elif time is None and is_time(part):
            time = part
        else:
            return None
    return (lead, support, time) if lead else None


_LABEL = re.compile(r"^[^:]{1,40}:\s*")


def label_time(body: str) -> str | None:
    """The time an item opens with as its label ("Tháng 7/2025: <task>", "Trước ngày 30/9/2025: <task>")."""
    m = _LABEL.match(body)
    label = body[: m.end()].rstrip(" :") if m else ""
    return label if label and len(label.split()) <= 5 and not is_head(label) and is_time(label) else None

"""Role words inside an item that say who leads and who supports, whatever the layout:

    "… tại nhà (Công an phường chủ trì; Hội … phối hợp)."   roles in a closing bracket
    "Công an xã chủ trì, phối hợp với Y rà soát …"          the lead, its partners, then the task
    "Chủ trì, phối hợp với Y rà soát …" / "Phối hợp với X …" under the lead's heading
"""
from __future__ import annotations

import re

from ..read.text import fold
from ..vocabulary.agencies import is_head
from ..vocabulary.roles import labeled_roles, lead_then_partners, trailing_roles
from ..vocabulary.timing import inline_timing
from .structure import Label
from .time_cues import CLOSING_BRACKET, TAIL_WORDS, is_time

def closing_roles(content: str) -> tuple[str, list[Label]] | None:
    """("task text", role labels) for "task text (X chủ trì; Y phối hợp)."; what follows the bracket's
    sentence (a paragraph run on after the item) is not part of the task."""
    for m in CLOSING_BRACKET.finditer(content):
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
    tail = TAIL_WORDS.sub("", content[m.end():].strip(" .;,"))
    text = content[: m.start()].rstrip(" ,;")
    if tail and len(tail.split()) <= 10 and is_time(tail):
        labels.append(Label("time", tail))  # "(X chủ trì); hoàn thành trong Quý II/2025."
    else:
        inline = inline_timing(text, 2000)  # "task, hoàn thành trước 30/6/2024 (X chủ trì)."
        if inline is not None and inline[0].raw:
            labels.append(Label("time", inline[0].raw))
    return text, labels


TASK_VERBS = (r"ra soat|bo tri|van dong|cap nhat|to chuc|trien khai|xay dung|huong dan|tham muu|thuc hien|kiem tra|"
               r"tuyen truyen|so hoa|ket noi|lam sach|tong hop|theo doi|bao dam|dam bao|chi tra|ho tro|tap huan|"
               r"kien toan|danh gia|nang cap|thu nhan|lap|giai quyet|tiep nhan|phoi hop|tiep tuc|chu dong|niem yet|cong khai|"
               r"chi dao|chuan hoa|so ket|tong ket|giam sat|dau tranh|(?<!phong )dang ky|"
               r"(?<!phong )(?<!ban )(?<!cuc )(?<!tam )(?<!doi )quan ly|"  # not "Ban Quản lý …", "Phòng Quản lý …"
               r"cap(?!\s+(?:xa|phuong|thi tran|huyen|quan|thi xa|tinh|thanh pho|co so|tren|duoi)\b)")
# "cấp" is the verb "issue" ("cấp căn cước") except before a level, where it names one ("cấp xã", "cấp tỉnh")
_LEADING_ROLES = re.compile(
    rf"^(?P<lead>[^;:()]{{3,80}}?)\s+chu tri(?:\s*,\s*phoi hop\s+(?:voi|cung)\s+(?P<support>(?:(?!\.\s)[^;:]){{3,120}}?))?"
    rf"\s+(?!thuc hien\s*(?:[.;,]|$))(?=(?:{TASK_VERBS})\b)")  # "X chủ trì thực hiện." names no task


def _first_verb(support: str) -> str | None:
    """The task's first verb read into the partners ("Sở X đối soát," before "làm sạch …"): partners that end with a
    comma, a known task verb after it, end with two words in lower case after a body's name; those words are the
    task's first verb, coordinated with the known one. Two cues compete (the words run on from the name; the comma and
    the verb after it say a list of verbs); the list wins, since a partner list does not end with a comma."""
    words = support.rstrip().split()
    if not support.rstrip().endswith(",") or len(words) < 4:
        return None
    verb = words[-2:]
    if not all(w.rstrip(",").isalpha() and w.rstrip(",").islower() for w in verb) or not is_head(" ".join(words[:-2])):
        return None
    return support[support.rstrip().rfind(verb[0]):]


def leading_roles(content: str) -> tuple[str, list[Label]] | None:
    """"Công an xã chủ trì[, phối hợp với Y] rà soát …, hoàn thành trước …": (task text, labels).

    The text runs from the task verb; a trailing time clause becomes the time label."""
    folded = fold(content)
    m = _LEADING_ROLES.match(folded)
    if not m or not is_head(content[: m.end("lead")]):
        return None
    labels = [Label("lead", content[: m.end("lead")].strip())]
    text = content[m.end():].strip()
    if m.group("support"):
        support = content[m.start("support"): m.end("support")].strip()
        verb = _first_verb(support)
        if verb is not None:  # "phối hợp với Sở X đối soát, làm sạch …": the task opens at the first verb
            support, text = support[: -len(verb)].strip(), f"{verb.rstrip(' ,')}, {text}"
        labels.append(Label("support", support))
    found = inline_timing(text, 2000)
    if found is not None and found[0].raw:
        labels.append(Label("time", found[0].raw))
    return text, labels


_ROLE_WORDS = r"^chu tri\s*(?:,|va)\s*phoi hop\s+(?:voi|cung)\s+"
_OPENING_ROLES = re.compile(rf"{_ROLE_WORDS}(?P<support>[^;:]{{3,120}}?)\s+(?=(?:{TASK_VERBS})\b)")
_OPENING_LEVEL = re.compile(  # the partners end at a level word a task verb follows: "Bộ phận tiếp nhận … xã triển khai"
    rf"{_ROLE_WORDS}(?P<support>(?:(?!\b(?:cua|cho|tai|tren|ve|theo|de)\b)[^;:,.]){{3,80}}?"
    rf"\b(?:xa|phuong|thi tran|huyen|quan|thi xa|thanh pho|tinh))\s+(?=(?:{TASK_VERBS})\b)")


def opening_roles(content: str) -> tuple[str, list[Label]] | None:
    """An item under its lead's heading that opens with the role words: "Chủ trì, phối hợp với Y rà soát …; hoàn
    thành trước …" -> ("rà soát …", [support Y, time]). The role words and Y are fields, not the task's text; Y ends
    at the first task verb that is not a capitalised word of a name ("Trường Tiểu học Tân Lập thu nhận …"). Two cues
    compete when a task verb stands inside the name ("Bộ phận tiếp nhận và trả kết quả xã triển khai …"): a level
    word ("xã", "huyện", "tỉnh" …) with a task verb after it wins, since a local body's name ends with its level; it
    does not reach past a preposition ("của", "tại", "cho" …), which opens the task's object."""
    masked = names_masked(content)
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
    rf"^phoi hop\s+(?:voi|cung)\s+(?P<names>[^;:]{{3,120}}?)\s+(?=(?:{TASK_VERBS})\b)")


def supporting_work(content: str) -> tuple[str, str] | None:
    """"Phối hợp với X thu nhận hồ sơ …" -> (X, "thu nhận hồ sơ …"): an item whose agency only supports X."""
    m = _SUPPORTING.match(names_masked(content))
    if not m:
        return None
    return content[m.start("names"): m.end("names")].strip(" ,"), content[m.end():].strip()


def opens_assignment(text: str) -> bool:
    """Does this line open with "X chủ trì <task verb>" (a new task, not the previous line's continuation)?"""
    return bool(_LEADING_ROLES.match(fold(text))) and text[:1].isupper()


def names_masked(text: str) -> str:
    """The folded text with its capitalised words masked: "Bộ phận Tiếp nhận …" holds no task verb, "tiếp nhận" does."""
    folded = fold(text)
    if len(folded) != len(text):
        return folded
    for word in re.finditer(r"\S+", text):
        if word.start() > 0 and text[word.start()].isupper():
            folded = folded[:word.start()] + "X" * len(word.group()) + folded[word.end():]
    return folded

"""A table's group row that is nothing but an agency's name ("I. SỞ Y TẾ", "2. Phòng Văn hóa - Xã hội") over rows
with no lead column: the agency leads every row below it, until the next group row.

Two cues compete there: a numbered title in capitals is usually a section of work ("I. NHÓM NHIỆM VỤ …"), and the
name of a body is who does the work. The name wins when the title is one agency and nothing else (no verb, no role
word, no digit), since a section of work names what is done and a list per agency names who does it.
"""
from __future__ import annotations

import re

from ..read.text import clean_spaces, fold
from ..vocabulary.agencies import is_head, split_agencies

_NUMBER = re.compile(r"^\s*(?:[IVX]{1,5}|[A-Z]|\d{1,2})[.)]\s*")
_NOT_A_NAME = re.compile(r"\d|:|\b(?:chu tri|phoi hop|thuc hien|nhiem vu|nhom|linh vuc|cong tac|giai phap)\b")
_LEVEL = re.compile(r"\b(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu)\b")
_HEAD_THEN_NAME = re.compile(r"^(Sở|Phòng|Ban|Văn phòng|Trung tâm|Chi cục|Cục|Đoàn|Hội)\s+(\w)")
MAX_WORDS = 10  # "II. VĂN PHÒNG HĐND VÀ UBND XÃ" is seven; a longer title is a sentence of work


def group_agency(title: str) -> list[str]:
    """The one agency a group row's title names ("III. CÔNG AN TỈNH" -> ["Công an tỉnh"]); [] for any other title."""
    body = clean_spaces(_NUMBER.sub("", title.strip())).strip(" .:;")
    if not body or len(body.split()) > MAX_WORDS or _NOT_A_NAME.search(fold(body)) or not is_head(body):
        return []
    names = split_agencies(body)
    if len(names) != 1:
        return []
    return [_written_name(names[0])]


def _written_name(name: str) -> str:
    """A name in capitals as a plan writes it in a sentence: "BẢO HIỂM XÃ HỘI TỈNH" -> "Bảo hiểm xã hội tỉnh",
    "SỞ Y TẾ" -> "Sở Y tế"; a place after its level word keeps its capitals ("UBND XÃ TÂN AN" -> "UBND xã Tân An")."""
    if not name.isupper():
        return name
    lower = name.lower()
    lower = re.sub(r"^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)\b", "UBND", lower)
    lower = lower[:1].upper() + lower[1:]
    lower = _HEAD_THEN_NAME.sub(lambda m: f"{m.group(1)} {m.group(2).upper()}", lower)
    levels = list(_LEVEL.finditer(lower))
    if levels and levels[-1].end() < len(lower):
        place = lower[levels[-1].end():]
        lower = lower[:levels[-1].end()] + place.title()
    return lower

"""A flattened table's group rows (see flat_tables): a heading in capitals where a row should start, a short line
with a row starting right after it ("Tháng 02/2026"), a number and its title as two cells, a numbered title in
sentence case."""
from __future__ import annotations

import re

_GROUP = re.compile(r"^(?:[IVX]{1,5}|[A-Z]|\d{1,2})[.)]\s+\S")


def is_numbered_title(text: str) -> bool:
    """A line opening with a section or item number ("I. …", "A) …", "2. …")."""
    return bool(_GROUP.match(text.strip()))


def is_group_title(text: str) -> bool:
    """A numbered title in capitals ("I. NHÓM NHIỆM VỤ …"): a table's group row, not a cell of it."""
    letters = [c for c in text if c.isalpha()]
    return bool(_GROUP.match(text.strip())) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def is_short_group(lines: list[str], i: int, starts) -> bool:
    """A short line after a blank one, with a row starting right after it ("Tháng 02/2026", "Quý II", "Khối
    xã"): a group row, however it is written."""
    text = lines[i].strip()
    if i == 0 or lines[i - 1].strip() or len(text) > 60 or len(text.split()) > 8 or text.endswith((".", ";", ",")):
        return False  # a line right after a cell is that row's overflow, not a group
    following = next((line for line in lines[i + 1:i + 4] if line.strip()), "")
    return bool(following) and starts(following)


_LONE_KEY = re.compile(r"^(?:[IVXL]{1,5}|[A-Z])$")


def lone_key_group(lines: list[str], i: int, starts) -> tuple[str, int] | None:
    """A group row whose number and title are two cells ("I" / "NHÓM NHIỆM VỤ …", its title over one or more
    lines in capitals): the row's text, and the index after it."""
    if not _LONE_KEY.match(lines[i].strip()):
        return None
    j, title = i + 1, []
    while j < len(lines) and lines[j].strip() and not starts(lines[j]) and _capitals(lines[j]):
        title.append(lines[j].strip())
        j += 1
    return (lines[i].strip() + "\t" + " ".join(title), j) if title else None


MAX_GROUP_LINES = 3


def numbered_group(lines: list[str], i: int, starts) -> tuple[str, int] | None:
    """A numbered group row in sentence case ("1. Nhóm tiện ích phục vụ … và cung cấp" / "dịch vụ công trực tuyến"),
    after a blank line and with a row starting after the blank line that ends it: its text, and the index after it.
    Two cues compete: the item number says "a paragraph after the table", the row below it says "a group of the
    table"; the row wins, since a paragraph after a table is not followed by the table's next row."""
    if i == 0 or lines[i - 1].strip() or not _GROUP.match(lines[i].strip()):
        return None
    j = i + 1
    while j < len(lines) and lines[j].strip() and j - i < MAX_GROUP_LINES:
        j += 1
    k = j
    while k < len(lines) and not lines[k].strip():
        k += 1
    if j == len(lines) or lines[j].strip() or k == len(lines) or not starts(lines[k]):
        return None
    return " ".join(line.strip() for line in lines[i:j]), j


def group_title(lines: list[str], i: int, starts) -> tuple[str, int]:
    """A group row's text and the index after it: a title in capitals goes on over the lines in capitals after it
    ("I. NHÓM TIỆN ÍCH … CUNG CẤP" / "DỊCH VỤ CÔNG TRỰC TUYẾN", cut at the text width), up to a row, another group
    or a blank line."""
    title, j = [lines[i].strip()], i + 1
    while _capitals(title[0]) and j < len(lines) and lines[j].strip() and _capitals(lines[j]) \
            and not starts(lines[j]) and not is_group_title(lines[j]):
        title.append(lines[j].strip())
        j += 1
    return " ".join(title), j


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)

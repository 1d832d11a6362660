"""A flattened table's header (see flat_tables): a run of three or more short lines that are all column names
("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", …; or a targets table's "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm
2026"), its second row when it has one, and what a row's first line looks like under its first column."""
from __future__ import annotations

import re

from .text import fold

COLUMN = re.compile(
    r"^(?:stt|tt|so tt)$|noi dung|nhiem vu|cong viec|chu tri|phoi hop|thuc hien|phu trach|thoi gian|thoi han"
    r"|tien do|san pham|ket qua|ghi chu|don vi|co quan|bo phan"
    r"|^luc luong\b|^dia diem$|^noi (?:thuc hien|to chuc)$"  # a schedule: "Lực lượng thực hiện", a place column
    r"|chi tieu|^dvt$|nam \d{4}$"  # a targets table: "Chỉ tiêu | Đơn vị tính | Kế hoạch năm 2026"
    r"|^quy (?:i{1,3}|iv|[1-4])$|^thang \d{1,2}$|^(?:tuan|dot) \d{1,2}\b")  # period columns ticked "x"
_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_TIME = re.compile(r"^(?:thang|quy|nam|truoc|tu|thuong xuyen|hang|den|trong|\d{1,2}/\d{1,2}(?:/\d{4})?"
                   r"|thu (?:hai|ba|tu|nam|sau|bay)|chu nhat)\b")  # "Thứ Năm, 02/4": a weekday opens a dated row
MIN_COLUMNS = 3

_REFERENCE = re.compile(r"\s+(?:tại|theo|của)\s+(?:kế hoạch|quyết định|chỉ thị|công văn)\s+số\s+\S+$", re.I)

# "Thời gian thực hiện năm 2026 (tháng)": a time header merged over the period columns its second row numbers
_PERIOD_HEADER = re.compile(r"^(?:thoi gian|tien do)\b.{0,50}\((?:thang|quy)\)$")


def _period_columns(lines: list[str], i: int, names: int) -> int:
    """After a header whose last name is a time header over numbered periods (`_PERIOD_HEADER`), the number of
    period columns: its merged cells come blank (one fewer than the periods), then the row's end and the second
    row (blank under the other names, then "1", "2", … one a line). 0 when the lines do not fall so."""
    if not names or not _PERIOD_HEADER.match(fold(lines[i + names - 1].strip())):
        return 0
    j = i + names
    while j < len(lines) and not lines[j].strip():
        j += 1
    k = 0
    while j + k < len(lines) and lines[j + k].strip() == str(k + 1):
        k += 1
    blanks = j - (i + names)
    return k if k >= 2 and blanks == (k - 1) + 1 + (names - 1) else 0


def is_column_name(line: str) -> bool:
    text = _REFERENCE.sub("", line.strip())
    if _PERIOD_HEADER.match(fold(text)):
        return True  # "Thời gian theo Kế hoạch số 32/KH-UBND": an amendment's column
    if re.match(r"^(?:[IVX]{1,5}|\d{1,2}|[A-Z])[.)]\s", text):
        return False  # "I. NỘI DUNG THỰC HIỆN": a section heading, not a column
    if text.endswith(":"):
        return False  # "Nhiệm vụ thực hiện:": a lead-in to the table below, not one of its columns
    return bool(text) and "\t" not in text and len(text) <= 40 and len(text.split()) <= 6 and bool(COLUMN.search(fold(text)))


def header_at(lines: list[str], i: int, targets: bool = True) -> int:
    """The number of columns of a header starting at line i, or 0; `targets`: a targets table's header counts too.
    A blank line between column names, after the first three, is a cell merged into its left neighbour ("Thời gian
    thực hiện" over two columns), an empty column name."""
    n = 0
    while i + n < len(lines) and (is_column_name(lines[i + n]) or n >= MIN_COLUMNS and not lines[i + n].strip()
                                  and i + n + 1 < len(lines) and is_column_name(lines[i + n + 1])):
        n += 1
    periods = _period_columns(lines, i, n)
    names = " ".join(fold(line) for line in lines[i:i + n])
    n += max(0, periods - 1)  # the merged time header's blank cells
    if any(_NUMBERING.match(fold(line.strip())) for line in lines[i + 1:i + n]):
        return 0  # "NHIỆM VỤ, GIẢI PHÁP" / "TT" / "Nội dung" …: the numbering column opens the header, a heading is above
    tasks = re.search(r"noi dung|nhiem vu|cong viec", names)
    target_names = targets and re.search(r"chi tieu", names) and re.search(r"don vi tinh|\bdvt\b", names)
    return n if n >= MIN_COLUMNS and (tasks or target_names) else 0


_NUMBERING = re.compile(r"^(?:stt|tt|so tt)$")  # a table's numbering column, its first
_LETTER_KEY = re.compile(r"^[a-zđ][.)]$")  # "a)", "b.": a sub-row's key alone on its line, under a numbered row


def row_start(first_column: str):
    if _NUMBERING.search(first_column):
        # a numbered row's sub-rows are keyed by letters ("2" / "a)" / "b)"): a lettered key alone on its line
        # starts a row too, as the number does; a lettered line with words after it is a cell's text
        return lambda text: bool(_NUMBER.match(text.strip()) or _LETTER_KEY.match(text.strip()))
    if re.search(r"thoi gian|thoi han|tien do", first_column):
        return lambda text: bool(_TIME.match(fold(text.strip()))) and len(text.split()) <= 8
    return lambda text: bool(text.strip())


_SUB_WORDS = re.compile(r"^(?:bat dau|hoan thanh|ket thuc|thuc hien|tu ngay|den ngay)$")


def sub_header(lines: list[str], i: int, columns: int) -> tuple[list[str], int] | None:
    """The header's second row ("Bắt đầu | Hoàn thành" under a merged "Thời gian thực hiện"), written as a row is:
    after the blank line that ends a row, one line a cell, the empty ones blank. Its cells, and the index after it."""
    start = i + 1 if i < len(lines) and not lines[i].strip() else i
    cells = [line.strip() for line in lines[start:start + columns]]
    numbered = [c for c in cells if c]  # "1 | 2 | … | 12": the periods under a merged time header
    if numbered == [str(k) for k in range(1, len(numbered) + 1)] and len(numbered) >= 2 and len(cells) == columns:
        return cells, start + columns
    if len(cells) < columns or not all(not c or _SUB_WORDS.match(fold(c)) for c in cells) or not any(cells):
        return None
    return cells, start + columns

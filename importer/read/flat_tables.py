"""Tables that arrive flattened, one cell a line (a Word or web table pasted as plain text).

A run of three or more short lines that are all column names ("STT", "Nội dung nhiệm vụ", "Đơn vị
chủ trì", …; or a targets table's "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm 2026") is a header of that many columns. Each row then starts with a line shaped like the
first column (a row number, or a time when the first column is a time); its cells follow one a
line, an empty line standing for an empty cell, and a line cut at the text width continuing onto
the next. A heading line in capitals where a row should start is a group row, and so is a short line with a row
starting right after it ("Tháng 02/2026"). The table ends at
the first line that cannot start a row. Rows come out tab-separated, as a .docx table would.
"""
from __future__ import annotations

import re

from .text import fold

_COLUMN = re.compile(
    r"^(?:stt|tt|so tt)$|noi dung|nhiem vu|cong viec|chu tri|phoi hop|thuc hien|phu trach|thoi gian|thoi han"
    r"|tien do|san pham|ket qua|ghi chu|don vi|co quan|bo phan"
    r"|^luc luong\b|^dia diem$|^noi (?:thuc hien|to chuc)$"  # a schedule: "Lực lượng thực hiện", a place column
    r"|chi tieu|^dvt$|nam \d{4}$"  # a targets table: "Chỉ tiêu | Đơn vị tính | Kế hoạch năm 2026"
    r"|^quy (?:i{1,3}|iv|[1-4])$|^thang \d{1,2}$|^(?:tuan|dot) \d{1,2}\b")  # period columns ticked "x"
_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_TIME = re.compile(r"^(?:thang|quy|nam|truoc|tu|thuong xuyen|hang|den|trong|\d{1,2}/\d{1,2}(?:/\d{4})?"
                   r"|thu (?:hai|ba|tu|nam|sau|bay)|chu nhat)\b")  # "Thứ Năm, 02/4": a weekday opens a dated row
_GROUP = re.compile(r"^(?:[IVX]{1,5}|[A-Z]|\d{1,2})[.)]\s+\S")
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


def _is_column_name(line: str) -> bool:
    text = _REFERENCE.sub("", line.strip())
    if _PERIOD_HEADER.match(fold(text)):
        return True  # "Thời gian theo Kế hoạch số 32/KH-UBND": an amendment's column
    if re.match(r"^(?:[IVX]{1,5}|\d{1,2}|[A-Z])[.)]\s", text):
        return False  # "I. NỘI DUNG THỰC HIỆN": a section heading, not a column
    if text.endswith(":"):
        return False  # "Nhiệm vụ thực hiện:": a lead-in to the table below, not one of its columns
    return bool(text) and "\t" not in text and len(text) <= 40 and len(text.split()) <= 6 and bool(_COLUMN.search(fold(text)))


def _header_at(lines: list[str], i: int, targets: bool = True) -> int:
    """The number of columns of a header starting at line i, or 0; `targets`: a targets table's header counts too.
    A blank line between column names, after the first three, is a cell merged into its left neighbour ("Thời gian
    thực hiện" over two columns), an empty column name."""
    n = 0
    while i + n < len(lines) and (_is_column_name(lines[i + n]) or n >= MIN_COLUMNS and not lines[i + n].strip()
                                  and i + n + 1 < len(lines) and _is_column_name(lines[i + n + 1])):
        n += 1
    periods = _period_columns(lines, i, n)
    names = " ".join(fold(line) for line in lines[i:i + n])
    n += max(0, periods - 1)  # the merged time header's blank cells
    tasks = re.search(r"noi dung|nhiem vu|cong viec", names)
    target_names = targets and re.search(r"chi tieu", names) and re.search(r"don vi tinh|\bdvt\b", names)
    return n if n >= MIN_COLUMNS and (tasks or target_names) else 0


def _row_start(first_column: str):
    if re.search(r"^(?:stt|tt|so tt)$", first_column):
        return lambda text: bool(_NUMBER.match(text.strip()))
    if re.search(r"thoi gian|thoi han|tien do", first_column):
        return lambda text: bool(_TIME.match(fold(text.strip()))) and len(text.split()) <= 8
    return lambda text: bool(text.strip())


def is_numbered_title(text: str) -> bool:
    """A line opening with a section or item number ("I. …", "A) …", "2. …")."""
    return bool(_GROUP.match(text.strip()))


def is_group_title(text: str) -> bool:
    """A numbered title in capitals ("I. NHÓM NHIỆM VỤ …"): a table's group row, not a cell of it."""
    letters = [c for c in text if c.isalpha()]
    return bool(_GROUP.match(text.strip())) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _is_short_group(lines: list[str], i: int, starts) -> bool:
    """A short line after a blank one, with a row starting right after it ("Tháng 02/2026", "Quý II", "Khối
    xã"): a group row, however it is written."""
    text = lines[i].strip()
    if i == 0 or lines[i - 1].strip() or len(text) > 60 or len(text.split()) > 8 or text.endswith((".", ";", ",")):
        return False  # a line right after a cell is that row's overflow, not a group
    following = next((line for line in lines[i + 1:i + 4] if line.strip()), "")
    return bool(following) and starts(following)


_OPEN_END = re.compile(r"(?:,|:|\s[-–]|\b(?:va|cua|voi|cac|cho|tai|tren|ve|theo|de|trong|nhung|hoac|la))$")  # "Đài Truyền thanh -"


def _cut(text: str, following: str, width: int) -> bool:
    """Was `text` cut at the text width, with `following` its rest? The next word would not have
    fitted, and the rest starts in lowercase or the line stops on a word that cannot end a name."""
    if not text or not following:
        return False
    if len(text) + 1 + len(following.split()[0]) <= width:
        return False
    return following[:1].islower() or following[:1].isdigit() or bool(_OPEN_END.search(fold(text)))


def _row(lines: list[str], i: int, columns: int, width: int) -> tuple[list[str], int]:
    """The cells of the row starting at line i, and the index after it."""
    cells: list[str] = []
    while len(cells) < columns and i < len(lines):
        text = lines[i].strip()
        i += 1
        while i < len(lines) and _cut(lines[i - 1].strip(), lines[i].strip(), width):
            text += " " + lines[i].strip()  # a cell cut at the text width goes on on the next line
            i += 1
        cells.append(text)
    return cells, i


def _refit(lines: list[str], i: int, end: int, columns: int) -> list[str]:
    """A row whose lines overflow its columns: merge the pair whose first line is longest (the likeliest
    cut) until the lines fit. Blank lines are empty cells; the first line (the row's key) stays alone."""
    cells = [line.strip() for line in lines[i:end]]
    while cells and not cells[-1]:
        cells.pop()
    while len(cells) > columns:
        pairs = [j for j in range(1, len(cells) - 1) if cells[j] and cells[j + 1]]
        if not pairs:
            break
        j = max(pairs, key=lambda k: len(cells[k]))
        cells[j:j + 2] = [cells[j] + " " + cells[j + 1]]
    return cells[:columns]


def _counted_row(lines: list[str], begin: int, end: int, columns: int, width: int) -> list[str] | None:
    """A row whose lines, one blank line (the row's end) left off, are more than its cells, though the next row
    starts where it should: a cell cut at the text width before a capital ("…, Nghĩa" / "Hội (cũ) …") the width test
    did not join. Two cues compete: the capital says "a new cell", the count of lines says "one line too many"; the
    count wins where it is exact (under numbered period columns, whose ticks and blanks are written one a line to the
    row's end), and the full-width line is joined to the next."""
    cells = [line.strip() for line in lines[begin:end]]
    if not cells or cells[-1] or len(cells) - 1 <= columns or end - begin > 3 * columns:
        return None
    cells.pop()
    while len(cells) > columns:
        full = [j for j in range(1, len(cells) - 1) if cells[j] and cells[j + 1]
                and len(cells[j]) + 1 + len(cells[j + 1].split()[0]) > width]
        if not full:
            return None
        cells[full[0]:full[0] + 2] = [cells[full[0]] + " " + cells[full[0] + 1]]
    return cells


def _next_start(lines: list[str], i: int, starts, reach: int = 4) -> int | None:
    seen = 0
    while i < len(lines) and seen <= reach:
        if lines[i].strip():
            if starts(lines[i]) or is_group_title(lines[i]):
                return i
            seen += 1
        i += 1
    return None


_PIPE = re.compile(r"^\s*\|\s*$")
MAX_CELL_LINES = 8


def _pipe_cells(lines: list[str], i: int) -> tuple[list[str], int]:
    """Cells written one after another with a "|" line after each (a table copied from a law library's page):
    the lines of each cell joined, an empty cell an empty line; and the index after the last "|"."""
    cells: list[str] = []
    while i < len(lines):
        j = i
        while j < len(lines) and j - i <= MAX_CELL_LINES and not _PIPE.match(lines[j]):
            j += 1
        if j >= len(lines) or not _PIPE.match(lines[j]):
            break
        if any(line.rstrip().endswith(":") for line in lines[i:j - 1]):
            break  # a lead-in line ("Nhiệm vụ thực hiện:") inside: the table ended and the next one starts below it
        cells.append(" ".join(line.strip() for line in lines[i:j] if line.strip()))
        i = j + 1
    return cells, i


def unpipe(lines: list[str]) -> list[str]:
    """A table whose cells are separated by "|" lines, as one cell a line; other lines as they are."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i + 1 < len(lines) and _is_column_name(lines[i]) and _PIPE.match(lines[i + 1]):
            cells, end = _pipe_cells(lines, i)
            if _header_at(cells, 0, targets=False):  # cells run on past a table's end: only task tables here
                out += cells
                i = end
                continue
        out.append(lines[i])
        i += 1
    return out


_PAGE_NUMBER = re.compile(r"^(?:trang|page)\s+\d{1,3}(?:\s*/\s*\d{1,3})?$")
_LONE_KEY = re.compile(r"^(?:[IVXL]{1,5}|[A-Z])$")


def _page_break(lines: list[str], i: int, header: list[str]) -> int | None:
    """Index after a page break inside the table ("Trang 2" and the header's cells again, as a PDF repeats
    them at the top of each page), or None when line i is no page break."""
    j = i + 1 if _PAGE_NUMBER.match(fold(lines[i].strip())) else i
    while j < len(lines) and not lines[j].strip():
        j += 1
    if [line.strip() for line in lines[j:j + len(header)]] == header:
        return j + len(header)
    return j if j > i else None


def _lone_key_group(lines: list[str], i: int, starts) -> tuple[str, int] | None:
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


def _numbered_group(lines: list[str], i: int, starts) -> tuple[str, int] | None:
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


def _group_title(lines: list[str], i: int, starts) -> tuple[str, int]:
    """A group row's text and the index after it: a title in capitals goes on over the lines in capitals after it
    ("I. NHÓM TIỆN ÍCH … CUNG CẤP" / "DỊCH VỤ CÔNG TRỰC TUYẾN", cut at the text width), up to a row, another group
    or a blank line."""
    title, j = [lines[i].strip()], i + 1
    while _capitals(title[0]) and j < len(lines) and lines[j].strip() and _capitals(lines[j]) \
            and not starts(lines[j]) and not is_group_title(lines[j]):
        title.append(lines[j].strip())
        j += 1
    return " ".join(title), j


_SUB_WORDS = re.compile(r"^(?:bat dau|hoan thanh|ket thuc|thuc hien|tu ngay|den ngay)$")


def _sub_header(lines: list[str], i: int, columns: int) -> tuple[list[str], int] | None:
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


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def rebuild_tables(lines: list[str]) -> list[str]:
    lines = unpipe(lines)
    width = max((len(line.strip()) for line in lines if "\t" not in line), default=0)
    out: list[str] = []
    i = 0
    while i < len(lines):
        columns = _header_at(lines, i)
        if not columns:
            out.append(lines[i])
            i += 1
            continue
        header = [line.strip() for line in lines[i:i + columns]]
        out.append("\t".join(header))
        starts = _row_start(fold(lines[i].strip()))
        i += columns
        sub = _sub_header(lines, i, columns)
        periods = sub is not None and any(c.isdigit() for c in sub[0])  # numbered periods: every cell a line
        if sub is not None:
            out.append("\t".join(sub[0]))
            i = sub[1]
        while True:
            while i < len(lines) and not lines[i].strip():
                i += 1
            if i >= len(lines):
                break
            resumed = _page_break(lines, i, header)
            if resumed is not None:
                i = resumed
                continue
            group = _lone_key_group(lines, i, starts) if not starts(lines[i]) else None
            if group is not None:
                out.append(group[0] + "\t" * (columns - 2))
                i = group[1]
                continue
            if not starts(lines[i]) and (is_group_title(lines[i]) or _is_short_group(lines, i, starts)):
                title, i = _group_title(lines, i, starts)
                out.append(title + "\t" * (columns - 1))
                continue
            numbered = _numbered_group(lines, i, starts) if not starts(lines[i]) else None
            if numbered is not None:
                out.append(numbered[0] + "\t" * (columns - 1))
                i = numbered[1]
                continue
            if not starts(lines[i]):
                break
            begin = i
            cells, i = _row(lines, i, columns, width)
            after = i
            while after < len(lines) and not lines[after].strip():
                after += 1
            counted = _counted_row(lines, begin, after, columns, width) \
                if periods and after < len(lines) and starts(lines[after]) else None
            if counted is not None:
                cells = counted
            elif after < len(lines) and not (starts(lines[after]) or is_group_title(lines[after])
                                           or _is_short_group(lines, after, starts)
                                           or _lone_key_group(lines, after, starts)
                                           or _numbered_group(lines, after, starts)
                                           or _page_break(lines, after, header) is not None):
                resume = _next_start(lines, after, starts)
                if resume is not None:  # the row ran over: a cut the width test missed
                    cells, i = _refit(lines, begin, resume, columns), resume
            out.append("\t".join(cells + [""] * (columns - len(cells))))
    return out

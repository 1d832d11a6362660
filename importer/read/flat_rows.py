"""A flattened table's rows (see flat_tables): the cells of a row, one a line, a line cut at the text width going
on onto the next; a row that ran over its columns refitted; a page break inside the table."""
from __future__ import annotations

import re

from .flat_groups import is_group_title
from .text import fold

_OPEN_END = re.compile(r"(?:,|:|\s[-–]|\b(?:va|cua|voi|cac|cho|tai|tren|ve|theo|de|trong|nhung|hoac|la))$")  # "Đài Truyền thanh -"


def _cut(text: str, following: str, width: int) -> bool:
    """Was `text` cut at the text width, with `following` its rest? The next word would not have
    fitted, and the rest starts in lowercase or the line stops on a word that cannot end a name."""
    if not text or not following:
        return False
    if len(text) + 1 + len(following.split()[0]) <= width:
        return False
    return following[:1].islower() or following[:1].isdigit() or bool(_OPEN_END.search(fold(text)))


def row_cells(lines: list[str], i: int, columns: int, width: int) -> tuple[list[str], int]:
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


def refit_row(lines: list[str], i: int, end: int, columns: int) -> list[str]:
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


def counted_row(lines: list[str], begin: int, end: int, columns: int, width: int) -> list[str] | None:
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


def shifted_row(cells: list[str], width: int) -> list[str] | None:
    """A row read to its last column with two blank lines after it, in a table whose rows are each written cell by
    cell to the last one with one blank line after: a cell cut at the text width before a capital ("… qua ứng dụng" /
    "VNeID") the width test did not join, each cell after it one column late and the last, blank, taken for the row's
    end. Two cues compete: the capital says "a new cell", the table's count of lines says "one line too many"; the
    count wins, as under numbered period columns (counted_row). The first full-width cell is joined to the next."""
    full = [j for j in range(1, len(cells) - 1) if cells[j] and cells[j + 1]
            and len(cells[j]) + 1 + len(cells[j + 1].split()[0]) > width]
    if not full:
        return None
    j = full[0]
    return cells[:j] + [f"{cells[j]} {cells[j + 1]}"] + cells[j + 2:] + [""]


def next_row_start(lines: list[str], i: int, starts, reach: int = 4) -> int | None:
    seen = 0
    while i < len(lines) and seen <= reach:
        if lines[i].strip():
            if starts(lines[i]) or is_group_title(lines[i]):
                return i
            seen += 1
        i += 1
    return None


_PAGE_NUMBER = re.compile(r"^(?:trang|page)\s+\d{1,3}(?:\s*/\s*\d{1,3})?$")


def page_break(lines: list[str], i: int, header: list[str]) -> int | None:
    """Index after a page break inside the table ("Trang 2" and the header's cells again, as a PDF repeats
    them at the top of each page), or None when line i is no page break."""
    j = i + 1 if _PAGE_NUMBER.match(fold(lines[i].strip())) else i
    while j < len(lines) and not lines[j].strip():
        j += 1
    if [line.strip() for line in lines[j:j + len(header)]] == header:
        return j + len(header)
    return j if j > i else None

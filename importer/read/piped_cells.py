"""A table copied from a law library's page: its cells one after another, a "|" line after each, turned into one
cell a line, as a flattened table is (see flat_tables)."""
from __future__ import annotations

import re

from .flat_header import header_at, is_column_name

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
        if i + 1 < len(lines) and is_column_name(lines[i]) and _PIPE.match(lines[i + 1]):
            cells, end = _pipe_cells(lines, i)
            if header_at(cells, 0, targets=False):  # cells run on past a table's end: only task tables here
                out += cells
                i = end
                continue
        out.append(lines[i])
        i += 1
    return out

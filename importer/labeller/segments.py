"""What the line labeller labels: the reader's lines as segments, a table row split into its cells.

A segment knows its line, its cell (None outside tables), and for a cell the header words of its
column (the table's first row), so that a column called "Đơn vị" or "Ai làm" reads like a lead
column in any table.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..read.text import clean_spaces


@dataclass(frozen=True)
class Segment:
    line: int  # the reader's line number
    text: str
    cell: int | None = None  # column index inside a table row
    cells: int = 0  # how many cells the row has
    header: str = ""  # the column's header text (first row of the table)
    strong: bool = False


def segments_of(lines: list) -> list[Segment]:
    """Every non-blank line as a segment; a table row as one segment per non-empty cell."""
    out: list[Segment] = []
    header: list[str] | None = None
    for line in lines:
        if line.cells is None:
            header = None
            if any(c.isalnum() for c in line.text):  # a line of only "|" or "---" carries nothing
                out.append(Segment(line.number, _flat(line.text), strong=line.strong))
            continue
        cells = [_flat(c) for c in line.cells]
        if header is None or len(header) != len(cells):
            header = cells
        for index, text in enumerate(cells):
            if text:
                out.append(Segment(line.number, text, cell=index, cells=len(cells),
                                   header=header[index] if header is not cells else "", strong=line.strong))
    return out


def _flat(text: str) -> str:
    return clean_spaces(text.replace("\n", " ").replace("\t", " ")).strip()

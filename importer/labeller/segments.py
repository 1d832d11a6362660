"""What the line labeller labels: the reader's lines as segments, a table row split into its cells.

A segment knows its line, its cell (None outside tables), and for a cell the header words of its
column (the table's first row), so that a column called "Đơn vị" or "Ai làm" reads like a lead
column in any table.
"""
from __future__ import annotations

from dataclasses import dataclass

import re

from ..read.text import clean_spaces, fold


@dataclass(frozen=True)
class Segment:
    line: int  # the reader's line number
    text: str
    cell: int | None = None  # column index inside a table row
    cells: int = 0  # how many cells the row has
    header: str = ""  # the column's header text (first row of the table)
    strong: bool = False
    row: tuple[str, ...] = ()  # a cell's whole row, empty cells kept (fields.row_timing reads its ticks)
    columns: tuple[str, ...] = ()  # the header row of a cell's table (empty for the header row itself)


def segments_of(lines: list) -> list[Segment]:
    """Every non-blank line as a segment; a table row as one segment per non-empty cell."""
    out: list[Segment] = []
    header: list[str] | None = None
    for line in lines:
        if line.cells is None:
            header = None
            if any(c.isalnum() for c in line.text):  # a line of only "|" or "---" carries nothing
                out += [Segment(line.number, part, strong=line.strong) for part in assignments(_flat(line.text))]
            continue
        cells = [_flat(c) for c in line.cells]
        if header is None or len(header) != len(cells):
            header = cells
        row, columns = tuple(cells), (tuple(header) if header is not cells else ())
        for index, text in enumerate(cells):
            if text:
                out.append(Segment(line.number, text, cell=index, cells=len(cells),
                                   header=header[index] if header is not cells else "", strong=line.strong,
                                   row=row, columns=columns))
    return out


_SENTENCE_END = re.compile(r"(?<=[.])\s+(?=[A-ZĐÀ-Ỵ])")
_ASSIGNS = re.compile(r"\bchu tri\b")


def assignments(text: str) -> list[str]:
    """A paragraph holding several sentences that each assign a task ("X chủ trì, phối hợp Y …. Z chủ trì …")
    as one part per assignment (the sentences before the first and after each stay with it); else [text]."""
    sentences = _SENTENCE_END.split(text)
    if sum(1 for s in sentences if _ASSIGNS.search(fold(s))) < 2:
        return [text]
    parts: list[str] = []
    for sentence in sentences:
        if parts and _ASSIGNS.search(fold(sentence)) and _ASSIGNS.search(fold(parts[-1])):
            parts.append(sentence)
        elif parts:
            parts[-1] += " " + sentence
        else:
            parts.append(sentence)
    return parts


def _flat(text: str) -> str:
    return clean_spaces(text.replace("\n", " ").replace("\t", " ")).strip()

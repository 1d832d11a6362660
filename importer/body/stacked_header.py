"""A header over two rows where the second arrives as a row of its own ("Phân công thực hiện | | Thời gian thực hiện |"
over "| Chủ trì | Phối hợp | Bắt đầu | Hoàn thành |", a web copy or a text export that does not repeat a merged cell):
each column named by its lower cell, or by the upper one where the lower is blank, read as one header.

Two cues compete for the second row: a row under a header is usually a task, and its cells here are all column
names. The names win when every filled cell is one and the row holds no task text, since no task is written in a
table's column words alone.
"""
from __future__ import annotations

from ..read.text import fold
from .table_header import Columns, column_name, header_row


def stacked_header(upper: list[str], lower: list[str]) -> Columns | None:
    """The columns of the two header rows read as one, or None when the lower row is not a header's second row."""
    filled = [cell for cell in lower if cell.strip()]
    if len(filled) < 2 or len(lower) != len(upper) or not all(column_name(fold(cell).strip()) for cell in filled):
        return None
    return header_row([low if low.strip() else up for up, low in zip(upper, lower)])

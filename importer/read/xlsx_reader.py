"""Read .xlsx task tables (openpyxl, read-only): one Line per non-empty row."""

from __future__ import annotations

import io
from datetime import date, datetime

from ..draft.model import EmptyDocument, UnreadableDocument
from .lines import Line, cells_line

MAX_ROWS = 20_000


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return f"{value.day}/{value.month}/{value.year}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(data: bytes) -> tuple[list[Line], list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on bad packages
        raise UnreadableDocument(f"corrupted .xlsx ({exc.__class__.__name__})") from None
    lines: list[Line] = []
    warnings: list[str] = []
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                cells = [_cell_text(v) for v in row]
                while cells and not cells[-1].strip():
                    cells.pop()
                if not any(c.strip() for c in cells):
                    continue
                if len(lines) >= MAX_ROWS:
                    warnings.append(f"more than {MAX_ROWS} rows; the rest was not read")
                    return lines, warnings
                if len([c for c in cells if c.strip()]) == 1 and cells[0].strip():  # a title row
                    lines.append(Line(len(lines) + 1, next(c for c in cells if c.strip()).strip()))
                else:
                    lines.append(cells_line(len(lines) + 1, cells))
    finally:
        book.close()
    if not lines:
        raise EmptyDocument("the workbook has no cells with text")
    return lines, warnings

"""Where a row of a borderless PDF table begins when no number column says so.

A table whose first column is its text ("Nhiệm vụ | Đơn vị chủ trì | …") gives no row numbers, and a word
processor may leave no blank between rows, so a row's first line and a wrapped line of the row above look
alike. The cells still tell them apart: cells are aligned to their row's top, so a column holding text on a line
where it held none on the line above starts a new row; and a wrapped line only follows a line that had no room
left for its first word (the line above reaches nearly the column's right edge, the widest any line of that
column reaches). A blank higher than the table's usual line pitch also parts two rows.
"""
from __future__ import annotations

ROW_GAP = 1.5  # in line pitches: a blank this high between two lines of a table parts two rows


def right_edges(lines: list[dict[int, object]]) -> dict[int, float]:
    """The rightmost end any line's piece reaches in each column: where the column wraps its text at the latest."""
    edges: dict[int, float] = {}
    for cells in lines:
        for k, piece in cells.items():
            edges[k] = max(edges.get(k, piece.x1), piece.x1)
    return edges


def _wrapped(above, piece, edge: float, space: float) -> bool:
    """Whether `piece` can be the wrapped rest of `above`: its first word did not fit after `above` in the column."""
    word = piece.text.split()[0] if piece.text.split() else ""
    width = (piece.x1 - piece.x0) * len(word) / max(1, len(piece.text))
    return above.x1 + space + width > edge - 0.5 * space


def opens_row(above: dict[int, object], cells: dict[int, object], edges: dict[int, float], space: float,
              gap: float = 0.0, pitch: float = 0.0) -> bool:
    """Whether a line whose pieces stand in `cells` (column -> piece) starts a row below the line `above`."""
    if pitch and gap > ROW_GAP * pitch:
        return True
    return any(k not in above or not _wrapped(above[k], piece, edges[k], space) for k, piece in cells.items())

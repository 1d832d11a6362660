"""Ditto cells: a table cell that only says "the same as above" ("Như trên", "nt", "-nt-", "Nt.").

Writers fill a lead or time cell with a ditto mark rather than copy the row above's words; the cell means the
previous task row's cell in the same column. A ditto with no task row above it in the same table stays as written.
"""

from __future__ import annotations

import re

_DITTO = re.compile(r"[\s\-–—\"'“”(.]*(?:như\s+trên|n\.?\s?t)[\s\-–—\"'“”).]*", re.I)


def is_ditto(cell: str) -> bool:
    return bool(cell) and _DITTO.fullmatch(cell.strip()) is not None


def repeat_dittos(cells: list[str], above: list[str] | None) -> list[str]:
    """The row's cells with each ditto cell replaced by the cell above it (the previous task row's, same column)."""
    if not above:
        return cells
    return [above[i] if i < len(above) and above[i].strip() and is_ditto(cell) else cell
            for i, cell in enumerate(cells)]

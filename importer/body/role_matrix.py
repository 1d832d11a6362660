"""Responsibility matrices: a table with a column per body ("TT | Nội dung | UBND xã | Công an xã | … | Thời gian")
whose cells give that body's part in the row ("Chủ trì", "Phối hợp", or blank).

A header has one when it names no lead column and at least two of its other cells are bodies (each opens with an
agency-type word); a row's lead is the bodies whose cell says "Chủ trì", its partners those whose cell says
"Phối hợp", in the header's order.
"""

from __future__ import annotations

import re

from ..read.text import fold
from ..vocabulary.agencies import is_head

Body = tuple[int, str]  # (column, the body the header names)

_LEAD = re.compile(r"^(?:chu tri|ct|x?\s*\(chu tri\))$")
_SUPPORT = re.compile(r"^(?:phoi hop|ph|x?\s*\(phoi hop\))$")


def body_columns(cells: list[str], named: set[int]) -> list[Body]:
    """The header's columns that name a body, not one of the columns in `named`; none unless two or more."""
    bodies = [(i, " ".join(cell.split())) for i, cell in enumerate(cells)
              if i not in named and cell.strip() and len(cell) <= 60 and is_head(cell)]
    return bodies if len(bodies) >= 2 else []


def matrix_roles(cells: list[str], bodies: list[Body]) -> tuple[list[str], list[str]]:
    """(lead, partners) of a row of a responsibility matrix."""
    marks = [(name, fold(cells[i]).strip(" .:;*") if i < len(cells) else "") for i, name in bodies]
    return [n for n, m in marks if _LEAD.match(m)], [n for n, m in marks if _SUPPORT.match(m)]

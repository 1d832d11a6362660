"""Year columns of a programme of several years: "… | 2026 | 2027 | 2028 | 2029 | 2030" with an "x" in each year a
task is carried out. The ticks give the task's span, from 1 January of the first ticked year to 31 December of the
last, as ticked quarter and month columns give theirs (`table_tasks._ticked_timing`).
"""
from __future__ import annotations

import re

from ..draft.model import Timing

_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*$")


def year_columns(cells: list[str]) -> list[tuple[int, int]]:
    """(column, year) of a header's bare-year cells, when there are two or more and each follows the one before."""
    years = [(i, int(m.group(1))) for i, cell in enumerate(cells) if (m := _YEAR.match(cell))]
    consecutive = all(b[1] == a[1] + 1 for a, b in zip(years, years[1:]))
    return years if len(years) >= 2 and consecutive else []


def ticked_years(cells: list[str], years: list[tuple[int, int]]) -> Timing | None:
    """The span of a row's ticked year columns; None when the row ticks none."""
    ticked = [year for i, year in years if i < len(cells) and cells[i].strip()]
    if not ticked:
        return None
    first, last = ticked[0], ticked[-1]
    return Timing(raw=f"{first} - {last}" if last > first else str(first), start=f"{first}-01-01", due=f"{last}-12-31")

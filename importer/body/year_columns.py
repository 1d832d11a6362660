"""Year columns of a programme of several years: "… | 2026 | 2027 | 2028 | 2029 | 2030" with an "x" in each year a
task is carried out. The ticks give the task's span, from 1 January of the first ticked year to 31 December of the
last, as ticked quarter and month columns give theirs (`table_tasks._ticked_timing`).

Year columns may hold times instead of ticks ("Năm 2026 | Năm 2027" under "Thời gian thực hiện": "Quý II/2026", or
"Triển khai" then "Hoàn thành trước 30/6/2027"): one year's cell alone is the task's time (its own date, else that
year); cells in several years run from 1 January of the first to the last cell's date (else its year's end).
"""
from __future__ import annotations

import re

from ..draft.model import Timing
from ..read.text import fold
from ..vocabulary.timing import parse_timing

_YEAR = re.compile(r"^\s*(?:nam\s+)?((?:19|20)\d{2})\s*$")
_TICK = re.compile(r"^\s*(?:x|✓|✔|v|\+)\s*$", re.I)


def year_columns(cells: list[str]) -> list[tuple[int, int]]:
    """(column, year) of a header's bare-year cells, when there are two or more and each follows the one before."""
    years = [(i, int(m.group(1))) for i, cell in enumerate(cells) if (m := _YEAR.match(fold(cell)))]
    consecutive = all(b[1] == a[1] + 1 for a, b in zip(years, years[1:]))
    return years if len(years) >= 2 and consecutive else []


def ticked_years(cells: list[str], years: list[tuple[int, int]]) -> Timing | None:
    """The span of a row's ticked year columns; None when the row ticks none."""
    ticked = [year for i, year in years if i < len(cells) and cells[i].strip()]
    if not ticked:
        return None
    written = [(year, cells[i].strip()) for i, year in years if i < len(cells) and cells[i].strip()]
    if not all(_TICK.match(cell) for _, cell in written):
        return _year_times(written)
    first, last = ticked[0], ticked[-1]
    return Timing(raw=f"{first} - {last}" if last > first else str(first), start=f"{first}-01-01", due=f"{last}-12-31")


def _year_times(written: list[tuple[int, str]]) -> Timing:
    """The time of a row whose year cells hold times (see the module's docstring)."""
    (first, first_cell), (last, last_cell) = written[0], written[-1]
    own = parse_timing(last_cell, last)[0]
    if len(written) == 1:
        if own.due or own.start or own.recurring or own.condition:
            return own
        return Timing(raw=f"năm {first}: {first_cell}", due=f"{first}-12-31")
    raw = "; ".join(f"năm {year}: {cell}" for year, cell in written)
    return Timing(raw=raw, start=f"{first}-01-01", due=own.due or f"{last}-12-31")

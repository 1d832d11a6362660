"""Targets set out as a table: "STT | Chỉ tiêu | Đơn vị tính | Kế hoạch năm 2026 | Cơ quan theo dõi".

The header says what each column means: a column "Chỉ tiêu" (or "Tên chỉ tiêu", "Nội dung chỉ tiêu") names the
target, "Đơn vị tính" / "ĐVT" its unit, and a column whose header holds a year ("Năm 2026", "Kế hoạch năm 2026",
"Chỉ tiêu đến năm 2025") its value for that year. A row whose value cell is a number is a target, one per year
column. Without a unit column or a year column the table is not read as targets (a task table names neither).
"""

from __future__ import annotations

import re

from ..body.table_header import header_row as task_header
from ..draft.model import Target
from ..read.lines import Line
from ..read.text import clean_spaces, fold

_NAME = re.compile(r"^(?:ten |noi dung )?chi tieu$")
_UNIT = re.compile(r"^(?:don vi tinh|dvt|don vi do)$")
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
_VALUE = re.compile(r"^(?:(?:tren|it nhat|toi thieu|dat)\s+)?(\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)\s*(%?)$")


def _columns(cells: list[str]) -> tuple[int, int, list[tuple[int, str]]] | None:
    """(name column, unit column, [(value column, its year)]) of a targets table's header row, or None."""
    folded = [fold(c).strip(" *:") for c in cells]
    name = next((i for i, c in enumerate(folded) if _NAME.match(c)), None)
    unit = next((i for i, c in enumerate(folded) if _UNIT.match(c)), None)
    years = [(i, m.group(1)) for i, c in enumerate(folded) if i not in (name, unit) and (m := _YEAR.search(c))
             and len(c) <= 40]
    if name is None or unit is None or not years:
        return None
    return name, unit, years


def _number(cell: str) -> int | float | None:
    m = _VALUE.match(fold(cell).strip())
    if not m:
        return None
    token = m.group(1)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):
        return int(token.replace(".", ""))
    number = float(token.replace(",", "."))
    return int(number) if number.is_integer() else number


def _cell(cells: list[str], i: int) -> str:
    return cells[i].strip() if i < len(cells) else ""


# "Mục tiêu 1: 100% thủ tục hành chính …": a group row of a task table naming the objective its tasks serve
_OBJECTIVE = re.compile(r"^(?:muc tieu|chi tieu)\s*(?:\d{1,2}|[ivx]{1,4})\s*[:.\-–]\s*(?:(?:dat|tren|it nhat|toi thieu)\s+)?"
                        r"(\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)\s*(%|phan tram)")


def _objective_row(cells: list[str], year: int | None) -> Target | None:
    """A task table's group row (one cell written) opening "Mục tiêu N:" with a percentage is a target: the value,
    of the row's year or else the plan's. Two cues compete (a group row names the tasks below it, the value says a
    target); both hold: the row stays the rows' group and gives the target too."""
    written = [c.strip() for c in cells if c.strip()]
    m = _OBJECTIVE.match(fold(written[0])) if len(written) == 1 else None
    if m is None:
        return None
    text = clean_spaces(written[0][written[0].index(":") + 1:] if ":" in written[0] else written[0]).rstrip(" .;")
    named = _YEAR.search(fold(text))
    by = named.group(1) if named else str(year) if year else None
    return Target(text=text, value=_number(m.group(1)), unit="percent", by=by)


def table_targets(lines: list[Line], year: int | None = None) -> list[Target]:
    targets: list[Target] = []
    columns = None
    tasks = False  # inside a task table (its header seen)
    for line in lines:
        if line.cells is None:
            columns = None if line.text else columns  # a paragraph ends the table
            tasks = tasks and not line.text
            continue
        header = _columns(line.cells)
        if header is not None or task_header(line.cells) is not None:
            columns = header  # a task table's header ends the targets table before it
            tasks = header is None
            continue
        objective = _objective_row(line.cells, year) if tasks else None
        if objective is not None:
            targets.append(objective)
        if columns is None:
            continue
        name, unit, years = columns
        text = clean_spaces(_cell(line.cells, name))
        for column, year in years:
            value = _number(_cell(line.cells, column))
            if text and value is not None:
                written = _cell(line.cells, unit)
                targets.append(Target(text=text, value=value, by=year,
                                      unit="percent" if written == "%" or fold(written) == "phan tram" else written or None))
    return targets

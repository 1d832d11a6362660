"""Task tables: Stt | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian …

Header rows are recognised by keywords, so column order and wording vary
freely; a second header row ("Thực hiện | Hoàn thành") splits the timing
column into start and due. Rows with text but no agency and no timing are
group rows whose text becomes the section of the rows below them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .agencies import split_agencies
from .roles import cell_roles
from .draft import DraftTask, Timing
from .lines import Line
from .tasks import merge_timings
from .text import fold
from .timing import parse_timing

_COLUMNS = [
    ("stt", re.compile(r"^(?:stt|tt|so tt|so thu tu)$")),
    ("note", re.compile(r"^ghi chu$")),
    ("lead", re.compile(r"chu tri|don vi thuc hien|co quan thuc hien|trach nhiem")),
    ("support", re.compile(r"phoi hop")),
    ("time", re.compile(r"thoi gian|thoi han|tien do|hoan thanh|moc")),
    ("content", re.compile(r"noi dung|nhiem vu|cong viec|giai phap|hoat dong")),
]
_START_WORDS = re.compile(r"^(?:thuc hien|bat dau|tu ngay|khoi cong)$")
_DUE_WORDS = re.compile(r"^(?:hoan thanh|ket thuc|den ngay|thoi han)$")
Warn = tuple[int | None, str]


@dataclass
class _Columns:
    index: dict[str, int] = field(default_factory=dict)
    start: int | None = None
    due: int | None = None


def _header(cells: list[str]) -> _Columns | None:
    cols = _Columns()
    for i, cell in enumerate(cells):
        folded = fold(cell).strip()
        if len(folded) > 60:
            continue
        for name, pattern in _COLUMNS:
            if folded and pattern.search(folded) and name not in cols.index:
                cols.index[name] = i
                break
    if {"content", "lead"} <= cols.index.keys():
        _time_pair(cells, cols)
        return cols
    return None


_START_HEADER = re.compile(r"\b(?:bat dau|tu ngay|khoi dau)\b")
_DUE_HEADER = re.compile(r"\b(?:ket thuc|hoan thanh|den ngay|thoi han)\b")


def _time_pair(cells: list[str], cols: _Columns) -> None:
    """"Thời gian bắt đầu | Thời gian kết thúc" in one header row: a start and a due column."""
    starts = [i for i, c in enumerate(cells) if _START_HEADER.search(fold(c))]
    dues = [i for i, c in enumerate(cells) if _DUE_HEADER.search(fold(c)) and i not in starts]
    if starts and dues:
        cols.start, cols.due = starts[0], dues[0]


def _subheader(cells: list[str], cols: _Columns) -> bool:
    found = False
    for i, cell in enumerate(cells):
        folded = fold(cell).strip()
        if _START_WORDS.match(folded):
            cols.start, found = i, True
        elif _DUE_WORDS.match(folded):
            cols.due, found = i, True
        elif folded:
            return False
    return found


def _cell(cells: list[str], i: int | None) -> str:
    return cells[i].strip() if i is not None and i < len(cells) else ""


def _timing(cells: list[str], cols: _Columns, year: int | None, line: int, warns: list[Warn]) -> Timing:
    parts = []
    if cols.start is not None or cols.due is not None:
        parts = [(_cell(cells, cols.start), "start"), (_cell(cells, cols.due), "auto")]
    else:
        parts = [(_cell(cells, cols.index.get("time")), "auto")]
    timings = []
    for raw, role in parts:
        if raw:
            timing, notes = parse_timing(raw, year, role)
            timings.append(timing)
            warns.extend((line, n) for n in notes)
    merged = merge_timings(timings)
    return merged if merged.raw else _note_timing(cells, cols, year, line, warns)


def _note_timing(cells: list[str], cols: _Columns, year: int | None, line: int, warns: list[Warn]) -> Timing:
    """An empty deadline cell with "Hoàn thành trong Quý III/2024" in the Ghi chú cell."""
    raw = _cell(cells, cols.index.get("note"))
    if not raw:
        return Timing()
    timing, notes = parse_timing(raw, year)
    if not (timing.due or timing.start):
        return Timing()
    warns.extend((line, n) for n in notes)
    warns.append((line, f"deadline taken from the note column: '{raw}'"))
    return timing


def _continue_row(task: DraftTask, text: str) -> None:
    task.content = f"{task.content} {text}".strip()


def _add_agencies(task: DraftTask, lead: list[str], support: list[str]) -> None:
    task.lead += [n for n in lead if n not in task.lead]
    task.support += [n for n in support if n not in task.support and n not in task.lead]


def table_tasks(lines: list[Line], year: int | None) -> tuple[list[tuple[int, DraftTask]], list[Warn]]:
    tasks: list[tuple[int, DraftTask]] = []
    warns: list[Warn] = []
    cols: _Columns | None = None
    group, group_code, unnumbered = None, None, 0
    for line in lines:
        if line.cells is None:
            if line.text:
                cols = None  # a paragraph ends the table
            continue
        header = _header(line.cells)
        if header is not None:
            cols = header
            continue
        if cols is None or _subheader(line.cells, cols):
            continue
        content = _cell(line.cells, cols.index["content"])
        stt = _cell(line.cells, cols.index.get("stt")).rstrip(".")
        lead, support = cell_roles(_cell(line.cells, cols.index["lead"]))
        support += split_agencies(_cell(line.cells, cols.index.get("support")))
        timing = _timing(line.cells, cols, year, line.number, warns)
        if not content:
            if not stt and tasks and (lead or support):
                _add_agencies(tasks[-1][1], lead, support)  # a row that only adds a second lead/support
            continue
        if not (lead or support or timing.raw):
            if not stt and tasks and content[:1].islower():
                _continue_row(tasks[-1][1], content)  # the previous row's text wrapped onto this row
                continue
            group, group_code, unnumbered = content, stt or None, 0
            continue
        if stt:
            code = f"Table.{stt}"
        else:
            unnumbered += 1
            code = f"Table.{group_code + '.' if group_code else ''}*{unnumbered}"
        if not lead:
            warns.append((line.number, f"task {code}: no lead agency in the table row"))
        task = DraftTask(code=code, section=group, content=content, lead=lead, support=support, timing=timing)
        tasks.append((line.number, task))
    return tasks, warns

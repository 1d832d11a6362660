"""Task tables: Stt | Nội dung | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian …

Header rows are read by table_header. Rows with text but no agency and no
timing are group rows whose text becomes the section of the rows below them;
a group row that is only a period ("Tháng 02/2026", "Quý II/2026", "Từ tháng 3
đến tháng 6/2026") is the time of each row below it that has none of its own,
until the next group row or the table's end; a row with agencies but no text
adds them to the task above (a merged cell).
"""

from __future__ import annotations

import calendar
from dataclasses import replace
import re

from ..vocabulary.agencies import split_agencies
from ..draft.model import DraftTask, Timing
from ..read.flat_groups import is_group_title, is_numbered_title
from ..read.lines import Line
from ..vocabulary.roles import cell_roles, labeled_roles, lead_then_partners
from .table_header import Columns, header_row, subheader_row
from .year_columns import ticked_years, year_columns
from .group_agency import group_agency
from .stacked_header import stacked_header
from .assembly import merge_timings
from .item_text import dashed_items
from .bracket_items import bracket_items
from .time_cues import closing_when, is_time
from .ditto_cells import repeat_dittos
from .role_matrix import matrix_roles
from .parent_rows import is_sub_key, parent_rows
from ..vocabulary.timing import inline_timing, parse_timing

Warn = tuple[int | None, str]


def _cell(cells: list[str], i: int | None) -> str:
    return cells[i].strip() if i is not None and i < len(cells) else ""


def _timing(cells: list[str], cols: Columns, year: int | None, line: int, warns: list[Warn]) -> Timing:
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
    if cols.years and (ticked := ticked_years(cells, cols.years)) is not None:
        return ticked  # the year columns (year_columns): all their cells, not the first one alone as the time
    if not merged.raw and cols.marks:
        return _ticked_timing(cells, cols, year, line, warns)
    return merged if merged.raw else _note_timing(cells, cols, year, line, warns)


def _ticked_timing(cells: list[str], cols: Columns, year: int | None, line: int, warns: list[Warn]) -> Timing:
    """Ticks in period columns (quarters, months, weeks with their days): from the first ticked period's first day
    to the last one's last day."""
    ticked = [(first, last) for column, first, last in cols.marks if _cell(cells, column)]
    if not ticked or year is None:
        return Timing()
    (m1, d1), (m2, d2) = ticked[0][0], ticked[-1][1]
    d2 = d2 or calendar.monthrange(year, m2)[1]
    if len(ticked) == 12 and all(first == (m, 1) and last == (m, 0) for m, (first, last) in enumerate(ticked, 1)):
        # ticked in each of the twelve month columns: done every month, with no deadline of its own. Two cues
        # compete (the first and last tick give a span, the ticks a cycle); the cycle wins for months, since a span
        # of the whole year says nothing a month tick would; four quarters ticked keep the year as their span
        warns.append((line, "timing read from the ticked period columns: every period of the year, recurring"))
        return Timing(raw=f"tháng 1 - tháng 12/{year}", recurring=True)
    if cols.weeks and len(ticked) == len(cols.marks) >= 4:
        # ticked in every week column of the table (a month's weeks): done every week, as a task ticked in every
        # month of the year is done every month; the same two cues compete and the cycle wins for the same reason
        warns.append((line, "timing read from the ticked period columns: every week of the table, recurring"))
        return Timing(raw=f"từ {d1:02d}/{m1:02d} đến {d2:02d}/{m2:02d}/{year}, hằng tuần", recurring=True)
    warns.append((line, f"timing read from the ticked period columns ({d1}/{m1}–{d2}/{m2}/{year})"))
    raw = f"tháng {m1} - tháng {m2}/{year}" if d1 == 1 and d2 == calendar.monthrange(year, m2)[1] \
        else f"từ {d1:02d}/{m1:02d} đến {d2:02d}/{m2:02d}/{year}"
    return Timing(raw=raw, start=f"{year}-{m1:02d}-{d1:02d}", due=f"{year}-{m2:02d}-{d2:02d}")


def _note_timing(cells: list[str], cols: Columns, year: int | None, line: int, warns: list[Warn]) -> Timing:
    """An empty time cell with "Hoàn thành trong Quý III/2024" or "Thường xuyên" in the Ghi chú cell."""
    raw = _cell(cells, cols.index.get("note"))
    if not raw:
        return Timing()
    timing, notes = parse_timing(raw, year)
    if not (timing.due or timing.start or timing.recurring):  # "Thường xuyên" in the note: done all along
        return Timing()
    warns.extend((line, n) for n in notes)
    warns.append((line, f"time taken from the note column: '{raw}'"))
    return timing


def _years_row(cells: list[str]) -> bool:
    """A header's second row naming only years ("| | Năm 2026 | Năm 2027 |"): two or more, every filled cell one."""
    years = year_columns(cells)
    return len(years) >= 2 and len([c for c in cells if c.strip()]) == len(years)


def _time_cells_blank(line: Line, cols: Columns) -> bool:
    columns = [cols.index.get("time"), cols.start, cols.due]
    return any(c is not None for c in columns) and not any(_cell(line.cells, c) for c in columns if c is not None)


_CELL_TIME = re.compile(r"(?:^|\s|[.;])(?:thời gian|thời hạn)(?:\s+(?:thực hiện|hoàn thành))?\s*:\s*(?P<time>[^\n]+)", re.I)


def _time_in_roles(cell: str) -> tuple[str, str | None]:
    """"Chủ trì: X\nThời gian: Quý III/2025" in one cell: (the roles, the time)."""
    m = _CELL_TIME.search(cell)
    if not m:
        return cell, None
    return (cell[: m.start()] + cell[m.end():]).strip(), m.group("time").strip(" .;")


def _paired_roles(cell: str) -> tuple[list[str], list[str]]:
    """A cell under "Chủ trì / Phối hợp": "X / Y, Z" is X leading, Y and Z coordinating."""
    lead, slash, rest = cell.partition(" / ") if " / " in cell else cell.partition("/")
    if not slash:
        return cell_roles(cell)
    return split_agencies(lead), split_agencies(rest)


def _group_lead(stt: str, text: str) -> list[str]:
    """The lead a group row names: "1. Phòng Tư pháp chủ trì" / "Công an huyện chủ trì:"."""
    body = re.sub(r"^\s*(?:[IVX]{1,5}|[A-Z]|\d{1,2})[.)]\s*", "", f"{stt} {text}".strip() if stt and not text.startswith(stt) else text)
    roles = lead_then_partners(body)
    return roles[0] if roles else group_agency(body)


def _group_timing(text: str, year: int | None, line: int, warns: list[Warn]) -> Timing | None:
    """The time a group row gives the rows below it: the row is nothing but a period."""
    if not is_time(text):
        return None
    timing, notes = parse_timing(text.strip(" :.;"), year)
    warns.extend((line, n) for n in notes)
    return timing if timing.due or timing.start or timing.recurring else None


def _continue_row(task: DraftTask, text: str) -> None:
    task.content = f"{task.content} {text}".strip()


def _add_agencies(task: DraftTask, lead: list[str], support: list[str]) -> None:
    task.lead += [n for n in lead if n not in task.lead]
    task.support += [n for n in support if n not in task.support and n not in task.lead]


def _numbered_between_rows(lines: list[Line]) -> set[int]:
    """Numbered lines written between two rows of a table as text, not as a row ("1. Nhóm tiện ích …" between
    tab-separated rows): group rows, whatever their case. Two cues compete: the item number says "a paragraph", the
    table rows on both sides say "a row of the table"; the rows win, since a paragraph ends a table and none follows."""
    text = [line for line in lines if line.cells is not None or line.text]
    return {b.number for a, b, c in zip(text, text[1:], text[2:])
            if b.cells is None and a.cells is not None and c.cells is not None and len(a.cells) == len(c.cells)
            and is_numbered_title(b.text)}


def table_tasks(lines: list[Line], year: int | None) -> tuple[list[tuple[int, DraftTask]], list[Warn]]:
    tasks: list[tuple[int, DraftTask]] = []
    warns: list[Warn] = []
    cols: Columns | None = None
    group, group_code, unnumbered = None, None, 0
    last_cols: Columns | None = None
    group_lead: list[str] = []
    group_time: Timing | None = None
    header_cells: list[str] | None = None
    under_header = False  # the row read last was a header row
    above: list[str] | None = None  # the cells of the table's last task row, for ditto cells ("Như trên", "nt")
    between = _numbered_between_rows(lines)
    parents = parent_rows([(line.number, line.cells[0]) for line in lines if line.cells])
    parent: tuple[str, list[str]] | None = None  # the parent row above (key, lead): the lead of its blank lead cells
    for line in lines:
        if line.cells is None:
            if line.text and cols is not None and (is_group_title(line.text) or line.number in between):
                group, group_code, unnumbered, group_lead = line.text, None, 0, _group_lead("", line.text)
                group_time = _group_timing(line.text, year, line.number, warns)  # a group row without its cells
            elif line.text:
                cols, group_time = None, None  # a paragraph ends the table
            continue
        header = header_row(line.cells)
        if header is not None and cols is not None and line.cells == header_cells:
            continue  # the header repeated (a table continued over a page): the columns stand as read, sub-header too
        if header is not None:
            cols, group_time, header_cells, under_header, above = header, None, line.cells, True, None
            continue
        if cols is not None and under_header and not cols.years and _years_row(line.cells):
            cols = replace(cols, years=year_columns(line.cells))  # "Năm 2026 | Năm 2027" under "Thời gian thực hiện"
            continue
        if cols is None or subheader_row(line.cells, cols):
            continue
        if under_header and (stacked := stacked_header(header_cells, line.cells)) is not None:
            cols, under_header = stacked, False  # the header's second row, a row of its own ("| Chủ trì | Bắt đầu |")
            continue
        under_header = False
        line = replace(line, cells=repeat_dittos(line.cells, above)) if above else line
        content = _cell(line.cells, cols.index["content"])
        grouped = _cell(line.cells, cols.index.get("group"))
        if grouped and grouped != group:
            # a group cell merged down over its rows ("Nhóm nhiệm vụ"): written in the first, it names their section
            group, group_code, unnumbered, group_lead, group_time = grouped, None, 0, [], None
        stt = _cell(line.cells, cols.index.get("stt")).rstrip(".")
        roles_cell, cell_time = _time_in_roles(_cell(line.cells, cols.index.get("lead")))
        lead, support = _paired_roles(roles_cell) if cols.paired else cell_roles(roles_cell)
        if cols.bodies:
            lead, support = matrix_roles(line.cells, cols.bodies)  # "Chủ trì" / "Phối hợp" under each body
        support += split_agencies(_cell(line.cells, cols.index.get("support")))
        noted = labeled_roles(_cell(line.cells, cols.index.get("note")))  # "Ghi chú: Phối hợp: X, Y"
        if noted:
            lead = lead or noted[0]
            support += [n for n in noted[1] if n not in support]
        timing = _timing(line.cells, cols, year, line.number, warns)
        if not timing.raw and cell_time:
            timing, notes = parse_timing(cell_time, year)
            warns.extend((line.number, n) for n in notes)
        if not content:
            if (len(stt) > 8 or is_time(stt)) and not (lead or support or timing.raw):
                # a group row merged across the columns: its text sits in the first one
                group, group_code, unnumbered, group_lead = stt, None, 0, _group_lead("", stt)
                group_time = _group_timing(stt, year, line.number, warns)
                continue
            if not stt and tasks and (lead or support):
                _add_agencies(tasks[-1][1], lead, support)  # a row that only adds a second lead/support
            continue
        if line.number in parents and lead and not timing.raw and stt:
            group, group_code, unnumbered, group_time, parent = content, stt, 0, None, (stt, lead)
            continue  # a parent row ("2" over "a)", "b)") with a lead and no time: a group row (parent_rows)
        if parent is not None and not is_sub_key(stt, parent[0]):
            parent = None
        if not (lead or support) and (own := bracket_items(content)) is not None:
            # a cell of dashed tasks, each closing with its roles and time in a bracket (bracket_items)
            if not stt:
                unnumbered += 1
            code = f"Table.{stt}" if stt else f"Table.{group_code + '.' if group_code else ''}*{unnumbered}"
            last_cols, above = cols, line.cells
            for k, (text, own_lead, own_support, when) in enumerate(own, 1):
                own_timing = parse_timing(when, year)[0] if when else timing
                tasks.append((line.number, DraftTask(code=f"{code}.{k}" if len(own) > 1 else code, section=group,
                                                     content=text, lead=own_lead, support=own_support,
                                                     timing=own_timing)))
            continue
        if not (lead or support or timing.raw):
            if not stt and tasks and content[:1].islower():
                _continue_row(tasks[-1][1], content)  # the previous row's text wrapped onto this row
                continue
            group, group_code, unnumbered = content, stt or None, 0
            group_lead = _group_lead(stt, content)
            group_time = _group_timing(content, year, line.number, warns)
            continue
        if stt:
            code = f"Table.{stt}"
        else:
            unnumbered += 1
            code = f"Table.{group_code + '.' if group_code else ''}*{unnumbered}"
        if not lead and parent is not None:
            lead = list(parent[1])  # a sub-row's blank lead cell: its parent row's lead
            warns.append((line.number, f"task {code}: lead taken from the parent row"))
        if not lead and support and "lead" in cols.index and not _cell(line.cells, cols.index["lead"]) and tasks \
                and tasks[-1][1].lead and cols is last_cols:
            # a lead cell merged over several rows arrives blank below its first (the partners still vary);
            # a row with both agency cells blank is an unassigned row, not a merged one
            lead = list(tasks[-1][1].lead)
            warns.append((line.number, f"task {code}: lead taken from the row above (merged cell)"))
        if not timing.raw and group_time is not None:
            timing = group_time.model_copy()  # the period of the group row above ("Tháng 02/2026")
        elif not timing.raw and tasks and cols is last_cols and tasks[-1][1].timing.raw and _time_cells_blank(line, cols):
            timing = tasks[-1][1].timing.model_copy()  # a deadline cell merged over several rows arrives blank below
            warns.append((line.number, f"task {code}: time taken from the row above (merged cell)"))
        if not lead and group_lead and "lead" not in cols.index:
            lead = list(group_lead)  # the group row above names the lead ("1. Phòng Tư pháp chủ trì")
        if not lead:
            warns.append((line.number, f"task {code}: no lead agency in the table row"))
        last_cols, above = cols, line.cells
        items = dashed_items(content)
        for k, item in enumerate(items or [content], 1):
            text, own = _item_timing(item, timing, year) if items else (content, timing)
            task = DraftTask(code=f"{code}.{k}" if len(items) > 1 else code, section=group, content=text,
                             lead=list(lead), support=list(support), timing=own)
            tasks.append((line.number, task))
    return tasks, warns


def _item_timing(item: str, row_timing: Timing, year: int | None) -> tuple[str, Timing]:
    """One dashed task of a cell that holds several ("- task (hoàn thành trong quý I/2026); - task (thường xuyên)"):
    its own time in the closing bracket or inside the sentence, else the row's."""
    closing = closing_when(item)
    if closing is not None:
        return closing[0], parse_timing(closing[1].value, year)[0]
    inline = inline_timing(item, year)
    return item, inline[0] if inline is not None and inline[0].raw else row_timing

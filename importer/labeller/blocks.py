"""Task blocks from labelled segments: a TASK_START opens a block, the field segments after it fill it.

The labeller only says which segment plays which part; the fields inside are read by the rules'
vocabulary (agency lists and role cells, timing). When that reading finds no lead, the block is handed
to the rules' own field readers as one candidate (cues in the sentence, labels on its field lines, an
agency heading above it): the labeller decides where a task begins and ends, the rules read what it says.
A block becomes a task only when it names a lead agency and the labeller is sure enough of its start:
the importer refuses rather than invents.

Reading a block's fields is in `fields`, the lines that name a scope's lead in `scopes`, the decisions on
unsure starts and field runs in `starts`.
"""
from __future__ import annotations

import re
from collections import Counter

from ..body.time_cues import is_time
from ..draft.model import DraftTask
from ..read.text import fold
from .features import ITEMS_FOLLOW as _ITEMS_FOLLOW, numbering_end
from .fields import enumerated, read_block, rules_reading
from .scopes import agency_scope, scope_roles
from .segments import Segment
from .spans import words_reading
from .starts import (SURE_OTHER, TOP, assigns, bare_field, field_line, numbering, opens_fields, rejoined,
                     repeats_field, start_styles)

MIN_START = 0.6  # marginal probability a block's start needs
RULES_READ_BLOCKS = True  # a block the labeller's own reading finds no lead in goes to the rules' field readers
FIELDS = {"LEAD", "SUPPORT", "TIME", "PRODUCT", "TASK_CONT"}


_TIME_COLUMN = re.compile(r"thoi gian|thoi han|tien do")  # a time column's cell alone on its row is that row's time
_IMPLEMENTATION = re.compile(r"^(?:to chuc thuc hien|trach nhiem thuc hien|kinh phi|che do bao cao|bao cao)\b")


_AIMS_OR_RESULTS = re.compile(r"^(?:muc dich|muc tieu|yeu cau|ket qua|tinh hinh|danh gia|can cu|pham vi)")
_AIMS_AND_TASKS = re.compile(r"^muc tieu\b.*\b(?:nhiem vu|giai phap)\b")  # "II. MỤC TIÊU, NHIỆM VỤ CỤ THỂ": tasks


def aims_or_results(top: str) -> bool:
    """Is a top heading's section the plan's aims or results ("I. MỤC ĐÍCH, YÊU CẦU", "KẾT QUẢ THỰC HIỆN NHIỆM
    VỤ"), whose items are no tasks? A section of aims and tasks ("MỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP") is not."""
    title = fold(top[numbering_end(top):]).lower()
    return bool(_AIMS_OR_RESULTS.match(title)) and not _AIMS_AND_TASKS.match(title)


def _row_fields_before(segments: list[Segment], labelled: list[tuple[str, float]], at: int) -> list[tuple[Segment, str]]:
    """The lead, partner and time cells of a task's row that stand before its text ("TT | Đầu mối | Nội dung | …"):
    a row is one task whatever the order of its columns."""
    if segments[at].cell is None:
        return []
    out = []
    for j in range(at - 1, -1, -1):
        if segments[j].line != segments[at].line:
            break
        if labelled[j][0] in ("LEAD", "SUPPORT", "TIME"):
            out.insert(0, (segments[j], labelled[j][0]))
    return out


def blocks_to_tasks(segments: list[Segment], labelled: list[tuple[str, float]], year: int | None,
                    *, min_start: float = MIN_START, words=None) -> list[tuple[int, DraftTask]]:
    """(line, task) for every block the labeller opens with enough confidence and that names a lead. `words`
    (Labeller.words) reads a block whose lines' readings find no lead from the words of its first line."""
    blocks: list[list[tuple[Segment, str]]] = []
    scopes: list[tuple[list[str], list[str]] | None] = []
    headings: list[tuple[str, str]] = []
    scope = None
    open_ = False
    heading, top = "", ""
    row_period = ""  # a table's group row that is only a period ("Tháng 02/2026"): the time of the rows below it
    per_row = Counter(s.line for s in segments if s.cell is not None)  # a group row has one non-empty cell
    segments, labelled = rejoined(segments, labelled)
    sure_styles = start_styles(segments, labelled)
    previous: tuple[Segment, str, tuple[str, str]] | None = None
    anchor = previous
    run: list[tuple[Segment, str]] = []  # field lines seen with no task open
    for at, (segment, (label, p)) in enumerate(zip(segments, labelled)):
        if segment.cell is None:
            row_period = ""  # the table ended
        elif per_row[segment.line] == 1 and not _TIME_COLUMN.search(fold(segment.header).lower()) and is_time(segment.text):
            row_period, open_ = segment.text, False  # a group row, whatever its label: no field of the row above
            previous = (segment, "OTHER", (heading, top))
            continue
        field = field_line(segment.text) if segment.cell is None else None
        if field and label == "TASK_START":
            label = field  # "- Cơ quan phối hợp: …" is a field, whatever the labeller thought
        elif label == "OTHER" and open_ and segment.cell is None:
            label = bare_field(segment.text) or label  # "Thời hạn Quý I/2026" in a task's block: its time
        if field and not open_:
            anchor = anchor if run else previous  # the line before a run of field lines
            run.append((segment, field))
            if p >= min_start and opens_fields(anchor):
                before, _, above = anchor  # a sure field line with no task above it: the line before the run is the task
                blocks.append([(before, "TASK_START")] + run[:-1])
                scopes.append(scope)
                headings.append(above)
                open_ = True
                run = []
        elif not field:
            run = []
        elif repeats_field(blocks[-1], field, previous):  # "Trách nhiệm: …" again: the line before it is a new task
            before, _, above = previous
            blocks[-1].pop()
            blocks.append([(before, "TASK_START")])
            scopes.append(scope)
            headings.append(above)
        previous = (segment, label, (heading, top))
        if label == "OTHER" and p < SURE_OTHER and segment.cell is None and numbering(segment) in sure_styles:
            label, p = "TASK_START", MIN_START  # "b) …" among sure "a) …" starts: an item like the others
        if label == "OTHER" and p < SURE_OTHER and segment.cell is None and assigns(segment.text):
            label, p = "TASK_START", MIN_START  # "Công an tỉnh: Chỉ đạo …": the sentence assigns a task
        if label == "OTHER" and open_ and segment.cell is not None and segment.line == blocks[-1][0][0].line:
            continue  # a mark or note cell of the task's own row ("X" under a month) leaves its block open
        heads = scope_roles(segment.text) if _ITEMS_FOLLOW.search(fold(segment.text).lower().rstrip(" .")) else None
        in_header_row = segment.cell is not None and not segment.header
        heads = heads or (agency_scope(segment.text) if label in ("HEADING", "OTHER") and not in_header_row else None)
        if heads or label in ("HEADING", "OTHER"):
            scope = heads or (scope if label == "OTHER" else None)
            open_ = False
            if label == "HEADING" and segment.cell is None:
                heading = segment.text
                top = segment.text if TOP.match(segment.text) else top
            continue  # "Giao X chủ trì … các nhiệm vụ sau:" heads the items below, whatever its label
        if label == "TASK_START" and segment.cell is not None and fold(segment.text) == fold(segment.header):
            label = "OTHER"  # a table's header row repeated on a new page: a column name, not a task
        if label == "TASK_START" and (p >= min_start or assigns(segment.text)):
            blocks.append([(segment, label)] + _row_fields_before(segments, labelled, at))
            scopes.append(scope)
            headings.append((row_period or heading, top) if segment.cell is not None else (heading, top))
            open_ = True
        elif label in FIELDS and open_:
            blocks[-1].append((segment, label))
        else:
            open_ = False  # a heading or other text closes the block
    out = []
    tops: list[bool] = []
    for block, scope, above in zip(blocks, scopes, headings):
        if aims_or_results(above[1]):
            continue  # items under MỤC ĐÍCH / YÊU CẦU / KẾT QUẢ / TÌNH HÌNH are aims and results, not tasks
        task = read_block(len(out) + 1, block, year, scope, above[0])
        if task is None and RULES_READ_BLOCKS:
            task = rules_reading(len(out) + 1, block, year, above)
        if task is None and words is not None:
            task = words_reading(len(out) + 1, block, year, above[0], words)
        for part in enumerated(task, year, cell=block[0][0].cell is not None) if task is not None else []:
            out.append((block[0][0].line, part.model_copy(update={"code": str(len(out) + 1)})))
            tops.append(_IMPLEMENTATION.match(fold(above[1][numbering_end(above[1]):]).lower()) is not None)
    if any(tops) and not all(tops):  # duties under TỔ CHỨC THỰC HIỆN / KINH PHÍ / BÁO CÁO, when the tasks are elsewhere
        out = [pair for pair, implementation in zip(out, tops) if not implementation]
    return out

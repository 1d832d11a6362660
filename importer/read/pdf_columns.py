"""PDF tables drawn without borders, rebuilt from where their text stands.

A word processor's table whose borders are hidden (or a page laid out in columns) leaves no lines for
pdf_tables.py to follow, and plain extraction runs its cells together: "1 Kết nối … Công an huyện Công an
huyện Quý I năm 2024". The glyph positions (pdf_glyphs.py) still show the columns: a line whose pieces stand a
column gap apart and are all column names ("STT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", …) is a header, and its
pieces' left edges are the columns. Below it, each line's runs go to the column they start in; a line with a piece in the first column opens a row (a row number
when the first column is one), a line without continues the cells of the row above (a cell wrapped in its
column), and one piece running across the columns is a group row when a row follows it. The table ends at the
first line that fits none of these; a table that runs to the page's foot carries its columns to the next page.
Rows come out tab-separated, as a .docx table would.
"""
from __future__ import annotations

from dataclasses import dataclass

import re

from .flat_header import COLUMN, MIN_COLUMNS, is_column_name, row_start
from .pdf_bands import opens_row, right_edges
from .pdf_glyphs import runs_by_line
from .pdf_scan import PageScan
from .spacing import Run, join_runs
from .text import fold


FAR = 3.0  # in font sizes: a blank this high between two lines ends the table


@dataclass
class _Piece:
    x0: float
    x1: float
    text: str


_GROUP_LABEL = re.compile(r"^(?:[IVX]{1,5}|[A-Z])\.?$")  # "I" | "NHÓM NHIỆM VỤ …": a group row in the row's cells
HEADER_GAP = 1.5  # in spaces: in a header line of short names, a gap this wide (over a word gap) parts two cells


def _pieces(line: list[Run], gap: float = HEADER_GAP) -> list[_Piece]:
    """The line cut where its runs stand more than a word gap apart."""
    groups: list[list[Run]] = [[line[0]]]
    for run in line[1:]:
        last = groups[-1][-1]
        if run.x0 - last.x1 >= gap * max(run.space, last.space):
            groups.append([run])
        else:
            groups[-1].append(run)
    return [_Piece(g[0].x0, g[-1].x1, join_runs(g).strip()) for g in groups]


@dataclass
class Columns:
    starts: list[float]
    first: str  # the first column's name, folded: what opens a row
    slack: float

    def cut(self, line: list[Run]) -> list[_Piece]:
        """The line's runs gathered by the column each starts in (a cell's line may be several runs)."""
        pieces: list[tuple[int | None, list[Run]]] = []
        for run in line:
            k = self.of(_Piece(run.x0, run.x0, ""))
            if pieces and pieces[-1][0] == k and k is not None:
                pieces[-1][1].append(run)
            else:
                pieces.append((k, [run]))
        return [_Piece(runs[0].x0, runs[-1].x1, join_runs(runs).strip()) for _, runs in pieces]

    def of(self, piece: _Piece) -> int | None:
        """The column a piece stands in, or None when it starts outside every column or runs across one."""
        for k, start in enumerate(self.starts):
            end = self.starts[k + 1] if k + 1 < len(self.starts) else float("inf")
            if start - self.slack <= piece.x0 < end - self.slack:
                return k if piece.x1 <= end + self.slack else None
        return None


_PERIOD = re.compile(r"^(?:quy\s*(?:i{1,3}|iv|[1-4])|thang\s*(?:[1-9]|1[0-2]))$")  # "Quý II", "Tháng 3": a mark column
_NUMBER_COLUMN = re.compile(r"^(?:stt|tt|so tt)$")


def _named(piece: _Piece) -> bool:
    return is_column_name(piece.text) or bool(_PERIOD.match(fold(piece.text).strip()))


def _header(pieces: list[_Piece], below: list[list[_Piece]], slack: float) -> bool:
    """A line of three or more short cells a column gap apart that are column names, all but one of them (a name
    the vocabulary lacks, "Lãnh đạo phụ trách"); or, under a number column ("TT | Việc cần làm | Ai làm | Khi nào
    xong"), any short cells when a row numbered 1 follows within three lines, its cells standing in the header's
    columns."""
    if len(pieces) < MIN_COLUMNS or not all(is_column_name(p.text) or len(p.text) <= 40 and len(p.text.split()) <= 6
                                            and not re.match(r"^(?:[IVX]{1,5}|\d{1,2}|[A-Z])[.)]\s", p.text)
                                            for p in pieces):
        return False
    named = sum(_named(p) for p in pieces)
    if named == len(pieces) or named == len(pieces) - 1 and named >= MIN_COLUMNS:
        return True
    if not _NUMBER_COLUMN.match(fold(pieces[0].text).strip()):
        return False
    starts = [p.x0 for p in pieces]
    for line in below[:3]:
        if line and line[0].text.strip() == "1" and abs(line[0].x0 - starts[0]) <= slack:
            return sum(any(abs(p.x0 - x) <= slack for x in starts[1:]) for p in line[1:]) >= MIN_COLUMNS - 1
    return False


def may_hold_header(text: str) -> bool:
    """Whether plain extraction shows what could be a header of column names run together (its cells may wrap
    over up to three lines): the glyph pass is spent only on such pages (and on those a table runs onto)."""
    lines = text.splitlines()
    for n in range(len(lines)):
        window = " ".join(lines[n:n + 3])
        names = set(re.findall(COLUMN, fold(window))) if len(window) <= 200 else set()
        if len(names) >= MIN_COLUMNS - 1 and names & {"noi dung", "nhiem vu", "cong viec"}:
            return True
        if re.match(r"(?:stt|tt|so tt)\s+\S", fold(lines[n]).strip()) and n + 1 < len(lines) \
                and re.match(r"1\s+\S", lines[n + 1].strip()):
            return True  # "TT Việc cần làm Ai làm …" over "1 Đi từng hộ …": a number column's header
    return False


def column_lines(scan: PageScan, carried: Columns | None = None) -> tuple[list[str] | None, Columns | None]:
    """The page's lines with its borderless table as tab-separated rows, and the columns to carry to the next page
    when the table runs to the page's foot; (None, None) when the page has no such table."""
    runs = scan.runs
    if not runs:
        return None, None
    lines = runs_by_line(runs)
    pieces = [_pieces(line) for line in lines]
    header = next((n for n, p in enumerate(pieces) if _header(p, pieces[n + 1:], 2 * max(r.space for r in lines[n]))),
                  None)
    if header is not None:
        space = max(r.space for r in lines[header])
        columns = Columns([p.x0 for p in pieces[header]], fold(pieces[header][0].text), 2 * space)
        body_from = header + 1
    elif carried is not None:
        columns, body_from = carried, 0
    else:
        return None, None
    opens = row_start(columns.first)
    pieces = pieces[:body_from] + [columns.cut(line) for line in lines[body_from:]]
    head = [p.text for p in pieces[header]] if header is not None else []
    rows: list[list[str]] = []
    opened = None  # the line the last row began on
    bands = _bands(lines, pieces, body_from, columns) if not _NUMBERED.search(columns.first) else None
    end = body_from
    while end < len(lines):
        if end > body_from and lines[end - 1][0].y - lines[end][0].y > FAR * lines[end][0].size:
            break  # a wide blank: the page's footer, or text after the table
        placed = [columns.of(p) for p in pieces[end]]
        group = _group_lines(pieces, end, columns, opens)
        if None not in placed:
            cells = dict(zip(placed, (p.text for p in pieces[end])))
            if 0 in cells and rows and bands is not None and not bands(end):
                for k, text in cells.items():  # the first column's text wrapped, with the row's other cells
                    rows[-1][k] = f"{rows[-1][k]} {text}".strip()
            elif 0 in cells and (opens(cells[0]) or _GROUP_LABEL.match(cells[0]) and len(cells) > 1):
                rows.append([cells.get(k, "") for k in range(len(columns.starts))])
                opened = end
            elif 0 not in cells and (rows or head):
                into = rows[-1] if rows else head  # a cell wrapped in its column (the header's too)
                for k, text in cells.items():
                    if k < len(into):
                        into[k] = f"{into[k]} {text}".strip()
            elif list(cells) == [0] and end + 1 < len(lines) and _opens_row(pieces[end + 1], columns, opens):
                rows.append([cells[0]] + [""] * (len(columns.starts) - 1))  # a short group row ("Quý II")
            else:
                break
        elif group:
            text = " ".join(pieces[end + n][0].text for n in range(group))
            rows.append([text] + [""] * (len(columns.starts) - 1))  # a group row across the columns
            end += group - 1
        else:
            break
        end += 1
    if bands is not None and opened is not None and len(rows) > 1 and not any(rows[-1][1:]) and end < len(lines) - 1:
        rows.pop()  # a heading after a table without row numbers ("II. TỔ CHỨC THỰC HIỆN"): the text below it
        end = opened
    if len(rows) < 2 and header is not None and carried is None or not rows:
        return None, None  # one row under a header is a table only where the page before ran a table onto this one
    before = [join_runs(line) for line in lines[:header if header is not None else 0]]
    table = (["\t".join(head)] if head else []) + ["\t".join(r) for r in rows]
    after = [join_runs(line) for line in lines[end:]]
    runs_on = len(after) <= 1  # only a page number or a footer line below the table
    return before + table + after, columns if runs_on else None


_NUMBERED = re.compile(r"^(?:stt|tt|so tt)$|thoi gian|thoi han|tien do")  # what row_start reads row openings from


def _bands(lines: list[list[Run]], pieces: list[list[_Piece]], body_from: int, columns: Columns):
    """For a table whose first column is text, not a number or a time: whether the line at an index opens a row
    (pdf_bands.opens_row), from the cells of the line above, each column's right edge and the table's line pitch."""
    placed = [{columns.of(p): p for p in line} for line in pieces[body_from:]]
    body = [cells for cells in placed if None not in cells]
    edges = right_edges(body)
    steps = [a[0].y - b[0].y for a, b in zip(lines[body_from:], lines[body_from + 1:]) if a[0].y > b[0].y]
    pitch = min(steps) if steps else 0.0

    def opens(at: int) -> bool:
        above, cells = placed[at - 1 - body_from], placed[at - body_from]
        return at == body_from or opens_row(above, cells, edges, max(r.space for r in lines[at]),
                                            lines[at - 1][0].y - lines[at][0].y, pitch)
    return opens


def _group_lines(pieces: list[list[_Piece]], at: int, columns: Columns, opens, most: int = 3) -> int:
    """How many lines from `at` make one group row: single pieces running across the columns (a heading wrapped
    over the table's width) with a row opening right after them; 0 when they are not one."""
    n = 0
    while n < most and at + n < len(pieces) and len(pieces[at + n]) == 1 and columns.of(pieces[at + n][0]) is None:
        n += 1
    return n if n and at + n < len(pieces) and _opens_row(pieces[at + n], columns, opens) else 0


def _opens_row(pieces: list[_Piece], columns: Columns, opens) -> bool:
    placed = [columns.of(p) for p in pieces]
    return None not in placed and 0 in placed and opens(pieces[placed.index(0)].text)

"""PDF tables rebuilt from the cell borders a word processor draws.

Text extraction loses a table's columns: each cell's wrapped lines come out one after another. A
word processor draws every cell's border, as a rectangle per cell or as line segments (thin
rectangles or lines, as Word's and LibreOffice's exports do), so the page's borders give the cells;
each text fragment goes to the cell that holds it, cells sharing a top and bottom edge form a row,
and the left edges of all cells give the columns (a cell spanning several keeps its text in the
first). Rows come out as tab-separated lines, like a .docx table; text outside the cells as lines.
Pages without such rectangles are read as plain text by the caller. On a page whose cells read
letter-spaced (a browser's print), each cell's text is rebuilt from the glyphs drawn inside its box
(pdf_glyphs: the same gap rule as the lines outside the tables).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from .pdf_glyphs import joined_lines
from .pdf_scan import PageScan
from .spacing import is_letter_spaced

MIN_CELLS = 4
TOLERANCE = 1.5


@dataclass
class _Cell:
    x: float
    y: float
    w: float
    h: float
    texts: list[tuple[float, float, str]] = field(default_factory=list)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(x0, x1, y0, y1): the cell holds a point x0 <= x <= x1 and y0 <= y <= y1, its box widened by TOLERANCE
        to the left, below and above (text drawn on a border's edge)."""
        return self.x - TOLERANCE, self.x + self.w, self.y - TOLERANCE, self.y + self.h + TOLERANCE


def _first_holders(cells: list[_Cell], points: list[tuple[float, float]]) -> list[_Cell | None]:
    """For each point, the first cell (in drawing order) that holds it, or None."""
    bounds = [(*cell.bounds, cell) for cell in cells]
    return [next((c for x0, x1, y0, y1, c in bounds if x0 <= x <= x1 and y0 <= y <= y1), None) for x, y in points]


Segment = tuple[float, float, float]  # horizontal: (y, x0, x1); vertical: (x, y0, y1)


def _collect(scan: PageScan) -> tuple[list[_Cell], list[tuple[float, float, str]]]:
    cells: list[_Cell] = []
    across: list[Segment] = []
    down: list[Segment] = []
    point = [0.0, 0.0]

    for op, args, cm, tm in scan.operators:
        if op == b"re" and len(args) == 4:
            x, y, w, h = (float(a) for a in args)
            x, y = x * cm[0] + cm[4], y * cm[3] + cm[5]
            w, h = w * cm[0], h * cm[3]
            if h < 0:
                y, h = y + h, -h
            if w > 5 and h > 5:
                cells.append(_Cell(x, y, w, h))
            elif w > 5:
                across.append((y + h / 2, x, x + w))  # a border drawn as a thin filled rectangle
            elif h > 5:
                down.append((x + w / 2, y, y + h))
        elif (op == b"m" or op == b"l") and len(args) == 2:
            x, y = float(args[0]) * cm[0] + cm[4], float(args[1]) * cm[3] + cm[5]
            if op == b"l":
                _segment(point, (x, y), across, down)
            point[:] = [x, y]
    fragments = [(tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5], text.strip()) for text, cm, tm in scan.pieces
                 if text.strip()]
    if len(cells) < MIN_CELLS:
        cells = _grid(across, down)
    return cells, fragments


def _segment(start: list[float], end: tuple[float, float], across: list[Segment], down: list[Segment]) -> None:
    (x0, y0), (x1, y1) = start, end
    if abs(y0 - y1) < 0.5 and abs(x1 - x0) > 5:
        across.append((y0, min(x0, x1), max(x0, x1)))
    elif abs(x0 - x1) < 0.5 and abs(y1 - y0) > 5:
        down.append((x0, min(y0, y1), max(y0, y1)))


def _levels(values: list[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > TOLERANCE:
            out.append(value)
    return out


def _grid(across: list[Segment], down: list[Segment]) -> list[_Cell]:
    """Cells from border segments: between two horizontal borders, a cell runs from one vertical
    border to the next one that crosses that band (a missing border is a merged cell)."""
    ys, xs = _levels([y for y, _, _ in across]), _levels([x for x, _, _ in down])
    if len(ys) < 3 or len(xs) < 3:
        return []
    cells: list[_Cell] = []
    for bottom, top in zip(ys, ys[1:]):
        middle = (bottom + top) / 2
        edges = [x for x in xs if any(abs(x - dx) <= TOLERANCE and y0 - TOLERANCE <= middle <= y1 + TOLERANCE
                                      for dx, y0, y1 in down)]
        cells += [_Cell(left, bottom, right - left, top - bottom) for left, right in zip(edges, edges[1:])]
    return cells if len(cells) >= MIN_CELLS else []


def _text_lines(fragments: list[tuple[float, float, str]]) -> list[tuple[float, str]]:
    rows: list[list[tuple[float, float, str]]] = []
    for frag in sorted(fragments, key=lambda f: (-f[1], f[0])):
        if rows and abs(rows[-1][0][1] - frag[1]) <= TOLERANCE:
            rows[-1].append(frag)
        else:
            rows.append([frag])
    return [(row[0][1], " ".join(t for _, _, t in sorted(row))) for row in rows]


def page_lines(scan: PageScan) -> list[str] | None:
    """The page's lines with its tables as tab-separated rows; None when it has no table."""
    cells, fragments = _collect(scan)
    if len(cells) < MIN_CELLS or not fragments:
        return None
    loose = []
    for frag, home in zip(fragments, _first_holders(cells, [(x, y) for x, y, _ in fragments])):
        (home.texts if home else loose).append(frag)
    columns = sorted({round(c.x) for c in cells})
    rows: dict[tuple[int, int], list[_Cell]] = {}
    for cell in cells:
        rows.setdefault((round(cell.y + cell.h), round(cell.y)), []).append(cell)
    texts = {id(cell): _extracted(cell) for cell in cells}
    if any(is_letter_spaced(text) for text in texts.values()):
        texts.update(_unspaced_cells(scan, cells, texts))
    items: list[tuple[float, str]] = list(_text_lines(loose))
    for (top, _), row in rows.items():
        out = [""] * len(columns)
        for cell in row:
            out[columns.index(round(cell.x))] = texts[id(cell)]
        if any(out):
            items.append((top, "\t".join(out)))
    return [text for _, text in sorted(items, key=lambda item: -item[0])]


def _extracted(cell: _Cell) -> str:
    """A cell's text as extraction gives it: its fragments top to bottom, left to right."""
    return " ".join(t for _, _, t in sorted(cell.texts, key=lambda f: (-f[1], f[0])))


def _unspaced_cells(scan: PageScan, cells: list[_Cell], texts: dict[int, str]) -> dict[int, str]:
    """A letter-spaced page's cells, each read from the glyph runs drawn inside its box (its lines joined by a
    space, as extraction joins them); a cell whose reading does not hold exactly its letters keeps its text."""
    runs = scan.runs or []
    by_height = sorted(range(len(runs)), key=lambda n: runs[n].y)
    heights = [runs[n].y for n in by_height]
    out: dict[int, str] = {}
    for cell in cells:
        x0, x1, y0, y1 = cell.bounds
        band = by_height[bisect_left(heights, y0):bisect_right(heights, y1)]
        inside = [runs[n] for n in sorted(band) if x0 <= runs[n].x0 <= x1 and y0 <= runs[n].y <= y1]  # drawing order
        rebuilt = " ".join(line.strip() for line in joined_lines(inside) if line.strip())
        if rebuilt and "".join(rebuilt.split()) == "".join(texts[id(cell)].split()):
            out[id(cell)] = rebuilt
    return out

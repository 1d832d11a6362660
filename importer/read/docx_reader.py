"""Read .docx paragraphs and tables in body order (python-docx).

Word's automatic list numbering is not part of the paragraph text, so the
numbers are rebuilt from numbering.xml ("a)", "1.1.", "-") and prefixed.
"""

from __future__ import annotations

import io

from ..draft.model import EmptyDocument, UnreadableDocument
from .lines import Line, cells_line, text_to_lines

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _format(fmt: str, n: int) -> str:
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return str(n)


class _Numbering:
    """Counters for Word list numbering (numId/ilvl -> "1.2." text)."""

    def __init__(self, document) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(_W + "abstractNumId"): a for a in root.iter(_W + "abstractNum")}
        for num in root.iter(_W + "num"):
            ref = num.find(_W + "abstractNumId")
            definition = abstract.get(ref.get(_W + "val")) if ref is not None else None
            for lvl in definition.iter(_W + "lvl") if definition is not None else []:
                fmt, text, start = _lvl_info(lvl)
                self.levels[(num.get(_W + "numId"), int(lvl.get(_W + "ilvl", "0")))] = (fmt, text, start)

    def label(self, paragraph) -> str:
        numpr = _numpr(paragraph)
        if numpr is None or numpr.numId is None:
            return ""
        num_id = str(numpr.numId.val)
        ilvl = int(numpr.ilvl.val) if numpr.ilvl is not None else 0
        fmt, text, start = self.levels.get((num_id, ilvl), ("decimal", f"%{ilvl + 1}.", 1))
        if fmt == "bullet":
            return "- "
        counts = self.counters.setdefault(num_id, [0] * 9)
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else start
        counts[ilvl + 1:] = [0] * (8 - ilvl)
        for level in range(9):
            level_fmt = self.levels.get((num_id, level), ("decimal", "", 1))[0]
            text = text.replace(f"%{level + 1}", _format(level_fmt, max(counts[level], 1)))
        return text + " " if text else ""


def _numpr(paragraph):
    """List numbering set on the paragraph or inherited from its style."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return ppr.numPr
    style = paragraph.style
    while style is not None:
        sppr = style.element.pPr
        if sppr is not None and sppr.numPr is not None:
            return sppr.numPr
        style = style.base_style
    return None


def _lvl_info(lvl) -> tuple[str, str, int]:
    def val(tag: str, default: str) -> str:
        node = lvl.find(_W + tag)
        return node.get(_W + "val", default) if node is not None else default

    return val("numFmt", "decimal"), val("lvlText", ""), int(val("start", "1") or 1)


def read_docx(data: bytes) -> tuple[list[Line], list[str]]:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on bad packages
        raise UnreadableDocument(f"corrupted .docx ({exc.__class__.__name__})") from None
    numbering = _Numbering(document)
    lines: list[Line] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block, len(lines)))
            continue
        text = block.text
        if text.strip():
            text = numbering.label(block) + text
        for line in text_to_lines(text) or [Line(0, "")]:
            lines.append(Line(len(lines) + 1, line.text, line.cells, line.strong or _bold(block)))
    if not any(line.text.strip() for line in lines):
        raise EmptyDocument("the .docx has no text (no paragraphs or table cells)")
    return lines, []


def _bold(paragraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


def _table_lines(table, offset: int) -> list[Line]:
    out: list[Line] = []
    for row in table.rows:
        seen: set[int] = set()
        cells: list[str] = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                cells.append("")  # horizontally merged: keep the column position
                continue
            seen.add(id(cell._tc))
            cells.append("\n".join(p.text.strip() for p in cell.paragraphs if p.text.strip()))
        out.append(cells_line(offset + len(out) + 1, cells))
    return out

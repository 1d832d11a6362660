"""The reader output: numbered lines, some of them table rows.

Markdown decoration (headings, bold, italics, escapes, pipe tables) is
removed here so that every layout parser sees plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import clean_spaces, nfc

MAX_LINE_CHARS = 20_000


@dataclass
class Line:
    number: int  # 1-based position in the extracted text
    text: str
    cells: list[str] | None = None  # set for table rows
    strong: bool = False  # whole line was a heading or bold

    @property
    def is_blank(self) -> bool:
        return not self.text and not self.cells


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")


def _strip_markdown(raw: str) -> tuple[str, bool]:
    text = raw
    heading = bool(_MD_HEADING.match(text))
    text = _MD_HEADING.sub("", text)
    stripped = text.strip()
    strong = stripped.startswith("**") and stripped.rstrip(".:").endswith("**")
    text = text.replace("**", "").replace("__", "")
    if _MD_HEADING.match(text):  # "**### Nhiệm vụ 1 – …**": a heading inside bold markers
        heading = True
        text = _MD_HEADING.sub("", text)
    bullet = re.match(r"^\s*\*\s+", text)
    head = "* " if bullet else ""
    body = text[bullet.end():] if bullet else text
    body = body.replace("*", "")
    text = _ESCAPE.sub(r"\1", head + body)
    return clean_spaces(text.lstrip("> ")), strong or heading


_BREAK = re.compile(r"<br\s*/?>", re.I)


def _cell(raw: str) -> str:
    """A cell's text; an HTML line break inside it becomes a newline (as in .docx cells)."""
    parts = [clean_spaces(_strip_markdown(p)[0]) for p in _BREAK.split(raw)]
    return "\n".join(p for p in parts if p)


def _cells(raw: str) -> list[str] | None:
    if raw.count("\t") >= 2:
        return [_cell(c) for c in raw.split("\t")]
    stripped = raw.strip()
    if stripped.startswith("|") and stripped.count("|") >= 3:
        inner = stripped.strip("|")
        return [_cell(c) for c in inner.split("|")]
    return None


def text_to_lines(text: str) -> list[Line]:
    """Plain text or Markdown to Lines; tab or pipe separated rows become cells."""
    lines: list[Line] = []
    for number, raw in enumerate(nfc(text).splitlines(), start=1):
        raw = raw[:MAX_LINE_CHARS]
        if _MD_TABLE_SEP.match(raw) and "-" in raw and "|" in raw:
            continue
        cells = _cells(raw)
        if cells is not None:
            lines.append(Line(number, "\t".join(cells), cells=cells))
            continue
        clean, strong = _strip_markdown(raw)
        lines.append(Line(number, clean, strong=strong))
    return lines


def cells_line(number: int, cells: list[str]) -> Line:
    cleaned = [clean_spaces(nfc(c or ""))[:MAX_LINE_CHARS] for c in cells]
    return Line(number, "\t".join(cleaned), cells=cleaned)


_NUMBERED = re.compile(r"^(?:[IVX]{1,5}|\d{1,3}(?:\.\d{1,3})*|[a-zđ])[.)]\s")


def _heading(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def prose(lines: list[Line]) -> str:
    """The text lines as one text, one paragraph a line: a line after one that closes its sentence (".", ":", ";")
    or is a heading (upper case, bold), a numbered line, and a table row or blank line start a new paragraph; a
    wrapped line goes on after a space."""
    out: list[str] = []
    previous: Line | None = None
    for line in lines:
        if line.cells is not None or not line.text:
            out.append("\n")
            previous = None
            continue
        closed = previous is None or previous.text.rstrip().endswith((".", ":", ";")) or previous.strong \
            or _heading(previous.text) or bool(_NUMBERED.match(line.text))
        out.append(("\n" if closed else " ") + line.text)
        previous = line
    return "".join(out)

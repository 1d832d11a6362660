"""A web page's HTML source pasted as text (a portal's editor, "view source", a saved page): its tables become
pipe rows, its block elements line breaks, before any other step reads the text.

A row (<tr> … </tr>, on one line or spread over many) becomes "| cell | cell |" with each cell's own line
breaks kept as <br> (the pipe-table reader turns them into a cell's lines, as a .docx cell has them); a cell
spanning several columns ("colspan") keeps the columns after it in place with empty cells. Outside tables,
<p>, <div>, <li>, <h1>…<h6> and <br> end a line, and a line wholly in <strong> is marked as
Markdown marks bold (a heading). Inline tags and entities are left to markup.strip_markup.
"""
from __future__ import annotations

import re

_ROW = re.compile(r"<tr\b[^<>]{0,200}>(.*?)</tr\s*>", re.I | re.S)
_CELL = re.compile(r"<t([dh])\b([^<>]{0,200})>(.*?)</t\1\s*>", re.I | re.S)
_SPAN = re.compile(r"colspan\s*=\s*[\"']?(\d{1,2})", re.I)
_BLOCK = re.compile(r"</?(?:p|div|li|ul|ol|h[1-6]|table|tbody|thead|tr)\b[^<>]{0,200}>|<br\s*/?>", re.I)
_PARAGRAPH_END = re.compile(r"</(?:p|div|li|h[1-6])\s*>", re.I)
_WHOLLY_BOLD = re.compile(r"^<(strong|b)>(.*)</\1>$", re.I | re.S)
_HAS_MARKUP = re.compile(r"<(?:p|div|table|tr|td|br|li|h[1-6])\b", re.I)


def looks_like_html(lines: list[str]) -> bool:
    """Several lines carry block-level tags: the text is HTML source, not a page's visible text. A Markdown table row
    whose only tag is <br> (a line break inside a cell, as converters write it) is not HTML source."""
    return sum(1 for line in lines[:400] if _HAS_MARKUP.search(line) and not _pipe_row_breaks(line)) >= 5


def _pipe_row_breaks(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("|") and stripped.endswith("|") and not _HAS_MARKUP.search(_BREAKS.sub("", stripped))


_BREAKS = re.compile(r"<br\s*/?>", re.I)


def _cell_text(raw: str) -> str:
    parts = [p.strip() for p in _BLOCK.split(raw.replace("\n", " "))]
    return "<br>".join(p for p in parts if p and p != "&nbsp;").replace("|", "/")


def _row(raw: str) -> str:
    cells: list[str] = []
    for _, attributes, inner in _CELL.findall(raw):
        cells.append(_cell_text(inner))
        span = _SPAN.search(attributes)
        cells += [""] * (min(int(span.group(1)), 20) - 1 if span else 0)
    return "| " + " | ".join(cells) + " |" if cells else ""


def _text(raw: str) -> list[str]:
    """Lines outside tables; a line wholly in <strong>/<b> is marked bold as Markdown marks it (a heading)."""
    parts = (part.strip() for part in _BLOCK.split(_PARAGRAPH_END.sub("\n", raw).replace("\n", "<br>")))
    return [_WHOLLY_BOLD.sub(r"**\2**", part) for part in parts]


def html_to_lines(lines: list[str]) -> list[str]:
    """The lines of HTML source as the lines its page shows; other text is returned unchanged."""
    if not looks_like_html(lines):
        return lines
    source = "\n".join(lines)
    out: list[str] = []
    cursor = 0
    for row in _ROW.finditer(source):
        out += [t for t in _text(source[cursor:row.start()]) if t]
        out.append(_row(row.group(1)))
        cursor = row.end()
    out += [t for t in _text(source[cursor:]) if t]
    return [line for line in out if line]

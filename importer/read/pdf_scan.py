"""One pass over a PDF page's content stream, kept for every reading of the page.

pypdf parses a page's content stream and runs its text extraction anew on every extract_text call, and a page
may be read four ways (its drawn tables, its plain text, its borderless columns, its glyph positions). So the
pass is made once: the plain text pypdf extracts, every operator a reader replays with the graphics and text
matrices it was met under, and every piece of text pypdf reports with its matrices. The readers replay what they need from it
(pdf_tables: borders and text pieces; pdf_glyphs: the text-showing operators), and the page's glyph runs are
worked out once, on first use.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

Matrix = tuple[float, float, float, float, float, float]
# What the readers replay: pdf_tables the borders (re, m, l), pdf_glyphs the text state and what moves the pen
REPLAYED = frozenset({b"re", b"m", b"l", b"Tf", b"Tc", b"Tw", b"Tz", b"Tj", b"TJ", b"'", b'"',
                      b"BT", b"Td", b"TD", b"Tm", b"T*"})
PLACING = frozenset({b"re", b"m", b"l", b"Tj", b"TJ"})  # the replayed operators that read the matrices


@dataclass(eq=False)
class PageScan:
    page: object  # the pypdf page: its font resources give the glyph widths
    text: str  # pypdf's plain extraction
    # (operator, operands, cm, tm) for each REPLAYED operator; the matrices (copies: pypdf moves tm in place) only
    # for those PLACING something, () for the others
    operators: list[tuple[bytes, list, Matrix | tuple[()], Matrix | tuple[()]]] = field(repr=False)
    pieces: list[tuple[str, Matrix, Matrix]] = field(repr=False)  # (text, cm, tm) as pypdf reports its pieces

    @cached_property
    def runs(self):
        """The page's glyph runs (pdf_glyphs.Run), or None when its operators cannot be followed."""
        from .pdf_glyphs import follow_runs

        return follow_runs(self)


def scan_page(page) -> PageScan:
    """The page's one pass through pypdf's extraction (its errors pass through to the caller)."""
    operators: list[tuple[bytes, list, Matrix | tuple[()], Matrix | tuple[()]]] = []
    pieces: list[tuple[str, Matrix, Matrix]] = []

    def on_operator(op, args, cm, tm) -> None:
        if op in PLACING:
            operators.append((op, args, tuple(cm), tuple(tm)))
        elif op in REPLAYED:
            operators.append((op, args, (), ()))

    def on_text(text, cm, tm, font, size) -> None:
        pieces.append((text, tuple(cm), tuple(tm)))

    text = page.extract_text(visitor_operand_before=on_operator, visitor_text=on_text)
    return PageScan(page, text or "", operators, pieces)

"""A PDF page's text rebuilt from where its glyphs are drawn, for letter-spaced pages.

Browsers' and some printers' PDFs draw glyphs one by one or in short runs with a gap between them
(letter spacing, a fallback font for the Vietnamese letters). Plain extraction then cannot tell a letter
gap from a word gap: "trên ứng" comes out "tr ê n ứ ng". Here every text-showing operator becomes a run
(x0, x1, baseline, text): its start from the text matrix, its width from the font's glyph widths; the
runs of a line are then joined by spacing.join_runs, which compares each gap with the line's letter gap.
Only the operators that matter for placing text on a line are followed (Tf, Tc, Tw, Tz, Tj, TJ), replayed
from the page's one pass (pdf_scan.PageScan); anything unexpected gives None and the caller keeps the plain
extraction.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .spacing import Run, join_runs

if TYPE_CHECKING:
    from .pdf_scan import PageScan

class _Fonts:
    """The page's fonts as pypdf reads them: glyph codes to text, codes to widths (1/1000 em)."""

    def __init__(self, page) -> None:
        from pypdf.generic._font import Font  # the widths pypdf's own extraction uses (pypdf is pinned)

        self._font = Font
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else {}
        fonts = resources.get("/Font") if hasattr(resources, "get") else None
        self._resources = fonts.get_object() if fonts is not None else {}
        self._cache: dict = {}

    def get(self, name):
        if name not in self._cache:
            self._cache[name] = self._font.from_font_resource(self._resources[name].get_object())
        return self._cache[name]


def _codes(font, raw) -> str:
    data = raw.original_bytes if hasattr(raw, "original_bytes") else bytes(raw)
    if isinstance(font.encoding, str):
        return data.decode(font.encoding, "replace")
    return "".join(font.encoding.get(b, chr(b)) if isinstance(font.encoding, dict) else chr(b) for b in data)


def _text_and_width(font, codes: str, char_spacing: float, word_spacing: float) -> tuple[str, float]:
    """Unicode text and advance (in text-space units of a 1-point font, before the font size) of a code string."""
    widths = font.character_widths
    default = widths.get("default", 500)
    text, advance = [], 0.0
    for code in codes:
        char = font.character_map.get(code, code)
        char = char if isinstance(char, str) else str(char)
        text.append(char)
        width = font.space_width if char == " " else widths.get(code, default)
        advance += width / 1000 + char_spacing + (word_spacing if char == " " else 0.0)
    return "".join(text), advance


def follow_runs(scan: PageScan) -> list[Run] | None:
    """Every run of text on the page with its horizontal extent, or None when the page cannot be followed (read
    through PageScan.runs, which keeps them)."""
    try:
        fonts = _Fonts(scan.page)
    except ImportError:  # a pypdf without the font class this reads widths from: plain extraction only
        return None
    try:
        return _Pen(fonts).follow(scan.operators)
    except (KeyError, ValueError, TypeError, AttributeError, IndexError, ZeroDivisionError):
        return None


class _Pen:
    """The text state the runs depend on, moved operator by operator."""

    def __init__(self, fonts: _Fonts) -> None:
        self.fonts, self.font, self.size, self.tc, self.tw, self.tz = fonts, None, 0.0, 0.0, 0.0, 1.0
        self.at, self.advance = None, 0.0  # the (cm, tm) the pen last restarted at, and how far it has moved since
        self.runs: list[Run] = []

    def follow(self, operators) -> list[Run] | None:
        for op, args, cm, tm in operators:
            if op == b"Tj" or op == b"TJ":
                if args:
                    self.shows(op, args, cm, tm)
            elif op == b"Tf":
                if len(args) == 2:
                    self.font, self.size = self.fonts.get(args[0]), float(args[1])
            elif op == b"Tc":
                if args:
                    self.tc = float(args[0])
            elif op == b"Tw":
                if args:
                    self.tw = float(args[0])
            elif op == b"Tz":
                if args:
                    self.tz = float(args[0]) / 100
            elif op in _MOVES:
                self.at = None
            elif op in _QUOTES:
                return None  # ' and " move to the next line first: such pages are left to the plain extraction
        return self.runs

    def shows(self, op: bytes, args, cm, tm) -> None:
        key = (tuple(cm), tuple(tm))
        if self.at != key:  # a new position: the pen restarts at the text matrix
            self.at, self.advance = key, 0.0
        for item in (args[0] if op == b"TJ" else [args[0]]):
            if isinstance(item, (int, float)):
                self.advance -= float(item) / 1000 * self.size * self.tz
            else:
                self.show(item, cm, tm)

    def show(self, raw, cm, tm) -> None:
        font = self.font
        if font is None:
            raise ValueError("text before a font")
        size = self.size
        scale_x = tm[0] * cm[0]
        text, advance = _text_and_width(font, _codes(font, raw), self.tc / max(size, 1e-6), self.tw / max(size, 1e-6))
        x0 = (tm[4] * cm[0] + cm[4]) + self.advance * scale_x
        width = advance * size * self.tz * scale_x
        y = tm[5] * cm[3] + cm[5]
        if text:
            self.runs.append(Run(x0, x0 + width, y, text, max(size * abs(tm[3] * cm[3]), 1e-6),
                                 font.space_width / 1000 * size * self.tz * scale_x))
        self.advance += width / scale_x if scale_x else 0.0


_MOVES = frozenset({b"BT", b"Td", b"TD", b"Tm", b"T*"})
_QUOTES = frozenset({b"'", b'"'})


def runs_by_line(runs: list[Run]) -> list[list[Run]]:
    """Runs grouped by baseline, top to bottom, each line's runs left to right."""
    lines: list[list[Run]] = []
    for run in sorted(runs, key=lambda r: (-r.y, r.x0)):
        if lines and abs(lines[-1][0].y - run.y) <= 0.5 * run.size:
            lines[-1].append(run)
        else:
            lines.append([run])
    return [sorted(line, key=lambda r: r.x0) for line in lines]


def joined_lines(runs: list[Run]) -> list[str]:
    """Lines of text, top to bottom, each joined from its runs by their gaps (spacing.join_runs)."""
    return [join_runs(line) for line in runs_by_line(runs)]


def positioned_lines(scan: PageScan) -> list[str] | None:
    """The page's lines, top to bottom, each joined from its runs by their gaps; None if it cannot be read so."""
    return joined_lines(scan.runs) if scan.runs else None

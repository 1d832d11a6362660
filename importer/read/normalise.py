"""Text normalisation that runs before any layout logic, one step per module:
html_source.html_to_lines (HTML source pasted as text), markup.strip_markup (entities, tags, rules, empty cells,
bullets) and markup.cut_page_tail (a web page's related-news list), spacing.repair_spacing (letters spaced apart),
flat_tables.rebuild_tables (tables that arrive one cell a line), scan_marks.without_scan_marks (a scan's line-end
hyphens and page numbers), wrapping.rejoin (hard-wrapped lines)."""
from __future__ import annotations

from .flat_tables import rebuild_tables
from .html_source import html_to_lines
from .markup import cut_page_tail, strip_markup
from .scan_marks import without_scan_marks
from .spacing import document_is_spaced, repair_spacing
from .wrapping import looks_hard_wrapped, rejoin


def normalise_lines(raw_lines: list[str], *, wrapped: bool | None = None) -> list[str]:
    """`wrapped`: True for PDF text (always hard-wrapped), None to decide from the text itself."""
    lines = cut_page_tail([strip_markup(line) for line in html_to_lines(raw_lines)])
    spaced = document_is_spaced(lines)
    lines = [repair_spacing(line, document_spaced=spaced) for line in lines]
    lines = without_scan_marks(rebuild_tables(lines))  # after the tables: a row's number cell stays a cell
    if wrapped:
        return rejoin(lines)
    if wrapped is None and looks_hard_wrapped(lines):
        return rejoin(lines, capitals=False, measured=True)
    return lines


def normalise_text(text: str, *, wrapped: bool | None = None) -> str:
    return "\n".join(normalise_lines(text.splitlines(), wrapped=wrapped))

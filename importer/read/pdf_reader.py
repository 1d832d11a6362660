"""Read PDFs with a text layer (pypdf): drop page furniture, undo hard wraps."""

from __future__ import annotations

import io
import re
from collections import Counter

from ..draft.model import EmptyDocument, UnreadableDocument
from .lines import Line, text_to_lines
from .normalise import normalise_text
from .pdf_columns import Columns, column_lines, may_hold_header
from .pdf_glyphs import positioned_lines
from .pdf_scan import PageScan, scan_page
from .pdf_tables import page_lines
from .spacing import is_letter_spaced
from .text import nfc

MAX_PAGES = 400
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:trang\s*)?\d{1,4}(?:\s*(?:/|của)\s*\d{1,4})?(?:\s*-)?\s*$", re.I)


def read_pdf(data: bytes) -> tuple[list[Line], list[str]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("the PDF is password-protected: open it with its password, save or print it "
                                         "to a PDF without one and import that")
        pages, carried = [], None
        for page in reader.pages[:MAX_PAGES]:
            text, carried = _page_text(scan_page(page), carried)
            pages.append(text)
    except UnreadableDocument:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise UnreadableDocument(f"corrupted PDF ({exc.__class__.__name__}): the file is damaged or cut short; "
                                 "export it again") from None
    warnings = [f"only the first {MAX_PAGES} pages were read"] if len(reader.pages) > MAX_PAGES else []
    if not "".join(pages).strip():
        raise EmptyDocument("the PDF has no text layer (a scanned image?): OCR it first (e.g. ocrmypdf, or open it "
                            "in Word) and import the result")
    text = normalise_text("\n".join(_strip_furniture([nfc(p).splitlines() for p in pages])), wrapped=True)
    return text_to_lines(text), warnings


def _strip_furniture(pages: list[list[str]]) -> list[str]:
    """Drop page numbers and header/footer lines repeated on many pages, or on every page after the first (a
    running header a word processor leaves off the first page)."""
    edges = Counter()
    for page in pages:
        stripped = [ln.strip() for ln in page if ln.strip()]
        edges.update(set(stripped[:2] + stripped[-2:]))
    later = Counter()
    for page in pages[1:]:
        stripped = [ln.strip() for ln in page if ln.strip() and "\t" not in ln]
        later.update(set(stripped[:1] + stripped[-1:]))
    repeated = {t for t, n in edges.items() if len(pages) >= 3 and n >= max(3, len(pages) // 2)}
    repeated |= {t for t, n in later.items() if len(pages) >= 3 and n == len(pages) - 1}
    out: list[str] = []
    for page in pages:
        for line in page:
            text = line.rstrip(" \r")  # trailing tabs are empty table cells
            if _PAGE_NUMBER.match(text) or text.strip() in repeated:
                continue
            out.append(text)
    return out


def _page_text(scan: PageScan, carried: Columns | None = None) -> tuple[str, Columns | None]:
    """Tables rebuilt from their cell borders where the page has them; a table without borders from where its
    text stands (its columns carried to the next page when it runs on); a letter-spaced page's words parted by
    its glyph positions; plain extraction otherwise. Any reading from positions must hold the same letters. All
    of them from the page's one pass (pdf_scan)."""
    rebuilt = page_lines(scan)
    if rebuilt is not None:
        return "\n".join(_unspaced(scan, rebuilt)), None
    text = scan.text
    positioned, columns = column_lines(scan, carried) if carried or may_hold_header(text) else (None, None)
    if positioned is not None and _letters(positioned) == _letters([text]):
        return "\n".join(positioned), columns
    if any(is_letter_spaced(line) for line in text.splitlines()):
        positioned = positioned_lines(scan)
        if positioned is not None and _letters(positioned) == _letters([text]):
            return "\n".join(positioned), None
    return text, None


def _unspaced(scan: PageScan, lines: list[str]) -> list[str]:
    """A page rebuilt from its drawn tables: each letter-spaced line outside the tables becomes the line its glyph
    positions give that holds exactly the same letters (a line without such a twin stays as extracted)."""
    if not any("\t" not in line and is_letter_spaced(line) for line in lines):
        return lines
    twins: dict[str, str] = {}
    for line in positioned_lines(scan) or []:
        twins.setdefault("".join(line.split()), line)
    return [twins.get("".join(line.split()), line) if "\t" not in line and is_letter_spaced(line) else line
            for line in lines]


def _letters(lines: list[str]) -> Counter:
    """What two readings of a page must both hold, whatever their spacing and line order."""
    return Counter(ch for line in lines for ch in line if not ch.isspace())

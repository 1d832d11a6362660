"""Read PDFs with a text layer (pypdf): drop page furniture, undo hard wraps."""

from __future__ import annotations

import io
import re
from collections import Counter

from ..draft.model import EmptyDocument, UnreadableDocument
from .lines import Line, text_to_lines
from .text import nfc

MAX_PAGES = 400
_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:trang\s*)?\d{1,4}(?:\s*(?:/|của)\s*\d{1,4})?(?:\s*-)?\s*$", re.I)
_BREAKS = re.compile(r"^\s*(?:[IVXLC]+[.)]|\d{1,3}(?:\.\d{1,3})*[.)]|[a-zđ][.)]|\(\d{1,3}\)|[-+*•–])\s")
_LABEL = re.compile(r"^\s*(?:-\s*)?(?:cơ quan|đơn vị|thời gian|thời hạn|chủ trì|phối hợp|số:|căn cứ|nơi nhận)", re.I)
_END = tuple(".:;!?")


def read_pdf(data: bytes) -> tuple[list[Line], list[str]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("the PDF is password-protected")
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PAGES]]
    except UnreadableDocument:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise UnreadableDocument(f"corrupted PDF ({exc.__class__.__name__})") from None
    warnings = [f"only the first {MAX_PAGES} pages were read"] if len(reader.pages) > MAX_PAGES else []
    if not "".join(pages).strip():
        raise EmptyDocument("the PDF has no text layer (scanned image?); OCR it first")
    text = "\n".join(_reflow(_strip_furniture([nfc(p).splitlines() for p in pages])))
    return text_to_lines(text), warnings


def _strip_furniture(pages: list[list[str]]) -> list[str]:
    """Drop page numbers and header/footer lines repeated on many pages."""
    edges = Counter()
    for page in pages:
        stripped = [ln.strip() for ln in page if ln.strip()]
        edges.update(set(stripped[:2] + stripped[-2:]))
    repeated = {t for t, n in edges.items() if len(pages) >= 3 and n >= max(3, len(pages) // 2)}
    out: list[str] = []
    for page in pages:
        for line in page:
            text = line.rstrip()
            if _PAGE_NUMBER.match(text) or text.strip() in repeated:
                continue
            out.append(text)
    return out


def _reflow(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines back into paragraphs."""
    lengths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    width = lengths[int(len(lengths) * 0.9)] if lengths else 80
    out: list[str] = []
    for line in lines:
        text = line.strip()
        if not text:
            out.append("")
            continue
        prev = out[-1] if out else ""
        if prev and _continues(prev, text, width):
            out[-1] = prev + " " + text
        else:
            out.append(text)
    return out


def _continues(prev: str, text: str, width: int) -> bool:
    if prev.endswith(_END) or _BREAKS.match(text) or _LABEL.match(text):
        return False
    if prev.isupper() != text.isupper():
        return False
    return len(prev) >= 0.6 * width or text[:1].islower()

"""A tiny PDF writer for tests: text lines with a ToUnicode map (any script).

pypdf cannot write text, so the tests build PDFs by hand: Helvetica glyphs,
one byte per character, and a ToUnicode CMap that maps each byte back to the
Vietnamese character, which is what text extraction reads.
"""

from __future__ import annotations


def _cmap(chars: list[str]) -> bytes:
    entries = [f"<{i + 1:02X}> <{ord(ch):04X}>" for i, ch in enumerate(chars)]
    blocks = []
    for start in range(0, len(entries), 100):
        chunk = entries[start:start + 100]
        blocks.append(f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar")
    body = (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    )
    return body.encode("ascii")


def make_pdf(pages: list[list[str]]) -> bytes:
    """Each page is a list of text lines, written top to bottom."""
    chars = sorted({ch for page in pages for line in page for ch in line})
    if len(chars) > 254:
        raise ValueError("too many distinct characters for a one-byte font")
    code = {ch: i + 1 for i, ch in enumerate(chars)}
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    def stream(data: bytes) -> bytes:
        return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"

    cmap = add(stream(_cmap(chars)))
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode %d 0 R >>" % cmap)
    page_ids = []
    pages_id = len(objects) + 2 * len(pages) + 1
    for page in pages:
        ops = []
        for n, line in enumerate(page):
            hexed = "".join(f"{code[ch]:02X}" for ch in line)
            ops.append(f"BT /F1 10 Tf 40 {800 - 14 * n} Td <{hexed}> Tj ET")
        content = add(stream("\n".join(ops).encode("ascii")))
        page_ids.append(add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] " % pages_id
            + b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font, content)
        ))
    kids = " ".join(f"{i} 0 R" for i in page_ids).encode()
    add(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(pages))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


def wrap(text: str, width: int = 90) -> list[str]:
    """Hard-wrap a paragraph the way PDF exports do (trailing space kept)."""
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current + " ")
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    return lines

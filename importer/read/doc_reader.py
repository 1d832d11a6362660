"""Read Word 97-2003 documents (.doc) through Debian's antiword, the converter the Makefile installs.

antiword writes the document as DocBook XML (`-x db`): paragraphs, bold runs, tables (each merged row a
tgroup of its own) and lists whose items carry no number, only the list's kind. Here that becomes the lines a
.docx gives: paragraphs as lines (bold when all their text is), table rows as cells padded to the table's
width, and each list item prefixed with the label Word shows for its kind ("1.", "a)", "I.", "-"). A table antiword
does not recognise (as with some tables of seven or more columns LibreOffice writes) comes out as one paragraph of
its cells each closed by "|"; its rows are rebuilt from those marks (marked_rows). List levels are not in
antiword's output: a multi-level list reads as one list.

antiword runs as a separate process on a copy of the upload, with a time limit and a cap on what it may
print; where it is not installed, or fails, the caller gets a one-line reason with the way out.
"""
from __future__ import annotations

import os
import re
import selectors
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET

from ..draft.model import EmptyDocument, UnreadableDocument
from .docx_reader import _roman
from .lines import Line, cells_line, text_to_lines
from .text import nfc

ANTIWORD_SECONDS = 20.0
MAX_OUTPUT_BYTES = 64 * 1024 * 1024
WAY_OUT = "open it in Word or LibreOffice, save it as .docx and import that"
_LABELS = {
    "arabic": lambda n: f"{n}.",
    "loweralpha": lambda n: f"{chr(ord('a') + (n - 1) % 26)})",
    "upperalpha": lambda n: f"{chr(ord('A') + (n - 1) % 26)}.",
    "lowerroman": lambda n: f"{_roman(n)}.",
    "upperroman": lambda n: f"{_roman(n).upper()}.",
}


def read_doc(data: bytes) -> tuple[list[Line], list[str]]:
    """The .doc's lines, as read_docx gives a .docx's. Raises UnreadableDocument with the way out."""
    return docbook_lines(_docbook(data))


_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML: a page break (form feed) and the like


def docbook_lines(xml: bytes) -> tuple[list[Line], list[str]]:
    """antiword's DocBook XML to Lines (control characters a Word file may carry read as spaces)."""
    try:
        root = ET.fromstring(_CONTROL.sub(b" ", xml))
    except ET.ParseError as exc:
        raise UnreadableDocument(f"Word 97-2003 document (.doc) that antiword read into malformed text ({exc}): "
                                 f"{WAY_OUT}") from None
    lines = _Lines()
    lines.walk(root)
    if not any(line.text.strip() for line in lines.out):
        raise EmptyDocument("the .doc has no text (no paragraphs or table cells)")
    return lines.out, []


def _docbook(data: bytes) -> bytes:
    """antiword's DocBook XML of the document; UnreadableDocument when antiword is absent, fails or overruns."""
    exe = shutil.which("antiword")
    if exe is None:
        raise UnreadableDocument("Word 97-2003 document (.doc), which this server cannot read (no converter, antiword, "
                                 f"is installed): {WAY_OUT}")
    with tempfile.TemporaryDirectory(prefix="tiendo-doc-") as folder:
        path = os.path.join(folder, "plan.doc")
        with open(path, "wb") as handle:
            handle.write(data)
        with open(os.path.join(folder, "stderr"), "w+b") as errors:
            code, out = _run([exe, "-x", "db", path], errors, home=folder)
            errors.seek(0)
            said = errors.read(2000).decode("utf-8", "replace")
    if code != 0:
        problem = " ".join(said.split())[:160] or f"exit status {code}"
        if "ncrypt" in problem:
            raise UnreadableDocument("the .doc is password-protected: open it in Word with its password, remove the "
                                     "password, save it as .docx and import that")
        raise UnreadableDocument(f"Word 97-2003 document (.doc) that antiword could not read ({problem}): {WAY_OUT}")
    return out


def _run(command: list[str], errors, *, home: str, seconds: float = ANTIWORD_SECONDS,
         limit: int = MAX_OUTPUT_BYTES) -> tuple[int, bytes]:
    """Run command (HOME a private folder, nothing else from the environment but PATH); its exit status and stdout,
    at most `limit` bytes within `seconds`, else it is killed and UnreadableDocument raised."""
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors,
                               env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home})
    deadline = time.monotonic() + seconds
    late = UnreadableDocument(f"Word 97-2003 document (.doc) that antiword did not convert within {seconds:g} s: "
                              f"{WAY_OUT}")
    chunks, size = [], 0
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise late
                if not selector.select(left):
                    continue
                chunk = os.read(process.stdout.fileno(), 65536)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise UnreadableDocument(f"Word 97-2003 document (.doc) whose text runs past {limit:,} bytes: "
                                             f"{WAY_OUT}")
                chunks.append(chunk)
            try:  # its output closed: it is exiting (not killed here, or a good run would read as a failure)
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                raise late from None
        finally:
            if process.poll() is None:
                process.kill()
            process.stdout.close()
            process.wait()
    return process.returncode, b"".join(chunks)


def _text(element, skip=("informaltable", "table", "orderedlist", "itemizedlist")) -> tuple[str, bool, str]:
    """An element's own text (its tables and lists left out), whether all of it is bold, and its bold text."""
    parts: list[tuple[str, bool]] = []

    def visit(node, bold: bool) -> None:
        if node.text:
            parts.append((node.text, bold))
        for child in node:
            if child.tag not in skip:
                visit(child, bold or child.tag == "emphasis" and child.get("role") == "bold")
            if child.tail:
                parts.append((child.tail, bold))

    visit(element, False)
    text = "".join(t for t, _ in parts)
    seen = [b for t, b in parts if t.strip()]
    return nfc(text.strip("\n")), bool(seen) and all(seen), nfc("".join(t for t, b in parts if b))


def marked_rows(text: str) -> tuple[list[list[str]], str] | None:
    """A table antiword did not take for one, written as its cells' text each closed by "|" and each row closed by
    one more "|" ("STT |Nội dung |Quý I | |1 |Rà soát |x | |…"), maybe with the next paragraph run on after it: its
    rows and that text, or None. The columns are the fewest for which every row ends in an empty mark and the first
    row (the header) has no empty cell."""
    tokens = [t.strip() for t in text.split("|")]
    body, tail = tokens[:-1], tokens[-1]
    for n in range(2, min(len(body) // 2, 60)):
        if len(body) % (n + 1) or len(body) // (n + 1) < 2 or not all(body[:n]):
            continue
        rows = [body[k:k + n + 1] for k in range(0, len(body), n + 1)]
        if all(row[-1] == "" for row in rows):
            return [row[:-1] for row in rows], tail
    return None


class _Lines:
    """DocBook elements, in document order, to Lines."""

    def __init__(self) -> None:
        self.out: list[Line] = []
        self.counts: dict[int, int] = {}

    def walk(self, node, depth: int = 0, label: str = "") -> None:
        for child in node:
            if child.tag in ("para", "title", "simpara"):
                self.paragraph(child, label)
                label = ""
                for table in child.iter("informaltable"):
                    self.table(table)
                for inner in child:
                    if inner.tag in ("orderedlist", "itemizedlist"):
                        self.items(inner, depth)
            elif child.tag in ("informaltable", "table"):
                self.table(child)
            elif child.tag in ("orderedlist", "itemizedlist"):
                self.items(child, depth)
            elif child.tag not in ("bookinfo", "colspec"):
                self.walk(child, depth, label)

    def items(self, listing, depth: int) -> None:
        numbered = _LABELS.get(listing.get("numeration", ""), _LABELS["arabic"])
        n = self.counts.get(depth, 0) if listing.get("continuation") == "continues" else 0
        for item in listing.findall("listitem"):
            n += 1
            self.walk(item, depth + 1, "- " if listing.tag == "itemizedlist" else f"{numbered(n)} ")
        self.counts[depth] = n

    def paragraph(self, node, label: str) -> None:
        text, bold, bold_text = _text(node)
        if not text.strip():
            return
        table = marked_rows(text) if text.count("|") >= 6 else None
        if table is not None:
            rows, text = table
            self.rows(rows)
            bold = bool(text) and text in bold_text
            if not text:
                return
        for line in text_to_lines(label + text.strip()):
            self.out.append(Line(len(self.out) + 1, line.text, line.cells, line.strong or bold))

    def table(self, table) -> None:
        self.rows([[_cell_text(entry) for entry in row.findall("entry")] for row in table.iter("row")])

    def rows(self, rows: list[list[str]]) -> None:
        width = max((len(r) for r in rows), default=0)
        for row in rows:
            self.out.append(cells_line(len(self.out) + 1, row + [""] * (width - len(row))))


def _cell_text(entry) -> str:
    """A cell's lines, its paragraphs' blank lines dropped, as the .docx reader joins them."""
    text = "\n".join(t for t in ("".join(entry.itertext())).splitlines() if t.strip())
    return nfc(text)

"""Read Word 97-2003 documents (.doc) through Debian's antiword, the converter the Makefile installs.

antiword writes the document as DocBook XML (`-x db`): paragraphs, bold runs, tables (each merged row a
tgroup of its own) and lists whose items carry no number, only the list's kind. Here that becomes the lines a
.docx gives: paragraphs as lines (bold when all their text is), table rows as cells padded to the table's
width, and each list item prefixed with the label Word shows for its kind ("1.", "a)", "I.", "-"). A table antiword
does not recognise (as with some tables of seven or more columns LibreOffice writes) comes out as one paragraph of
its cells each closed by "|"; its rows are rebuilt from those marks (marked_rows). List levels are not in
antiword's output: where the document has lists, wvWare (Debian's wv) is asked for them (doc_levels), and when its
items are antiword's one for one, each item is labelled by its level as Word shows a multi-level list ("1.",
"1.1.", "a)"); without wvWare, or when it fails or disagrees, a multi-level list reads as one list.

The converters run as separate processes on a copy of the upload, with a time limit and a cap on what they may
print (wvWare also on its memory: it can run away on a table antiword reads well); where antiword is not
installed, or fails, the caller gets a one-line reason with the way out.
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
from .doc_levels import ListItem, list_items
from .docx_reader import _roman
from .lines import Line, cells_line, text_to_lines
from .text import nfc

ANTIWORD_SECONDS = 20.0
MAX_OUTPUT_BYTES = 64 * 1024 * 1024
WVWARE_SECONDS = 5.0
WVWARE_MEMORY_KB = 128 * 1024  # its address space: a list-level pass needs a few MB
WVWARE_FILTER = "/usr/share/wv/wvHtml.xml"  # the HTML filter Debian's wv ships
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
    xml = _docbook(data)
    return docbook_lines(xml, _wvware_items(data) if b"<listitem" in xml else None)


_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML: a page break (form feed) and the like


def docbook_lines(xml: bytes, levelled: list[ListItem] | None = None) -> tuple[list[Line], list[str]]:
    """antiword's DocBook XML to Lines (control characters a Word file may carry read as spaces); list items
    labelled by their levels where `levelled` (wvWare's items) holds antiword's items, one for one."""
    try:
        root = ET.fromstring(_CONTROL.sub(b" ", xml))
    except ET.ParseError as exc:
        raise UnreadableDocument(f"Word 97-2003 document (.doc) that antiword read into malformed text ({exc}): "
                                 f"{WAY_OUT}") from None
    lines = _Lines(_level_labels(list(root.iter("listitem")), levelled or []))
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


def _wvware_items(data: bytes) -> list[ListItem] | None:
    """The document's list items with their levels, from wvWare's HTML; None without wvWare or when it fails,
    overruns its time, output or memory (the reading then keeps antiword's flat lists)."""
    exe = shutil.which("wvWare")
    if exe is None or not os.path.exists(WVWARE_FILTER):
        return None
    with tempfile.TemporaryDirectory(prefix="tiendo-doc-") as folder:
        path = os.path.join(folder, "plan.doc")
        with open(path, "wb") as handle:
            handle.write(data)
        capped = ["/bin/sh", "-c", f'ulimit -v {WVWARE_MEMORY_KB} && exec "$@"', "sh",
                  exe, "-x", WVWARE_FILTER, "--charset=utf-8", "--nographics", "-d", folder, path]
        with open(os.path.join(folder, "stderr"), "w+b") as errors:
            try:
                code, out = _run(capped, errors, home=folder, seconds=WVWARE_SECONDS, limit=MAX_OUTPUT_BYTES // 4)
            except UnreadableDocument:
                return None
    return list_items(out.decode("utf-8", "replace")) if code == 0 else None


def _level_labels(items: list, levelled: list[ListItem]) -> dict:
    """antiword's list items (DocBook elements) to the labels their levels give ("1.", "1.1.", "a)", "-"), when
    wvWare's items are the same items (as many, each with the same letters). Only the runs of items (no text
    between them) that hold an item below the first level are labelled so: each level counted from 1 under its
    parent, a decimal item under a decimal parent numbered after it ("1.1."); other runs keep antiword's numbers."""
    if len(items) != len(levelled) or not any(item.level for item in levelled):
        return {}
    if any("".join(_text(item)[0].split()) != nfc(wv.letters) for item, wv in zip(items, levelled)):
        return {}
    runs: list[list[tuple[object, ListItem]]] = []
    for item, wv in zip(items, levelled):
        if wv.after_text or not runs:
            runs.append([])
        runs[-1].append((item, wv))
    labels = {}
    for run in runs:
        if not any(wv.level for _, wv in run):
            continue
        counts: list[int] = []
        above: list[str] = []  # the label at each level over the current item
        for item, wv in run:
            counts = (counts + [0] * (wv.level + 1))[:wv.level + 1]
            counts[wv.level] += 1
            own = "-" if wv.kind == "bullet" else _LABELS[wv.kind](counts[wv.level])
            parent = above[wv.level - 1] if 0 < wv.level <= len(above) else ""
            outline = wv.kind == "arabic" and re.fullmatch(r"(?:\d+\.)+", parent)
            labels[item] = f"{parent}{counts[wv.level]}." if outline else own
            above = (above + [""] * (wv.level + 1))[:wv.level] + [labels[item]]
    return labels


def _run(command: list[str], errors, *, home: str, seconds: float = ANTIWORD_SECONDS,
         limit: int = MAX_OUTPUT_BYTES) -> tuple[int, bytes]:
    """Run command in a private folder (its HOME and working folder; nothing else from the environment but PATH);
    its exit status and stdout, at most `limit` bytes within `seconds`, else it is killed and UnreadableDocument
    raised."""
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, cwd=home,
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

    def __init__(self, labels: dict | None = None) -> None:
        self.out: list[Line] = []
        self.counts: dict[int, int] = {}
        self.labels = labels or {}  # list item -> the label its level gives (_level_labels)

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
            label = "-" if listing.tag == "itemizedlist" else numbered(n)
            self.walk(item, depth + 1, f"{self.labels.get(item, label)} ")
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

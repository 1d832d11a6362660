"""Bytes + filename -> Lines. Sniffs the real format from the content.

Supported: plain text / Markdown (UTF-8, UTF-16 with or without BOM,
Windows-1258), .docx, .pdf with a text layer, .xlsx, and Word 97-2003 .doc
where antiword is installed (doc_reader.py). Anything else raises
UnreadableDocument with a one-line reason.
"""

from __future__ import annotations

import codecs
import io
import zipfile
import zlib

from ..draft.model import EmptyDocument, InputTooLarge, UnreadableDocument
from .containers import check_container
from .lines import Line, text_to_lines
from .normalise import normalise_text
from .quoted_points import unquote_points
from .text import nfc

MAX_INPUT_BYTES = 10 * 1024 * 1024


def read_document(data: bytes, filename: str) -> tuple[list[Line], list[str]]:
    """Return the document's lines and reader warnings."""
    lines, notes = _read(data, filename)
    return unquote_points(lines), notes


def _read(data: bytes, filename: str) -> tuple[list[Line], list[str]]:
    if len(data) > MAX_INPUT_BYTES:
        raise InputTooLarge(
            f"file is {len(data) / 1e6:.1f} MB; the importer reads at most {MAX_INPUT_BYTES // (1024 * 1024)} MB"
        )
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise EmptyDocument("the file is empty")
    if data.startswith(b"%PDF"):
        from .pdf_reader import read_pdf

        return read_pdf(data)
    if data.startswith(b"PK\x03\x04"):
        return _read_zip(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        if _stream_named(data, "WordDocument") and not _stream_named(data, "EncryptedPackage"):
            from .doc_reader import read_doc

            return read_doc(data)
        raise UnreadableDocument(_compound_file_reason(data))
    if filename.lower().endswith((".docx", ".xlsx", ".pdf")):
        raise UnreadableDocument(f"{filename} is not a valid {filename.rsplit('.', 1)[-1]} file (corrupted?)")
    return text_to_lines(normalise_text(decode_text(data))), []


def _stream_named(data: bytes, name: str) -> bool:
    """An OLE compound file's directory names its streams in UTF-16."""
    return name.encode("utf-16-le") + b"\0\0" in data


def _compound_file_reason(data: bytes) -> str:
    """The one-line reason an OLE compound file (Office's pre-2007 container) is refused, with the way out."""
    if _stream_named(data, "EncryptedPackage"):
        return ("the document is password-protected (an encrypted Office file): open it in Word or Excel, remove the "
                "password (File > Info > Protect), save it and import that")
    if _stream_named(data, "WordDocument"):
        return ("Word 97-2003 document (.doc), which the importer does not read: open it in Word or LibreOffice, "
                "save it as .docx and import that")
    if _stream_named(data, "Workbook") or _stream_named(data, "Book"):
        return ("Excel 97-2003 workbook (.xls), which the importer does not read: open it in Excel or LibreOffice, "
                "save it as .xlsx and import that")
    return ("legacy Word 97-2003 / Excel binary file (.doc/.xls): open it in Word or LibreOffice "
            "and save it as .docx or .xlsx, then import that")


def _read_zip(data: bytes) -> tuple[list[Line], list[str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        check_container(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error) as exc:
        raise UnreadableDocument(f"corrupted zip container ({exc.__class__.__name__}): the .docx/.xlsx is damaged or "
                                 "cut short; save it again from Word or Excel") from None
    if "word/document.xml" in names:
        from .docx_reader import read_docx

        return read_docx(data)
    if "xl/workbook.xml" in names:
        from .xlsx_reader import read_xlsx

        return read_xlsx(data)
    raise UnreadableDocument("zip file that is neither .docx nor .xlsx")


def _utf16_without_bom(sample: bytes) -> str | None:
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0) / max(1, len(sample[0::2]))
    odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def decode_text(data: bytes) -> str:
    """Decode a text file: BOMs, UTF-16 without BOM, UTF-8, then Windows-1258."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return _checked(data, encoding)
    utf16 = _utf16_without_bom(data[:4096])
    if utf16:
        return _checked(data, utf16)
    if b"\x00" in data[:65536]:
        raise UnreadableDocument("binary file, not text, .docx, .pdf or .xlsx")
    try:
        return _checked(data, "utf-8")
    except UnicodeDecodeError:
        return _checked(data, "cp1258")


def _checked(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding == "utf-8":
            raise
        raise UnreadableDocument(f"cannot decode the text as {encoding}") from None
    text = nfc(text)
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    if controls > max(3, len(text[:65536]) // 100):
        raise UnreadableDocument("binary file, not text, .docx, .pdf or .xlsx")
    return text

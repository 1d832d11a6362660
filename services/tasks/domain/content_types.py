"""What a file is, by its content (magic bytes), and whether that is what its name says."""
from __future__ import annotations

import io
import zipfile

from schemas.rejections import Invalid

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OLE = "application/x-ole-storage"  # .doc and .xls of old Office
BY_EXTENSION = {"pdf": PDF, "png": PNG, "jpg": JPEG, "jpeg": JPEG, "docx": DOCX, "xlsx": XLSX, "doc": OLE, "xls": OLE}
NAMES = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG", DOCX: "Word (.docx)", XLSX: "Excel (.xlsx)", OLE: "Word/Excel 97–2003"}


def detect(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            return DOCX if any(n.startswith("word/") for n in names) else XLSX if any(n.startswith("xl/") for n in names) else None
    return None


def checked_type(filename: str, data: bytes) -> str:
    """The media type of an attachment whose content is what its name says; refused otherwise."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    expected = BY_EXTENSION.get(extension)
    if expected is None:
        raise Invalid(f"attachments may be {', '.join(sorted(BY_EXTENSION))}; not {filename!r}", field="file")
    found = detect(data)
    if found != expected:
        what = NAMES[found] if found else "not a known document type"
        raise Invalid(f"{filename!r} is named as {NAMES[expected]} but its content is {what}", field="file")
    return found

"""Limits on zip containers (.docx, .xlsx) before any XML is parsed.

A small file can unpack to a huge one (a 677 KB .docx holding 190 MB of XML): the declared sizes
are checked first (total, each XML part, compression ratio), then each XML part is decompressed
in chunks up to its cap, so a header that lies about its size is caught as well.
"""
from __future__ import annotations

import zipfile

from ..draft.model import InputTooLarge

MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_XML_PART_BYTES = 16 * 1024 * 1024
MAX_RATIO = 200
_CHUNK = 1024 * 1024


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def check_container(archive: zipfile.ZipFile) -> None:
    """Raise InputTooLarge when the container unpacks beyond the caps."""
    infos = archive.infolist()
    if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
        raise InputTooLarge(f"the document unpacks to more than {MAX_UNZIPPED_BYTES // (1024 * 1024)} MB; refused")
    for info in infos:
        if not _is_xml(info.filename):
            continue
        if info.file_size > MAX_XML_PART_BYTES:
            raise InputTooLarge(f"{info.filename} unpacks to {info.file_size / 1e6:.0f} MB of XML "
                                f"(at most {MAX_XML_PART_BYTES // (1024 * 1024)} MB); refused")
        if info.file_size > _CHUNK and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise InputTooLarge(f"{info.filename} is compressed {info.file_size // max(1, info.compress_size)}:1 "
                                "(a zip bomb?); refused")
        _measure(archive, info)


def _measure(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    read = 0
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            read += len(chunk)
            if read > MAX_XML_PART_BYTES:
                raise InputTooLarge(f"{info.filename} unpacks to more XML than its header says; refused")

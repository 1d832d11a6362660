"""Marks a scanned-then-OCR'd or printed text leaves between its lines: a hyphen the typesetter or the OCR put where
a line breaks inside a term ("Công-" / "an tỉnh", "dịch vụ-" / "công"), and a page number alone between blank lines
in the middle of the text ("…", "", "2", "", "- Phối hợp: …").

Vietnamese writes its syllables apart, so a hyphen glued to a word at a line's end, the next line opening in lower
case, is no part of the text: the two lines are one phrase with a space. A dash after a space ("… địa chính -" /
"nông nghiệp") is the text's own and stays. A number alone between blank lines, outside the table rows already
rebuilt (tab-separated), is the page's, not the text's: a list's number is followed by its item on the same or the
next line, not by a blank one.
"""
from __future__ import annotations

import re

_CUT = re.compile(r"(?<=[^\W\d_])-$")
_PAGE = re.compile(r"^\d{1,3}$")


def without_scan_marks(lines: list[str]) -> list[str]:
    """The lines with line-end hyphens inside a term and lone page numbers taken out."""
    out = [_unhyphenated(line, _next_text(lines, i)) for i, line in enumerate(lines)]
    return [line for i, line in enumerate(out) if not _page_number(out, i)]


def _next_text(lines: list[str], i: int) -> str:
    return next((line.strip() for line in lines[i + 1:] if line.strip()), "")


def _unhyphenated(line: str, following: str) -> str:
    text = line.rstrip()
    if "\t" in line or not _CUT.search(text) or not following[:1].islower():
        return line
    return text[:-1]


def _page_number(lines: list[str], i: int) -> bool:
    if not _PAGE.match(lines[i].strip()) or i == 0 or i + 1 >= len(lines):
        return False
    return not lines[i - 1].strip() and not lines[i + 1].strip()

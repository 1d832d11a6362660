"""Footnotes: "¹ Theo Công văn số 125/VP-UBND …" below a list is a note on the item marked "¹", not a line of the
last item, nor a task. Only marks a footnote line defines are taken out of the text ("… công xã¹, hoàn thành …"),
so a unit's superscript ("1.000 m²") stays.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..read.lines import Line

_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_FOOTNOTE = re.compile(rf"^([{_SUPERSCRIPTS}]{{1,3}})\s+\S")


def without_footnotes(lines: list[Line]) -> list[Line]:
    """The lines without their footnotes, and the items without the marks that point to them."""
    marks = {m.group(1) for line in lines if line.cells is None and (m := _FOOTNOTE.match(line.text))}
    if not marks:
        return lines
    pointer = re.compile(rf"(?<=\w)(?:{'|'.join(map(re.escape, sorted(marks, key=len, reverse=True)))})(?![{_SUPERSCRIPTS}])")
    return [replace(line, text=pointer.sub("", line.text)) if line.cells is None else line
            for line in lines if line.cells is not None or not _FOOTNOTE.match(line.text)]

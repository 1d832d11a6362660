"""Blocks of field lines whose task is itself a field: "- Nhiệm vụ: …", "- Đơn vị thực hiện: …", "- Thời gian: …"
in any order, one block after another. The walker gives a block the fields written before its "Nhiệm vụ:" line."""

from __future__ import annotations

import re

from ..read.lines import Line
from .structure import Label, parse_labels

_CONTENT_FIELD = re.compile(r"^[-–+•*]?\s*(?:nhiệm vụ|nội dung(?:\s+(?:công việc|nhiệm vụ))?|công việc)\s*:\s*\S", re.I)


def field_blocks(text: list[Line]) -> tuple[set[int], set[int]]:
    """(the "Nhiệm vụ:" lines, the field lines that open a block): a run of field lines just before a "Nhiệm vụ:"
    line belongs to that line's block, not to the item above it."""
    fields = [line.cells is None and bool(parse_labels(line.text)) for line in text]
    content = {line.number for line in text if line.cells is None and _CONTENT_FIELD.match(line.text)}
    starts: set[int] = set()
    for i, line in enumerate(text):
        if not fields[i] or (i and fields[i - 1]):
            continue
        j = i
        while j < len(text) and fields[j]:
            j += 1
        if j < len(text) and text[j].number in content:
            starts.add(line.number)
    return content, starts


def field_key(label: Label) -> str:
    """Fields of one kind: a second of a kind the block has begins the next block (a start and a due are two)."""
    return {"exec": "lead"}.get(label.kind, label.kind) + ("-start" if label.role == "start" else "")


def field_row(line: Line) -> Line | None:
    """A two-cell table row whose first cell is a field's label ("Đơn vị chủ trì", "Thời hạn"), as a field line."""
    cells = [c.strip() for c in line.cells or [] if c.strip()]
    if len(cells) != 2 or cells[0].endswith(":") or len(cells[0].split()) > 5:
        return None
    text = f"{cells[0]}: {cells[1]}"
    return Line(line.number, text, None, line.strong) if parse_labels(text) else None

"""Tables that arrive flattened, one cell a line (copied out of Word or a web page into text).

Placeholder step: rebuild_tables returns the lines unchanged until the rebuild is written.
"""
from __future__ import annotations


def rebuild_tables(lines: list[str]) -> list[str]:
    return lines

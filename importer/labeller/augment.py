"""More training sequences from the corpus, each keeping its reading true: the same segments and labels in a
layout the reader may give on a plan nobody has seen, where a table's rebuilding went wrong.

    flattened  every table cell a line of its own (a table that arrives one cell per line and is not rebuilt)
    headless   the cells keep their row but their column's header is lost (a header row the reader dropped,
               misplaced or shifted: the cell is read from what it says, not from where it stands)

A segment keeps its label: a lead cell is still the lead on a line of its own. Renditions without tables give
nothing (their sequence would only be repeated). Numbering restarted per group is not among them: a line's
features see its numbering's style, never its value, so such a copy would be the same sequence again.
"""
from __future__ import annotations

from dataclasses import replace

from .segments import Segment

AUGMENTATIONS = ("flattened", "headless")


def flattened(segments: list[Segment]) -> list[Segment]:
    """Each cell on a line of its own, outside any table; other segments keep their lines' grouping."""
    out: list[Segment] = []
    line = 0
    for i, segment in enumerate(segments):
        if i == 0 or segment.cell is not None or segment.line != segments[i - 1].line or segments[i - 1].cell is not None:
            line += 1
        out.append(Segment(line, segment.text, strong=segment.strong))
    return out


def headless(segments: list[Segment]) -> list[Segment]:
    """The cells without their column's header (row and cell index kept)."""
    return [replace(s, header="", columns=()) if s.cell is not None else s for s in segments]


def augmented(segments: list[Segment], labels: list[str]) -> list[tuple[list[Segment], list[str]]]:
    """The copies of one labelled rendition (AUGMENTATIONS, in that order); none when it has no table."""
    if not any(s.cell is not None for s in segments):
        return []
    return [(flattened(segments), list(labels)), (headless(segments), list(labels))]

"""Parent rows: a numbered table row whose next row is keyed as its sub-row ("2" over "a)", "b)"; "1" over "1.1").

A parent row naming a lead and no time is a group row: its text is the section of its sub-rows and its lead leads each
sub-row whose lead cell is blank. Two cues compete there (the agency cell says "a task", the sub-rows under it say "a
heading over tasks"); the sub-rows win, since the work they share is what they carry out, each with its own time.
"""

from __future__ import annotations

import re

_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*$")
_LETTER = re.compile(r"^[a-zđ][.)]?$")


def is_sub_key(key: str, parent: str) -> bool:
    """Is `key` a sub-row's key under the row keyed `parent` ("a)" or "2.1" under "2")?"""
    key, parent = key.strip().rstrip("."), parent.strip().rstrip(".")
    return bool(_NUMBER.match(parent)) and (bool(_LETTER.match(key)) or key.startswith(parent + "."))


def parent_rows(keys: list[tuple[int, str]]) -> set[int]:
    """The line numbers of the parent rows among a table's rows, given as (line number, key) in order."""
    return {n for (n, key), (_, below) in zip(keys, keys[1:]) if key and is_sub_key(below, key)}

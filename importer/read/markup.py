"""Leftovers of web pages and converters, removed before any layout logic.

HTML entities (&nbsp; &amp; &#7871;), horizontal rules (* * *, ---, ___, ═══), empty cell markers
(a pipe cell holding only &nbsp;, -, or nothing), and stray tags (<b>, <span …>). Bold and italic
markers and pipe tables are handled where lines are built (lines.py), because bold marks a heading.
"""
from __future__ import annotations

import html
import re

_RULE = re.compile(r"^\s*(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,}|[═─━=]{3,})\s*$")
_TAG = re.compile(r"</?(?:b|i|u|strong|em|span|p|div|font|sup|sub)(?:\s[^<>]{0,200})?>", re.I)
_EMPTY_CELL = re.compile(r"(?<=\|)\s*(?:-|–|\u00a0)?\s*(?=\|)")


def is_rule(line: str) -> bool:
    return bool(_RULE.match(line))


def strip_markup(line: str) -> str:
    """One line without entities and inline tags; a rule line becomes empty."""
    if is_rule(line):
        return ""
    text = _TAG.sub("", line) if "<" in line else line
    if "&" in text:
        text = html.unescape(text)
    text = text.replace("\u00a0", " ")
    if text.lstrip().startswith("|"):
        text = _EMPTY_CELL.sub(" ", text)
    return text

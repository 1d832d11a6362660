"""Leftovers of web pages and converters, removed before any layout logic.

HTML entities (&nbsp; &amp; &#7871;), horizontal rules (* * *, ---, ___, ═══), empty cell markers
(a pipe cell holding only &nbsp;, -, or nothing), stray tags (<b>, <span …>), and list bullets as web pages
and posts draw them ("•", "◦", "▪", an emoji): a bullet before a sentence is a dash item ("- …"), one before a
heading (numbered, in capitals, or ending with ":") is decoration and goes; a keycap number ("1️⃣") is a number.
A web page's own list after the document ("Tin liên quan", "Xem thêm" …, in the last part of the text) ends it. Bold and italic
markers and pipe tables are handled where lines are built (lines.py), because bold marks a heading.
"""
from __future__ import annotations

import html
import re
import unicodedata

_RULE = re.compile(r"^\s*(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,}|[═─━=]{3,})\s*$")
_TAG = re.compile(r"</?(?:b|i|u|strong|em|span|p|div|font|sup|sub)(?:\s[^<>]{0,200})?>", re.I)
_EMPTY_CELL = re.compile(r"(?<=\|)\s*(?:-|–|\u00a0)?\s*(?=\|)")


_BULLET_MARKS = set("•◦▪▫●○■□‣⁃∙·►▸▹➢➣➤→⇒")
_JOINERS = {"\ufe0f", "\ufe0e", "\u200d", "\u20e3"}  # emoji presentation, zero-width joiner, keycap
_LABEL = re.compile(r"^(?:[IVXLC]{1,6}|\d{1,3}(?:\.\d{1,3})*|[a-zđ])[.)]\s")


_NOT_BULLETS = set("©®™℗№°")  # signs that open a page's footer or a number, never a list item


def _is_bullet_char(ch: str) -> bool:
    return ch not in _NOT_BULLETS and (ch in _BULLET_MARKS or ch in _JOINERS or unicodedata.category(ch) in ("So", "Sk"))


def _bullet(text: str) -> str:
    """A line opening with bullet marks or emoji: a dash item, or the heading without its decoration."""
    stripped = text.lstrip()
    n = 0
    while n < len(stripped) and (_is_bullet_char(stripped[n]) or stripped[n] == " " and n):
        n += 1
    rest = stripped[n:].lstrip()
    if not n or not rest or not rest[0].isalnum() and rest[0] not in "(\"“":
        return text
    indent = text[: len(text) - len(stripped)]
    letters = [ch for ch in rest if ch.isalpha()]
    heading = _LABEL.match(rest) or rest.rstrip().endswith(":") or (letters and all(ch.isupper() for ch in letters))
    return indent + (rest if heading else "- " + rest)


_KEYCAP = re.compile(r"^(\s*)(\d{1,2})\ufe0f?\u20e3\s*")
_PAGE_TAIL = re.compile(r"^\W*(?:tin|bài viết|văn bản|tin tức|tài liệu)\s+(?:liên quan|cùng chuyên mục|khác)\b|"
                        r"^\W*(?:các tin khác|xem thêm|tin mới nhất|tin đọc nhiều)\W*$", re.I)


def cut_page_tail(lines: list[str]) -> list[str]:
    """The text before a web page's own related-news list, when one opens in the last third of the text."""
    for n in range(len(lines) * 2 // 3, len(lines)):
        if len(lines[n]) <= 80 and _PAGE_TAIL.match(lines[n].strip()):
            return lines[:n]
    return lines


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
    if "\u20e3" in text[:8]:
        text = _KEYCAP.sub(r"\1\2. ", text)
    if text and not text.lstrip()[:1].isalnum():
        text = _bullet(text)
    if text.lstrip().startswith("|"):
        text = _EMPTY_CELL.sub(" ", text)
    return text

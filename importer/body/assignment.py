"""Assignment sentences written after the task text in the same paragraph.

    "Rà soát … . Giao Phòng Tư pháp chủ trì, phối hợp với Công an huyện thực hiện;
     hoàn thành trong tháng 6/2024."
    "Tổ chức … . Công an huyện chủ trì thực hiện, thời gian: từ tháng 4 đến tháng 8/2024."

The sentence gives the lead (before "chủ trì", or the agency before the verb),
the coordinating agencies (after "phối hợp với") and the timing (the rest).
"""

from __future__ import annotations

import re

from ..vocabulary.agencies import is_head
from .structure import Label
from ..read.text import fold

_SENTENCE = re.compile(r"[.;:]\s+|\s+[-—–]\s+")  # folded text: every dash is "-"
_GIVE = re.compile(r"^(?:giao(?: cho)?|de nghi)\s+")
_LEAD_VERB = re.compile(r"^[^.;:]{2,120}?(?<!\()\bchu tri\b(?!\s*:)")  # "X (chủ trì), Y" is a marked list
_VERB = re.compile(r"\b(?:chu tri|thuc hien|tham muu|trien khai|to chuc thuc hien)\b")
_WITH = re.compile(r"^\s*,?\s*(?:va\s+)?phoi hop\s*(?:voi|cung)?\s*")
_DONE_VERB = re.compile(r"^\s*(?:thuc hien|tham muu|trien khai|to chuc thuc hien)\s*(?:[;,]\s*|[.]?\s*$)")
_PASSIVE = re.compile(r"\s+duoc (?:giao|phan cong)(?: nhiem vu)?\s*$")
_TIME_WORD = re.compile(r"^(?:thoi gian|thoi han)(?:\s+(?:thuc hien|hoan thanh))?\s*:\s*")


def _clause_start(text: str, folded: str, at: int) -> int | None:
    """Where the agency names of an assignment sentence starting at `at` begin."""
    rest, rest_folded = text[at:], folded[at:]
    give = _GIVE.match(rest_folded)
    if give and is_head(rest[give.end():]):
        return at + give.end()
    lead = _LEAD_VERB.match(rest_folded)
    if is_head(rest) and lead and len(lead.group(0).split()) <= 14:
        return at
    return None


def _find(text: str, folded: str) -> tuple[int, int] | None:
    for m in _SENTENCE.finditer(folded):
        if m.end() <= 20:
            continue
        start = _clause_start(text, folded, m.end())
        if start is not None and _VERB.search(folded[start:]):
            return m.start(), start
    return None


def split_assignment(content: str) -> tuple[str, list[Label]] | None:
    """(task text, labels) when the paragraph ends with an assignment sentence."""
    folded = fold(content)
    found = _find(content, folded)
    if found is None:
        return None
    cut, start = found
    verb = _VERB.search(folded, start)
    passive = _PASSIVE.search(folded[start:verb.start()])  # "X được giao chủ trì": X leads
    labels = [Label("lead", content[start:start + passive.start() if passive else verb.start()].strip(" ,"))]
    end = verb.end() if verb.group(0) == "chu tri" else verb.start()
    partner = _WITH.match(folded[end:])
    if verb.group(0) == "chu tri" and partner:
        after = end + partner.end()
        stop = re.search(r"\b(?:thuc hien|tham muu|trien khai|to chuc thuc hien)\b|[;.]", folded[after:])
        end = after + (stop.start() if stop else len(folded) - after)
        labels.append(Label("support", content[after:end].strip(" ,")))
    timing = _timing_text(content[end:])
    if timing:
        labels.append(Label("time", timing))
    return content[: cut + 1].strip(" ,;:"), labels


def _timing_text(tail: str) -> str:
    """" thực hiện; thời gian: năm 2024." -> "năm 2024"."""
    for pattern in (_DONE_VERB, _TIME_WORD):
        m = pattern.match(fold(tail))
        tail = tail[m.end():] if m else tail
    return tail.strip(" ,;.")

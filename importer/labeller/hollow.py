"""Does a drafted task's text name work, or is it only a field's value or a label?

A task's text says what is to be done ("Rà soát, cập nhật thông tin cư trú …"). A reading that took a field line
or a cell of the wrong column for the task gives texts that name no work: a role label and its value ("Đơn vị chủ
trì: Công an phường"), an agency's name alone ("Công an phường"), a time alone ("Quý II/2026"), or a short label
or citation ("Nhiệm vụ số 3", "Bổ sung"). The join (`combine`) trusts the other reading for such a task.
"""
from __future__ import annotations

import re

from ..body.cues import is_time
from ..read.text import fold
from ..vocabulary.agencies import is_head
from .features import numbering_end
from .inline import TASK_VERB

MAX_LABEL_WORDS = 3  # a text of at most this many words (numbers aside) that names no task verb is a label
_FIELD_LABEL = re.compile(r"^(?:(?:co quan|don vi|bo phan)\s+(?:chu tri|phoi hop|thuc hien)|chu tri|phoi hop"
                          r"|trach nhiem|thoi gian|thoi han|tien do|san pham)\b[^:]{0,30}:")
_LABEL = re.compile(r"^([^:]{1,40}):\s*(?=\S)")  # "Thực hiện: Quý III/2026": a label of a few words, then its value
_ROLE_WORDS = re.compile(r"\b(?:chu tri|phoi hop)\b")
_MARKUP = " -–—•*#+|"


def _body(text: str) -> str:
    text = text.strip().lstrip(_MARKUP)
    return text[numbering_end(text):].strip().strip(" .;:")


def names_no_work(text: str) -> bool:
    """Is the text a field's value or a label rather than a task: a role label with its value, an agency's name
    alone, a time alone, or a label of a few words with no task verb ("Nhiệm vụ số 3", "Bổ sung")?"""
    body = _body(text)
    if not body:
        return True
    folded = fold(body).lower()
    if _FIELD_LABEL.match(folded):
        return True
    if is_time(body):
        return True
    label = _LABEL.match(body)
    if label and len(label.group(1).split()) <= 4 and names_no_work(body[label.end():]):
        return True
    verb = any(body[m.start()].islower() or m.start() == 0 for m in TASK_VERB.finditer(folded))
    if verb:
        return False
    if is_head(body) and not _ROLE_WORDS.search(folded) and len(body.split()) <= 12:
        return True  # "Công an phường", "Văn phòng HĐND và UBND phường"
    words = re.findall(r"[^\W\d_]+", body)
    return len(words) <= MAX_LABEL_WORDS

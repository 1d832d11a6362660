"""Does a drafted task's text name work, or is it only a field's value or a label?

A task's text says what is to be done ("Rà soát, cập nhật thông tin cư trú …"). A reading that took a field line
or a cell of the wrong column for the task gives texts that name no work: a role label and its value ("Đơn vị chủ
trì: Công an phường"), an agency's name alone ("Công an phường"), a time alone ("Quý II/2026"), or a short label
or citation ("Nhiệm vụ số 3", "Bổ sung"). The join (`combine`) trusts the other reading for such a task.

Two more ways a reading shows it took the wrong line for the task: its text announces work instead of naming it
("Điều chỉnh điểm 2 Mục III Kế hoạch số 08 như sau: “2.", "… thực hiện một số nội dung sau:"), and a field that
should hold an agency holds the task's words (`work_in_field`: "Công an phường số hóa kết quả giải quyết …").
"""
from __future__ import annotations

import re

from ..body.time_cues import is_time
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


_ANNOUNCES = re.compile(r"\b(?:nhu sau|sau day|duoi day|cu the|sau)\s*:$")
_QUOTE_OPENED = re.compile(r"\s*[\"“«‘'„]\s*(?:[\dA-Za-z]{1,3}\s*[.)])?$")  # "… như sau: “2." (the quoted point's number)


def announces(text: str) -> bool:
    """Does the text announce work written below it rather than name it: it ends "… như sau:", "… cụ thể:", "… các
    nội dung sau:", maybe followed by the opening quotation mark (and number) of a point it quotes ("… như sau:
    “2.")?"""
    body = _QUOTE_OPENED.sub("", text.strip().rstrip(" *"))
    return bool(_ANNOUNCES.search(fold(body).lower().rstrip()))


MIN_FIELD_WORK_WORDS = 8  # an agency's name does not run on this long after a task verb in lower case
_NAMED_FOR_ITS_PURPOSE = re.compile(r"\b(?:to cong tac|ban chi dao|ban|to|doi|nhom|hoi dong|trung tam)$")


def work_in_field(value: str) -> tuple[str, str] | None:
    """A lead's or partner's value that runs on into the task ("Công an phường số hóa kết quả giải quyết thủ tục
    hành chính …"): (the agency's name, the task's words from its verb on, capitalised), when the first task verb
    written in lower case follows a name and opens at least MIN_FIELD_WORK_WORDS words; else None. A body named for
    its purpose ("Tổ công tác triển khai Đề án 06 …", "Ban Chỉ đạo …") holds its verb in its name."""
    folded = fold(value).lower()
    verb = next((m for m in TASK_VERB.finditer(folded) if m.start() > 0 and value[m.start()].islower()), None)
    if verb is None:
        return None
    name, work = value[:verb.start()].strip(" ,;:"), value[verb.start():].strip()
    if (len(work.split()) < MIN_FIELD_WORK_WORDS or not name or not is_head(name)
            or _NAMED_FOR_ITS_PURPOSE.search(fold(name).lower())):
        return None
    return name, work[:1].upper() + work[1:]


_PRODUCT_COLUMN = re.compile(r"^(?:san pham|ket qua|dau ra)\b")


def product_column(header: str) -> bool:
    """Does a table column's header name what a task produces ("Sản phẩm", "Kết quả đầu ra"), so that its cells
    are products, not tasks ("Hồ sơ được số hóa", "Báo cáo quý")?"""
    return bool(_PRODUCT_COLUMN.match(fold(header).lower().strip(" *")))

"""Agency headings: "1. Công an xã", "Văn phòng Sở có trách nhiệm:", "Công an huyện: task …"."""

from __future__ import annotations

import re

from ..vocabulary.agencies import is_head, split_agencies
from ..read.text import fold


_ROLE_SUFFIX = re.compile(
    r"\s*(?:[-–]\s*(?:cơ quan|thường trực|đầu mối|là)\b.*|\s(?:có|chịu) trách nhiệm.*|\s(?:thực hiện )?các nhiệm vụ sau.*)$",
    re.I,
)
_VERBS = re.compile(
    r"\b(?:chủ trì|phối hợp|tham mưu|triển khai|thực hiện|chỉ đạo|hướng dẫn|xây dựng|rà soát|tuyên truyền"
    r"|đẩy mạnh|tăng cường|nâng cao|hoàn thiện|bảo đảm|đảm bảo|giao(?!\s+(?:thông|dịch|lưu)\b)|đề nghị|căn cứ)\b"
)  # "giao" assigns; "giao thông", "giao dịch", "giao lưu" are nouns ("Phòng Cảnh sát giao thông")


# bodies whose names hold a verb: "Tổ công tác triển khai Đề án 06", "Ban Chỉ đạo thực hiện …"
_NAMED_BODY = re.compile(r"\b(?:Tổ|Ban)\s+(?:công tác|chỉ đạo)\s+(?:triển khai|thực hiện)\b", re.I)
_ENDS_WITH_LEVEL = re.compile(r"\b(?:xa|phuong|thi tran|huyen|quan|thi xa|thanh pho|tinh|dac khu)\s*$")
_REQUEST = re.compile(r"^(?:Đề nghị|Kính đề nghị|Yêu cầu|Giao(?: cho)?)\s+(?=\S)")  # a request names its addressee


def agency_heading(body: str, strong: bool = False) -> tuple[list[str], str] | None:
    """If body is a heading naming agencies, return (names, text after a colon)."""
    from .time_cues import closing_clause_time  # here, not above: time_cues imports structure, which imports this module

    head, _, rest = body.partition(":")
    head = re.sub(r"^(?:đối với|Đối với)\s+(?:lực lượng\s+)?", "", head.strip()).strip()
    unrequested = _REQUEST.sub("", head).strip()  # "Đề nghị Ủy ban MTTQ …": a body outside the committee
    requested, head = unrequested != head, unrequested
    if requested and not rest.strip() and closing_clause_time(head) is not None:
        return None  # "Giao X cập nhật …; trước ngày …": a time closing the request makes it an item, not a heading
    stripped = _ROLE_SUFFIX.sub("", head).strip(" .;")
    had_role, head = stripped != head.strip(" .;"), stripped
    bare = re.sub(r"\([^)]*\)", "", head)
    if not head or not head[:1].isupper() or not is_head(head):
        return None
    if len(bare.split()) > 18 or _VERBS.search(_NAMED_BODY.sub(" ", bare)):
        return None
    short = len(bare.split()) <= 8 or len(bare.split()) <= 12 and (requested or _ENDS_WITH_LEVEL.search(fold(bare)))
    if not rest.strip() and not (strong or had_role or body.rstrip().endswith((":", ".")) or short):
        return None
    names = split_agencies(head)
    return (names, rest.strip()) if names else None


_ADDRESSED = re.compile(r"\bkinh gui\s*:\s*$|^noi nhan\s*:")  # a letter's addressees, a plan's recipients
_DASH = ("-", "–", "+", "•")


def addressee_lines(lines: list) -> set[int]:
    """An official letter's addressees: the dashed lines right after "Kính gửi:" ("- Các sở, ban, ngành tỉnh;", "-
    Công an các xã, phường."). Two cues compete there: a dashed line naming an agency reads as an agency heading, and
    the role word "Kính gửi" says "to whom this letter goes"; the role word wins, since an addressee is asked to act
    by the items below, not given the paragraph that follows its name."""
    out: set[int] = set()
    after = False
    for line in lines:
        if line.cells is not None or not line.text:
            continue
        text = line.text.lstrip()
        if after and text.startswith(_DASH) and len(text) <= 120:
            out.add(line.number)
            continue
        after = bool(_ADDRESSED.search(fold(text)))
    return out

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
    r"|đẩy mạnh|tăng cường|nâng cao|hoàn thiện|bảo đảm|đảm bảo|giao|đề nghị|căn cứ)\b"
)


# bodies whose names hold a verb: "Tổ công tác triển khai Đề án 06", "Ban Chỉ đạo thực hiện …"
_NAMED_BODY = re.compile(r"\b(?:Tổ|Ban)\s+(?:công tác|chỉ đạo)\s+(?:triển khai|thực hiện)\b", re.I)
_ENDS_WITH_LEVEL = re.compile(r"\b(?:xa|phuong|thi tran|huyen|quan|thi xa|thanh pho|tinh|dac khu)\s*$")
_REQUEST = re.compile(r"^(?:Đề nghị|Kính đề nghị|Giao(?: cho)?)\s+(?=\S)")


def agency_heading(body: str, strong: bool = False) -> tuple[list[str], str] | None:
    """If body is a heading naming agencies, return (names, text after a colon)."""
    head, _, rest = body.partition(":")
    head = re.sub(r"^(?:đối với|Đối với)\s+(?:lực lượng\s+)?", "", head.strip()).strip()
    unrequested = _REQUEST.sub("", head).strip()  # "Đề nghị Ủy ban MTTQ …": a body outside the committee
    requested, head = unrequested != head, unrequested
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

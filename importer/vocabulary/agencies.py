"""Agency names: splitting lists, collectives, headings, directory matching.

"Các phòng, ban, ngành, UBND các xã, thị trấn" is two names: a collective
("các phòng, ban, ngành") and "UBND các xã, thị trấn". A comma only starts a
new name when what follows begins with an agency-type word (Công an, Phòng,
Sở, UBND, Ban, Hội, Đoàn, Trung tâm, Đặc khu …) and is not the tail of a collective
enumeration ("các phòng, ban, ngành").
"""

from __future__ import annotations

import re

from ..read.text import clean_spaces, fold, nfc

_COLLECTIVE_NOUNS = (
    "phong|ban|nganh|co quan|don vi|to chuc|doanh nghiep|xa|hoi|doan the|dia phuong|truong|nha truong"
    "|so|thanh vien|luc luong|ngan hang|chi nhanh|cong ty|ubnd|uy ban|thon|to|cong chuc|can bo|bo phan"
    "|trung tam|benh vien|tram|co so|chi cuc"  # "các trung tâm y tế", "các bệnh viện trực thuộc Sở"
    "|khu pho"  # "Các khu phố": a collective of a ward's neighbourhoods, as "các thôn" of a commune's villages
)
_HEADS = (
    "cong an|van phong|phong(?! chong| ngua)|so|ubnd|uy ban|hdnd|hoi dong|ban(?! hanh)|hoi(?! nghi| thao)"
    "|doan|trung tam|mat tran|mttq|buu dien|chi nhanh|cong chuc|can bo|bo phan|chi cuc|cuc|tong cuc"
    "|bao hiem|bhxh|ngan hang|toa an|tand|vien kiem sat|vksnd|thanh tra|kho bac|bo|nha truong"
    f"|truong(?! hop)|to(?! chuc)|(?:cac|nhung) (?:{_COLLECTIVE_NOUNS})|doanh nghiep|co quan|don vi"
    "|huyen uy|tinh uy|thanh uy|thi uy|quan uy|dang uy|huyen doan|tinh doan|thanh doan|lien doan|dai"
    "|benh vien|tram|vnpt|viettel|mobifone|dien luc|cong ty|tong cong ty|chi bo|bch|bo chi huy"
    "|ban chi huy|don bien phong|bo doi|hop tac xa|cong an vien|ubmttq|bchqs|ttyt"
    "|thue (?:tinh|thanh pho|co so)"  # "Thuế tỉnh", "Thuế cơ sở 3": the tax offices after the 2025 reform
    "|bao(?! cao)"  # "Báo Đắk Nông" (a newspaper), not "Báo cáo"
    "|ca (?:tinh|huyen|xa|phuong|quan|thi xa|thanh pho|thi tran|dac khu)"  # "CA tỉnh": Công an, abbreviated
    "|vp"  # "VP UBND tỉnh", "VP Sở": Văn phòng, abbreviated (the directory reads it so: agency_directory._SHORT_FORMS)
    "|dac khu"  # "Đặc khu Lý Sơn": a commune-level unit (since 1 July 2025) named as the body that acts
    "|diem phuc vu"  # "Điểm phục vụ hành chính công X": a merged commune's service point at a former commune's seat
)
_HEAD_RE = re.compile(rf"^(?:{_HEADS})\b")
_COLLECTIVE_WORDS = re.compile(
    r"^(?:phong|ban|nganh|doan the|don vi|co quan|to chuc|doanh nghiep|dia phuong|xa|thi tran"
    r"|phuong|hoi|ca nhan|so|huyen|thi xa|thanh pho|quan|dac khu|thon|xom|to dan pho|truong hoc"
    r"|nha truong|chi nhanh|dia phuong|tinh)\b"
)
_COLLECTIVE_START = re.compile(r"^(?:cac|nhung|toan the|tat ca|toan bo)\b")
_COLLECTIVE_TAIL = re.compile(r"\s(?:cac|nhung)\s+(?:thon|xom|ap|ban|to dan pho|khu pho|xa|phuong)$")
_COUNCIL_OFFICE = re.compile(r"^(?:van phong|vp)\s+(?:hdnd|hoi dong nhan dan)$")
_COMMITTEE = re.compile(r"^(?:ubnd|uy ban nhan dan)\b")
_PIECE_SPLIT = re.compile(r"(,|\s+và\s+|\s+cùng\s+)")


# head words that other words fold into: only the written word is an agency ("Số hóa" is not "Sở")
_WRITTEN = {"ca": ("ca",), "bo": ("bộ",), "so": ("sở",), "hoi": ("hội",), "doan": ("đoàn",), "cuc": ("cục",),
            "vien": ("viện",), "to": ("tổ",), "bao": ("báo", "bảo")}
_VERB_PHRASES = re.compile(r"^(?:to chuc|ban hanh)\b")
_RANK = re.compile(r"^(?:dai|thuong|trung|thieu) (?:ta|uy|tuong)\b")  # "Đại tá Nguyễn Văn A": a person, not "Đài …"


def is_head(text: str) -> bool:
    """Does the text start with an agency-type word?"""
    text = text.strip()
    first = text.split(" ", 1)[0]
    written = _WRITTEN.get(fold(first))
    if written is not None and first.lower() not in written:
        return False  # "Bố trí", "Bổ sung", "Số hóa", "Hỏi", "Cả tỉnh" fold like "Bộ", "Sở", "Hội", "CA tỉnh"
    if first.lower() == "bảo" and not fold(text).startswith("bao hiem"):
        return False  # "Bảo hiểm xã hội" is a body; "Bảo Lộc", "Bảo đảm" are not (the newspaper is "Báo …")
    if _VERB_PHRASES.match(fold(text)):
        return False  # "Tổ chức …", "Ban hành …": verbs, not the bodies "Tổ …", "Ban …"
    if text[:1].islower() and fold(text).startswith("dac khu"):
        return False  # "UBND các xã, phường, đặc khu": a collective's last kind; "Đặc khu Lý Sơn" is a body
    if _RANK.match(fold(text)):
        return False  # a rank opens a person's name (the signer of a police plan); "Đài" opens a body
    return bool(_HEAD_RE.match(fold(text)))


def is_collective(name: str) -> bool:
    folded = fold(name)
    return bool(_COLLECTIVE_START.match(folded)) or "," in name


def _continues(piece: str, previous: str) -> bool:
    """True when piece is the tail of previous (not a new agency)."""
    folded = fold(piece)
    if not _HEAD_RE.match(folded) or not is_head(piece):
        return True
    prev_folded = fold(previous)
    if _COUNCIL_OFFICE.match(prev_folded) and _COMMITTEE.match(folded):
        return True  # "Văn phòng HĐND và UBND phường" is one office
    # "Trưởng các thôn, tổ dân phố": a name ending in a collective ("các thôn") goes on with its next kind
    collective = _COLLECTIVE_START.match(prev_folded) or _COLLECTIVE_WORDS.match(prev_folded) \
        or _COLLECTIVE_TAIL.search(prev_folded)
    return bool(collective and _COLLECTIVE_WORDS.match(folded) and piece[:1].islower())


def clean_name(name: str) -> str:
    name = clean_spaces(nfc(name).replace("\u00a0", " "))
    name = re.sub(r"^[-+•*\s]+", "", name)
    name = re.sub(r"^(?:và|với|cùng)\s+", "", name)
    return name.strip(" .;:,").strip()


_BRACKETED = re.compile(r"\s*\(([^()]*)\)")
_PERSON = re.compile(r"^(?:d/c|dong chi|ong|ba)\b")


UNIT_CODE = re.compile(r"^[A-ZĐ]{1,3}\d{2,3}[A-Z]?$")  # "PC06", "C06", "PV01": a division's code


def _drop_detail(m: re.Match[str]) -> str:
    """"Công an tỉnh (Phòng PC06)", "Công an tỉnh (PC06)", "Công an xã (đ/c …)": the bracket names a sub-unit (by
    its name or its code) or a person; the agency is the name before it."""
    inner = m.group(1).strip()
    folded = fold(inner)
    if _PERSON.match(folded) or (len(inner.split()) > 1 and is_head(inner)) or UNIT_CODE.match(inner):
        return ""
    return m.group(0)


# "Các sở: Tài chính, Xây dựng, …": a plural kind of office, a colon, the fields of the offices it names
_KIND_LIST = re.compile(r"^\s*(?:các|những)\s+(sở|phòng|trung tâm)\s*:\s*(\S.*)$", re.I)


def _kind_list(text: str) -> list[str] | None:
    """"Các sở: Tài chính, Xây dựng, Nông nghiệp và Môi trường" is three departments, each named by its kind and
    field. The fields are split at commas; pieces that together make one standing field ("Văn hóa" + "Thể thao và Du
    lịch") are joined back, and a last "A và B" is split only when both are fields and "A và B" is none. Two cues
    compete: the plural "Các sở" reads as one collective, the colon and the list as several named offices; the list
    wins, since a collective names no fields."""
    from .office_codes import standing_fields

    m = _KIND_LIST.match(text)
    if m is None:
        return None
    kind = m.group(1)[:1].upper() + m.group(1)[1:].lower()
    fields = {fold(f) for f in standing_fields(kind)}
    pieces = [p.strip(" .;") for p in m.group(2).split(",") if p.strip(" .;")]
    out: list[str] = []
    for piece in pieces:
        if out and fold(f"{out[-1]}, {piece}") in fields:
            out[-1] = f"{out[-1]}, {piece}"
        else:
            out.append(piece)
    if out:
        first, sep, second = out[-1].partition(" và ")
        if sep and fold(out[-1]) not in fields and fold(first) in fields and fold(second) in fields:
            out[-1:] = [first, second]
    return [f"{kind} {field}" for field in out] if len(out) >= 2 else None


def split_agencies(text: str) -> list[str]:
    """Split a written list of agencies into names, keeping collectives whole."""
    listed = _kind_list(text or "")
    if listed is not None:
        return listed
    names: list[str] = []
    text = _BRACKETED.sub(_drop_detail, re.sub(r",?\s*\.{2,}", ",", text or ""))
    for part in re.split(r"[;\n]", text):
        pieces = _PIECE_SPLIT.split(part)
        current = pieces[0]
        for sep, piece in zip(pieces[1::2], pieces[2::2]):
            stripped = piece.strip()
            if not stripped:
                current += sep
            elif clean_name(current) and not _continues(stripped, clean_name(current)):
                names.append(current)
                current = piece
            else:
                current += sep + piece
        names.append(current)
    return [n for n in (clean_name(n) for n in names) if n and len(n) > 1]


_STOPS = re.compile(
    r"\b(?:tham muu|thuc hien|trien khai|ra soat|huong dan|tang cuong|danh gia|tien hanh|khan truong"
    r"|xay dung|theo doi|tren co so|thuong xuyen|de|nham|theo|ve|cho|giam sat|kiem tra|xu ly|chi dao"
    r"|bao cao|cap nhat|dong bo|doi chieu|so hoa|lam sach|ket noi|tuyen truyen|ho tro|de xuat|bo tri"
    r"|thong ke|tong hop|quan ly|van hanh|dam bao|bao dam|nghien cuu|giai quyet|thu thap|cung cap"
    r"|chia se|ban hanh|tap huan|xac minh|khac phuc|dau tu|tiep tuc|day manh|chu dong"
    r"|kip thoi|trong viec|ve viec|cap the|lap|tao|rut|to chuc|doi sanh|kich hoat|nang cap|chi tra"
    r"|xac thuc|cap nhat|tham gia|thu thap|sua doi|bo sung|phat trien|van dong|vao cuoc|hoan thanh)\b"
)
_WITH = re.compile(r"\bphoi hop\s*(?:chat che\s*)?(?:voi|cung)?\s+|\bvoi su (?:ho tro|phoi hop) cua\s+")  # "… với sự hỗ trợ của X"


_AFTER_LEVEL = re.compile(
    r"\b(?:huyện|xã|tỉnh|phường|thị trấn|thành phố|quận|thị xã)\s+(?!và\b|các\b|có\b|liên\b|trên\b|thuộc\b|trực\b|hội\b)"
    r"(?=[a-zđà-ỹ])"
)


# a body's kind with nothing after it yet, after a list's comma or its start: "…, Ban ", "Tổ "
_BARE_HEAD = re.compile(r"(?:^|,\s*|\bva\s+)(?:ban|to|trung tam|hoi dong|doi)\s+$")


def _cut(text: str, folded: str) -> str:
    level = _AFTER_LEVEL.search(text)
    if level:
        text, folded = text[: level.end()], folded[: level.end()]
    for m in _STOPS.finditer(folded):
        if m.group(0) == "to chuc" and re.search(r"(?:cac|nhung)\s*$", folded[: m.start()]):
            continue
        if m.start() > 0 and text[m.start()].isupper():
            continue  # a capitalised word is part of a name ("Sở Xây dựng"), not the verb after the agencies
        if _BARE_HEAD.search(folded[: m.start()]):
            continue  # "Ban quản lý di tích", "Tổ kiểm tra": a body's kind alone is named by the work it does
        return text[: m.start()]
    return text


def partners_in(content: str) -> list[str]:
    """Agencies named after "phối hợp (với)" inside a task sentence."""
    text = nfc(content)
    folded = fold(text)
    found: list[str] = []
    for m in _WITH.finditer(folded):
        end = len(text)
        stop = re.search(r"[;:(]|\.(?=\s+[A-ZĐ]|\s*$)", text[m.end():])
        if stop:
            end = m.end() + stop.start()
        chunk = _cut(text[m.end():end], folded[m.end():end])
        for name in split_agencies(chunk):
            if is_head(name) and name not in found:
                found.append(name)
    return found

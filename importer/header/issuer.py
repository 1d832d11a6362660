"""Who issued the plan: the agency block at the top, or "X ban hành kế hoạch"."""

from __future__ import annotations

import re

from ..vocabulary.agencies import is_head
from ..read.text import clean_spaces, fold

_LEVELS = ("thành phố", "thị xã", "thị trấn", "đặc khu", "tỉnh", "huyện", "quận", "xã", "phường")
_LEVEL_RE = re.compile(r"\b(" + "|".join(_LEVELS) + r")\b", re.I)
_STOP = re.compile(r"^(?:cong hoa|doc lap|so\s*[:.]?\s*\d*\s*/|so\s*:|ke hoach|quyet dinh)")
_SENTENCE = re.compile(r"([^.;,]{3,90}?)\s+(?:ban hành|xây dựng|triển khai|thực hiện)\s+(?:kế hoạch|Kế hoạch)\b")
_CITIES = {"ha noi", "ho chi minh", "hai phong", "da nang", "can tho", "hue"}


def _pretty(upper: str) -> str:
    """'ỦY BAN NHÂN DÂN XÃ TẾ LỢI' -> 'UBND xã Tế Lợi'."""
    text = clean_spaces(upper)
    if not text.isupper():
        return re.sub(r"^(?:Ủy|Uỷ) ban nhân dân\b", "UBND", text, flags=re.I)
    m = _LEVEL_RE.search(text)
    head, level, place = (text[: m.start()], m.group(1), text[m.end():]) if m else (text, "", "")
    head = head.strip().capitalize()
    head = re.sub(r"^(Sở|Phòng|Ban|Công an|Văn phòng|Trung tâm|Chi cục|Cục)\s+(\w)", lambda x: f"{x.group(1)} {x.group(2).upper()}", head)
    head = re.sub(r"^(?:Ủy ban nhân dân|Uỷ ban nhân dân|Ubnd)\b", "UBND", head, flags=re.I)
    out = " ".join(p for p in (head, level.lower(), place.strip().title()) if p)
    return clean_spaces(out)


def _block(texts: list[tuple[int, str]]) -> list[str]:
    block: list[str] = []
    for _, text in texts[:12]:
        text = re.split(r"CỘNG HÒA|CỘNG HOÀ|Độc lập|ĐỘC LẬP", text)[0].strip(" *#")
        if not text:
            continue
        if _STOP.match(fold(text)) or re.match(r"^(?:[IVX]+|\d+)\s*[.)]", text):
            break
        if not text.isupper():
            if block:
                break
            continue
        if block and len(block[-1].split()) == 1:
            block[-1] = f"{block[-1]} {text}"  # "ỦY" / "BAN NHÂN DÂN": one name cut where a web page broke it
        else:
            block.append(text)
    return block


def _from_block(block: list[str]) -> str | None:
    if not block:
        return None
    # "UBND TỈNH X" / "SỞ TƯ PHÁP": the last line is the issuer, the first its parent
    last = block[-1]
    if len(block) > 2 and _LEVEL_RE.match(last) and not _LEVEL_RE.search(block[-2]):
        # "UBND TỈNH AN GIANG / ỦY BAN NHÂN DÂN / ĐẶC KHU PHÚ QUỐC": the body's name is split over two lines
        return _pretty(f"{block[-2]} {last}")
    if len(block) > 1 and is_head(last) and not _LEVEL_RE.search(last):
        parent = _LEVEL_RE.search(block[0])
        suffix = block[0][parent.start():] if parent else ""
        return _pretty(f"{last} {suffix}".strip())
    if len(block) > 1 and is_head(last) and _LEVEL_RE.search(last):
        return _pretty(last)  # "UBND HUYỆN X" / "UBND XÃ Y": the parent sits above the issuer
    return _pretty(" ".join(block))


def _drafting_unit(block: list[str], number: str | None) -> bool:
    """Whether the header's last line is the unit that drafted the plan, not the body that issued it: the number
    names both after the kind of document, the body first and its unit last ("318/KH-CAT-PC06": Công an tỉnh's plan,
    drafted by its PC06), and the last line names that unit's code ("CÔNG AN TỈNH … / PHÒNG PC06"). Two cues compete,
    the header's convention (its last line is the issuer, the first its parent: "UBND TỈNH X / SỞ TƯ PHÁP") and the
    number's; the number wins, since it is the body that issues under its own code, and a unit issuing its own plan
    writes its code first ("…/KH-PC06")."""
    codes = number.split("/")[-1].split("-")[1:] if number else []
    if len(block) < 2 or len(codes) < 2:
        return False
    return codes[-1].casefold() in fold(block[-1]).split()


def _from_sentence(texts: list[tuple[int, str]]) -> str | None:
    for _, text in texts[:60]:
        for m in _SENTENCE.finditer(text):
            candidate = clean_spaces(m.group(1))
            if is_head(candidate) and candidate[:1].isupper():
                return _pretty(candidate)
    return None


def find_issuer(texts: list[tuple[int, str]], place: str | None, number: str | None = None) -> str | None:
    block = _block(texts)
    if _drafting_unit(block, number):
        block = block[:-1]
    issuer = _from_block(block) if block and len(" ".join(block).split()) > 3 else None
    issuer = issuer or _from_sentence(texts) or _from_block(block)
    if issuer and place and not _LEVEL_RE.search(issuer):
        level = "thành phố" if fold(place) in _CITIES else "tỉnh"
        if issuer.startswith("Sở "):
            issuer = f"{issuer} {level} {place}"
    return _named_in_full(texts, issuer) if issuer else issuer


# "Kế hoạch công tác … của Tổ công tác triển khai …", "Phân công nhiệm vụ thành viên Tổ công tác triển khai …": the
# body whose plan or whose members the title names, after "của" (of) or "thành viên" (members of)
_OWNER = re.compile(r"\b(?:của|thành viên)\s+(?=[A-ZĐÂƯ])")


def _named_in_full(texts: list[tuple[int, str]], issuer: str) -> str:
    """The issuer as the head of the document names it in full ("… của Tổ công tác triển khai Đề án 06 xã X") when
    the letterhead writes it short ("TỔ CÔNG TÁC ĐỀ ÁN 06" under "UBND XÃ X"): a name in the lines above the body
    ("… của Tổ công tác …", "… thành viên Tổ công tác …") that opens with the letterhead name's first two words and
    holds all its words in order, with words of its own between them before the place ("xã X", written word for word
    at the end). Two cues compete, the letterhead (the name as the body signs it) and the title's name; the title's
    fuller name wins, since the letterhead shortens a body's name to fit while the title gives the name the
    body was set up under. A name in the title with no words of its own ("… của Sở Tư pháp tỉnh X") changes nothing."""
    words = fold(issuer).split()
    level_at = _LEVEL_RE.search(issuer)  # the words from the level on ("xã X") are the place, written word for word
    level = len(issuer[: level_at.start()].split()) if level_at else len(words)
    for _, text in texts[:30]:
        for m in _OWNER.finditer(text):
            shown = text[m.end():].split()
            folded = [fold(w).strip(",.;:") for w in shown]
            if len(words) < 3 or folded[:2] != words[:2]:
                continue
            at, i, seen = 0, 0, []
            for i, word in enumerate(folded):
                if at < len(words) and word == words[at]:
                    at, seen = at + 1, seen + [i]
                    if at == len(words):
                        break
            place = seen[level:] if at == len(words) else []
            if place and place == list(range(place[0], place[0] + len(place))) and i + 1 > len(words):
                return clean_spaces(" ".join(shown[: i + 1]).strip(",.;:"))
    return issuer

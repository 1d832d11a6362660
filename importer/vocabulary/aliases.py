"""Names a plan defines once and writes short afterwards: "Phòng Tham mưu (PV01)", "Công an các xã, phường (sau đây
gọi là Công an cấp xã)". A lead or partner written in the short form reads as the full name it stands for.

Three shapes define a short form, all in the plan's prose (not its tables): a unit code in brackets right after an
agency's name (letters then digits, as police and ministries number their divisions: "PC06", "C06", "PV01"), a
bracket "(sau đây gọi là …)", "(gọi tắt là …)", "(viết tắt là …)", where the full name is the agency name just before
the bracket, after the previous clause's end (":", ";", ")", a sentence's end); and a note in brackets that spells a
short form out, "(Phòng KHTC: Phòng Kế hoạch - Tài chính)", when the short form's capitals are the initials of the
full name's words after the words both share.
"""

from __future__ import annotations

import re

from ..read.lines import Line, prose
from ..read.text import clean_spaces, fold
from .agencies import UNIT_CODE, is_head
from .agency_directory import agency_key

_BRACKET = re.compile(r"\(([^()]{1,60})\)")
_NAMED = re.compile(r"^(?:sau day\s+)?(?:goi tat la|goi la|viet tat la|viet tat)\s*:?\s*(?P<short>.+)$")
_CLAUSE_END = re.compile(r"[:;)]|\.(?=\s)|\n")
MAX_NAME_WORDS = 16


def _name_before(text: str, end: int) -> str | None:
    """The agency name that ends at `end`: from the first capitalised agency word after the previous clause's end
    ("Theo đề nghị của Giám đốc Công an tỉnh"), else from the clause's first capitalised word ("Đội Quản lý …", a
    unit whose kind the agency words do not list)."""
    start = max((m.end() for m in _CLAUSE_END.finditer(text, 0, end)), default=0)
    words = text[start:end].split()
    capitalised = [i for i, word in enumerate(words) if word[:1].isupper()]
    heads = [i for i in capitalised if is_head(" ".join(words[i:]))]
    if not capitalised:
        return None
    name = clean_spaces(" ".join(words[(heads or capitalised)[0]:])).strip(" ,")
    return name if len(name.split()) <= MAX_NAME_WORDS else None


def defined_names(lines: list[Line]) -> dict[str, str]:
    """{agency key of the short form: the full name} for every short form the plan's prose defines."""
    text = prose(lines)
    defined: dict[str, str] = {}
    for m in _BRACKET.finditer(text):
        inner = clean_spaces(m.group(1))
        named = _NAMED.match(fold(inner))
        short = inner[named.start("short"):].strip(" .,") if named else inner if UNIT_CODE.match(inner) else None
        full = _name_before(text, m.start()) if short else None
        if named and full and not (is_head(full) or is_head(short)):
            continue  # "(sau đây gọi tắt là Đề án 06)": a short form, but of no agency
        if full and agency_key(full) != agency_key(short):
            defined.setdefault(agency_key(short), full)
        spelled = _spelled_out(inner)
        if spelled is not None:
            defined.setdefault(agency_key(spelled[0]), spelled[1])
    return defined


_NOTE = re.compile(r"^(?P<short>[^:]{2,30}?)\s*:\s*(?P<full>[^:;]{4,80})$")


def _spelled_out(inner: str) -> tuple[str, str] | None:
    """("Phòng KHTC", "Phòng Kế hoạch - Tài chính") for a note "Phòng KHTC: Phòng Kế hoạch - Tài chính"; None unless
    the short form's last word is capitals whose letters are the initials of the full name's words after the words
    the two share ("Phòng")."""
    m = _NOTE.match(inner)
    if m is None or not is_head(m.group("full")):
        return None
    short, full = m.group("short").split(), re.sub(r"\s[-–]\s", " ", m.group("full")).split()
    shared = len(short) - 1
    if shared < 1 or [fold(w) for w in short[:shared]] != [fold(w) for w in full[:shared]]:
        return None
    code = short[-1]
    initials = "".join(fold(w)[:1] for w in full[shared:])
    return (m.group("short"), m.group("full").strip()) if code.isupper() and fold(code) == initials else None


_LIST = re.compile(r"\s*(?:,|;|\bvà\b)\s*")


def expand(names: list[str], defined: dict[str, str]) -> list[str]:
    """Each name written in a short form the plan defined, read as the full name; a written list of short forms
    ("PV01, PX01", kept whole by the splitter since codes open with no agency word) becomes its names."""
    if not defined:
        return names
    out: list[str] = []
    for name in names:
        pieces = [p for p in _LIST.split(name) if p]
        if len(pieces) > 1 and all(agency_key(p) in defined for p in pieces):
            out += [defined[agency_key(p)] for p in pieces]
        else:
            out.append(defined.get(agency_key(name), name))
    return list(dict.fromkeys(out))

"""Match agency names against the caller's directory (id, name).

Keys ignore case, tone-mark placement, dash variants and the usual
abbreviations (UBND, HĐND, MTTQ …) and short forms ("CA xã", "VP UBND", "Phòng VH-XH", "Sở TT&TT"). Order of attempts: exact key, key with
"-" read as "và", key without diacritics, then a unique word-prefix match.
"Văn phòng HĐND&UBND huyện" stays distinct from "Văn phòng UBND huyện".
"""

from __future__ import annotations

import re

from ..read.text import compare_key, fold

_ABBREVIATIONS = [
    (r"\bubnd\b", "ủy ban nhân dân"),
    (r"\bhđnd\b", "hội đồng nhân dân"),
    (r"\bmttq\b", "mặt trận tổ quốc"),
    (r"\bbhxh\b", "bảo hiểm xã hội"),
    (r"\btand\b", "tòa án nhân dân"),
    (r"\bvksnd\b", "viện kiểm sát nhân dân"),
    (r"\bbchqs\b", "ban chỉ huy quân sự"),
    (r"\btp\.?\s", "thành phố "),
    (r"&", " và "),
]
_LEVEL = r"(?= (?:xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tỉnh|đặc khu)\b)"
_SHORT_FORMS = [  # the short forms work plans write for a unit's own bodies ("CA xã", "VP UBND", "Phòng VH-XH")
    (rf"^ca{_LEVEL}", "Công an"),
    (r"^vp\b", "Văn phòng"),
    (r"\bvh - xh\b", "Văn hóa - Xã hội"),
    (r"^phòng kt$", "Phòng Kinh tế"),
    (r"\bkt - ht - đt\b", "Kinh tế, Hạ tầng và Đô thị"),
    (r"^đoàn tn\b", "Đoàn Thanh niên"),
    (r"\blhpn\b", "Liên hiệp Phụ nữ"),
    (r"\btt ?và ?tt\b", "Thông tin và Truyền thông"),
    (r"\bhội đồng nhân dân - ủy ban nhân dân\b", "hội đồng nhân dân và ủy ban nhân dân"),
]


def agency_key(name: str) -> str:
    key = compare_key(name)
    for pattern, replacement in _ABBREVIATIONS:
        key = re.sub(pattern, replacement, key)
    for pattern, replacement in _SHORT_FORMS:
        key = re.sub(pattern, compare_key(replacement), key)
    key = re.sub(r"[^\w\s-]", " ", key)
    return re.sub(r"\s+", " ", key).strip()


_BARE_BODIES = {"công an", "văn phòng ủy ban nhân dân", "văn phòng hội đồng nhân dân và ủy ban nhân dân",
                "ủy ban nhân dân"}
_ISSUER_LEVEL = re.compile(r"\b(xã|phường|thị trấn|đặc khu|huyện|quận|thị xã|thành phố|tỉnh)\b", re.I)


def with_level(name: str, issuer: str | None) -> str:
    """"VP UBND" in a commune's plan is the commune's: a unit's own body written without its level takes the level of
    the plan's issuer ("UBND xã Hòa Vang" -> "VP UBND xã"); any other name is kept as written."""
    level = _ISSUER_LEVEL.search(issuer or "")
    key = agency_key(name)
    if level is None or key.replace("uỷ", "ủy") not in _BARE_BODIES:
        return name
    return f"{name} {level.group(1).lower()}"


def _loose(key: str) -> str:
    return re.sub(r"\s+", " ", key.replace(" - ", " và ").replace("-", " và ")).strip()


class Directory:
    def __init__(self, entries: list[tuple[str, str]]):
        self.entries = [(str(i), n) for i, n in entries]
        self.exact = self._index(agency_key)
        self.loose = self._index(lambda n: _loose(agency_key(n)))
        self.bare = self._index(lambda n: fold(_loose(agency_key(n))))

    def _index(self, key) -> dict[str, set[str]]:
        index: dict[str, set[str]] = {}
        for agency_id, name in self.entries:
            index.setdefault(key(name), set()).add(agency_id)
        return index

    def resolve(self, name: str) -> tuple[str | None, bool]:
        """(id, approximate) for a name; (None, False) when unresolved."""
        key = agency_key(name)
        for index, probe in ((self.exact, key), (self.loose, _loose(key)), (self.bare, fold(_loose(key)))):
            ids = index.get(probe)
            if ids and len(ids) == 1:
                return next(iter(ids)), index is not self.exact
        bare = fold(_loose(key))
        hits = {i for k, ids in self.bare.items() for i in ids if _prefix(k, bare) or _prefix(bare, k)}
        if len(hits) == 1:
            return next(iter(hits)), True
        return None, False


def _prefix(short: str, long: str) -> bool:
    return len(short) >= 6 and long.startswith(short + " ")

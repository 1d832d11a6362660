"""Offices written by the initials of their field, as district and commune plans write them without defining them:
"Phòng LĐ-TB&XH", "Phòng VH-TT", "Phòng TC-KH", "Sở KH&CN", "TTYT huyện". A lead or partner in that shape reads as
the office's full name ("Phòng Lao động - Thương binh và Xã hội") when exactly one standard field of its kind of office
has those initials; an ambiguous code ("Sở NV": "Nội vụ" or "Ngoại vụ") stays as written. A short form the plan defines itself (aliases.py) is read before this one.

The fields are those of the standing bodies of Vietnamese local government (the specialised offices of a district or
commune, the departments of a province, the centres under them), not any plan's wording.
"""

from __future__ import annotations

import re

_FIELDS = {  # kind of office -> the fields its standing bodies are named by
    "Phòng": ["Nội vụ", "Tư pháp", "Tài chính - Kế hoạch", "Tài nguyên và Môi trường", "Y tế", "Dân tộc",
              "Lao động - Thương binh và Xã hội", "Văn hóa và Thông tin", "Giáo dục và Đào tạo", "Kinh tế",
              "Kinh tế và Hạ tầng", "Kinh tế, Hạ tầng và Đô thị", "Quản lý đô thị", "Văn hóa - Xã hội",
              "Nông nghiệp và Phát triển nông thôn", "Nông nghiệp và Môi trường"],
    "Sở": ["Nội vụ", "Tư pháp", "Tài chính", "Kế hoạch và Đầu tư", "Công Thương", "Xây dựng", "Y tế", "Ngoại vụ",
           "Giao thông vận tải", "Tài nguyên và Môi trường", "Thông tin và Truyền thông", "Khoa học và Công nghệ",
           "Lao động - Thương binh và Xã hội", "Văn hóa, Thể thao và Du lịch", "Giáo dục và Đào tạo",
           "Nông nghiệp và Phát triển nông thôn", "Nông nghiệp và Môi trường", "Dân tộc và Tôn giáo"],
    "Trung tâm": ["Y tế", "Phục vụ hành chính công", "Chính trị", "Phát triển quỹ đất", "Văn hóa - Thể thao",
                  "Văn hóa, Thông tin và Thể thao", "Giáo dục nghề nghiệp - Giáo dục thường xuyên"],
}
def standing_fields(kind: str) -> list[str]:
    """The fields a kind of office ("Sở", "Phòng", "Trung tâm") names its standing bodies by."""
    return _FIELDS.get(kind, [])


_KIND = re.compile(r"^(?P<kind>Phòng|Sở|Trung tâm|TT(?=\s?[A-ZĐ]{2}))\s*")
_CODE = re.compile(r"^(?P<code>[A-ZĐ]{1,5}(?:\s*(?:[-&,]|\bvà\b)\s*[A-ZĐ]{1,5})*)(?P<rest>(?:\s+\S.*)?)$")


def _initials(field: str) -> str:
    return "".join(word[0].upper() for word in re.split(r"[\s,\-–]+", field) if word and word != "và")


def _by_initials() -> dict[str, dict[str, list[str]]]:
    table: dict[str, dict[str, list[str]]] = {}
    for kind, fields in _FIELDS.items():
        for field in fields:
            table.setdefault(kind, {}).setdefault(_initials(field), []).append(field)
    return table


_TABLE = _by_initials()


# a provincial police division by its code alone ("PC06", "PV01", "PA05"): P, the branch's letter, two digits
_DIVISION_CODE = re.compile(r"^P[A-Z]\d{2}$")


def full_office_name(name: str) -> str:
    """"Phòng LĐ-TB&XH" -> "Phòng Lao động - Thương binh và Xã hội", "TTYT huyện" -> "Trung tâm Y tế huyện"; a
    division's code alone, "PC06", is that division, "Phòng PC06" (a code the plan defines is read before this); any
    other name, or a code more than one field of its kind fits, as written."""
    if _DIVISION_CODE.match(name.strip()):
        return f"Phòng {name.strip()}"
    kind = _KIND.match(name)
    if not kind:
        return name
    m = _CODE.match(name[kind.end():])
    if not m:
        return name
    letters = re.sub(r"[^A-ZĐ]", "", m.group("code"))
    office = "Trung tâm" if kind.group("kind") == "TT" else kind.group("kind")
    fields = _TABLE[office].get(letters, [])
    if len(fields) != 1 or letters == m.group("code") and len(letters) < 2:
        return name
    return f"{office} {fields[0]}{m.group('rest')}"

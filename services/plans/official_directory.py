"""The official administrative units (from the pinned `vietnam-provinces` package, 2025 data) as directory commands.

Each unit comes with its People's Committee (UBND), its standing body (the police of that level)
and the other members of its Đề án 06 working group: the agencies the seed plans name at that
level (shared/seeds: a provincial department's plan, a commune's plan). Identifiers are stable
slugs, so loading twice registers nothing new; the official code is carried beside them.

- province: unit_id from the codename ("cao-bang"), code two digits ("04");
- commune (xã, phường, đặc khu): unit_id "<codename>-<code>" ("xa-truong-ha-01392": codenames
  repeat across provinces, and even within one), code five digits ("01392").
"""
from __future__ import annotations

# (agency key, name pattern, head's title, working-group role); {place} is the unit's short name, {kind} its kind.
PROVINCE_AGENCIES = [
    ("ubnd", "Ủy ban nhân dân {place}", "Chủ tịch UBND {kind}", "leader"),
    ("ca", "Công an {place}", "Giám đốc Công an {kind}", "standing_deputy"),
    ("vp", "Văn phòng UBND {place}", "Chánh Văn phòng UBND {kind}", "member"),
    ("stp", "Sở Tư pháp {place}", "Giám đốc Sở Tư pháp", "member"),
    ("skhcn", "Sở Khoa học và Công nghệ {place}", "Giám đốc Sở Khoa học và Công nghệ", "member"),
    ("stc", "Sở Tài chính {place}", "Giám đốc Sở Tài chính", "member"),
    ("syt", "Sở Y tế {place}", "Giám đốc Sở Y tế", "member"),
    ("sgddt", "Sở Giáo dục và Đào tạo {place}", "Giám đốc Sở Giáo dục và Đào tạo", "member"),
    ("snv", "Sở Nội vụ {place}", "Giám đốc Sở Nội vụ", "member"),
    ("bhxh", "Bảo hiểm xã hội {place}", "Giám đốc Bảo hiểm xã hội {kind}", "member"),
]
COMMUNE_AGENCIES = [
    ("ubnd", "Ủy ban nhân dân {place}", "Chủ tịch UBND {kind}", "leader"),
    ("ca", "Công an {place}", "Trưởng Công an {kind}", "standing_deputy"),
    ("vp", "Văn phòng HĐND và UBND {place}", "Chánh Văn phòng HĐND và UBND {kind}", "member"),
    ("mc", "Bộ phận tiếp nhận và trả kết quả {place}", "Trưởng Bộ phận tiếp nhận và trả kết quả", "member"),
    ("vhtt", "Công chức Văn hóa - Thông tin {place}", "Công chức Văn hóa - Thông tin", "member"),
    ("tp", "Công chức Tư pháp - Hộ tịch {place}", "Công chức Tư pháp - Hộ tịch", "member"),
    ("tckt", "Công chức Tài chính - Kế toán {place}", "Công chức Tài chính - Kế toán", "member"),
    ("dc", "Công chức Địa chính {place}", "Công chức Địa chính", "member"),
    ("ldtbxh", "Công chức Lao động - Thương binh và Xã hội {place}", "Công chức Lao động - Thương binh và Xã hội", "member"),
    ("dtn", "Đoàn Thanh niên {place}", "Bí thư Đoàn Thanh niên {kind}", "member"),
]
KIND = {"tỉnh": "tỉnh", "thành phố trung ương": "thành phố", "xã": "xã", "phường": "phường", "đặc khu": "đặc khu"}


def slug(codename: str) -> str:
    return codename.replace("_", "-")


def official_directory(province_codes: set[str] | None = None) -> tuple[list[dict], list[dict]]:
    """(units, agencies) as RegisterUnit / RegisterAgency bodies: provinces then their communes, in official order."""
    from vietnam_provinces import Province
    from vietnam_provinces.lookup import WARD_MAPPING

    units: list[dict] = []
    agencies: list[dict] = []
    provinces = {int(p.code): p for p in Province.iter_all() if province_codes is None or f"{int(p.code):02d}" in province_codes}
    for code, p in provinces.items():
        place = _place(p.name, KIND[p.division_type.value])
        units.append({"unit_id": slug(p.codename), "code": f"{code:02d}", "name": place[0].upper() + place[1:], "level": "province",
                      "head_title": f"Chủ tịch UBND {KIND[p.division_type.value]}"})
        agencies += _agencies(units[-1], PROVINCE_AGENCIES, place)
    for w in WARD_MAPPING.values():
        if int(w.province_code) in provinces:
            place = _place(w.name, KIND[w.division_type.value])
            units.append({"unit_id": f"{slug(w.codename)}-{int(w.code):05d}", "code": f"{int(w.code):05d}", "name": w.name, "level": "commune",
                          "parent_id": slug(provinces[int(w.province_code)].codename), "head_title": f"Chủ tịch UBND {KIND[w.division_type.value]}"})
            agencies += _agencies(units[-1], COMMUNE_AGENCIES, place)
    return units, agencies


def _place(name: str, kind: str) -> str:
    """'xã Trường Hà', 'tỉnh Cao Bằng', 'thành phố Hà Nội': the kind in lower case, then the proper name."""
    proper = name[len(kind):].strip() if name.lower().startswith(kind) else name
    return f"{kind} {proper}"


def _agencies(unit: dict, templates: list[tuple[str, str, str, str]], place: str) -> list[dict]:
    kind = place.split(" ")[0] if not place.startswith(("thành phố", "đặc khu")) else " ".join(place.split(" ")[:2])
    return [
        {"agency_id": f"{key}-{unit['unit_id']}", "unit_id": unit["unit_id"], "name": name.format(place=place), "head_title": title.format(kind=kind),
         "standing_body": role == "standing_deputy", "working_group": role}
        for key, name, title, role in templates
    ]

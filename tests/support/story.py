"""Small API clients that let tests read like the business story."""
from __future__ import annotations

import httpx

PROVINCE, DISTRICT, COMMUNE = "cao-bang", "ha-quang", "truong-ha"


def standing_body(client) -> dict[str, str]:
    """Headers of the province's standing body, which issues the plans of the province and every unit below it."""
    return client.as_("standing_body", PROVINCE)


async def register_hierarchy(plans: httpx.AsyncClient) -> dict[str, str]:
    """A province, a district in it, a commune in that; agencies with heads (as an administrator). Returns agency keys."""
    units = [
        {"unit_id": PROVINCE, "name": "Tỉnh Cao Bằng", "level": "province", "head_name": "Nguyễn Văn Tỉnh"},
        {"unit_id": DISTRICT, "name": "Huyện Hà Quảng", "level": "district", "parent_id": PROVINCE, "head_name": "Trần Văn Huyện"},
        {"unit_id": COMMUNE, "name": "Xã Trường Hà", "level": "commune", "parent_id": DISTRICT, "head_name": "Lê Thị Xã"},
    ]
    for unit in units:
        (await plans.post("/units", json=unit)).raise_for_status()
    agencies = [
        {"agency_id": "ca-xa", "unit_id": COMMUNE, "name": "Công an xã Trường Hà", "head_title": "Trưởng Công an xã",
         "head_name": "Hoàng Văn Công", "standing_body": True},
        {"agency_id": "vp-xa", "unit_id": COMMUNE, "name": "Văn phòng UBND xã Trường Hà", "head_title": "Chánh Văn phòng",
         "head_name": "Phạm Thị Văn"},
        {"agency_id": "tp-xa", "unit_id": COMMUNE, "name": "Công chức Tư pháp - Hộ tịch xã", "head_title": "Công chức Tư pháp",
         "head_name": "Đỗ Văn Pháp"},
    ]
    tokens = {}
    for agency in agencies:
        response = await plans.post("/agencies", json=agency)
        response.raise_for_status()
        tokens[agency["agency_id"]] = response.json()["token"]
    return tokens


def commune_plan(plan_id: str = "kh-32") -> dict:
    return {
        "plan_id": plan_id, "unit_id": COMMUNE, "number": "32/KH-UBND", "title": "Kế hoạch triển khai Đề án 06 năm 2023",
        "issued_on": "2023-03-01",
        "tasks": [
            {"task_id": f"{plan_id}.1", "code": "1.1", "content": "Tham mưu ban hành Kế hoạch triển khai Đề án 06",
             "lead": "ca-xa", "support": ["vp-xa"], "timing": {"raw": "Trong tháng 3 năm 2023", "due": "2023-03-31"}},
            {"task_id": f"{plan_id}.2", "code": "1.2", "content": "Đối chiếu, cập nhật dữ liệu hộ tịch",
             "lead": "tp-xa", "support": ["ca-xa"], "timing": {"raw": "Quý II năm 2023", "due": "2023-06-30"}},
            {"task_id": f"{plan_id}.3", "code": "1.3", "content": "Tuyên truyền về tài khoản định danh điện tử",
             "lead": "vp-xa", "timing": {"raw": "Thường xuyên", "recurring": True}},
        ],
    }

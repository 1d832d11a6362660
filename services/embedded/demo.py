"""A small demo loaded over the services' own APIs: the official Cao Bằng province and its communes, named agencies
of one commune (Xã Trường Hà), a plan, reports."""
from __future__ import annotations

import httpx

from services.embedded.processes import Layout
from services.plans.official_directory import official_directory

PROVINCE, PROVINCE_CODE = "cao-bang", "04"  # Tỉnh Cao Bằng by its official code
COMMUNE = "xa-truong-ha-01392"  # Xã Trường Hà (official code 01392), directly under the province since 1 July 2025
HEAD_NAMES = {PROVINCE: "Hoàng Văn Thạch", COMMUNE: "Lương Thị Mai"}
AGENCIES = [  # these replace the official directory's police, office and justice officer of the commune
    {"agency_id": "ca-truong-ha", "unit_id": COMMUNE, "name": "Công an xã Trường Hà", "head_title": "Trưởng Công an xã",
     "head_name": "Đàm Văn Cường", "standing_body": True, "working_group": "standing_deputy", "email": "truong.ca@truongha.example.vn"},
    {"agency_id": "vp-truong-ha", "unit_id": COMMUNE, "name": "Văn phòng HĐND và UBND xã Trường Hà", "head_title": "Chánh Văn phòng",
     "head_name": "Triệu Thị Lan", "working_group": "member", "email": "vanphong@truongha.example.vn"},
    {"agency_id": "tp-truong-ha", "unit_id": COMMUNE, "name": "Công chức Tư pháp - Hộ tịch xã Trường Hà", "head_title": "Công chức Tư pháp",
     "head_name": "Bế Văn Toàn", "working_group": "member", "email": "tuphap@truongha.example.vn"},
]
REPLACED = {f"{key}-{COMMUNE}" for key in ("ca", "vp", "tp")}
PLAN = {
    "plan_id": "truong-ha-kh-45-2026", "unit_id": COMMUNE, "number": "45/KH-UBND",
    "title": "Kế hoạch triển khai Đề án 06 trên địa bàn xã Trường Hà năm 2026", "issued_on": "2026-09-01",
    "references": ["32/KH-UBND"],
    "tasks": [
        {"task_id": "th45.1", "code": "1.1", "group": 5, "lead": "ca-truong-ha", "support": ["vp-truong-ha"],
         "content": "Tham mưu Chủ tịch UBND xã kiện toàn Tổ công tác triển khai Đề án 06",
         "timing": {"raw": "Trong tháng 9 năm 2026", "due": "2026-09-30"}},
        {"task_id": "th45.2", "code": "1.2", "group": 4, "lead": "tp-truong-ha", "support": ["ca-truong-ha"],
         "content": "Rà soát, đối chiếu, cập nhật dữ liệu hộ tịch vào Cơ sở dữ liệu quốc gia về dân cư",
         "timing": {"raw": "Trước ngày 31/10/2026", "due": "2026-10-31"}},
        {"task_id": "th45.3", "code": "1.3", "group": 3, "lead": "ca-truong-ha",
         "content": "Hướng dẫn người dân kích hoạt tài khoản định danh điện tử mức độ 2",
         "timing": {"raw": "Quý IV năm 2026 và thường xuyên", "due": "2026-12-31", "recurring": True}},
        {"task_id": "th45.4", "code": "1.4", "group": 1, "lead": "vp-truong-ha", "support": ["tp-truong-ha"],
         "content": "Triển khai dịch vụ công trực tuyến toàn trình tại Bộ phận một cửa",
         "timing": {"raw": "Quý I năm 2027", "due": "2027-03-31"}},
        {"task_id": "th45.5", "code": "1.5", "group": 5, "lead": "vp-truong-ha",
         "content": "Tuyên truyền về lợi ích của Đề án 06 trên hệ thống loa truyền thanh",
         "timing": {"raw": "Thường xuyên", "recurring": True}},
        {"task_id": "th45.6", "code": "1.6", "group": 2, "lead": "ca-truong-ha", "support": ["vp-truong-ha"],
         "content": "Triển khai thanh toán không dùng tiền mặt tại chợ xã",
         "timing": {"raw": "Ngay sau khi có hướng dẫn của UBND huyện", "condition": "Ngay sau khi có hướng dẫn của UBND huyện"}},
    ],
}
REPORTS = [
    ("ca-truong-ha", "th45.1", {"status": "done", "progress": 100, "summary": "Đã ban hành Quyết định kiện toàn Tổ công tác",
                                "evidence": {"document_number": "12/QĐ-UBND", "document_date": "2026-09-20", "issuer": "UBND xã Trường Hà"}}),
    ("tp-truong-ha", "th45.2", {"status": "in_progress", "progress": 70, "summary": "Đã đối chiếu 1.250/1.800 trường hợp"}),
    ("ca-truong-ha", "th45.3", {"status": "in_progress", "progress": 55, "summary": "Đã kích hoạt 2.310 tài khoản"}),
    ("vp-truong-ha", "th45.4", {"status": "blocked", "progress": 10, "obstacles": "Thiếu máy quét tại Bộ phận một cửa"}),
]


def load_demo(layout: Layout, admin: str) -> dict | None:
    """Load the demo once, as an administrator and the province's standing body; returns the keys it handed out
    ({"agencies": …, "viewers": …, "standing_bodies": …}), or None when the demo is already there."""
    with httpx.Client(timeout=30, headers={"Authorization": f"Bearer {admin}"}) as client:
        plans, tasks, notify = layout.url("plans"), layout.url("tasks"), layout.url("notify")
        if client.get(f"{plans}/plans/{PLAN['plan_id']}").status_code == 200:
            return None
        units, agencies = official_directory({PROVINCE_CODE})
        units = [{**unit, "head_name": HEAD_NAMES.get(unit["unit_id"])} for unit in units]
        directory = {"units": units, "agencies": [a for a in agencies if a["agency_id"] not in REPLACED]}
        client.post(f"{plans}/directory", json=directory).raise_for_status()
        tokens = {}
        for agency in AGENCIES:
            body = {k: v for k, v in agency.items() if k != "email"}
            response = client.post(f"{plans}/agencies", json=body)
            response.raise_for_status()
            tokens[agency["agency_id"]] = response.json()["token"]
            contact = {"agency_id": agency["agency_id"], "role": "agency_head", "name": agency["head_name"], "email": agency["email"]}
            client.post(f"{notify}/contacts", json=contact).raise_for_status()
        keys = {"agencies": tokens, "viewers": {}, "standing_bodies": {}}
        for unit_id in (PROVINCE, COMMUNE):
            for role, group in (("viewer", "viewers"), ("standing_body", "standing_bodies")):
                response = client.post(f"{plans}/units/{unit_id}/credentials", params={"role": role}, json={})
                keys[group][unit_id] = response.raise_for_status().json()["token"]
        standing = {"Authorization": f"Bearer {keys['standing_bodies'][PROVINCE]}"}
        client.post(f"{plans}/plans", json=PLAN, headers=standing).raise_for_status()
        for agency_id, task_id, report in REPORTS:
            _post_when_known(client, f"{tasks}/tasks/{task_id}/status", report, tokens[agency_id])
        return keys


def _post_when_known(client: httpx.Client, url: str, body: dict, token: str) -> None:
    """The task reaches tasks through Kafka; retry while it is not known there yet (404)."""
    import time

    deadline = time.monotonic() + 60
    while True:
        response = client.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
        if response.status_code != 404 or time.monotonic() > deadline:
            response.raise_for_status()
            return
        time.sleep(0.2)

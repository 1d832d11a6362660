"""A small demo loaded over the services' own APIs: a province, a district, a commune, agencies, a plan, reports."""
from __future__ import annotations

import httpx

from services.embedded.processes import Layout

PROVINCE = "cao-bang"
UNITS = [
    {"unit_id": "cao-bang", "name": "Tỉnh Cao Bằng", "level": "province", "head_name": "Hoàng Văn Thạch",
     "head_contact": {"email": "chutich@caobang.example.vn"}},
    {"unit_id": "ha-quang", "name": "Huyện Hà Quảng", "level": "district", "parent_id": "cao-bang", "head_name": "Nông Văn Hùng",
     "head_contact": {"email": "chutich@haquang.example.vn"}},
    {"unit_id": "truong-ha", "name": "Xã Trường Hà", "level": "commune", "parent_id": "ha-quang", "head_name": "Lương Thị Mai",
     "head_contact": {"email": "chutich@truongha.example.vn"}},
]
AGENCIES = [
    {"agency_id": "ca-truong-ha", "unit_id": "truong-ha", "name": "Công an xã Trường Hà", "head_title": "Trưởng Công an xã",
     "head_name": "Đàm Văn Cường", "standing_body": True, "email": "truong.ca@truongha.example.vn"},
    {"agency_id": "vp-truong-ha", "unit_id": "truong-ha", "name": "Văn phòng HĐND&UBND xã Trường Hà", "head_title": "Chánh Văn phòng",
     "head_name": "Triệu Thị Lan", "email": "vanphong@truongha.example.vn"},
    {"agency_id": "tp-truong-ha", "unit_id": "truong-ha", "name": "Công chức Tư pháp - Hộ tịch xã Trường Hà", "head_title": "Công chức Tư pháp",
     "head_name": "Bế Văn Toàn", "email": "tuphap@truongha.example.vn"},
    {"agency_id": "ca-ha-quang", "unit_id": "ha-quang", "name": "Công an huyện Hà Quảng", "head_title": "Trưởng Công an huyện",
     "head_name": "Lục Văn Sơn", "standing_body": True, "email": "congan@haquang.example.vn"},
    {"agency_id": "ca-cao-bang", "unit_id": "cao-bang", "name": "Công an tỉnh Cao Bằng", "head_title": "Giám đốc Công an tỉnh",
     "head_name": "Vi Văn Hào", "standing_body": True, "email": "congan@caobang.example.vn"},
]
PLAN = {
    "plan_id": "truong-ha-kh-45-2026", "unit_id": "truong-ha", "number": "45/KH-UBND",
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
# notify's digests: twelve tasks of the justice officer fall due through the autumn; with `tiendo clock set` a few months
# ahead they are overdue together and ./var/mail shows one digest per head (and its superiors), not a mail per task.
RECORDS_PLAN = {
    "plan_id": "truong-ha-kh-52-2026", "unit_id": "truong-ha", "number": "52/KH-UBND",
    "title": "Kế hoạch làm sạch dữ liệu hộ tịch trên địa bàn xã Trường Hà năm 2026", "issued_on": "2026-09-15",
    "tasks": [
        {"task_id": f"th52.{n}", "code": f"II.{n}", "group": 4, "lead": "tp-truong-ha", "support": ["ca-truong-ha"],
         "content": f"Rà soát, làm sạch dữ liệu hộ tịch thôn {village}", "timing": {"raw": f"Trước ngày {day}/{month}/2026", "due": f"2026-{month}-{day}"}}
        for n, (village, day, month) in enumerate([
            ("Nà Rụa", "15", "10"), ("Cốc Phát", "20", "10"), ("Bó Mạ", "25", "10"), ("Nà Vạ", "30", "10"), ("Lũng Rì", "05", "11"),
            ("Pác Thay", "10", "11"), ("Khuổi Lừa", "13", "11"), ("Nà Mạ", "17", "11"), ("Đông Chu", "20", "11"),
            ("Nà Ngần", "24", "11"), ("Tổng Ngoảng", "27", "11"), ("Bản Giới", "30", "11")], start=1)
    ],
}
REPORTS = [
    ("ca-truong-ha", "th45.1", {"status": "done", "progress": 100, "summary": "Đã ban hành Quyết định kiện toàn Tổ công tác",
                                "evidence": {"document_number": "12/QĐ-UBND", "document_date": "2026-09-20", "issuer": "UBND xã Trường Hà"}}),
    ("tp-truong-ha", "th45.2", {"status": "in_progress", "progress": 70, "summary": "Đã đối chiếu 1.250/1.800 trường hợp"}),
    ("ca-truong-ha", "th45.3", {"status": "in_progress", "progress": 55, "summary": "Đã kích hoạt 2.310 tài khoản"}),
    ("vp-truong-ha", "th45.4", {"status": "blocked", "progress": 10, "obstacles": "Thiếu máy quét tại Bộ phận một cửa"}),
]


def load_demo(layout: Layout) -> bool:
    """Load the demo once; returns False when it is already there."""
    with httpx.Client(timeout=30) as client:
        plans, tasks = layout.url("plans"), layout.url("tasks")
        if client.get(f"{plans}/units/{UNITS[0]['unit_id']}").status_code == 200:
            return False
        for unit in UNITS:
            client.post(f"{plans}/units", json=unit).raise_for_status()
        tokens = {}
        for agency in AGENCIES:
            body = {**{k: v for k, v in agency.items() if k != "email"}, "head_contact": {"email": agency["email"]}}  # plans hands it to notify
            response = client.post(f"{plans}/agencies", json=body)
            response.raise_for_status()
            tokens[agency["agency_id"]] = response.json()["token"]
        client.post(f"{plans}/plans", json=PLAN).raise_for_status()
        client.post(f"{plans}/plans", json=RECORDS_PLAN).raise_for_status()
        for agency_id, task_id, report in REPORTS:
            _post_when_known(client, f"{tasks}/tasks/{task_id}/status", report, tokens[agency_id])
        return True


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

"""A small demo loaded over the services' own APIs: a province, a district, a commune, agencies, a plan, reports."""
from __future__ import annotations

import httpx

from services.embedded.processes import Layout

PROVINCE = "cao-bang"
UNITS = [
    {"unit_id": "cao-bang", "name": "Tỉnh Cao Bằng", "level": "province", "head_name": "Hoàng Văn Thạch"},
    {"unit_id": "ha-quang", "name": "Huyện Hà Quảng", "level": "district", "parent_id": "cao-bang", "head_name": "Nông Văn Hùng"},
    {"unit_id": "truong-ha", "name": "Xã Trường Hà", "level": "commune", "parent_id": "ha-quang", "head_name": "Lương Thị Mai"},
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
        plans, tasks, notify = layout.url("plans"), layout.url("tasks"), layout.url("notify")
        if client.get(f"{plans}/units/{UNITS[0]['unit_id']}").status_code == 200:
            return False
        for unit in UNITS:
            client.post(f"{plans}/units", json=unit).raise_for_status()
        tokens = {}
        for agency in AGENCIES:
            body = {k: v for k, v in agency.items() if k != "email"}
            response = client.post(f"{plans}/agencies", json=body)
            response.raise_for_status()
            tokens[agency["agency_id"]] = response.json()["token"]
            contact = {"agency_id": agency["agency_id"], "role": "agency_head", "name": agency["head_name"], "email": agency["email"]}
            client.post(f"{notify}/contacts", json=contact).raise_for_status()
        client.post(f"{plans}/plans", json=PLAN).raise_for_status()
        for agency_id, task_id, report in REPORTS:
            _post_when_known(client, f"{tasks}/tasks/{task_id}/status", report, tokens[agency_id])
        load_reporting_demo(client, plans, tasks, tokens, layout)
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


# Reporting: the province's plan with a monthly schedule and targets, the district's plan for its
# communes, and this month's periodic reports, so that the province's monthly report has content.
PROVINCE_AGENCY = {"agency_id": "ca-cao-bang", "unit_id": "cao-bang", "name": "Công an tỉnh Cao Bằng",
                   "head_title": "Giám đốc Công an tỉnh", "head_name": "Vi Văn Định", "standing_body": True}
MONTHLY = {"frequency": "monthly", "day_of_month": 14, "bound": ["child_units", "agencies"], "recipient": "Công an tỉnh",
           "raw": "Định kỳ hằng tháng, trước ngày 14, gửi báo cáo kết quả về Công an tỉnh (cơ quan thường trực)"}
VNEID = {"indicator_id": "vneid-muc-2", "name": "Tài khoản định danh điện tử mức 2 được kích hoạt", "value": 35000,
         "comparator": "above", "rollup": "sum", "year": 2026}
POPULATION = {"indicator_id": "dan-so", "name": "Dân số thường trú", "rollup": "sum"}
CITIZEN_ID = {"indicator_id": "ty-le-cccd", "name": "Tỷ lệ công dân đủ điều kiện được cấp căn cước", "unit_of_measure": "percent",
              "value": 100, "comparator": "equal", "rollup": "average", "base_indicator_id": "dan-so"}
PROVINCE_PLAN = {
    "plan_id": "cao-bang-kh-120-2026", "unit_id": "cao-bang", "number": "120/KH-UBND", "issued_on": "2026-08-15",
    "title": "Kế hoạch triển khai Đề án 06 trên địa bàn tỉnh Cao Bằng năm 2026",
    "reporting_schedules": [{"schedule_id": "bao-cao-thang", **MONTHLY}], "targets": [VNEID, POPULATION, CITIZEN_ID],
    "tasks": [
        {"task_id": "cb120.1", "code": "1", "group": 5, "lead": "ca-cao-bang",
         "content": "Hướng dẫn, kiểm tra các huyện, xã triển khai Đề án 06", "timing": {"raw": "Tháng 10/2026", "due": "2026-10-31"}},
        {"task_id": "cb120.2", "code": "2", "group": 4, "lead": "ca-cao-bang",
         "content": "Tổng hợp, báo cáo kết quả làm sạch dữ liệu dân cư toàn tỉnh", "timing": {"raw": "Tháng 12/2026", "due": "2026-12-31"}},
    ],
}
DISTRICT_PLAN = {
    "plan_id": "ha-quang-kh-88-2026", "unit_id": "ha-quang", "number": "88/KH-UBND", "issued_on": "2026-08-25",
    "title": "Kế hoạch triển khai Đề án 06 trên địa bàn huyện Hà Quảng năm 2026",
    "reporting_schedules": [{"schedule_id": "bao-cao-thang", **MONTHLY, "day_of_month": 12, "recipient": "Công an huyện"}],
    "targets": [{**VNEID, "value": 8000}, POPULATION, CITIZEN_ID],
    "tasks": [{"task_id": "hq88.1", "code": "1", "group": 3, "lead": "ca-ha-quang",
               "content": "Tổ chức cấp căn cước lưu động tại các xã vùng cao", "timing": {"raw": "Quý IV/2026", "due": "2026-12-31"}}],
}
PERIODIC = [  # (agency, plan, for_unit, sections, indicator values)
    ("ca-truong-ha", "ha-quang-kh-88-2026", True,
     {"results": "Kích hoạt 2.310 tài khoản định danh điện tử mức 2; làm sạch 1.250 trường hợp dữ liệu hộ tịch",
      "difficulties": "Thiếu máy quét tại Bộ phận một cửa", "proposals": "Đề nghị huyện hỗ trợ 01 máy quét"},
     {"vneid-muc-2": 2310, "dan-so": 6200, "ty-le-cccd": 96.5}),
    ("ca-ha-quang", "cao-bang-kh-120-2026", True,
     {"results": "Toàn huyện kích hoạt 7.450 tài khoản định danh điện tử mức 2",
      "difficulties": "Sóng di động yếu ở các xã vùng cao", "proposals": "Đề nghị tỉnh bố trí xe cấp căn cước lưu động"},
     {"vneid-muc-2": 7450, "dan-so": 38500, "ty-le-cccd": 97.2}),
]


def load_reporting_demo(client: httpx.Client, plans: str, tasks: str, tokens: dict[str, str], layout: Layout) -> None:
    """The plans with schedules and targets, and this month's periodic reports (by the run's clock)."""
    import time

    from services.runtime.clock import LOCAL_TZ, FileClock

    response = client.post(f"{plans}/agencies", json=PROVINCE_AGENCY)
    response.raise_for_status()
    tokens[PROVINCE_AGENCY["agency_id"]] = response.json()["token"]
    for plan in (PROVINCE_PLAN, DISTRICT_PLAN):
        client.post(f"{plans}/plans", json=plan).raise_for_status()
    period = FileClock(layout.clock_file).now().astimezone(LOCAL_TZ).strftime("%Y-%m")
    for agency_id, plan_id, for_unit, sections, values in PERIODIC:
        body = {"plan_id": plan_id, "schedule_id": "bao-cao-thang", "period": period, "for_unit": for_unit, "sections": sections,
                "indicators": [{"indicator_id": k, "value": v} for k, v in values.items()]}
        deadline = time.monotonic() + 60
        while True:  # tasks learns the plan through Kafka: 404 until then
            response = client.post(f"{tasks}/periodic-reports", json=body, headers={"Authorization": f"Bearer {tokens[agency_id]}"})
            if response.status_code != 404 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        if response.status_code != 201:  # e.g. the run's clock is before the plan: the demo goes on without it
            print(f"tiendo: demo periodic report of {agency_id} for {period} not sent: {response.text}", flush=True)

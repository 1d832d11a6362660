"""A small demo loaded over the services' own APIs: the official Cao Bằng province and its communes, named agencies
of one commune (Xã Trường Hà), a plan, reports."""
from __future__ import annotations

import httpx

from services.embedded.processes import Layout
from services.plans.official_directory import official_directory

PROVINCE, PROVINCE_CODE = "cao-bang", "04"  # Tỉnh Cao Bằng by its official code
COMMUNE = "xa-truong-ha-01392"  # Xã Trường Hà (official code 01392), directly under the province since 1 July 2025
HEAD_NAMES = {PROVINCE: "Hoàng Văn Thạch", COMMUNE: "Lương Thị Mai"}
HEAD_EMAILS = {PROVINCE: "chutich@caobang.example.vn", COMMUNE: "chutich@truongha.example.vn"}  # plans hands them to notify
AGENCY_EMAILS = {"ca-cao-bang": "congan@caobang.example.vn", "vp-cao-bang": "vanphong@caobang.example.vn"}  # the province's police and office
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
# notify's digests: twelve tasks of the justice officer fall due through the autumn; with `tiendo clock set` a few months
# ahead they are overdue together and ./var/mail shows one digest per head (and its superiors), not a mail per task.
RECORDS_PLAN = {
    "plan_id": "truong-ha-kh-52-2026", "unit_id": COMMUNE, "number": "52/KH-UBND",
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


def load_demo(layout: Layout, admin: str) -> dict | None:
    """Load the demo once, as an administrator and the province's standing body; returns the keys it handed out
    ({"agencies": …, "viewers": …, "standing_bodies": …}), or None when the demo is already there."""
    with httpx.Client(timeout=30, headers={"Authorization": f"Bearer {admin}"}) as client:
        plans, tasks = layout.url("plans"), layout.url("tasks")
        if client.get(f"{plans}/plans/{PLAN['plan_id']}").status_code == 200:
            return None
        units, agencies = official_directory({PROVINCE_CODE})
        units = [{**unit, "head_name": HEAD_NAMES.get(unit["unit_id"]),
                  **({"head_contact": {"email": HEAD_EMAILS[unit["unit_id"]]}} if unit["unit_id"] in HEAD_EMAILS else {})}
                 for unit in units]
        agencies = [{**a, **({"head_contact": {"email": AGENCY_EMAILS[a["agency_id"]]}} if a["agency_id"] in AGENCY_EMAILS else {})}
                    for a in agencies if a["agency_id"] not in REPLACED]
        directory = {"units": units, "agencies": agencies}
        client.post(f"{plans}/directory", json=directory).raise_for_status()
        tokens = {}
        for agency in AGENCIES:
            body = {**{k: v for k, v in agency.items() if k != "email"}, "head_contact": {"email": agency["email"]}}  # plans hands it to notify
            response = client.post(f"{plans}/agencies", json=body)
            response.raise_for_status()
            tokens[agency["agency_id"]] = response.json()["token"]
        keys = {"agencies": tokens, "viewers": {}, "standing_bodies": {}}
        for unit_id in (PROVINCE, COMMUNE):
            for role, group in (("viewer", "viewers"), ("standing_body", "standing_bodies")):
                response = client.post(f"{plans}/units/{unit_id}/credentials", params={"role": role}, json={})
                keys[group][unit_id] = response.raise_for_status().json()["token"]
        standing = {"Authorization": f"Bearer {keys['standing_bodies'][PROVINCE]}"}
        client.post(f"{plans}/plans", json=PLAN, headers=standing).raise_for_status()
        client.post(f"{plans}/plans", json=RECORDS_PLAN, headers=standing).raise_for_status()
        for agency_id, task_id, report in REPORTS:
            _post_when_known(client, f"{tasks}/tasks/{task_id}/status", report, tokens[agency_id])
        load_reporting_demo(client, plans, tasks, tokens, layout, standing)
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


# Reporting: the province's plan with a monthly schedule and targets, and this month's periodic reports from two of
# its communes (the others have not reported), so that the province's monthly report has content.
PROVINCE_POLICE = "ca-cao-bang"  # Công an tỉnh Cao Bằng, the province's standing body, from the official directory
SECOND_COMMUNE = "xa-ha-quang-01438"  # Xã Hà Quảng
MONTHLY = {"frequency": "monthly", "day_of_month": 14, "bound": ["child_units", "agencies"], "recipient": "Công an tỉnh",
           "raw": "Định kỳ hằng tháng, trước ngày 14, gửi báo cáo kết quả về Công an tỉnh (cơ quan thường trực)"}
VNEID = {"indicator_id": "vneid-muc-2", "name": "Tài khoản định danh điện tử mức 2 được kích hoạt", "value": 35000,
         "comparator": "above", "rollup": "sum", "year": 2026}
POPULATION = {"indicator_id": "dan-so", "name": "Dân số thường trú", "rollup": "sum"}
CITIZEN_ID = {"indicator_id": "ty-le-cccd", "name": "Tỷ lệ công dân đủ điều kiện được cấp căn cước", "unit_of_measure": "percent",
              "value": 100, "comparator": "equal", "rollup": "average", "base_indicator_id": "dan-so"}
PROVINCE_PLAN = {
    "plan_id": "cao-bang-kh-120-2026", "unit_id": PROVINCE, "number": "120/KH-UBND", "issued_on": "2026-08-15",
    "title": "Kế hoạch triển khai Đề án 06 trên địa bàn tỉnh Cao Bằng năm 2026",
    "reporting_schedules": [{"schedule_id": "bao-cao-thang", **MONTHLY}], "targets": [VNEID, POPULATION, CITIZEN_ID],
    "tasks": [
        {"task_id": "cb120.1", "code": "1", "group": 5, "lead": PROVINCE_POLICE,
         "content": "Hướng dẫn, kiểm tra các xã, phường triển khai Đề án 06", "timing": {"raw": "Tháng 10/2026", "due": "2026-10-31"}},
        {"task_id": "cb120.2", "code": "2", "group": 4, "lead": PROVINCE_POLICE,
         "content": "Tổng hợp, báo cáo kết quả làm sạch dữ liệu dân cư toàn tỉnh", "timing": {"raw": "Tháng 12/2026", "due": "2026-12-31"}},
    ],
}
PERIODIC = [  # (agency, plan, for_unit, sections, indicator values)
    ("ca-truong-ha", "cao-bang-kh-120-2026", True,
     {"results": "Kích hoạt 2.310 tài khoản định danh điện tử mức 2; làm sạch 1.250 trường hợp dữ liệu hộ tịch",
      "difficulties": "Thiếu máy quét tại Bộ phận một cửa", "proposals": "Đề nghị tỉnh hỗ trợ 01 máy quét"},
     {"vneid-muc-2": 2310, "dan-so": 6200, "ty-le-cccd": 96.5}),
    (f"ca-{SECOND_COMMUNE}", "cao-bang-kh-120-2026", True,
     {"results": "Kích hoạt 1.745 tài khoản định danh điện tử mức 2",
      "difficulties": "Sóng di động yếu ở các thôn vùng cao", "proposals": "Đề nghị tỉnh bố trí xe cấp căn cước lưu động"},
     {"vneid-muc-2": 1745, "dan-so": 5400, "ty-le-cccd": 97.2}),
]


def load_reporting_demo(client: httpx.Client, plans: str, tasks: str, tokens: dict[str, str], layout: Layout,
                        standing: dict[str, str]) -> None:
    """The plans with schedules and targets, and this month's periodic reports (by the run's clock)."""
    import time

    from services.runtime.clock import LOCAL_TZ, FileClock

    for agency_id in (PROVINCE_POLICE, f"ca-{SECOND_COMMUNE}"):
        tokens[agency_id] = client.post(f"{plans}/agencies/{agency_id}/credentials", json={}).raise_for_status().json()["token"]
    client.post(f"{plans}/plans", json=PROVINCE_PLAN, headers=standing).raise_for_status()
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

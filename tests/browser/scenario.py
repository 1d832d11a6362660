"""A province for the browser tests, loaded over the services' own APIs as agencies would, with a moving clock.

Bắc Thái province holds Đồng Hỷ district (communes Hóa Thượng and Linh Sơn) and, as after
1 July 2025, a commune directly (Quang Sơn). Tasks land in every bucket by 15/12/2026:
done on time, done late, overdue (40, 200 and 76 days), due soon, not yet due, blocked, waiting, ongoing.
"""
from __future__ import annotations

import time
from datetime import datetime

import httpx

from services.runtime.clock import LOCAL_TZ, FileClock

PROVINCE, DISTRICT, COMMUNE, OTHER, DIRECT = "bac-thai", "dong-hy", "hoa-thuong", "linh-son", "quang-son"
LONG = ("Rà soát, đối chiếu, cập nhật dữ liệu hộ tịch vào Cơ sở dữ liệu quốc gia về dân cư, bảo đảm dữ liệu đúng, đủ, sạch, "
        "sống và hoàn thành việc số hóa sổ hộ tịch lưu trữ tại Ủy ban nhân dân xã trong năm 2026")
UNITS = [
    {"unit_id": PROVINCE, "name": "Tỉnh Bắc Thái", "level": "province"},
    {"unit_id": DISTRICT, "name": "Huyện Đồng Hỷ", "level": "district", "parent_id": PROVINCE},
    {"unit_id": COMMUNE, "name": "Xã Hóa Thượng", "level": "commune", "parent_id": DISTRICT},
    {"unit_id": OTHER, "name": "Xã Linh Sơn", "level": "commune", "parent_id": DISTRICT},
    {"unit_id": DIRECT, "name": "Xã Quang Sơn", "level": "commune", "parent_id": PROVINCE},
]
AGENCIES = [
    {"agency_id": "ca-hoa-thuong", "unit_id": COMMUNE, "name": "Công an xã Hóa Thượng", "head_title": "Trưởng Công an xã", "standing_body": True},
    {"agency_id": "vp-hoa-thuong", "unit_id": COMMUNE, "name": "Văn phòng HĐND và UBND xã Hóa Thượng", "head_title": "Chánh Văn phòng"},
    {"agency_id": "ca-linh-son", "unit_id": OTHER, "name": "Công an xã Linh Sơn", "head_title": "Trưởng Công an xã", "standing_body": True},
    {"agency_id": "ca-quang-son", "unit_id": DIRECT, "name": "Công an xã Quang Sơn", "head_title": "Trưởng Công an xã", "standing_body": True},
]


def task(task_id: str, lead: str, content: str, group: int, raw: str, support: tuple[str, ...] = (), **timing) -> dict:
    return {"task_id": task_id, "code": f"1.{task_id.split('.')[-1]}", "content": content, "group": group, "lead": lead,
            "support": list(support), "timing": {"raw": raw, **timing}}


PLANS = [
    {"plan_id": "ht-kh-12", "unit_id": COMMUNE, "number": "12/KH-UBND", "title": "Kế hoạch triển khai Đề án 06 năm 2026 xã Hóa Thượng",
     "issued_on": "2026-02-15", "tasks": [
        task("ht.1", "ca-hoa-thuong", "Kiện toàn Tổ công tác triển khai Đề án 06 của xã", 5, "Tháng 3/2026", due="2026-03-31"),
        task("ht.2", "vp-hoa-thuong", "Số hóa kết quả giải quyết thủ tục hành chính còn hiệu lực", 1, "Quý II/2026", due="2026-06-30"),
        task("ht.3", "ca-hoa-thuong", LONG, 4, "Trước ngày 05/11/2026", ("vp-hoa-thuong",), due="2026-11-05"),
        task("ht.4", "vp-hoa-thuong", "Triển khai dịch vụ công trực tuyến toàn trình tại Bộ phận một cửa", 1, "Trước 20/12/2026", due="2026-12-20"),
        task("ht.5", "ca-hoa-thuong", "Hướng dẫn người dân kích hoạt tài khoản định danh điện tử mức độ 2", 3, "Quý I/2027", due="2027-03-31"),
        task("ht.6", "vp-hoa-thuong", "Thanh toán không dùng tiền mặt tại chợ xã", 2, "Khi có hướng dẫn", condition="Khi có hướng dẫn của UBND tỉnh"),
        task("ht.7", "ca-hoa-thuong", "Tuyên truyền lợi ích của Đề án 06 trên loa truyền thanh", 5, "Thường xuyên", recurring=True),
    ]},
    {"plan_id": "ls-kh-7", "unit_id": OTHER, "number": "07/KH-UBND", "title": "Kế hoạch Đề án 06 xã Linh Sơn", "issued_on": "2026-02-20",
     "tasks": [task("ls.1", "ca-linh-son", "Làm sạch dữ liệu cư trú trên địa bàn xã", 4, "Tháng 4/2026", due="2026-04-30"),
               task("ls.2", "ca-linh-son", "Cấp căn cước cho công dân từ 14 tuổi", 3, "Tháng 5/2026", due="2026-05-29")]},
    {"plan_id": "qs-kh-3", "unit_id": DIRECT, "number": "03/KH-UBND", "title": "Kế hoạch Đề án 06 xã Quang Sơn", "issued_on": "2026-02-25",
     "tasks": [task("qs.1", "ca-quang-son", "Lắp đặt thiết bị đọc căn cước tại Bộ phận một cửa", 1, "Quý III/2026", due="2026-09-30"),
               task("qs.2", "ca-quang-son", "Tổng kết 4 năm thực hiện Đề án 06", 5, "Tháng 1/2027", due="2027-01-31")]},
]
# (local day the report is made, agency, task, report)
REPORTS = [
    ((2026, 3, 20), "ca-hoa-thuong", "ht.1", {"status": "done", "progress": 100, "summary": "Đã ban hành Quyết định kiện toàn",
                                                   "evidence": {"document_number": "15/QĐ-UBND", "document_date": "2026-03-18", "issuer": "UBND xã Hóa Thượng"}}),
    ((2026, 4, 28), "ca-linh-son", "ls.1", {"status": "done", "progress": 100, "summary": "Đã làm sạch 3.120 hồ sơ",
                                                "evidence": {"document_number": "08/BC-CAX", "document_date": "2026-04-27", "issuer": "Công an xã Linh Sơn"}}),
    ((2026, 8, 5), "vp-hoa-thuong", "ht.2", {"status": "done", "progress": 100, "summary": "Đã số hóa 1.250 hồ sơ",
                                                 "evidence": {"document_number": "30/BC-UBND", "document_date": "2026-08-04", "issuer": "UBND xã Hóa Thượng"}}),
    ((2026, 12, 15), "ca-hoa-thuong", "ht.3", {"status": "in_progress", "progress": 70, "summary": "Đã đối chiếu 1.250/1.800 trường hợp"}),
    ((2026, 12, 15), "ca-hoa-thuong", "ht.5", {"status": "blocked", "progress": 10, "obstacles": "Thiếu thiết bị đọc thẻ căn cước"}),
]
TOTAL_TASKS, OVERDUE = 11, 3


def load(urls: dict[str, str], clock: FileClock, admin: str) -> str:
    """Load the province (as an administrator; plans as its standing body), move the clock through the year, wait until
    reporting has it all; returns a viewer token."""
    clock.set(datetime(2026, 3, 1, 9, 0, tzinfo=LOCAL_TZ))
    with httpx.Client(timeout=30, headers={"Authorization": f"Bearer {admin}"}) as client:
        for unit in UNITS:
            client.post(f"{urls['plans']}/units", json=unit).raise_for_status()
        tokens = {}
        for agency in AGENCIES:
            response = client.post(f"{urls['plans']}/agencies", json=agency)
            response.raise_for_status()
            tokens[agency["agency_id"]] = response.json()["token"]
        standing = client.post(f"{urls['plans']}/units/{PROVINCE}/credentials", params={"role": "standing_body"}, json={})
        standing_body = {"Authorization": f"Bearer {standing.raise_for_status().json()['token']}"}
        for plan in PLANS:
            client.post(f"{urls['plans']}/plans", json=plan, headers=standing_body).raise_for_status()
        for day, agency, task_id, report in REPORTS:
            _move(clock, datetime(*day, 9, 0, tzinfo=LOCAL_TZ))
            _report(client, f"{urls['tasks']}/tasks/{task_id}/status", report, tokens[agency])
        viewer = client.post(f"{urls['plans']}/units/{PROVINCE}/viewer-credential").json()["token"]
        _wait_for_reporting(client, urls["reporting"], viewer)
    return viewer


def _move(clock: FileClock, moment: datetime) -> None:
    """Set every service's clock. A service looks at the clock file at most every RECHECK_SECONDS, so after
    twice that every later reading in every process is the new time: a documented bound, not a guess."""
    if clock.now() < moment:
        clock.set(moment)
        time.sleep(2 * FileClock.RECHECK_SECONDS)


def _report(client: httpx.Client, url: str, body: dict, token: str) -> None:
    """Retry while tasks does not know the task yet (404) or the deadline scanner moved it on (409)."""
    deadline = time.monotonic() + 60
    while True:
        response = client.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
        if response.status_code not in (404, 409) or time.monotonic() > deadline:
            response.raise_for_status()
            return
        time.sleep(0.2)


def _wait_for_reporting(client: httpx.Client, reporting: str, viewer: str) -> None:
    deadline, seen = time.monotonic() + 90, None
    while time.monotonic() < deadline:
        response = client.get(f"{reporting}/units/{PROVINCE}/summary", headers={"Authorization": f"Bearer {viewer}"})
        if response.status_code == 200:
            seen = response.json()["total"]
            if seen["all"] == TOTAL_TASKS and seen["overdue"] == OVERDUE and seen["blocked"] == 1 and seen["done_late"] == 1:
                return
        time.sleep(0.3)
    raise AssertionError(f"reporting did not reach the scenario's figures in time; last seen: {seen}")

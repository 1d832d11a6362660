"""The province's monthly report, end to end: a plan with a schedule and targets, two communes report, a third does not."""
from __future__ import annotations

import io

import docx
import pypdf
import pytest

from tests.support.polling import eventually

pytestmark = pytest.mark.e2e

PROVINCE = "tinh-thu"
COMMUNES = {"xa-an": "Xã An Bình", "xa-phu": "Xã Phú Lộc", "xa-tan": "Xã Tân Lập"}
PLAN = {
    "plan_id": "kh-tinh-thu-06", "unit_id": PROVINCE, "number": "120/KH-UBND", "issued_on": "2026-11-20",
    "title": "Kế hoạch triển khai Đề án 06 trên địa bàn tỉnh năm 2026",
    "reporting_schedules": [{"schedule_id": "thang", "frequency": "monthly", "day_of_month": 14, "bound": ["child_units"],
                             "recipient": "Công an tỉnh", "raw": "Định kỳ hằng tháng, trước ngày 14"}],
    "targets": [{"indicator_id": "vneid", "name": "Tài khoản định danh điện tử mức 2", "value": 35000, "comparator": "above",
                 "rollup": "sum"}],
    "tasks": [{"task_id": "kh-tinh-thu-06.1", "code": "1", "content": "Chỉ đạo các xã rà soát, làm sạch dữ liệu dân cư",
               "lead": "ca-tinh-thu", "timing": {"due": "2026-12-10"}}],
}


async def test_the_provinces_december_report_names_the_commune_that_did_not_report(system):
    plans, tasks, reporting = (system.http[n] for n in ("plans", "tasks", "reporting"))
    system.set_local_time(2026, 12, 10, 9, 0)
    units = [{"unit_id": PROVINCE, "name": "Tỉnh Thử Nghiệm", "level": "province", "head_name": "Nguyễn Văn Tỉnh"},
             *({"unit_id": u, "name": name, "level": "commune", "parent_id": PROVINCE} for u, name in COMMUNES.items())]
    for unit in units:
        (await plans.post("/units", json=unit)).raise_for_status()
    tokens = {}
    agencies = [{"agency_id": "ca-tinh-thu", "unit_id": PROVINCE, "name": "Công an tỉnh", "head_title": "Giám đốc Công an tỉnh",
                 "standing_body": True},
                *({"agency_id": f"ca-{u}", "unit_id": u, "name": f"Công an {name.lower()}", "head_title": "Trưởng Công an xã",
                   "standing_body": True} for u, name in COMMUNES.items())]
    for agency in agencies:
        response = await plans.post("/agencies", json=agency)
        response.raise_for_status()
        tokens[agency["agency_id"]] = response.json()["token"]
    assert (await plans.post("/plans", json=PLAN, headers=plans.as_("standing_body", PROVINCE))).status_code == 201, "plan issued"

    for commune, value in (("xa-an", 21000), ("xa-phu", 16500)):
        body = {"plan_id": PLAN["plan_id"], "schedule_id": "thang", "period": "2026-12", "for_unit": True,
                "sections": {"results": f"Đã kích hoạt {value:,} tài khoản".replace(",", "."), "difficulties": "Thiếu thiết bị đọc thẻ"},
                "indicators": [{"indicator_id": "vneid", "value": value}]}

        async def accepted():
            response = await tasks.post("/periodic-reports", json=body, headers={"Authorization": f"Bearer {tokens[f'ca-{commune}']}"})
            return response.json() if response.status_code == 201 else None

        answer = await eventually(accepted, timeout=90, what=f"tasks to accept {commune}'s periodic report")
        assert answer["on_time"] and answer["revision"] == 1

    await system.view_as(PROVINCE)

    async def both_counted():
        body = (await reporting.get(f"/units/{PROVINCE}/obligations", params={"period": "2026-12"})).json()
        return body if body.get("received") == 2 else None

    owed = await eventually(both_counted, timeout=90, what="reporting to count the two reports")
    assert [r["name"] for r in owed["non_reporters"]] == ["Xã Tân Lập"]

    system.set_local_time(2027, 1, 5, 9, 0)
    word = await reporting.get(f"/units/{PROVINCE}/reports/2026-12", params={"format": "docx"})
    assert word.status_code == 200, word.text
    document = docx.Document(io.BytesIO(word.content))
    rows = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["Xã Tân Lập", "2026-12", "14/12/2026"] in rows
    assert any(r[0] == "Tài khoản định danh điện tử mức 2" and r[2] == "37.500" for r in rows)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Xã An Bình: Đã kích hoạt 21.000 tài khoản" in text and "Kết quả thực hiện Đề án 06 tháng 12 năm 2026" in text

    pdf = await reporting.get(f"/units/{PROVINCE}/reports/2026-12", params={"format": "pdf"})
    assert pdf.headers["content-type"] == "application/pdf"
    pdf_text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Xã Tân Lập" in pdf_text and "Các đơn vị, cơ quan chưa gửi báo cáo" in pdf_text

    refused = await reporting.get(f"/units/{PROVINCE}/reports/2026-13")
    assert refused.status_code == 422 and refused.json()["field"] == "period"

"""plans' HTTP API without its background parts: a plan keeps what it says; a commune draft names the plan above and its tasks' parents."""
from __future__ import annotations

import httpx
import pytest

from services.plans.bootstrap import create_app
from services.runtime.memory_store import MemoryStore
from services.runtime.settings import ServiceSettings
from tests.support.seeds import SEEDS
from tests.support.auth import bearer

SEED = SEEDS / "te-loi-commune-plan-2023.txt"
DISTRICT_PLAN = {"plan_id": "huyen-2023", "unit_id": "huyen", "title": "Kế hoạch triển khai Đề án 06 năm 2023", "number": "32/KH-UBND",
                 "issued_on": "2023-02-28", "issuer": "UBND huyện Nam Đàn",
                 "reporting_schedules": [{"schedule_id": "r1", "frequency": "monthly", "day_of_month": 14}],
                 "tasks": [{"task_id": "huyen.t001", "content": "Tuyên truyền, hướng dẫn người dân cài đặt, kích hoạt tài khoản định danh điện tử",
                            "lead": "ca-huyen"},
                           {"task_id": "huyen.t002", "content": "Rà soát, làm sạch dữ liệu hộ tịch, đất đai", "lead": "ca-huyen"}]}


@pytest.fixture
async def api():
    app = await create_app(ServiceSettings(environment="test", store_url="memory://"), store=MemoryStore())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), headers=bearer(app.state.runtime.settings.token_secret, "administrator", "test-admin"), base_url="http://plans") as client:
        for unit in ({"unit_id": "nghe-an", "name": "Tỉnh Nghệ An", "level": "province"},
                     {"unit_id": "huyen", "name": "Huyện Nam Đàn", "level": "district", "parent_id": "nghe-an"},
                     {"unit_id": "te-loi", "name": "Xã Tế Lợi", "level": "commune", "parent_id": "huyen"}):
            assert (await client.post("/units", json=unit)).status_code == 201
        for agency_id, unit_id, name in (("ca-huyen", "huyen", "Công an huyện"), ("ca", "te-loi", "Công an xã"),
                                         ("vp", "te-loi", "Văn phòng UBND xã")):
            body = {"agency_id": agency_id, "unit_id": unit_id, "name": name, "head_title": "Trưởng"}
            assert (await client.post("/agencies", json=body)).status_code == 201
        client.headers.update(bearer(app.state.runtime.settings.token_secret, "standing_body", "nghe-an"))  # plans are the province's
        yield client


async def test_an_issued_plan_keeps_issuer_level_number_date_and_schedules(api):
    issued = await api.post("/plans", json=DISTRICT_PLAN)
    assert issued.status_code == 201, issued.text
    plan = (await api.get("/plans/huyen-2023")).json()
    assert (plan["issuer"], plan["level"], plan["number"], plan["issued_on"]) == ("UBND huyện Nam Đàn", "district", "32/KH-UBND", "2023-02-28")
    assert plan["reporting_schedules"][0]["day_of_month"] == 14


async def test_a_commune_draft_implements_the_district_plan_and_confirms_a_suggested_parent(api):
    assert (await api.post("/plans", json=DISTRICT_PLAN)).status_code == 201
    draft = (await api.post("/drafts", data={"unit_id": "te-loi"}, files={"file": (SEED.name, SEED.read_bytes(), "text/plain")})).json()
    draft_id = draft["draft_id"]
    refused = await api.get(f"/drafts/{draft_id}/tasks/0/parent-candidates")
    assert refused.status_code == 422 and refused.json()["field"] == "implements"
    unknown = await api.put(f"/drafts/{draft_id}/implements", json={"plan_ids": ["nope"]})
    assert unknown.status_code == 404 and unknown.json()["field"] == "plan_ids.0"
    assert (await api.put(f"/drafts/{draft_id}/implements", json={"plan_ids": ["huyen-2023"]})).status_code == 200

    index = next(n for n, t in enumerate(draft["tasks"]) if "định danh" in t["content"] and "tài khoản" in t["content"])
    candidates = (await api.get(f"/drafts/{draft_id}/tasks/{index}/parent-candidates")).json()
    assert candidates[0]["task_id"] == "huyen.t001", candidates
    wrong = await api.put(f"/drafts/{draft_id}/tasks/{index}/parent", json={"parent_task_id": "huyen.t999"})
    assert wrong.status_code == 404 and wrong.json()["field"] == "parent_task_id"
    assert (await api.put(f"/drafts/{draft_id}/tasks/{index}/parent", json={"parent_task_id": "huyen.t001"})).status_code == 200
    for n, task in enumerate(draft["tasks"]):
        if not task["lead_ids"]:
            await api.patch(f"/drafts/{draft_id}/tasks/{n}", json={"lead_ids": ["vp"]})

    issued = await api.post(f"/drafts/{draft_id}/issue", json={"plan_id": "te-loi-2023"})
    assert issued.status_code == 201, issued.text
    plan = issued.json()
    assert plan["implements"] == ["huyen-2023"] and plan["issuer"] and plan["level"] == "commune"
    assert plan["issued_on"] is None and plan["issued_period"] == "2023-03"  # the plan gives a month only
    assert [s["frequency"] for s in plan["reporting_schedules"]][:1] == ["monthly"]
    assert plan["tasks"][index]["parent_task_id"] == "huyen.t001"

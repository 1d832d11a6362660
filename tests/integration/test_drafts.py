"""A plan document is uploaded, its draft reviewed and corrected, then issued; bad documents are refused whole."""
from __future__ import annotations

from services.plans.bootstrap import create_app as create_plans
from services.tasks.bootstrap import create_app as create_tasks
from tests.support.polling import eventually
from tests.support.seeds import SEEDS
from tests.support.services import running, settings_for

SEED = SEEDS / "te-loi-commune-plan-2023.txt"
AGENCIES = {"ca": "Công an xã", "vp": "Văn phòng UBND xã", "vh": "Công chức Văn hóa và Thông tin",
            "tc": "Công chức Tài chính - Kế toán", "dc": "Công chức Địa chính", "tp": "Công chức Tư pháp"}


async def register_commune(plans) -> None:
    for unit in ({"unit_id": "nghe-an", "name": "Tỉnh Nghệ An", "level": "province"},
                 {"unit_id": "te-loi", "name": "Xã Tế Lợi", "level": "commune", "parent_id": "nghe-an"}):
        assert (await plans.post("/units", json=unit)).status_code == 201
    for agency_id, name in AGENCIES.items():
        body = {"agency_id": agency_id, "unit_id": "te-loi", "name": name, "head_title": "Thủ trưởng"}
        assert (await plans.post("/agencies", json=body)).status_code == 201
    plans.act_as("standing_body", "nghe-an")  # the administrator built the directory; the province's standing body imports plans


async def test_an_uploaded_plan_is_reviewed_corrected_and_issued_as_tasks(broker, tmp_path):
    plans_app = await create_plans(settings_for(broker, tmp_path, "plans"))
    tasks_app = await create_tasks(settings_for(broker, tmp_path, "tasks"))
    async with running(plans_app) as plans, running(tasks_app) as tasks:
        await register_commune(plans)
        uploaded = await plans.post("/drafts", data={"unit_id": "te-loi"}, files={"file": (SEED.name, SEED.read_bytes(), "text/plain")})
        assert uploaded.status_code == 201, uploaded.text
        draft = uploaded.json()
        assert len(draft["tasks"]) >= 50
        first = draft["tasks"][0]
        assert first["lead"] == ["Công an xã"] and first["lead_ids"] == ["ca"]

        unresolved = [n for n, t in enumerate(draft["tasks"]) if not t["lead_ids"]]
        refused = await plans.post(f"/drafts/{draft['draft_id']}/issue", json={"plan_id": "te-loi-2023"})
        if unresolved:  # a task whose lead is not in the directory cannot be issued until a person sets it
            assert refused.status_code == 422 and refused.json()["field"] == f"tasks.{unresolved[0]}.lead_ids"
            for n in unresolved:
                fixed = await plans.patch(f"/drafts/{draft['draft_id']}/tasks/{n}", json={"lead_ids": ["vp"]})
                assert fixed.status_code == 200, fixed.text
        corrected = await plans.patch(f"/drafts/{draft['draft_id']}/tasks/0", json={"timing": {"due": "2023-04-15", "raw": "sửa tay"}})
        assert corrected.json()["tasks"][0]["timing"]["due"] == "2023-04-15"
        bad = await plans.patch(f"/drafts/{draft['draft_id']}/tasks/0", json={"timing": {"due": "15/04/2023"}})
        assert bad.status_code == 422

        issued = await plans.post(f"/drafts/{draft['draft_id']}/issue", json={"plan_id": "te-loi-2023"})
        assert issued.status_code == 201, issued.text
        assert len(issued.json()["task_ids"]) == len(draft["tasks"])
        again = await plans.post(f"/drafts/{draft['draft_id']}/issue", json={"plan_id": "te-loi-2023-b"})
        assert again.status_code == 409

        async def first_task():
            r = await tasks.get("/tasks/te-loi-2023.001")
            return r.json() if r.status_code == 200 else None

        task = await eventually(first_task, timeout=60, what="the issued draft's first task to reach tasks")
        assert task["lead"] == "ca" and task["due"] == "2023-04-15"


async def test_a_document_that_is_not_a_plan_is_refused_and_nothing_is_stored(broker, tmp_path):
    plans_app = await create_plans(settings_for(broker, tmp_path, "plans"))
    async with running(plans_app) as plans:
        await register_commune(plans)
        for name, data in (("x.docx", b"PK\x03\x04 broken zip"), ("empty.txt", b""), ("notes.txt", "Chợ phiên sáng nay đông vui.".encode())):
            response = await plans.post("/drafts", data={"unit_id": "te-loi"}, files={"file": (name, data)})
            assert response.status_code == 422, (name, response.text)
            assert response.headers["content-type"] == "application/problem+json" and response.json()["field"] == "file"
        assert await plans_app.state.runtime.store.find("drafts") == []

"""A plan's life cycle across plans and tasks, on the real bundled broker: cascade, a condition met by a plan issued
above, a deadline extended, shared responsibility, evidence, and the districts abolished on 1 July 2025."""
from __future__ import annotations

from datetime import datetime

from services.plans.bootstrap import create_app as create_plans
from services.runtime.clock import LOCAL_TZ, ManualClock
from services.tasks.bootstrap import create_app as create_tasks
from tests.support.polling import eventually
from tests.support.services import running, settings_for
from tests.support.story import COMMUNE, DISTRICT, PROVINCE, register_hierarchy

DISTRICT_PLAN = {"plan_id": "hq-12", "unit_id": DISTRICT, "number": "12/KH-UBND", "title": "Kế hoạch triển khai Đề án 06 năm 2025",
                 "issued_on": "2025-04-01", "issuer": "UBND huyện Hà Quảng",
                 "tasks": [{"task_id": "hq-12.1", "content": "Rà soát, làm sạch dữ liệu dân cư trên địa bàn", "lead": "ca-huyen",
                            "timing": {"due": "2025-06-30"}}]}
COMMUNE_PLAN = {"plan_id": "th-5", "unit_id": COMMUNE, "number": "05/KH-UBND", "title": "Kế hoạch thực hiện Kế hoạch số 12/KH-UBND",
                "issued_on": "2025-04-10", "implements": ["hq-12"],
                "tasks": [{"task_id": "th-5.1", "content": "Rà soát, làm sạch dữ liệu dân cư của xã", "lead": "vp-xa",
                           "support": ["tp-xa"], "parent_task_id": "hq-12.1", "clause": "II.1", "timing": {"due": "2025-05-31"}},
                          {"task_id": "th-5.2", "content": "Triển khai thanh toán không dùng tiền mặt", "lead": "vp-xa",
                           "timing": {"raw": "Trong vòng 10 ngày kể từ khi có Kế hoạch số 20/KH-UBND của UBND huyện",
                                      "condition": "Trong vòng 10 ngày kể từ khi có Kế hoạch số 20/KH-UBND của UBND huyện"}}]}
EVIDENCE = {"document_number": "31/BC-UBND", "document_date": "2025-05-28", "issuer": "UBND xã Trường Hà"}


async def test_a_commune_plan_carries_out_the_districts_and_lives_through_the_reorganisation(broker, tmp_path):
    clock = ManualClock(datetime(2025, 5, 5, 9, 0, tzinfo=LOCAL_TZ))
    plans_app = await create_plans(settings_for(broker, tmp_path, "plans"), clock=clock)
    tasks_app = await create_tasks(settings_for(broker, tmp_path, "tasks"), clock=clock)
    async with running(plans_app) as plans, running(tasks_app) as tasks:
        tokens = await register_hierarchy(plans)
        police = {"agency_id": "ca-huyen", "unit_id": DISTRICT, "name": "Công an huyện Hà Quảng", "head_title": "Trưởng Công an huyện",
                  "standing_body": True}
        tokens["ca-huyen"] = (await plans.post("/agencies", json=police)).json()["token"]
        as_ = {name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()}
        assert (await plans.post("/plans", json=DISTRICT_PLAN)).status_code == 201
        issued = await plans.post("/plans", json=COMMUNE_PLAN)
        assert issued.status_code == 201, issued.text

        async def task(task_id: str, check=lambda t: True):
            r = await tasks.get(f"/tasks/{task_id}")
            return r.json() if r.status_code == 200 and check(r.json()) else None

        await eventually(lambda: task("th-5.2"), timeout=60, what="tasks to learn the commune plan")

        # the district issues the plan the commune's condition names: the commune task gets its due date
        follow_up = {"plan_id": "hq-20", "unit_id": DISTRICT, "number": "20/KH-UBND", "title": "Kế hoạch thanh toán không dùng tiền mặt",
                     "issued_on": "2025-05-05", "tasks": [{"content": "Hướng dẫn các xã", "lead": "ca-huyen"}]}
        assert (await plans.post("/plans", json=follow_up)).status_code == 201
        met = await eventually(lambda: task("th-5.2", lambda t: t["due"]), timeout=60, what="the condition to be met by plan 20/KH-UBND")
        assert (met["due"], met["condition_met_on"]) == ("2025-05-15", "2025-05-05")

        # the lead asks for more time; the commune's standing body approves; the original stays on record
        asked = await tasks.post("/tasks/th-5.1/extensions", json={"reason": "Chờ dữ liệu hộ tịch", "proposed_due": "2025-06-20"},
                                 headers=as_["vp-xa"])
        assert asked.status_code == 201, asked.text
        decision = f"/tasks/th-5.1/extensions/{asked.json()['request_id']}/decision"
        assert (await tasks.post(decision, json={"approve": True}, headers=as_["ca-huyen"])).status_code == 403
        assert (await tasks.post(decision, json={"approve": True}, headers=as_["ca-xa"])).status_code == 201

        # the lead waits on the justice officer, who reports its own part
        assert (await tasks.post("/tasks/th-5.1/waiting-on", json={"agency_id": "tp-xa", "reason": "Chờ đối chiếu hộ tịch"},
                                 headers=as_["vp-xa"])).status_code == 201
        assert (await tasks.post("/tasks/th-5.1/status", json={"status": "in_progress", "progress": 50}, headers=as_["tp-xa"])).status_code == 201
        shared = (await tasks.get("/tasks/th-5.1")).json()
        assert (shared["due"], shared["original_due"], shared["progress"]) == ("2025-06-20", "2025-05-31", 0)
        assert shared["waiting_on"][0]["agency_id"] == "tp-xa" and shared["parts"][0]["progress"] == 50

        below = (await tasks.get("/tasks/hq-12.1/below")).json()
        assert below["other_units"] == [COMMUNE] and below["done_units"] == []
        bare = await tasks.post("/tasks/th-5.1/status", json={"status": "done", "progress": 100}, headers=as_["vp-xa"])
        assert bare.status_code == 422 and bare.json()["field"] == "evidence"
        clock.set(datetime(2025, 5, 30, 9, 0, tzinfo=LOCAL_TZ))
        done = await tasks.post("/tasks/th-5.1/status", json={"status": "done", "progress": 100, "evidence": EVIDENCE}, headers=as_["vp-xa"])
        assert done.status_code == 201, done.text
        assert (await tasks.get("/tasks/hq-12.1/below")).json()["done_units"] == [COMMUNE]

        # 1 July 2025: districts are abolished; the district's open task moves to the province
        clock.set(datetime(2025, 7, 2, 9, 0, tzinfo=LOCAL_TZ))
        assert (await plans.post("/reorganisations/abolish-level", json={"level": "district", "effective_on": "2025-07-01"})).status_code == 201
        moved = await eventually(lambda: task("hq-12.1", lambda t: t["unit_id"] == PROVINCE), timeout=60, what="the district task to move")
        assert moved["transfers"][0]["from_unit"] == DISTRICT
        assert (await tasks.get("/tasks/th-5.1")).json()["unit_id"] == COMMUNE
        before = {u["unit_id"]: u["parent_id"] for u in (await plans.get("/directory/2025-06-30")).json()}
        after = {u["unit_id"]: u["parent_id"] for u in (await plans.get("/directory/2025-07-01")).json()}
        assert before[COMMUNE] == DISTRICT and after == {PROVINCE: None, COMMUNE: PROVINCE}

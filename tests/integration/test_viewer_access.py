"""A viewer reads its own unit's subtree and nothing else; reporting refuses callers without a viewer credential."""
from __future__ import annotations

from services.plans.bootstrap import create_app as create_plans
from services.reporting.bootstrap import create_app as create_reporting
from services.tasks.bootstrap import create_app as create_tasks
from tests.support.polling import eventually
from tests.support.services import running, settings_for
from tests.support.story import COMMUNE, DISTRICT, PROVINCE, commune_plan, register_hierarchy, standing_body


async def test_a_district_viewer_sees_its_district_and_communes_but_not_the_province(broker, tmp_path):
    plans_app = await create_plans(settings_for(broker, tmp_path, "plans"))
    tasks_app = await create_tasks(settings_for(broker, tmp_path, "tasks"))
    reporting_app = await create_reporting(settings_for(broker, tmp_path, "reporting"))
    async with running(plans_app) as plans, running(tasks_app), running(reporting_app, role=None) as reporting:
        agency_tokens = await register_hierarchy(plans)
        assert (await plans.post("/plans", headers=standing_body(plans), json=commune_plan("kh-view"))).status_code == 201
        district = (await plans.post(f"/units/{DISTRICT}/viewer-credential")).json()["token"]
        as_district = {"Authorization": f"Bearer {district}"}

        async def plan_counted():  # the plan's last task counted in reporting: the reads below see the whole plan
            r = await reporting.get("/tasks/kh-view.3", headers=as_district)
            return r.status_code == 200

        await eventually(plan_counted, timeout=60, what="this plan's tasks in reporting")
        assert (await reporting.get(f"/units/{DISTRICT}/summary", headers=as_district)).status_code == 200
        assert (await reporting.get("/tasks/kh-view.1", headers=as_district)).status_code == 200
        assert [u["unit_id"] for u in (await reporting.get("/units", headers=as_district)).json()] == [DISTRICT]

        above = await reporting.get(f"/units/{PROVINCE}/summary", headers=as_district)
        assert above.status_code == 403 and above.json()["field"] == "unit_id"
        anonymous = await reporting.get(f"/units/{COMMUNE}/summary")
        assert anonymous.status_code == 401 and anonymous.headers["content-type"] == "application/problem+json"
        agency_credential = await reporting.get(f"/units/{COMMUNE}/summary", headers={"Authorization": f"Bearer {agency_tokens['ca-xa']}"})
        assert agency_credential.status_code == 403  # a valid key, of a role that does not read progress

        page = await reporting.get(f"/dashboard/{DISTRICT}", params={"token": district})
        assert page.status_code == 200 and f"/dashboard/{COMMUNE}?lang=vi&amp;token=" in page.text
        assert (await plans.post("/units/nowhere/viewer-credential")).status_code == 404

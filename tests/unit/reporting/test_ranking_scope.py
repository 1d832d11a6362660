"""Rankings for a viewer scoped to a unit: the units below it, never a ranking outside its subtree."""
from __future__ import annotations

from datetime import date, datetime

import httpx
import pytest

from services.reporting.bootstrap import create_app
from services.reporting.handlers.project import project
from services.runtime.clock import LOCAL_TZ, ManualClock
from services.runtime.memory_store import MemoryStore
from services.runtime.settings import ServiceSettings
from tests.support.auth import bearer
from tests.unit.reporting.events import assignment, unit


@pytest.fixture
async def api():
    store = MemoryStore()
    await project([unit("vn", level="province"), unit("tinh", "vn", level="province"), unit("tinh-2", "vn", level="province"),
                   unit("xa-1", "tinh"), unit("xa-2", "tinh"), unit("xa-3", "tinh-2"),
                   assignment("late", "xa-2", date(2023, 3, 1)), assignment("later", "xa-3", date(2023, 2, 1))], store)
    app = await create_app(ServiceSettings(environment="test", store_url="memory://"), store=store,
                           clock=ManualClock(datetime(2023, 3, 20, 9, tzinfo=LOCAL_TZ)))
    secret = app.state.runtime.settings.token_secret
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://reporting") as client:
        yield client, lambda role, subject: bearer(secret, role, subject)


async def test_a_viewer_of_a_province_sees_the_ranking_of_its_communes(api):
    client, as_ = api
    body = (await client.get("/units/tinh/ranking", headers=as_("viewer", "tinh"))).json()
    assert [(r["id"], r["rank"]) for r in body["ranking"]] == [("xa-1", 1), ("xa-2", 2)]
    level = await client.get("/ranking", params={"level": "commune"}, headers=as_("viewer", "tinh"))
    assert level.status_code == 200 and level.json()["within"] == "tinh"
    assert [r["id"] for r in level.json()["ranking"]] == ["xa-1", "xa-2"]  # xa-3 is another province's


async def test_a_viewer_cannot_see_a_ranking_outside_its_subtree(api):
    client, as_ = api
    other = await client.get("/units/tinh-2/ranking", headers=as_("viewer", "tinh"))
    above = await client.get("/units/tinh/ranking", headers=as_("viewer", "xa-1"))
    assert other.status_code == above.status_code == 403
    assert other.headers["content-type"] == "application/problem+json"


async def test_an_administrator_still_ranks_every_commune_nationwide(api):
    client, as_ = api
    body = (await client.get("/ranking", params={"level": "commune"}, headers=as_("administrator", "admin"))).json()
    assert [r["id"] for r in body["ranking"]] == ["xa-1", "xa-2", "xa-3"] and body["within"] is None

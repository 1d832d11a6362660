"""plans' reorganisation API without its background parts: the 2025 reform as dated events; refusals change nothing."""
from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from services.plans.bootstrap import create_app
from services.runtime.clock import LOCAL_TZ, ManualClock
from services.runtime.memory_store import MemoryStore
from services.runtime.settings import ServiceSettings

UNITS = [{"unit_id": "cb", "name": "Tỉnh Cao Bằng", "level": "province"},
         {"unit_id": "hq", "name": "Huyện Hà Quảng", "level": "district", "parent_id": "cb", "established_on": "2020-01-01"},
         {"unit_id": "th", "name": "Xã Trường Hà", "level": "commune", "parent_id": "hq"},
         {"unit_id": "ns", "name": "Xã Nà Sác", "level": "commune", "parent_id": "hq"}]


@pytest.fixture
async def api():
    store = MemoryStore()
    app = await create_app(ServiceSettings(environment="test", store_url="memory://"), store=store,
                           clock=ManualClock(datetime(2025, 7, 10, 9, tzinfo=LOCAL_TZ)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://plans") as client:
        for unit in UNITS:
            assert (await client.post("/units", json=unit)).status_code == 201
        client.store = store
        yield client


async def test_districts_abolished_and_communes_merged_on_1_july_2025_leave_both_trees_answering(api):
    merged = await api.post("/reorganisations/merge", json={"unit_ids": ["ns"], "into": "th", "effective_on": "2025-07-01",
                                                            "legal_basis": "Nghị quyết số 1657/NQ-UBTVQH15"})
    assert merged.status_code == 201, merged.text
    abolished = await api.post("/reorganisations/abolish-level", json={"level": "district", "effective_on": "2025-07-01"})
    assert abolished.status_code == 201, abolished.text
    assert [e["event_type"] for e in abolished.json()] == ["UnitLevelAbolished", "UnitMoved"]
    before = {u["unit_id"]: u["parent_id"] for u in (await api.get("/directory/2025-06-30")).json()}
    after = {u["unit_id"]: u["parent_id"] for u in (await api.get("/directory/2025-07-01")).json()}
    assert before == {"cb": None, "hq": "cb", "th": "hq", "ns": "hq"}
    assert after == {"cb": None, "th": "cb"}
    stream = await api.store.load("directory-reorganisations")
    assert [e.event_type for e in stream] == ["UnitsMerged", "UnitLevelAbolished", "UnitMoved"]


@pytest.mark.parametrize("path, body, status, field", [
    ("/reorganisations/merge", {"unit_ids": ["hq"], "into": "th", "effective_on": "2025-07-01"}, 422, "unit_ids.0"),
    ("/units/th/rename", {"name": "Xã Trường Hà mới", "effective_on": "2025-08-01"}, 422, "effective_on"),
    ("/units/hq/rename", {"name": "Huyện mới", "effective_on": "2019-12-31"}, 422, "effective_on"),
    ("/units/hq/move", {"parent_id": "th", "effective_on": "2025-07-01"}, 422, "parent_id"),
])
async def test_a_bad_reorganisation_is_answered_specifically_and_changes_nothing(api, path, body, status, field):
    refused = await api.post(path, json=body)
    assert refused.status_code == status and refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["field"] == field
    now = {u["unit_id"]: (u["name"], u["parent_id"], u.get("ceased_on")) for u in await api.store.find("units")}
    assert now == {u["unit_id"]: (u["name"], u.get("parent_id"), None) for u in UNITS}
    assert await api.store.load("directory-reorganisations") == []

"""The national directory: the official units load in bulk, idempotently, and answer by slug, code, level and page."""
from __future__ import annotations

import json

import httpx
import pytest

from services.plans.bootstrap import create_app as create_plans
from services.plans.entrypoints import directory_cli
from services.plans.official_directory import official_directory
from tests.support.services import settings_for
from tests.support.auth import bearer

CAO_BANG = "04"


@pytest.fixture
async def plans(tmp_path):
    """plans' HTTP API on its SQLite store; no broker needed (the lifespan is not started: the events wait in the outbox)."""
    app = await create_plans(settings_for("127.0.0.1:1", tmp_path, "plans"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), headers=bearer(app.state.runtime.settings.token_secret, "administrator", "test-admin"), base_url="http://plans") as client:
        yield client


def test_the_official_directory_has_every_province_and_commune_with_its_people():
    units, agencies = official_directory()
    assert sum(u["level"] == "province" for u in units) == 34 and sum(u["level"] == "commune" for u in units) == 3321
    assert len({u["unit_id"] for u in units}) == len(units) and len({a["agency_id"] for a in agencies}) == len(agencies)
    cao_bang = next(u for u in units if u["code"] == CAO_BANG)
    assert cao_bang == {"unit_id": "cao-bang", "code": "04", "name": "Tỉnh Cao Bằng", "level": "province", "head_title": "Chủ tịch UBND tỉnh"}
    police = next(a for a in agencies if a["agency_id"] == "ca-xa-truong-ha-01392")
    assert police["name"] == "Công an xã Trường Hà" and police["head_title"] == "Trưởng Công an xã" and police["standing_body"]


async def test_a_province_loads_in_one_batch_and_again_changes_nothing(plans):
    units, agencies = official_directory({CAO_BANG})
    first = (await plans.post("/directory", json={"units": units, "agencies": agencies})).json()
    assert first["units"] == {"registered": 57, "already": 0, "differing": []} and first["agencies"]["registered"] == len(agencies)
    again = (await plans.post("/directory", json={"units": units, "agencies": agencies})).json()
    assert again["units"] == {"registered": 0, "already": 57, "differing": []} and again["agencies"]["already"] == len(agencies)
    renamed = [{**units[0], "name": "Tỉnh Cao Bằng (mới)"}]
    assert (await plans.post("/directory", json={"units": renamed})).json()["units"]["differing"] == ["cao-bang"]


async def test_units_answer_by_slug_or_official_code_and_page_with_a_total(plans):
    units, agencies = official_directory({CAO_BANG})
    await plans.post("/directory", json={"units": units, "agencies": agencies})
    assert (await plans.get("/units/04")).json()["unit_id"] == "cao-bang"
    assert (await plans.get("/units/01392")).json()["name"] == "Xã Trường Hà"
    assert (await plans.get("/units/99999")).status_code == 404
    page = (await plans.get("/units", params={"level": "commune", "limit": 20, "offset": 40})).json()
    assert page["total"] == 56 and len(page["items"]) == 16 and all(u["level"] == "commune" for u in page["items"])
    assert (await plans.get("/units", params={"level": "province"})).json()["total"] == 1


async def test_each_unit_has_its_working_group(plans):
    units, agencies = official_directory({CAO_BANG})
    await plans.post("/directory", json={"units": units, "agencies": agencies})
    group = (await plans.get("/units/01392/working-group")).json()
    assert group["name"] == "Tổ công tác triển khai Đề án 06 Xã Trường Hà"
    assert group["leader"]["head_title"] == "Chủ tịch UBND xã" and group["leader"]["agency_id"] == "ubnd-xa-truong-ha-01392"
    assert group["standing_deputy"]["name"] == "Công an xã Trường Hà" and group["standing_deputy"]["role"] == "Tổ phó thường trực"
    assert {m["name"] for m in group["members"]} >= {"Văn phòng HĐND và UBND xã Trường Hà", "Công chức Tư pháp - Hộ tịch xã Trường Hà"}
    province = (await plans.get("/units/cao-bang/working-group")).json()
    assert province["standing_deputy"]["head_title"] == "Giám đốc Công an tỉnh"


async def test_a_batch_with_an_invalid_unit_is_refused_whole_naming_the_item(plans):
    units = [{"unit_id": "tinh-a", "name": "Tỉnh A", "level": "province"},
             {"unit_id": "xa-b", "name": "Xã B", "level": "commune", "parent_id": "nowhere"}]
    refused = await plans.post("/directory", json={"units": units})
    assert refused.status_code == 404 and refused.json()["field"] == "units[1].parent_id"
    assert (await plans.get("/units/tinh-a")).status_code == 404


def test_the_command_loads_through_the_bulk_endpoint_in_batches():
    posted = []

    def plans_api(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        posted.append((request.url.path, len(body["units"])))
        count = {"registered": len(body["units"]), "already": 0, "differing": []}
        return httpx.Response(200, json={"units": count, "agencies": {**count, "registered": len(body["agencies"])}})

    units, agencies = official_directory({CAO_BANG})
    with httpx.Client(transport=httpx.MockTransport(plans_api), base_url="http://plans") as client:
        totals = directory_cli.load(client, units, agencies, batch_units=20, progress=False)
    assert posted == [("/directory", 20), ("/directory", 20), ("/directory", 17)]
    assert totals["units"] == 57 and totals["agencies"] == len(agencies)


def test_the_whole_country_goes_in_batches_under_the_body_limit_with_the_administrator_key(monkeypatch):
    seen = []

    def plans_api(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        seen.append((len(request.content), request.headers.get("Authorization")))
        count = {"registered": len(body["units"]), "already": 0, "differing": []}
        return httpx.Response(200, json={"units": count, "agencies": {**count, "registered": len(body["agencies"])}})

    units, agencies = official_directory(None)
    transport = httpx.MockTransport(plans_api)  # a stand-in for plans: the batching is what is checked here
    with httpx.Client(transport=transport, base_url="http://plans", headers={"Authorization": "Bearer k"}) as client:
        totals = directory_cli.load(client, units, agencies, progress=False)
    assert totals["units"] == len(units) > 3000 and totals["agencies"] == len(agencies)
    assert all(size <= directory_cli.MAX_BATCH_BYTES and auth == "Bearer k" for size, auth in seen)
    seen.clear()
    monkeypatch.setattr(directory_cli, "MAX_BATCH_BYTES", 60_000)  # a batch too large for it is split, in order
    with httpx.Client(transport=transport, base_url="http://plans") as client:
        again = directory_cli.load(client, units[:100], agencies, batch_units=100, progress=False)
    assert len(seen) > 1 and all(size <= 60_000 for size, _ in seen) and again["units"] == 100


def test_without_an_administrator_key_the_command_says_so(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TIENDO_KEY", raising=False)
    assert directory_cli.main(["--province", CAO_BANG]) == 2
    assert "administrator key is needed" in capsys.readouterr().err


def test_the_historic_tree_is_refused_plainly_while_the_package_lacks_it(capsys):
    assert directory_cli.main(["--historic"]) == 2
    assert "historic" in capsys.readouterr().err

"""Heads' contacts and notification recipients: administrators see all, a standing body its unit and below, nobody else."""
from __future__ import annotations

import httpx
import pytest

from services.notify.handlers.repository import AGENCIES, UNITS
from tests.support.auth import ServiceClient
from tests.unit.auth.apps import SECRET, build

HEADS = [{"agency_id": "ca-xa", "role": "agency_head", "name": "Hoàng Văn Công", "email": "cong@truongha.gov.vn"},
         {"agency_id": "ca-phuong", "role": "agency_head", "name": "Lê Văn Phường", "email": "phuong@hanoi.gov.vn"}]


@pytest.fixture
async def notify():
    app = await build("notify")
    store = app.state.runtime.store  # notify's copy of the directory, as its consumer of plans' events keeps it
    await store.bulk_put(UNITS, {"cao-bang": {"unit_id": "cao-bang", "parent_id": None},
                                 "truong-ha": {"unit_id": "truong-ha", "parent_id": "cao-bang"},
                                 "ha-noi": {"unit_id": "ha-noi", "parent_id": None}})
    await store.bulk_put(AGENCIES, {"ca-xa": {"agency_id": "ca-xa", "unit_id": "truong-ha"},
                                    "ca-phuong": {"agency_id": "ca-phuong", "unit_id": "ha-noi"}})
    async with ServiceClient(SECRET, transport=httpx.ASGITransport(app=app), base_url="http://notify") as client:
        for head in HEADS:
            assert (await client.post("/contacts", json=head)).status_code == 201
        yield client


async def test_an_administrator_sees_every_contact_and_a_standing_body_those_of_its_unit_and_below(notify):
    assert {c["agency_id"] for c in (await notify.get("/contacts")).json()} == {"ca-xa", "ca-phuong"}
    as_province = notify.as_("standing_body", "cao-bang")
    assert [c["agency_id"] for c in (await notify.get("/contacts", headers=as_province)).json()] == ["ca-xa"]
    assert (await notify.get("/audit", headers=as_province)).status_code == 403  # recipients of every unit: administrators only


async def test_viewers_and_agencies_see_no_personal_data(notify):
    for role, subject in (("viewer", "cao-bang"), ("agency", "ca-xa")):
        for path in ("/contacts", "/audit"):
            refused = await notify.get(path, headers=notify.as_(role, subject))
            assert refused.status_code == 403 and "cong@truongha.gov.vn" not in refused.text


async def test_a_standing_body_registers_contacts_only_within_its_unit_and_the_actor_is_kept(notify):
    as_province = notify.as_("standing_body", "cao-bang")
    foreign = await notify.post("/contacts", json={**HEADS[1], "email": "ke.gian@example.com"}, headers=as_province)
    assert foreign.status_code == 403
    own = await notify.post("/contacts", json={**HEADS[0], "email": "cong.moi@truongha.gov.vn"}, headers=as_province)
    assert own.status_code == 201 and own.json()["registered_by"] == "standing_body:cao-bang"
    assert [c["email"] for c in (await notify.get("/contacts", params={"agency_id": "ca-phuong"})).json()] == ["phuong@hanoi.gov.vn"]

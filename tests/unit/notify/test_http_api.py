"""notify's HTTP API without its background parts: contacts are checked at the edge and errors are problem+json."""
from __future__ import annotations

import httpx
import pytest

from services.notify.bootstrap import create_app
from services.notify.settings import NotifySettings
from services.runtime.memory_store import MemoryStore
from tests.support.auth import ServiceClient
from tests.unit.notify.memory_mailer import MemoryMailer

HEAD = {"agency_id": "ca-xa", "role": "agency_head", "name": "Hoàng Văn Công", "email": "cong.hv@truongha.gov.vn",
        "phone": "+84 912 345 678"}


@pytest.fixture
async def api():
    settings = NotifySettings(environment="test", store_url="memory://")
    app = await create_app(settings, store=MemoryStore(), mailer=MemoryMailer())  # lifespan not started: no broker needed
    secret = app.state.runtime.settings.token_secret
    async with ServiceClient(secret, transport=httpx.ASGITransport(app=app), base_url="http://notify") as client:
        yield client


async def test_a_registered_contact_is_listed_for_its_agency(api):
    created = await api.post("/contacts", json=HEAD)
    assert created.status_code == 201, created.text
    assert created.json()["contact_id"] == "ca-xa.agency_head"
    listed = (await api.get("/contacts", params={"agency_id": "ca-xa"})).json()
    assert [(c["name"], c["email"], c["phone"]) for c in listed] == [("Hoàng Văn Công", "cong.hv@truongha.gov.vn", "+84 912 345 678")]
    assert (await api.get("/contacts", params={"agency_id": "vp-xa"})).json() == []


@pytest.mark.parametrize("bad", ["cong.hv", "cong hv@truongha.gov.vn", "cong@", "@truongha.gov.vn", "cong@-truongha.vn"])
async def test_a_contact_with_a_malformed_email_is_refused_naming_the_field(api, bad):
    refused = await api.post("/contacts", json={**HEAD, "email": bad})
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["field"] == "email"


async def test_the_head_of_an_agency_is_registered_with_the_agency_it_heads(api):
    refused = await api.post("/contacts", json={**HEAD, "agency_id": None, "unit_id": "truong-ha"})
    assert refused.status_code == 422 and refused.json()["field"] == "agency_id"
    chairman = {"unit_id": "truong-ha", "role": "unit_head", "name": "Lê Thị Xã", "email": "chutich@truongha.gov.vn"}
    assert (await api.post("/contacts", json=chairman)).status_code == 201
    assert (await api.post("/contacts", json={**chairman, "unit_id": None})).json()["field"] == "unit_id"


async def test_an_unknown_role_or_field_is_refused(api):
    assert (await api.post("/contacts", json={**HEAD, "role": "minister"})).json()["field"] == "role"
    assert (await api.post("/contacts", json={**HEAD, "address": "x"})).json()["field"] == "address"


async def test_an_unknown_notification_is_not_found_and_the_lists_start_empty(api):
    missing = await api.get("/notifications/nope")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    assert (await api.get("/notifications", params={"status": "delivered"})).json() == []
    assert (await api.get("/notifications", params={"status": "lost"})).status_code == 422
    stats = (await api.get("/stats")).json()
    assert stats == {"deadline_missed_received": 0, "deadline_missed_duplicates": 0,
                     "notifications": {"pending": 0, "delivered": 0, "undeliverable": 0}}

"""notify's HTTP API without its background parts: bad input is a specific problem+json and changes nothing."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import httpx
import pytest

from services.notify.bootstrap import create_app
from services.notify.domain import ack_link
from services.notify.handlers.directory import learn_directory
from services.notify.handlers.intake import resolve_completed, start_items
from services.notify.settings import NotifySettings
from services.runtime.clock import LOCAL_TZ, ManualClock
from tests.support.auth import mint
from services.runtime.memory_store import MemoryStore
from tests.unit.notify.harness import assigned, completed, directory_events, missed
from tests.unit.notify.memory_mailer import MemoryMailer

SECRET = "a-test-secret-long-enough-for-the-settings-check"
ADMIN = {"Authorization": f"Bearer {mint(SECRET, 'administrator', 'root')}"}
HEAD = {"agency_id": "ca-xa", "role": "agency_head", "name": "Hoàng Văn Công", "email": "cong.hv@truongha.gov.vn", "phone": "+84 912 345 678"}
PROBLEM = "application/problem+json"
ITEM = "t1@2026-03-31"


class Api:
    def __init__(self, client: httpx.AsyncClient, app, clock: ManualClock) -> None:
        self.client, self.app, self.clock = client, app, clock
        self.rt = app.state.runtime

    async def receive(self, batch) -> None:
        await learn_directory(batch, self.rt.store)
        await resolve_completed(batch, self.rt.store, self.rt.events)
        await start_items(batch, self.rt.store, self.rt.events, self.clock)

    async def event_count(self) -> int:
        return len(await self.rt.store.read_after(0, 100_000))

    def link(self, expires: datetime, nonce: str = "n1") -> str:
        return ack_link.issue(SECRET, ack_link.AckGrant(ITEM, "vp-xa.agency_head", expires, nonce))


@pytest.fixture
async def api():
    clock = ManualClock(datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ))
    settings = NotifySettings(environment="test", store_url="memory://", token_secret=SECRET, webhook_allowed_hosts=["hooks.example.vn"])
    app = await create_app(settings, store=MemoryStore(), mailer=MemoryMailer(), clock=clock)  # lifespan not started: no broker
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://notify") as client:
        service = Api(client, app, clock)
        await service.receive(directory_events() + assigned("t1", date(2026, 3, 31)) + missed("t1", date(2026, 3, 31)))
        yield service


def problem(response: httpx.Response, status: int, title: str, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["title"] == title, body
    if field:
        assert body["field"] == field, body
    return body


async def test_contacts_need_an_administrators_or_a_standing_bodys_credential(api):
    problem(await api.client.post("/contacts", json=HEAD), 401, "unauthorized")
    clerk = {"Authorization": f"Bearer {mint(SECRET, 'agency', 'vp-xa')}"}
    problem(await api.client.post("/contacts", json=HEAD, headers=clerk), 403, "forbidden")
    police = {"Authorization": f"Bearer {mint(SECRET, 'standing_body', 'truong-ha')}"}  # the commune's standing body
    assert (await api.client.post("/contacts", json=HEAD, headers=police)).status_code == 201
    listed = (await api.client.get("/contacts", params={"agency_id": "ca-xa"}, headers=ADMIN)).json()
    assert [(c["contact_id"], c["email"]) for c in listed] == [("ca-xa.agency_head", "cong.hv@truongha.gov.vn")]


@pytest.mark.parametrize("bad", ["cong.hv", "cong hv@truongha.gov.vn", "cong@", "@truongha.gov.vn"])
async def test_a_contact_with_a_malformed_email_is_refused_naming_the_field(api, bad):
    problem(await api.client.post("/contacts", json={**HEAD, "email": bad}, headers=ADMIN), 422, "invalid request", "email")


@pytest.mark.parametrize("url", ["ftp://hooks.example.vn/x", "hooks.example.vn/x", "http://evil.example.com/hook", "https://127.0.0.1/x"])
async def test_a_webhook_url_not_http_or_outside_the_allowed_hosts_is_refused_and_nothing_is_stored(api, url):
    body = {"channel": "webhook", "webhook_url": url}
    problem(await api.client.put("/contacts/agencies/vp-xa", json=body, headers=ADMIN), 422, "webhook URL not allowed", "webhook_url")
    assert (await api.client.get("/contacts", headers=ADMIN)).json() == []
    ok = await api.client.put("/contacts/agencies/vp-xa", json={**body, "webhook_url": "https://hooks.example.vn/tiendo"}, headers=ADMIN)
    assert ok.status_code == 200, ok.text


async def test_one_put_route_registers_an_agencys_head_or_a_units_chairman_within_the_callers_scope(api):
    police = {"Authorization": f"Bearer {mint(SECRET, 'standing_body', 'truong-ha')}"}
    agency = await api.client.put("/contacts/agencies/vp-xa", json={"email": "lan@truongha.gov.vn"}, headers=police)
    unit = await api.client.put("/contacts/units/truong-ha", json={"email": "ct@truongha.gov.vn"}, headers=police)
    assert (agency.json()["contact_id"], agency.json()["agency_id"]) == ("vp-xa.agency_head", "vp-xa")
    assert (unit.json()["contact_id"], unit.json()["unit_id"], unit.json()["role"]) == ("truong-ha.unit_head", "truong-ha", "unit_head")
    problem(await api.client.put("/contacts/units/cao-bang", json={"email": "ct@caobang.gov.vn"}, headers=police), 403, "forbidden")
    assert (await api.client.put("/contacts/people/x", json={"email": "x@x.vn"}, headers=ADMIN)).status_code == 422
    problem(await api.client.put("/contacts/units/" + "x" * 101, json={"email": "x@x.vn"}, headers=ADMIN), 422, "invalid request", "path.owner_id")
    assert sorted(c["contact_id"] for c in (await api.client.get("/contacts", headers=ADMIN)).json()) == [
        "truong-ha.unit_head", "vp-xa.agency_head"]


async def test_a_policy_that_loops_back_or_names_an_unknown_role_is_refused_and_the_policy_in_force_is_unchanged(api):
    loop = {"policy_id": "x", "rungs": [
        {"after_days": 0, "to": [{"role": "lead_agency_head"}]},
        {"after_days": 7, "to": [{"role": "chairman"}]},
        {"after_days": 14, "to": [{"role": "lead_agency_head"}]}]}
    body = problem(await api.client.put("/policies/levels/commune", json=loop, headers=ADMIN), 422, "escalation policy does not climb", "rungs.2.to")
    assert "loop" in body["detail"]
    down = {"policy_id": "x", "rungs": [{"after_days": 0, "to": [{"role": "chairman", "up": 1}]}, {"after_days": 5, "to": [{"role": "chairman"}]}]}
    problem(await api.client.put("/policies/levels/commune", json=down, headers=ADMIN), 422, "escalation policy does not climb", "rungs.1.to")
    unknown = {"policy_id": "x", "rungs": [{"after_days": 0, "to": [{"role": "minister"}]}]}
    problem(await api.client.put("/policies/plans/kh-32", json=unknown, headers=ADMIN), 422, "invalid request", "rungs.0.to.0.role")
    in_force = (await api.client.get("/policies/in-force", params={"plan_id": "kh-32", "unit_id": "truong-ha"}, headers=ADMIN)).json()
    assert in_force["policy_id"] == "default:commune"


async def test_an_acknowledgement_with_a_date_in_the_past_or_for_a_resolved_item_is_refused_and_changes_nothing(api):
    before = await api.event_count()
    past = {"note": "Đang xử lý", "expected_on": "2026-03-30"}
    problem(await api.client.post(f"/escalations/{ITEM}/acknowledgement", json=past, headers=ADMIN), 422, "expected date in the past", "expected_on")
    problem(await api.client.post("/escalations/nope/acknowledgement", json={**past, "expected_on": "2026-05-01"}, headers=ADMIN),
            404, "no such escalation item", "item_id")
    assert await api.event_count() == before
    await api.receive(completed("t1", date(2026, 4, 1)))
    resolved = await api.event_count()
    problem(await api.client.post(f"/escalations/{ITEM}/acknowledgement", json={**past, "expected_on": "2026-05-01"}, headers=ADMIN),
            409, "escalation item already resolved", "item_id")
    assert await api.event_count() == resolved


async def test_an_acknowledgement_by_http_pauses_the_item_and_is_shown_to_the_dashboard(api):
    head = {"Authorization": f"Bearer {mint(SECRET, 'agency', 'vp-xa')}"}
    done = await api.client.post(f"/escalations/{ITEM}/acknowledgement", json={"note": "Đang rà soát", "expected_on": "2026-04-20"}, headers=head)
    assert done.status_code == 201, done.text
    [shown] = (await api.client.get("/escalations", params={"unit_id": "truong-ha"}, headers=ADMIN)).json()
    assert shown["acknowledged"] == {"by": "vp-xa.agency_head", "note": "Đang rà soát", "until": "2026-04-20", "via": "http"}
    other = {"Authorization": f"Bearer {mint(SECRET, 'agency', 'tp-xa')}"}
    problem(await api.client.post(f"/escalations/{ITEM}/acknowledgement", json={"note": "x", "expected_on": "2026-04-20"}, headers=other),
            403, "forbidden", "item_id")


async def test_an_expired_a_reused_or_a_forged_acknowledgement_link_is_refused_and_changes_nothing(api):
    form = {"note": "Đã giao cán bộ xử lý", "expected_on": "2026-04-15"}
    expired = api.link(api.clock.now() - timedelta(seconds=1))
    problem(await api.client.post(f"/ack/{expired}", data=form), 403, "acknowledgement link expired", "token")
    problem(await api.client.get(f"/ack/{expired}"), 403, "acknowledgement link expired", "token")
    good = api.link(api.clock.now() + timedelta(days=14))
    problem(await api.client.post(f"/ack/{good[:-2]}xx", data=form), 403, "acknowledgement link not valid", "token")
    before = await api.event_count()
    assert (await api.client.get(f"/ack/{good}")).status_code == 200
    used = await api.client.post(f"/ack/{good}", data=form)
    assert used.status_code == 201, used.text
    assert used.json()["acknowledged"]["via"] == "link" and used.json()["acknowledged"]["until"] == "2026-04-15"
    assert await api.event_count() == before + 1
    problem(await api.client.post(f"/ack/{good}", data=form), 409, "acknowledgement link already used", "token")
    assert await api.event_count() == before + 1


async def test_the_inbox_is_the_recipients_own_lists_digests_and_marks_them_read_and_the_audit_says_who_what_when(api):
    await api.client.put("/contacts/agencies/vp-xa", json={"email": "van@truongha.gov.vn", "name": "Phạm Thị Văn"}, headers=ADMIN)
    loop = api.app.state.escalation_loop
    await loop.run_once()
    api.clock.advance(timedelta(seconds=30))
    await loop.run_once()
    head = {"Authorization": f"Bearer {mint(SECRET, 'agency', 'vp-xa')}"}
    [message] = (await api.client.get("/inbox/vp-xa.agency_head", headers=head)).json()
    assert message["items"] == [ITEM] and message["read_at"] is None and "Kính gửi: Đồng chí Phạm Thị Văn" in message["text"]
    other = {"Authorization": f"Bearer {mint(SECRET, 'agency', 'tp-xa')}"}
    problem(await api.client.get("/inbox/vp-xa.agency_head", headers=other), 403, "forbidden", "contact_id")
    read = await api.client.post(f"/inbox/vp-xa.agency_head/{message['digest_id']}/read", headers=head)
    assert read.status_code == 200 and read.json()["read_at"] == api.clock.now().isoformat()
    assert (await api.client.get("/inbox/vp-xa.agency_head", params={"unread": True}, headers=head)).json() == []
    problem(await api.client.get("/audit"), 401, "unauthorized")
    audit = (await api.client.get("/audit", params={"item_id": ITEM}, headers=ADMIN)).json()
    assert {(a["contact_id"], a["channel"], a["outcome"], a["attempt"]) for a in audit} == {
        ("vp-xa.agency_head", "email", "delivered", 1), ("vp-xa.agency_head", "inbox", "delivered", 1)}
    assert all(a["at"] == api.clock.now().isoformat() and a["what"].startswith("[tiendo] 1 nhiệm vụ quá hạn") for a in audit)
    silence = {"starts_at": "2026-04-01T00:00:00+07:00", "ends_at": "2026-04-05T00:00:00+07:00", "plan_id": "kh-32", "comment": "Tết xã"}
    assert (await api.client.post("/silences", json=silence, headers=ADMIN)).status_code == 201
    problem(await api.client.post("/silences", json={**silence, "plan_id": None}, headers=ADMIN), 422, "invalid request")
    assert [s["plan_id"] for s in (await api.client.get("/silences", headers=ADMIN)).json()] == ["kh-32"]
    alerts = (await api.client.get("/alerts", headers=ADMIN)).json()
    assert any(a["contact_id"] == "ca-xa.agency_head" for a in alerts)  # the standing body copied has no contact: an alert


async def test_who_was_told_is_named_to_administrators_and_standing_bodies_but_only_as_a_role_to_viewers(api):
    store = api.rt.store
    await store.put("contacts", "ca-xa.agency_head", {"contact_id": "ca-xa.agency_head", **HEAD})
    view = await store.get("items", ITEM)
    await store.put("items", ITEM, {**view, "told": {"ca-xa.agency_head": 1}, "told_at": {"ca-xa.agency_head": "2026-04-01T09:00:00+07:00"}})
    viewer = {"Authorization": f"Bearer {mint(SECRET, 'viewer', 'truong-ha')}"}
    standing = {"Authorization": f"Bearer {mint(SECRET, 'standing_body', 'truong-ha')}"}
    for headers, name in ((ADMIN, HEAD["name"]), (standing, HEAD["name"]), (viewer, None)):
        [listed] = (await api.client.get("/escalations", params={"unit_id": "truong-ha"}, headers=headers)).json()
        one = (await api.client.get(f"/escalations/{ITEM}", headers=headers)).json()
        for shown in (listed, one):
            assert shown["told"] == [{"contact_id": "ca-xa.agency_head", "name": name, "rung": 1, "at": "2026-04-01T09:00:00+07:00"}]


async def test_the_loop_figures_say_when_the_first_pass_ended_and_only_administrators_read_them(api):
    problem(await api.client.get("/stats/loop"), 401, "unauthorized")
    before = (await api.client.get("/stats/loop", headers=ADMIN)).json()
    assert before["first_pass"] is None and before["passes"]["full"] == 0
    await api.app.state.escalation_loop.run_once()
    after = (await api.client.get("/stats/loop", headers=ADMIN)).json()
    assert after["passes"]["full"] == 1 and after["first_pass"]["ended_at"] > 0 and after["first_pass"]["wall_s"] >= 0

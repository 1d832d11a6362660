"""tasks' HTTP API of the life cycle, without its background parts: each bad input answered specifically, nothing changed."""
from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from datetime import datetime, timezone

import httpx
import pytest

from schemas.catalog import Event
from schemas.directory import AgencyRegistered
from schemas.envelope import Payload
from services.runtime.clock import ManualClock
from services.runtime.credentials import AGENCY, issue_token
from services.runtime.events import Cause, envelop
from services.runtime.memory_store import MemoryStore
from services.runtime.settings import ServiceSettings
from services.tasks.bootstrap import create_app
from services.tasks.handlers.assign import accept_assignments
from services.tasks.handlers.standing import remember_standing_bodies
from tests.unit.tasks.given import assigned

SECRET = "test-secret"
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def bearer(agency_id: str) -> dict:
    return {"Authorization": f"Bearer {issue_token(SECRET, AGENCY, agency_id)}"}


def events(*payloads: Payload) -> list[Event]:
    return [Event(e, p) for e, p in zip(envelop("plans", 0, payloads, Cause("plans", str(uuid.uuid4())), NOW), payloads)]


@pytest.fixture
async def api():
    store, clock = MemoryStore(), ManualClock(NOW)
    app = await create_app(ServiceSettings(environment="test", store_url="memory://", token_secret=SECRET), clock=clock, store=store)
    rt = app.state.runtime
    await remember_standing_bodies(events(AgencyRegistered(agency_id="ca-xa", unit_id="xa", name="Công an xã", head_title="Trưởng Công an",
                                                           standing_body=True)), store)
    await accept_assignments(events(assigned(), assigned(task_id="t2", timing={"condition": "Ngay sau khi có hướng dẫn của huyện",
                                                                                "condition_rule": {"immediately": True}})), store, rt.events)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tasks") as client:
        client.runtime = rt  # for the steps that stand for the consumers and the scanner
        yield client


async def test_a_condition_is_declared_by_the_standing_body_of_the_issuing_unit_once(api):
    refused = await api.post("/tasks/t2/condition", json={}, headers=bearer("vp"))
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
    declared = await api.post("/tasks/t2/condition", json={"met_on": "2026-11-18", "document": "Hướng dẫn số 3/HD-UBND"},
                              headers=bearer("ca-xa"))
    assert declared.status_code == 201, declared.text
    assert (await api.get("/tasks/t2")).json()["due"] == "2026-11-25"  # "ngay" = 7 days by default
    met = (await api.runtime.store.load("task-t2"))[-1]
    assert (met.event_type, met.payload["document"], met.payload["declared_by"]) == ("ConditionMet", "Hướng dẫn số 3/HD-UBND", "ca-xa")
    twice = await api.post("/tasks/t2/condition", json={}, headers=bearer("ca-xa"))
    assert twice.status_code == 409 and twice.json()["field"] == "condition"


async def test_an_extension_is_asked_by_the_lead_and_approved_only_by_the_standing_body(api):
    before_today = await api.post("/tasks/t1/extensions", json={"reason": "x", "proposed_due": "2026-11-19"}, headers=bearer("ca"))
    assert before_today.status_code == 422 and before_today.json()["field"] == "proposed_due"
    asked = await api.post("/tasks/t1/extensions", json={"reason": "Chờ số liệu", "proposed_due": "2026-12-31"}, headers=bearer("ca"))
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["request_id"]
    by_lead = await api.post(f"/tasks/t1/extensions/{request_id}/decision", json={"approve": True}, headers=bearer("ca"))
    assert by_lead.status_code == 403
    assert (await api.get("/tasks/t1")).json()["due"] == "2026-11-30"
    approved = await api.post(f"/tasks/t1/extensions/{request_id}/decision", json={"approve": True}, headers=bearer("ca-xa"))
    assert approved.status_code == 201, approved.text
    task = (await api.get("/tasks/t1")).json()
    assert (task["due"], task["original_due"]) == ("2026-12-31", "2026-11-30")


async def test_the_lead_marks_a_wait_on_a_coordinating_agency(api):
    waited = await api.post("/tasks/t1/waiting-on", json={"agency_id": "vp", "reason": "Chờ danh sách"}, headers=bearer("ca"))
    assert waited.status_code == 201
    assert (await api.get("/tasks/t1")).json()["waiting_on"][0]["agency_id"] == "vp"
    assert (await api.post("/tasks/t1/waiting-on", json={"agency_id": "tp", "reason": "x"}, headers=bearer("vp"))).status_code == 403
    assert (await api.delete("/tasks/t1/waiting-on/vp", headers=bearer("ca"))).status_code == 200
    assert (await api.get("/tasks/t1")).json()["waiting_on"] == []


async def test_done_needs_evidence_and_an_attachment_must_be_what_its_name_says(api):
    bare = await api.post("/tasks/t1/status", json={"status": "done", "progress": 100}, headers=bearer("ca"))
    assert bare.status_code == 422 and bare.json()["field"] == "evidence"
    evidence = {"document_number": "123/QĐ-UBND", "document_date": "2026-11-19", "issuer": "UBND xã"}
    malformed = await api.post("/tasks/t1/status", json={"status": "done", "progress": 100, "evidence": {**evidence, "document_number": "QĐ 123"}},
                               headers=bearer("ca"))
    assert malformed.status_code == 422 and malformed.json()["field"].endswith("document_number")
    fake = await api.post("/tasks/t1/attachments", files={"file": ("quyet-dinh.pdf", _docx())}, headers=bearer("ca"))
    assert fake.status_code == 422 and fake.json()["field"] == "file" and "Word" in fake.json()["detail"]
    uploaded = await api.post("/tasks/t1/attachments", files={"file": ("quyet-dinh.pdf", PDF, "application/octet-stream")}, headers=bearer("ca"))
    assert uploaded.status_code == 201, uploaded.text
    attachment = uploaded.json()
    assert attachment == {"sha256": hashlib.sha256(PDF).hexdigest(), "filename": "quyet-dinh.pdf", "media_type": "application/pdf", "size": len(PDF)}
    assert (await api.get("/tasks/t1")).json()["status"] == "not_started"
    done = await api.post("/tasks/t1/status", json={"status": "done", "progress": 100, "evidence": {**evidence, "attachments": [attachment]}},
                          headers=bearer("ca"))
    assert done.status_code == 201, done.text
    task = (await api.get("/tasks/t1")).json()
    assert task["evidence"]["document_number"] == "123/QĐ-UBND" and task["evidence"]["attachments"][0]["sha256"] == attachment["sha256"]
    download = await api.get(f"/tasks/t1/attachments/{attachment['sha256']}")
    assert download.content == PDF and download.headers["content-type"] == "application/pdf"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


async def test_a_plan_issued_under_the_number_a_condition_names_meets_it(api):
    from schemas.plans import PlanIssued
    from services.tasks.handlers.conditions import meet_conditions_by_plans

    rt = api.runtime
    await accept_assignments(events(assigned(task_id="t3", timing={"condition": "Trong vòng 10 ngày kể từ khi có Kế hoạch số 45/KH-UBND",
                                                                   "condition_rule": {"days_after": 10}})), rt.store, rt.events)
    other = PlanIssued(plan_id="khac", unit_id="huyen", number="46/KH-UBND", title="Kế hoạch khác", issued_on="2026-11-15")
    named = PlanIssued(plan_id="kh45", unit_id="huyen", number="45/KH-UBND", title="Kế hoạch chuyển đổi số", issued_on="2026-11-15")
    assert await meet_conditions_by_plans(events(other), rt.store, rt.events, rt.clock, 7) == 0
    assert await meet_conditions_by_plans(events(named), rt.store, rt.events, rt.clock, 7) == 1
    assert await meet_conditions_by_plans(events(named), rt.store, rt.events, rt.clock, 7) == 0  # redelivered: nothing again
    task = (await api.get("/tasks/t3")).json()
    assert (task["due"], task["condition_met_on"]) == ("2026-11-25", "2026-11-15")
    assert (await api.get("/tasks/t2")).json()["due"] is None


async def test_the_scanner_misses_a_recurring_task_per_period_and_never_as_overdue(api):
    from datetime import timedelta

    from services.tasks.handlers.scan import scan_deadlines

    rt = api.runtime
    await accept_assignments(events(assigned(task_id="t4", timing={"recurring": True, "due": "2026-11-21"},
                                             schedule={"schedule_id": "r1", "frequency": "monthly", "day_of_month": 14})), rt.store, rt.events)
    rt.clock.advance(timedelta(days=26))  # 16 December
    assert await scan_deadlines(rt.store, rt.events, rt.clock) == 2  # t1 overdue as a whole; t4 misses December's report
    task = (await api.get("/tasks/t4")).json()
    assert task["missed_periods"] == ["2026-12"] and task["missed"] == []
    assert await scan_deadlines(rt.store, rt.events, rt.clock) == 0


async def test_below_a_province_item_are_the_units_that_did_their_part_and_those_late(api):
    from datetime import timedelta

    rt = api.runtime
    await accept_assignments(events(assigned(task_id="xa1.t1", unit_id="xa1", parent_task_id="t1", timing={"due": "2026-11-25"}),
                                    assigned(task_id="xa2.t1", unit_id="xa2", parent_task_id="t1", timing={"due": "2026-12-25"}),
                                    assigned(task_id="thon.t1", unit_id="thon", parent_task_id="xa2.t1", timing={"due": "2026-12-20"})),
                             rt.store, rt.events)
    rt.clock.advance(timedelta(days=10))
    below = (await api.get("/tasks/t1/below")).json()
    assert (below["late_units"], below["other_units"]) == (["xa1"], ["thon", "xa2"])
    assert {t["task_id"]: t["depth"] for t in below["tasks"]} == {"xa1.t1": 1, "xa2.t1": 1, "thon.t1": 2}

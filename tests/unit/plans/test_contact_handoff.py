"""plans hands heads' contacts to notify's API and keeps none: not in its events, not in its directory, not after the handover."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import httpx

from schemas.directory import RegisterAgency, RegisterUnit
from services.plans.contact_handoff import HANDOFFS, ContactHandoff
from services.plans.handlers.directory import register_agency, register_unit
from services.runtime.clock import ManualClock
from services.runtime.credentials import verify_token
from services.runtime.eventlog import EventLog
from services.runtime.events import Cause
from services.runtime.memory_store import MemoryStore

CAUSE = Cause("test", "c")


async def registered() -> MemoryStore:
    store = MemoryStore()
    events = EventLog(store, ManualClock(datetime(2026, 11, 1, tzinfo=timezone.utc)))
    await register_unit(RegisterUnit(unit_id="x", name="Xã X", level="province", head_contact={"email": "ct@x.vn"}), store, events, CAUSE)
    await register_agency(RegisterAgency(agency_id="a", unit_id="x", name="Công an", head_title="Trưởng", head_name="Lê Văn A",
                                         head_contact={"email": "a@x.vn", "phone": "0912 345 678"}), store, events, CAUSE)
    return store


async def test_the_contact_is_in_no_event_and_no_directory_view_only_waiting_for_the_handover():
    store = await registered()
    logged = json.dumps([s.envelope.model_dump(mode="json") for s in await store.read_after(0, 100)])
    assert "a@x.vn" not in logged and "ct@x.vn" not in logged and "0912" not in logged
    assert "head_contact" not in await store.get("agencies", "a")
    assert {d["owner"]: d["email"] for d in await store.find(HANDOFFS)} == {"x": "ct@x.vn", "a": "a@x.vn"}


async def test_the_handover_puts_each_contact_with_plans_service_credential_and_forgets_it_once_notify_has_it():
    store = await registered()
    seen, answers = [], {"units": 503, "agencies": 200}

    def notify(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path, json.loads(request.content)))
        claims = verify_token("s" * 32, request.headers["authorization"].removeprefix("Bearer "), datetime.now(timezone.utc))
        assert (claims.role, claims.subject) == ("administrator", "service-plans")  # plans' own short-lived key
        return httpx.Response(answers[request.url.path.split("/")[2]], json={})

    handoff = ContactHandoff(store, "http://notify", "s" * 32)
    async with httpx.AsyncClient(transport=httpx.MockTransport(notify)) as client:
        assert await handoff.run_once(client) == 1
        assert [d["owner"] for d in await store.find(HANDOFFS)] == ["x"]  # notify was down for this one: kept, tried again
        answers["units"] = 422
        assert await handoff.run_once(client) == 0
        assert (await store.find(HANDOFFS))[0]["refused"]  # refused: kept with the reason, not retried blindly
        assert await handoff.run_once(client) == 0
    assert ("PUT", "/contacts/agencies/a", {"name": "Lê Văn A", "email": "a@x.vn", "phone": "0912 345 678", "channel": "email",
                                            "language": "vi"}) in seen
    assert len([s for s in seen if s[1] == "/contacts/units/x"]) == 2

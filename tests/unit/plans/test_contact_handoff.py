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
    # the phone as given and as bare digits ("0912" alone also turns up in an event_id's hex: 11 runs in 20,000)
    assert "a@x.vn" not in logged and "ct@x.vn" not in logged and "0912 345 678" not in logged and "0912345678" not in logged
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


async def test_an_append_wakes_the_handover_at_once_instead_of_waiting_for_the_next_pass():
    import asyncio

    from tests.support.polling import eventually

    store = await registered()  # two contacts waiting: the first pass hands them over
    put: list[str] = []

    def notify(request: httpx.Request) -> httpx.Response:
        put.append(request.url.path)
        return httpx.Response(200, json={})

    handoff = ContactHandoff(store, "http://notify", "s" * 32, retry_seconds=3600)  # no pass of its own within the test
    events = EventLog(store, ManualClock(datetime(2026, 11, 1, tzinfo=timezone.utc)), on_append=handoff.wake)
    running = asyncio.create_task(handoff.run(httpx.AsyncClient(transport=httpx.MockTransport(notify))))
    try:
        async def first_pass_done():
            return len(put) == 2 and not await store.find(HANDOFFS)

        await eventually(first_pass_done, timeout=5, what="the first pass")
        await register_unit(RegisterUnit(unit_id="y", name="Xã Y", level="province", head_contact={"email": "ct@y.vn"}), store, events, CAUSE)

        async def handed():
            return put[2:] == ["/contacts/units/y"] and not await store.find(HANDOFFS)

        await eventually(handed, timeout=5, what="the contact to be handed over after the append woke the loop")
    finally:
        running.cancel()

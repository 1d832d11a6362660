"""A head acknowledges an item with a remediation note and an expected date: escalation pauses until then.

By HTTP (an authenticated caller) or by the signed link in the e-mail (single use: its nonce is recorded).
Refusals (resolved item, past date, expired or used link) change nothing.
"""
from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict, Field

from services.notify.domain import ack_link, item as items
from services.notify.domain.errors import ItemUnknown, LinkUsed
from services.notify.handlers.repository.items import apply
from services.notify.handlers.repository import ACK_USED, ITEMS, ROUTE_ON
from services.runtime.clock import Clock, local_today
from services.runtime.events import Cause, new_correlation_id
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store


class Acknowledge(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=4000, description="what is being done to remedy it")
    expected_on: date = Field(description="the date the head expects the task done; escalation pauses until then")


async def acknowledge(store: Store, events: EventLog, clock: Clock, item_id: str, body: Acknowledge, by: str, via: str) -> dict:
    view = await store.get(ITEMS, item_id)
    if view is None:
        raise ItemUnknown(f"no escalation item {item_id!r}", field="item_id")
    today = local_today(clock.now())
    decide = lambda item: items.acknowledge(item, by, body.note, body.expected_on, via, today)  # noqa: E731
    resumes = (body.expected_on + timedelta(days=1)).isoformat()  # the pause's end: the item is news again for whoever was told
    _, view = await apply(store, events, view, decide, Cause(f"notify.ack:{by}", new_correlation_id()), **{ROUTE_ON: resumes})
    return view


async def acknowledge_by_link(store: Store, events: EventLog, clock: Clock, secret: str, token: str, body: Acknowledge) -> dict:
    grant = ack_link.verify(secret, token, clock.now())
    if await store.get(ACK_USED, grant.nonce):
        raise LinkUsed("this acknowledgement link was already used; open the latest message for a new one", field="token")
    view = await acknowledge(store, events, clock, grant.item_id, body, grant.contact_id, "link")
    await store.put(ACK_USED, grant.nonce, {"nonce": grant.nonce, "item_id": grant.item_id, "used_at": clock.now().isoformat()})
    return view

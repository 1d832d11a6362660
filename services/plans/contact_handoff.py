"""Heads' contacts go from plans to notify's own store, never into an event.

Registering an agency or unit with `head_contact` keeps the contact in `contact_handoffs` (same transaction as
the event); this loop PUTs it to notify's API with plans' service credential and deletes it once notify has it,
so plans holds personal data only until the handover. The loop is woken by every append in plans (a contact is
kept only together with an event); notify down or refusing: retried on the next pass, at the latest after
`retry_seconds`.
"""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta, timezone

import httpx

from schemas.directory import HeadContact
from services.runtime.clock import wait_or_timeout
from services.runtime.credentials import issue_token
from services.runtime.ports import Store

HANDOFFS = "contact_handoffs"
log = logging.getLogger("tiendo.plans.contacts")


async def hand_over(store: Store, kind: str, owner: str, contact: HeadContact | None, name: str | None) -> None:
    if contact is not None:
        await store.put(HANDOFFS, f"{kind}/{owner}", {"kind": kind, "owner": owner, "name": name, **contact.model_dump(mode="json")})


class ContactHandoff:
    def __init__(self, store: Store, notify_url: str, secret: str, retry_seconds: float = 10.0) -> None:
        self.store, self.url, self.retry_seconds = store, notify_url.rstrip("/"), retry_seconds
        self.secret = secret
        self.woken = asyncio.Event()

    def wake(self) -> None:
        """Called after an append: a contact kept with it goes out without waiting for the next pass."""
        self.woken.set()

    @property
    def headers(self) -> dict[str, str]:
        """plans' own short-lived administrator credential (contacts are personal data: administrators only)."""
        now = datetime.now(timezone.utc)
        token, _ = issue_token(self.secret, "administrator", "service-plans", now=now, valid_for=timedelta(minutes=5))
        return {"Authorization": f"Bearer {token}"}

    async def run_once(self, client: httpx.AsyncClient) -> int:
        handed = 0
        for doc in await self.store.find(HANDOFFS):
            body = {k: v for k, v in doc.items() if k not in ("kind", "owner", "refused")}
            if doc.get("refused"):
                continue
            try:
                response = await client.put(f"{self.url}/contacts/{doc['kind']}/{doc['owner']}", json=body, headers=self.headers)
            except httpx.HTTPError as error:
                log.warning("notify not reachable for contacts (%s); retrying", error)
                return handed
            if response.status_code < 300:
                await self.store.delete(HANDOFFS, f"{doc['kind']}/{doc['owner']}")
                handed += 1
            elif response.status_code < 500:
                log.error("notify refused the contact of %s/%s: %s", doc["kind"], doc["owner"], response.text[:300])
                await self.store.put(HANDOFFS, f"{doc['kind']}/{doc['owner']}", {**doc, "refused": response.text[:300]})
        return handed

    async def run(self, client: httpx.AsyncClient | None = None) -> None:
        async with client or httpx.AsyncClient(timeout=10) as client:
            while True:
                self.woken.clear()
                try:
                    await self.run_once(client)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("contact handover failed; trying again")
                await wait_or_timeout(self.woken, self.retry_seconds)

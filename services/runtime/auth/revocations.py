"""Each service's own table of revoked credentials, kept from plans' CredentialRevoked events.

Plans is the only service that issues and revokes; the others learn of a revocation from its
event topic (key id and the moment the key stops being valid, never the key itself) and refuse
the key from then on. A revocation effective later (a rotation's overlap) is kept and applied
when its time comes. Applying an event twice writes the same document.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from schemas.catalog import PLANS_EVENTS, Event
from schemas.credentials import CredentialRevoked
from services.runtime.ports import DocumentStore

if TYPE_CHECKING:
    from services.runtime.service import ServiceRuntime

REVOKED = "revoked_credentials"


async def note_revocations(batch: list[Event], store: DocumentStore) -> int:
    revoked = {e.payload.key_id: revocation_doc(e.payload) for e in batch if isinstance(e.payload, CredentialRevoked)}
    if revoked:
        await store.bulk_put(REVOKED, revoked)
    return len(revoked)


def revocation_doc(payload: CredentialRevoked) -> dict:
    return {"key_id": payload.key_id, "role": payload.role, "subject": payload.subject,
            "effective_at": payload.effective_at.isoformat()}


async def revoked_since(store: DocumentStore, key_id: str, now: datetime) -> str | None:
    """When the key was revoked, if it is revoked at `now`."""
    doc = await store.get(REVOKED, key_id)
    if doc is None or datetime.fromisoformat(doc["effective_at"]) > now:
        return None
    return doc["effective_at"]


def track_revocations(runtime: "ServiceRuntime") -> None:
    """Subscribe this service to plans' revocations (call from its composition root)."""

    async def apply(batch: list[Event]) -> None:
        await note_revocations(batch, runtime.store)

    runtime.subscribe_events([PLANS_EVENTS], f"{runtime.name}.credentials", apply, types=[CredentialRevoked.__name__])

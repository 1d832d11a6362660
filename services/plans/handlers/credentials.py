"""Hand out and revoke credentials: each key is shown once, plans keeps its id, digest and validity.

A key's life is a stream `credential-<key id>` (CredentialIssued, then maybe CredentialRevoked).
Plans verifies requests too, so a revocation is also written straight into its own table of
revoked keys, in the same transaction as the event; the other services learn it from the topic.
"""
from __future__ import annotations

from datetime import timedelta

from schemas.credentials import CredentialIssued, CredentialRevoked
from schemas.rejections import NotFound
from services.plans.domain import credentials as decide
from services.runtime.auth.revocations import REVOKED, revocation_doc
from services.runtime.credentials import digest, issue_token
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store

CREDENTIALS = "credentials"


async def issue_credential(role: str, subject: str, valid_days: int, overlap_hours: int | None, secret: str,
                           store: Store, events: EventLog, cause: Cause) -> dict:
    """A new key for the subject; with `overlap_hours`, a rotation: its other keys stop that many hours from now."""
    now = events.clock.now()
    token, claims = issue_token(secret, role, subject, now=now, valid_for=timedelta(days=valid_days))
    issued = CredentialIssued(key_id=claims.key_id, role=role, subject=subject, expires_at=claims.expires_at, digest=digest(token))
    retired = []
    if overlap_hours is not None:
        others = await store.find(CREDENTIALS, subject=subject)
        retired = decide.retire_for_rotation([d for d in others if d["role"] == role], timedelta(hours=overlap_hours), now)
    view = {**issued.model_dump(mode="json"), "issued_at": now.isoformat(), "issued_by": cause.actor, "revoked_at": None}
    async with store.transaction():
        await events.append(f"credential-{claims.key_id}", 0, [issued], cause)
        await store.put(CREDENTIALS, claims.key_id, view)
        for revocation in retired:
            await _record_revocation(revocation, store, events, cause)
    return {**public(view), "token": token, "retiring": [public_revocation(r) for r in retired]}


async def revoke_credential(key_id: str, reason: str, store: Store, events: EventLog, cause: Cause) -> dict:
    doc = await store.get(CREDENTIALS, key_id)
    if doc is None:
        raise NotFound(f"no credential with key id {key_id!r}", field="key_id")
    now = events.clock.now()
    revocation = decide.revoke(doc, now, reason, now)
    async with store.transaction():
        await _record_revocation(revocation, store, events, cause)
    return public({**doc, "revoked_at": revocation.effective_at.isoformat()})


async def list_credentials(store: Store, subject: str | None, role: str | None) -> list[dict]:
    docs = await store.find(CREDENTIALS, **({"subject": subject} if subject else {}))
    return [public(d) for d in docs if role is None or d["role"] == role]


async def _record_revocation(revocation: CredentialRevoked, store: Store, events: EventLog, cause: Cause) -> None:
    stream = f"credential-{revocation.key_id}"
    version = len(await events.load(stream))
    await events.append(stream, version, [revocation], cause)
    doc = await store.get(CREDENTIALS, revocation.key_id)
    await store.put(CREDENTIALS, revocation.key_id, {**doc, "revoked_at": revocation.effective_at.isoformat()})
    await store.put(REVOKED, revocation.key_id, revocation_doc(revocation))


def public(doc: dict) -> dict:
    """What an administrator sees of a key: never the key, not even its digest."""
    return {k: doc.get(k) for k in ("key_id", "role", "subject", "expires_at", "issued_at", "issued_by", "revoked_at")}


def public_revocation(revocation: CredentialRevoked) -> dict:
    return {"key_id": revocation.key_id, "effective_at": revocation.effective_at.isoformat()}

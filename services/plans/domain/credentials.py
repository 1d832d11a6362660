"""Decisions about credentials: which keys a rotation retires, and whether a key can still be revoked. Pure."""
from __future__ import annotations

from datetime import datetime, timedelta

from schemas.credentials import CredentialRevoked
from schemas.rejections import Conflict


def revoke(doc: dict, effective_at: datetime, reason: str, now: datetime) -> CredentialRevoked:
    """Revoke one key; a key already revoked (or expired) cannot be revoked again."""
    if _ended(doc, now):
        raise Conflict(f"the credential {doc['key_id']} is already revoked or expired", field="key_id")
    return CredentialRevoked(key_id=doc["key_id"], role=doc["role"], subject=doc["subject"], effective_at=effective_at, reason=reason)


def retire_for_rotation(others: list[dict], overlap: timedelta, now: datetime) -> list[CredentialRevoked]:
    """A rotation: the subject's keys still valid stop after the overlap (or sooner, if they already would)."""
    retired = []
    for doc in others:
        if _ended(doc, now):
            continue
        ends = min(now + overlap, datetime.fromisoformat(doc["expires_at"]))
        if doc.get("revoked_at") and datetime.fromisoformat(doc["revoked_at"]) <= ends:
            continue
        retired.append(CredentialRevoked(key_id=doc["key_id"], role=doc["role"], subject=doc["subject"], effective_at=ends, reason="rotated"))
    return retired


def _ended(doc: dict, now: datetime) -> bool:
    revoked_at = doc.get("revoked_at")
    return datetime.fromisoformat(doc["expires_at"]) <= now or (revoked_at is not None and datetime.fromisoformat(revoked_at) <= now)

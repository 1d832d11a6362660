"""Events and commands of credentials: keys plans hands out to agencies, viewers, standing bodies and administrators.

An event names the key by its id and carries its digest and validity, never the key itself.
"""
from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.envelope import Payload

CredentialRole = Literal["agency", "viewer", "standing_body", "administrator"]
SUBJECT = Field(min_length=1, max_length=100)


class CredentialIssued(Payload):
    key_id: str = Field(min_length=1, max_length=64)
    role: CredentialRole
    subject: str = SUBJECT
    expires_at: AwareDatetime
    digest: str = Field(min_length=64, max_length=64, description="SHA-256 of the key, hex")


class CredentialRevoked(Payload):
    key_id: str = Field(min_length=1, max_length=64)
    role: CredentialRole
    subject: str = SUBJECT
    effective_at: AwareDatetime = Field(description="from this moment the key is refused (later than now during a rotation's overlap)")
    reason: str = Field(default="revoked", max_length=200)


class IssueCredential(Payload):
    """Command: a new key for an agency or a unit; with overlap_hours, the subject's older keys stop after that many hours."""

    valid_days: int = Field(default=365, ge=1, le=3 * 365)
    overlap_hours: int | None = Field(default=None, ge=0, le=30 * 24,
                                      description="rotation: revoke the subject's other keys this many hours from now")


class RevokeCredential(Payload):
    """Command: stop accepting a key now."""

    reason: str = Field(default="revoked", min_length=1, max_length=200)

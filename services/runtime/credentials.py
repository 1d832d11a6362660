"""Credentials: signed tokens naming a role, a subject, a key id and an expiry; revocable by key id.

Design (issue 12): a credential is a JWT (HS256) signed with the deployment's secret. Its claims
are `role` (agency, viewer, standing_body, administrator), `sub` (the agency id, the unit id, or
the administrator's name), `jti` (the key id) and `exp`. Any service verifies one with the secret
alone, so a key works everywhere the moment plans hands it out: no propagation lag, and the
command topic (ReportStatusMessage.token) checks it exactly as HTTP does.

Chosen over "random keys with a local credential table in every service" because that table
would be eventually consistent (a fresh agency key refused by tasks until the CredentialIssued
event arrives) and needs a consumer and a store in every service before a single request can be
authenticated. What the table would have bought, revocation, we keep: plans publishes
CredentialRevoked (key id and the moment it stops being valid, never the key) on its event topic
and every service keeps a local table of revoked key ids (services.runtime.auth.revocations).
Rotation is "issue a new key, revoke the old ones from now + overlap": two keys are valid during
the overlap. Plans shows a key once and stores only its SHA-256 digest (the key is 256 bits of
signature: nothing to brute-force, so a slow hash adds nothing).

Code written against the old API (issue_token(secret, kind, subject), verify_token(secret, token, kind),
AGENCY/VIEWER) fails loudly: the constants are gone and `now`/`valid_for` are required keywords.

What this costs: every service holds the signing secret, so a service's environment leaking lets
its holder mint keys until the secret is changed (which invalidates every key). People's sign-in
can instead use an external OIDC issuer whose private key no service holds (services.runtime.auth.oidc).
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import jwt

ISSUER = "tiendo"
ALGORITHM = "HS256"


class InvalidCredential(Exception):
    """The token is missing, malformed, forged, expired or of no known role (the message holds no secret)."""


@dataclass(frozen=True)
class Claims:
    role: str
    subject: str
    key_id: str
    expires_at: datetime
    person: str | None = None  # who signed in, for tokens given to people


def new_key_id() -> str:
    return secrets.token_hex(8)


def issue_token(secret: str, role: str, subject: str, *, now: datetime, valid_for: timedelta, key_id: str | None = None,
                person: str | None = None) -> tuple[str, Claims]:
    claims = Claims(role, subject, key_id or new_key_id(), (now + valid_for).replace(microsecond=0), person)
    body = {"iss": ISSUER, "role": role, "sub": subject, "jti": claims.key_id, "iat": int(now.timestamp()),
            "exp": int(claims.expires_at.timestamp()), **({"name": person} if person else {})}
    return jwt.encode(body, secret, algorithm=ALGORITHM), claims


def verify_token(secret: str, token: str, now: datetime) -> Claims:
    """The token's claims if it is ours, intact and not expired at `now`; else InvalidCredential."""
    try:
        body = jwt.decode(token, secret, algorithms=[ALGORITHM], issuer=ISSUER, options={"verify_exp": False, "verify_iat": False,
                          "require": ["exp", "sub", "jti", "iss"]})
    except jwt.PyJWTError as error:
        raise InvalidCredential("the credential is not valid (malformed or not signed by this deployment)") from error
    expires_at = datetime.fromtimestamp(int(body["exp"]), timezone.utc)
    if now >= expires_at:  # by the service's clock (demos and tests move it), not the wall clock
        raise InvalidCredential(f"the credential {body['jti']} expired at {expires_at.isoformat()}")
    if not isinstance(body.get("role"), str) or not body["sub"]:
        raise InvalidCredential("the credential names no role or subject")
    return Claims(body["role"], str(body["sub"]), str(body["jti"]), expires_at, body.get("name"))


def digest(token: str) -> str:
    """What plans keeps of a key it handed out: enough to recognise it, useless to present."""
    return hashlib.sha256(token.encode()).hexdigest()

"""OIDC-ready sign-in: JWTs from a configured issuer (the province's identity provider) are accepted as credentials.

Settings: `oidc_issuer`, `oidc_audience`, and either `oidc_public_key` (PEM) or `oidc_jwks_url`.
The issuer's token names the role and the subject in two claims (`oidc_role_claim`,
`oidc_subject_claim`: by default `tiendo_role` and `tiendo_subject`), mapped to a Principal as
our own credentials are. No service holds the issuer's private key. Expiry is checked by the wall
clock (the issuer's), with 30 s of leeway.
"""
from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from functools import lru_cache

import jwt

from services.runtime.credentials import Claims, InvalidCredential

ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]


def issued_by(token: str) -> str | None:
    """The `iss` of a token before verification, to choose how to verify it (nothing is trusted from it)."""
    try:
        return jwt.decode(token, options={"verify_signature": False}).get("iss")
    except jwt.PyJWTError:
        return None


async def verify_oidc(settings, token: str) -> Claims:
    try:
        key = settings.oidc_public_key or await asyncio.to_thread(_signing_key, settings.oidc_jwks_url, token)
        body = jwt.decode(token, key, algorithms=ALGORITHMS, issuer=settings.oidc_issuer, audience=settings.oidc_audience,
                          leeway=30, options={"require": ["exp", "iss", "aud", "sub"]})
    except (jwt.PyJWTError, ValueError) as error:
        raise InvalidCredential(f"the sign-in token from {settings.oidc_issuer} is not valid ({type(error).__name__})") from None
    role, subject = body.get(settings.oidc_role_claim), body.get(settings.oidc_subject_claim)
    if not isinstance(role, str) or not isinstance(subject, str) or not subject:
        raise InvalidCredential(f"the sign-in token names no {settings.oidc_role_claim} or {settings.oidc_subject_claim}")
    return Claims(role, subject, str(body.get("jti") or body["sub"]), datetime.fromtimestamp(int(body["exp"]), timezone.utc),
                  person=str(body.get("preferred_username") or body["sub"]))


def _signing_key(url: str | None, token: str):
    if not url:
        raise ValueError("no oidc_public_key or oidc_jwks_url is set")
    return _jwks(url).get_signing_key_from_jwt(token).key


@lru_cache(maxsize=4)
def _jwks(url: str) -> jwt.PyJWKClient:
    """One JWKS client per URL, made on first use (it caches the issuer's keys)."""
    return jwt.PyJWKClient(url, cache_keys=True, lifespan=3600, timeout=10)

"""Credentials verified once, then recognised: an agency system sends the same key with every request.

Verifying a signed token (PyJWT: split, decode base64, HMAC, parse the claims, and a check that the secret is no
public key) took a tenth of a small request's CPU (bench/http_stack.py). The claims a token carries are fixed by
its bytes and the secret, so a token verified once is kept with its claims; what can change is checked on every
use all the same: expiry by the service's clock (an expired token goes through `verify_token` again, which refuses
it with its own message) and revocation (by the caller, against the store). Only tokens that verified are kept,
so forged tokens cost what they always did and cannot fill the cache; at most MAX_KEPT tokens, oldest dropped first.
"""
from __future__ import annotations

import functools
from datetime import datetime

from services.runtime.credentials import Claims, verify_token

MAX_KEPT = 20_000  # a province's agencies and viewers many times over; ≈ 0.5 KiB each


class VerifiedTokens:
    def __init__(self, max_kept: int = MAX_KEPT) -> None:
        self.max_kept = max_kept
        self._claims: dict[tuple[str, str], Claims] = {}

    def verify(self, secret: str, token: str, now: datetime) -> Claims:
        """As `verify_token`: the claims if the token is ours, intact and not expired at `now`; else InvalidCredential."""
        key = (secret, token)
        claims = self._claims.get(key)
        if claims is not None and now < claims.expires_at:
            return claims
        claims = verify_token(secret, token, now)
        if len(self._claims) >= self.max_kept:
            del self._claims[next(iter(self._claims))]
        self._claims[key] = claims
        return claims


@functools.cache
def verified_tokens() -> VerifiedTokens:
    """The process's one cache (made on first use; keyed by secret and token, so services and tests never mix)."""
    return VerifiedTokens()

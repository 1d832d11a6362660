"""People's passwords, kept as scrypt hashes (stdlib hashlib.scrypt: memory-hard, no extra dependency).

Stored as `scrypt$n$r$p$salt$hash` (salt and hash base64) so the cost can be raised later and old
hashes still verify. Hashing takes tens of milliseconds on purpose: callers run it in a thread.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

N, R, P, LENGTH = 2**14, 8, 1, 32


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, dklen=LENGTH)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str | None) -> bool:
    """True when the password matches; with no stored hash the same work is done, so timing tells nothing."""
    try:
        scheme, n, r, p, salt, expected = (stored or "").split("$")
        assert scheme == "scrypt"
        params = dict(salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(base64.b64decode(expected)))
    except (AssertionError, ValueError):
        hashlib.scrypt(password.encode(), salt=b"0" * 16, n=N, r=R, p=P, dklen=LENGTH)
        return False
    return hmac.compare_digest(hashlib.scrypt(password.encode(), maxmem=2**26, **params), base64.b64decode(expected))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()

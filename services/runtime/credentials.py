"""Credentials signed with the shared secret: an agency's (to report on its tasks) and a viewer's (to read a unit's subtree).

A token names its kind and subject ("agency" + agency id, "viewer" + unit id); a token of one
kind is never accepted as the other.
"""
from __future__ import annotations

import base64
import hashlib
import hmac

AGENCY, VIEWER = "agency", "viewer"


class InvalidCredential(Exception):
    pass


def issue_token(secret: str, kind: str, subject: str) -> str:
    body = base64.urlsafe_b64encode(f"{kind}\n{subject}".encode()).decode().rstrip("=")
    return f"{body}.{_sign(secret, body)}"


def verify_token(secret: str, token: str, kind: str) -> str:
    """Return the subject the token was issued for, or raise InvalidCredential."""
    body, _, signature = token.partition(".")
    if not body or not hmac.compare_digest(signature, _sign(secret, body)):
        raise InvalidCredential(f"invalid {kind} credential")
    try:
        issued_kind, _, subject = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode().partition("\n")
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidCredential(f"invalid {kind} credential") from error
    if issued_kind != kind or not subject:
        raise InvalidCredential(f"this is not an {kind} credential" if kind == AGENCY else f"this is not a {kind} credential")
    return subject


def _sign(secret: str, body: str) -> str:
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()[:32]

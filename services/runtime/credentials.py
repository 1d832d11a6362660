"""Per-agency credentials: a token signed with the shared secret names the agency that holds it."""
from __future__ import annotations

import base64
import hashlib
import hmac


class InvalidCredential(Exception):
    pass


def issue_token(secret: str, agency_id: str) -> str:
    body = base64.urlsafe_b64encode(agency_id.encode()).decode().rstrip("=")
    return f"{body}.{_sign(secret, body)}"


def verify_token(secret: str, token: str) -> str:
    """Return the agency id the token was issued to, or raise InvalidCredential."""
    body, _, signature = token.partition(".")
    if not body or not hmac.compare_digest(signature, _sign(secret, body)):
        raise InvalidCredential("invalid agency credential")
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidCredential("invalid agency credential") from error


def _sign(secret: str, body: str) -> str:
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()[:32]

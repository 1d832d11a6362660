"""A signed, expiring, single-use acknowledgement link: works without logging in, for one item and one recipient.

The token carries item, contact, expiry and a nonce, signed with HMAC-SHA256. Single use is kept by the
handler (the nonce is recorded when used); this module only makes and checks tokens, given `now`.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from services.notify.domain.errors import LinkExpired, LinkInvalid


@dataclass(frozen=True)
class AckGrant:
    item_id: str
    contact_id: str
    expires_at: datetime
    nonce: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _sign(secret: str, body: str) -> str:
    return _b64(hmac.new(secret.encode(), f"ack\n{body}".encode(), hashlib.sha256).digest())


def issue(secret: str, grant: AckGrant) -> str:
    body = _b64(json.dumps({"i": grant.item_id, "c": grant.contact_id, "e": int(grant.expires_at.timestamp()), "n": grant.nonce},
                           separators=(",", ":")).encode())
    return f"{body}.{_sign(secret, body)}"


def verify(secret: str, token: str, now: datetime) -> AckGrant:
    body, _, signature = token.partition(".")
    if not body or not signature or not hmac.compare_digest(signature, _sign(secret, body)):
        raise LinkInvalid("the acknowledgement link is not one tiendo issued (signature does not match)", field="token")
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        grant = AckGrant(data["i"], data["c"], datetime.fromtimestamp(data["e"], timezone.utc), data["n"])
    except (ValueError, KeyError, TypeError) as error:
        raise LinkInvalid("the acknowledgement link is malformed", field="token") from error
    if now >= grant.expires_at:
        raise LinkExpired(f"the acknowledgement link expired at {grant.expires_at.isoformat()}", field="token")
    return grant

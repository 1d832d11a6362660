"""notify's refusals, each a specific problem+json title (the field that was wrong travels with it)."""
from __future__ import annotations

from schemas.rejections import Conflict, Forbidden, Invalid, NotFound, Rejected


def _refusal(name: str, base: type[Rejected], title: str) -> type[Rejected]:
    return type(name, (base,), {"title": title, "__module__": __name__})


PolicyLoop = _refusal("PolicyLoop", Invalid, "escalation policy does not climb")
WebhookNotAllowed = _refusal("WebhookNotAllowed", Invalid, "webhook URL not allowed")
AckDateInPast = _refusal("AckDateInPast", Invalid, "expected date in the past")
ItemResolved = _refusal("ItemResolved", Conflict, "escalation item already resolved")
ItemUnknown = _refusal("ItemUnknown", NotFound, "no such escalation item")
LinkExpired = _refusal("LinkExpired", Forbidden, "acknowledgement link expired")
LinkUsed = _refusal("LinkUsed", Conflict, "acknowledgement link already used")
LinkInvalid = _refusal("LinkInvalid", Forbidden, "acknowledgement link not valid")

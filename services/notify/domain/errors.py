"""notify's refusals, each a specific problem+json title (the field that was wrong travels with it)."""
from __future__ import annotations

from schemas.rejections import Conflict, Forbidden, Invalid, NotFound


class PolicyLoop(Invalid):
    title = "escalation policy does not climb"


class WebhookNotAllowed(Invalid):
    title = "webhook URL not allowed"


class AckDateInPast(Invalid):
    title = "expected date in the past"


class ItemResolved(Conflict):
    title = "escalation item already resolved"


class ItemUnknown(NotFound):
    title = "no such escalation item"


class LinkExpired(Forbidden):
    title = "acknowledgement link expired"


class LinkUsed(Conflict):
    title = "acknowledgement link already used"


class LinkInvalid(Forbidden):
    title = "acknowledgement link not valid"

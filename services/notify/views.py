"""Read queries of notify: notifications with their delivery status, the delivered message, counters."""
from __future__ import annotations

from schemas.rejections import NotFound
from services.notify.handlers.repository import COUNTERS, MESSAGES, NOTIFICATIONS, STATUSES
from services.runtime.ports import Store

LISTED = ("escalation_id", "task_id", "agency_id", "unit_id", "responsibility", "due", "status", "reason", "subject", "to",
          "raised_at", "delivered_at")


async def list_notifications(store: Store, agency_id: str | None = None, status: str | None = None) -> list[dict]:
    where = {k: v for k, v in {"agency_id": agency_id, "status": status}.items() if v}
    found = await store.find(NOTIFICATIONS, **where)
    return [{k: doc.get(k) for k in LISTED} for doc in sorted(found, key=lambda d: (d["raised_at"], d["escalation_id"]))]


async def get_notification(store: Store, escalation_id: str) -> dict:
    doc = await store.get(NOTIFICATIONS, escalation_id)
    if doc is None:
        raise NotFound(f"no notification with escalation id {escalation_id!r}", field="escalation_id")
    message = await store.get(MESSAGES, escalation_id) or {}
    return {**{k: doc.get(k) for k in LISTED}, "attempts": doc.get("attempts"), "last_error": doc.get("last_error"),
            "body": message.get("body"), "message_id": message.get("message_id")}


async def stats(store: Store) -> dict:
    counters = await store.get(COUNTERS, "deadline_missed") or {"received": 0, "duplicates": 0}
    by_status = {status: len(await store.find(NOTIFICATIONS, status=status)) for status in STATUSES}
    return {"deadline_missed_received": counters["received"], "deadline_missed_duplicates": counters["duplicates"],
            "notifications": by_status}

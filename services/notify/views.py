"""Read queries of notify: open escalations of a unit (for the dashboard), audit, alerts, inbox, counters."""
from __future__ import annotations

from services.notify.domain.errors import ItemUnknown
from services.notify.handlers.repository import ALERTS, AUDIT, CONTACTS, COUNTERS, DELIVERIES, INBOX, ITEMS
from services.runtime.ports import Store


def _rule(started: dict) -> str:
    """The frozen policy's id and version (a view written before policies were stored once holds the policy itself)."""
    if "policy_label" in started:
        return started["policy_label"]
    return f"{started['policy']['policy_id']} v{started['policy']['version']}"


def _item(view: dict, names: dict[str, str]) -> dict:
    ack = view.get("acknowledged")
    return {
        "item_id": view["item_id"], "task_id": view["task_id"], "plan_id": view["plan_id"], "unit_id": view["unit_id"],
        "agency_id": view["agency_id"], "due": view["due"], "original_due": view["original_due"], "period": view.get("period"),
        "rung": view["rung"], "rule": _rule(view["started"]),
        "open": view["open"], "told": [{"contact_id": c, "name": names.get(c), "rung": r, "at": (view.get("told_at") or {}).get(c)}
                                       for c, r in sorted(view["told"].items())],
        "acknowledged": {"by": ack["by"], "note": ack["note"], "until": ack["expected_on"], "via": ack["via"]} if ack else None,
        "resolved": view.get("resolved"),
    }


async def _names(store: Store, with_names: bool) -> dict[str, str]:
    """Contacts' names (personal data): only for callers that may see people (see entrypoints/scope.sees_people)."""
    return {c["contact_id"]: c.get("name") for c in await store.find(CONTACTS)} if with_names else {}


async def open_items(store: Store, unit_id: str | None = None, agency_id: str | None = None, *, with_names: bool = False) -> list[dict]:
    where = {k: v for k, v in {"unit_id": unit_id, "agency_id": agency_id}.items() if v}
    names = await _names(store, with_names)
    return [_item(v, names) for v in await store.find(ITEMS, open=True, **where)]


async def get_item(store: Store, item_id: str, *, with_names: bool = False) -> dict:
    view = await store.get(ITEMS, item_id)
    if view is None:
        raise ItemUnknown(f"no escalation item {item_id!r}", field="item_id")
    names = await _names(store, with_names)
    return _item(view, names)


async def audit(store: Store, contact_id: str | None = None, channel: str | None = None, item_id: str | None = None,
                outcome: str | None = None) -> list[dict]:
    where = {k: v for k, v in {"contact_id": contact_id, "channel": channel}.items() if v}
    found = [a for a in await store.find(AUDIT, **where) if (not item_id or item_id in a["items"]) and (not outcome or a["outcome"] == outcome)]
    return sorted(found, key=lambda a: (a["at"], a["attempt_id"]))


async def alerts(store: Store, open_only: bool = True) -> list[dict]:
    found = await store.find(ALERTS, **({"open": True} if open_only else {}))
    return sorted(found, key=lambda a: (a["raised_at"], a["alert_id"]))


async def inbox(store: Store, contact_id: str, unread: bool = False) -> list[dict]:
    found = [m for m in await store.find(INBOX, contact_id=contact_id) if not unread or m["read_at"] is None]
    return sorted(found, key=lambda m: m["at"], reverse=True)


async def stats(store: Store) -> dict:
    counters = await store.get(COUNTERS, "notify") or {}
    deliveries = await store.find(DELIVERIES)
    by_status: dict[str, int] = {}
    for d in deliveries:
        by_status[d["status"]] = by_status.get(d["status"], 0) + 1
    return {"deadline_missed_received": counters.get("deadline_missed_received", 0),
            "deadline_missed_duplicates": counters.get("deadline_missed_duplicates", 0),
            "open_items": len(await store.find(ITEMS, open=True)), "deliveries": by_status}

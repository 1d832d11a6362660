"""An escalation that cannot reach someone is an alert of its own: listed in the API and sent to the standing body
of the item's unit (or, if that is the one missing, to the unit's chairman). Never silent.
"""
from __future__ import annotations

from datetime import datetime

from schemas.notify import Role, Target
from services.notify.domain import digest as d
from services.notify.domain.routing import Directory, Holder, Vacant, resolve
from services.notify.handlers.dispatch.notices import Notice, Routed
from services.notify.handlers.repository import ALERTS, ITEMS
from services.runtime.ports import Store


def _what(who: Holder | Vacant) -> str:
    if isinstance(who, Vacant):
        return f"Không xác định được người nhận vai trò {who.role}: {who.why}"
    return f"Chưa có địa chỉ liên hệ của {who.title} {who.of} ({who.contact_id}); thông báo leo thang không gửi được cho người này"


def _todo(who: Holder | Vacant) -> str:
    if isinstance(who, Vacant):
        return "đăng ký đơn vị/cơ quan còn thiếu trong danh mục"
    return "bổ sung thư điện tử của người đứng đầu khi đăng ký cơ quan/đơn vị (hoặc qua API /contacts)"


async def route_alerts(store: Store, routed: Routed, directory: Directory, contacts: dict[str, dict], now: datetime,
                       units: list[str] | None = None, scope: set[str] | None = None) -> dict[str, dict]:
    """Open or update an alert per vacancy, close those now reachable, and route each open one as a notice. `units`:
    a province's pass looks only at the alerts of its units; `scope`: a quiet pass routed only these items, so an alert
    closes only when each of its items was routed or is closed."""
    changed: dict[str, dict] = {}
    found = await store.find(ALERTS, open=True) if units is None else [a for a in await store.find(ALERTS, unit_id=units) if a["open"]]
    found = [a for a in found if a["kind"] in ("no_contact", "vacant") and a["alert_id"] not in routed.vacancies]
    if scope is not None and found:
        unseen = sorted({i for a in found for i in a["items"]} - scope)
        still = {v["item_id"] for v in (await store.find(ITEMS, item_id=unseen) if unseen else []) if v["open"]}
        found = [a for a in found if not still.intersection(a["items"])]
    for alert in found:  # reachable now
        changed[alert["alert_id"]] = {**alert, "open": False, "closed_at": now.isoformat()}
    for alert_id, (who, view) in routed.vacancies.items():
        alert = await store.get(ALERTS, alert_id) or {
            "alert_id": alert_id, "kind": "vacant" if isinstance(who, Vacant) else "no_contact", "role": who.role,
            "contact_id": getattr(who, "contact_id", None), "unit_id": view["unit_id"], "what": _what(who),
            "raised_at": now.isoformat(), "items": [], "told": {}, "open": True}
        if not alert["open"] or view["item_id"] not in alert["items"]:
            alert = {**alert, "open": True, "items": sorted({*alert["items"], view["item_id"]})}
            changed[alert_id] = alert
        for role in (Role.standing_body, Role.chairman):
            to = resolve(Target(role=role), view["agency_id"], view["unit_id"], directory)
            if isinstance(to, Holder) and to.contact_id in contacts and to.contact_id != getattr(who, "contact_id", None):
                changed.setdefault(alert_id, alert)
                entry = d.Entry(item_id=alert_id, kind=d.ALERT, code=None, content=alert["what"], plan="", clause=None,
                                agency_name="", due=None, rule=_todo(who), new=to.contact_id not in alert["told"])
                routed.add(to, Notice(alert_id, entry, entry.new, 1))
                break
    return changed

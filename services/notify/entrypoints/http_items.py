"""HTTP API of notify for heads and the dashboard: escalation items, acknowledgement (HTTP and signed link), the inbox."""
from __future__ import annotations

from datetime import date
from html import escape
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from schemas.rejections import Forbidden, Invalid, NotFound
from services.notify import views
from services.notify.domain import ack_link
from services.notify.entrypoints.deps import CallerContact, Loop, require_recipient
from services.notify.handlers.acknowledge import Acknowledge, acknowledge, acknowledge_by_link
from services.notify.handlers.repository import INBOX
from services.notify.entrypoints.scope import reach, sees_people
from services.runtime.auth import Reader
from services.runtime.http import Runtime
from services.runtime.problems import problems

router = APIRouter()


@router.get("/escalations")
async def open_escalations(rt: Runtime, who: Reader, unit_id: str | None = None, agency_id: str | None = None) -> list[dict]:
    """Open items (for the dashboard): item, rung, who was told, who acknowledged and until when (a viewer: its subtree)."""
    items = await views.open_items(rt.store, unit_id, agency_id, with_names=sees_people(who))
    reached = await reach(rt.store, who)
    return items if reached is None else [i for i in items if i.get("unit_id") in reached]


@router.get("/escalations/{item_id}", responses=problems(404))
async def get_escalation(item_id: str, rt: Runtime, who: Reader) -> dict:
    item = await views.get_item(rt.store, item_id, with_names=sees_people(who))
    reached = await reach(rt.store, who)
    if reached is not None and item.get("unit_id") not in reached:
        raise Forbidden(f"escalation {item_id!r} is outside the caller's unit", field="item_id")
    return item


@router.post("/escalations/{item_id}/acknowledgement", status_code=201, responses=problems(404, 409))
async def post_acknowledgement(item_id: str, body: Acknowledge, rt: Runtime, loop: Loop, caller: CallerContact) -> dict:
    if caller is not None:
        item = await views.get_item(rt.store, item_id)
        if caller not in {t["contact_id"] for t in item["told"]} | {f"{item['agency_id']}.agency_head"}:
            raise Forbidden("only a head this item was escalated to may acknowledge it", field="item_id")
    view = await acknowledge(rt.store, rt.events, rt.clock, item_id, body, caller or "administrator", "http")
    loop.wake()
    return await views.get_item(rt.store, view["item_id"])


@router.get("/ack/{token}", response_class=HTMLResponse, responses=problems(403, 404))
async def ack_form(token: str, rt: Runtime) -> HTMLResponse:
    """The page the e-mail's link opens: no login, the link is the credential."""
    grant = ack_link.verify(rt.settings.token_secret, token, rt.clock.now())
    item = await views.get_item(rt.store, grant.item_id)
    page = (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Xác nhận</title></head><body>'
            f"<h1>Xác nhận xử lý nhiệm vụ {escape(item['task_id'])}</h1><p>Hạn: {escape(item['due'])}</p>"
            f'<form method="post"><label>Biện pháp khắc phục <textarea name="note" required></textarea></label>'
            f'<label>Dự kiến hoàn thành <input type="date" name="expected_on" required></label>'
            f'<button type="submit">Xác nhận</button></form></body></html>')
    return HTMLResponse(page)


@router.post("/ack/{token}", status_code=201, responses=problems(403, 404, 409))
async def ack_by_link(token: str, request: Request, rt: Runtime, loop: Loop) -> dict:
    """Submit the form (or JSON {note, expected_on}); the link then cannot be used again."""
    raw = await request.body()
    try:
        if request.headers.get("content-type", "").startswith("application/json"):
            body = Acknowledge.model_validate_json(raw)
        else:
            form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            body = Acknowledge(note=form.get("note", ""), expected_on=date.fromisoformat(form.get("expected_on", "")))
    except (ValidationError, ValueError) as error:
        raise Invalid(f"note and expected_on (YYYY-MM-DD) are needed: {error}".splitlines()[0], field="expected_on") from error
    view = await acknowledge_by_link(rt.store, rt.events, rt.clock, rt.settings.token_secret, token, body)
    loop.wake()
    return await views.get_item(rt.store, view["item_id"])


@router.get("/inbox/{contact_id}")
async def list_inbox(contact_id: str, rt: Runtime, caller: CallerContact, unread: bool = False) -> list[dict]:
    require_recipient(caller, contact_id)
    return await views.inbox(rt.store, contact_id, unread)


@router.post("/inbox/{contact_id}/{digest_id}/read", responses=problems(404))
async def mark_read(contact_id: str, digest_id: str, rt: Runtime, caller: CallerContact) -> dict:
    require_recipient(caller, contact_id)
    message = await rt.store.get(INBOX, digest_id)
    if message is None or message["contact_id"] != contact_id:
        raise NotFound(f"no message {digest_id!r} in this inbox", field="digest_id")
    if message["read_at"] is None:
        message = {**message, "read_at": rt.clock.now().isoformat()}
        await rt.store.put(INBOX, digest_id, message)
    return message

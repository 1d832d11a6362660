"""HTTP API of notify for administrators: contacts, escalation policies, silences, alerts, the audit of every attempt."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path

from schemas.directory import UnitLevel
from schemas.notify import EscalationPolicy, Responsibility
from services.notify import views
from services.notify.entrypoints.deps import Administrator, Loop
from services.notify.handlers.repository import policies
from services.notify.handlers.contacts import ContactDetails, RegisterContact, put_contact, register_contact
from services.notify.handlers.repository import CONTACTS, SILENCES
from services.notify.handlers.silences import Silence, add_silence
from services.notify.entrypoints.scope import PersonalData, check_within, within
from services.runtime.auth import Admin
from services.runtime.http import Runtime

router = APIRouter()


@router.post("/contacts", status_code=201)
async def post_contact(body: RegisterContact, rt: Runtime, loop: Loop, who: PersonalData) -> dict:
    await check_within(rt.store, who, body.model_dump())
    contact = await register_contact(body, rt.store, rt.clock.now(), rt.settings.webhook_allowed_hosts, who.actor)
    loop.wake()  # escalations that had nobody to go to may go now
    return contact


HOLDERS = {"agencies": (Responsibility.agency_head, "agency_id"), "units": (Responsibility.unit_head, "unit_id")}


@router.put("/contacts/{holder}/{owner_id}")
async def put_head_contact(holder: Literal["agencies", "units"], owner_id: Annotated[str, Path(min_length=1, max_length=100)],
                           body: ContactDetails, rt: Runtime, loop: Loop, who: PersonalData) -> dict:
    """The head of an agency (`agencies/<agency_id>`) or the chairman of a unit's People's Committee (`units/<unit_id>`):
    called by plans when an agency or unit is registered with its head's contact."""
    role, scope = HOLDERS[holder]
    await check_within(rt.store, who, {scope: owner_id})
    contact = await put_contact(rt.store, role, owner_id, body, rt.clock.now(), rt.settings.webhook_allowed_hosts, who.actor)
    loop.wake()  # escalations that had nobody to go to may go now
    return contact


@router.get("/contacts")
async def list_contacts(rt: Runtime, who: PersonalData, agency_id: str | None = None, unit_id: str | None = None,
                        role: Responsibility | None = None) -> list[dict]:
    where = {k: v for k, v in {"agency_id": agency_id, "unit_id": unit_id, "role": role.value if role else None}.items() if v}
    return await within(rt.store, who, await rt.store.find(CONTACTS, **where))


@router.put("/policies/levels/{level}")
async def put_level_policy(level: UnitLevel, body: EscalationPolicy, rt: Runtime, _: Administrator) -> dict:
    """The default ladder of a level; items already escalating keep the policy frozen into them."""
    return (await policies.set_policy(rt.store, policies.level_key(level), body)).model_dump(mode="json")


@router.put("/policies/plans/{plan_id}")
async def put_plan_policy(plan_id: str, body: EscalationPolicy, rt: Runtime, _: Administrator) -> dict:
    return (await policies.set_policy(rt.store, policies.plan_key(plan_id), body)).model_dump(mode="json")


@router.get("/policies/in-force")
async def policy_in_force(plan_id: str, unit_id: str, rt: Runtime, _: Administrator) -> dict:
    return (await policies.policy_in_force(rt.store, plan_id, unit_id)).model_dump(mode="json")


@router.post("/silences", status_code=201)
async def post_silence(body: Silence, rt: Runtime, actor: Administrator) -> dict:
    return await add_silence(rt.store, body, actor, rt.clock.now())


@router.get("/silences")
async def list_silences(rt: Runtime, _: Administrator) -> list[dict]:
    """Silences in force or to come (a silence defers matching items; it never drops them)."""
    now = rt.clock.now().isoformat()
    return sorted((s for s in await rt.store.find(SILENCES) if s["ends_at"] > now), key=lambda s: s["starts_at"])


@router.get("/alerts")
async def list_alerts(rt: Runtime, _: Administrator, open: bool = True) -> list[dict]:
    """Escalations that could not reach someone (no contact, no standing body, a channel that gave up)."""
    return await views.alerts(rt.store, open)


@router.get("/audit")
async def list_audit(rt: Runtime, _: Admin, contact_id: str | None = None, item_id: str | None = None,
                     channel: Literal["email", "webhook", "inbox"] | None = None,
                     outcome: Literal["delivered", "failed", "gave_up", "superseded"] | None = None) -> list[dict]:
    """Every delivery attempt: who, what, why (items), when, channel, outcome, attempt number (administrators only:
    it names recipients)."""
    return await views.audit(rt.store, contact_id, channel, item_id, outcome)


@router.get("/stats")
async def get_stats(rt: Runtime, _: Admin) -> dict:
    return await views.stats(rt.store)


@router.get("/stats/loop")
async def get_loop_stats(loop: Loop, _: Admin) -> dict:
    """The escalation loop's passes since the process started and when its first pass ended (no store read: cheap to
    poll, as a restart's timing does)."""
    return loop.figures()

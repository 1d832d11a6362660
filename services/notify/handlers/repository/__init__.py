"""notify's collections. The escalation streams are the truth; every document here is a view or notify's own data."""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
import json
from datetime import date, timedelta

from schemas.notify import EscalationAcknowledged, EscalationPolicy, EscalationResolved, EscalationStarted
from services.notify.domain.item import Item, Pause, climb_on, rebuild
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store

CONTACTS = "contacts"  # personal data: only here, never in an event
UNITS, AGENCIES, PLANS, TASKS = "units", "agencies", "plans", "tasks"  # notify's copy of the directory and plans
UNIT_NEWS = "unit_news"  # per unit not registered yet: what its reorganisations changed, applied on its registration
ITEMS = "items"  # one per escalation item: its state (rebuildable from its stream) and who was told what
GROUPS = "groups"  # per recipient: Alertmanager timers (pending since, last sent)
# The escalation loop's schedule (handlers/schedule.py), each an indexed field read lowest first:
CLIMB_ON = "climb_on"  # items: the local day the item next climbs a rung (None when resolved or at the top)
NEXT_AT = "next_at"  # groups: the moment a recipient's timers next need looking at (None: nothing to wait for)
RETRY_AT = "retry_at"  # deliveries: the moment a pending delivery is (re)tried (None once sent, superseded or given up)
REMIND_FROM = "remind_from"  # tasks: the local day its reminders may start (None: done, recurring, undated or past due)
ROUTE_ON = "route_on"  # items: the local day from which the item has news to route (started, climbed, moved, resolved, a pause
# ending); a quiet digest pass routes only the recipients of such items and those whose timers came (dispatch/quiet.py)
OPEN_PERIOD = "open_period"  # items: the period an open item names (None when resolved or for a deadline): what a status report
# on its task may resolve (notify's consumer decodes the reports of those tasks only: entrypoints/consumers.py)
ROUTING_CHANGES = "notify.routing-changes"  # position: bumped when who-holds-what may change (directory, contacts, silences)
TASK_CHANGES = "notify.task-changes"  # position: bumped when a task is assigned or its due date moves (reminders to look at again)
REMINDER_WINDOW_DAYS = 60  # the most days before due a reminder is sent (contacts and policies choose 0-60)
DIGESTS, INBOX, DELIVERIES, AUDIT = "digests", "inbox", "deliveries", "audit"
ALERTS = "alerts"  # escalations that could not reach someone: shown in the API and sent to the standing body
POLICIES, SILENCES, ACK_USED, COUNTERS = "policies", "silences", "ack_links_used", "counters"
FROZEN = "frozen_policies"  # every policy frozen into an item, stored once under its content id and never changed
REPORTS = "reports"  # periodic reports received (their report_id): a missing one escalates (handlers/reports.py)
JUDGED = "report_periods_judged"  # per plan:schedule, the last period whose missing reports were started
REPORT_REMINDERS = "report_reminders"  # per report id not yet received: which reminder thresholds each recipient got

INDEXES = {
    CONTACTS: ["agency_id", "unit_id", "role", "contact_id"],  # contact_id: a send reads its recipients' in one query
    AGENCIES: ["unit_id", "standing_body", "agency_id"],  # agency_id, task_id: a consumer batch reads its own in one query
    TASKS: ["done", "plan_id", "parent_task_id", "task_id", REMIND_FROM],
    ITEMS: ["open", "task_id", "unit_id", "agency_id", CLIMB_ON, "item_id", ROUTE_ON, OPEN_PERIOD],
    GROUPS: [NEXT_AT, "contact_id"],  # contact_id: a province's pass reads its recipients' timers in one query
    DIGESTS: ["contact_id"],
    INBOX: ["contact_id"],
    DELIVERIES: ["status", "contact_id", RETRY_AT],
    AUDIT: ["contact_id", "digest_id", "channel"],
    ALERTS: ["open", "unit_id"],
    REPORTS: ["report_id"],  # a pass reads the reports received (of closed periods, of reminders due) in one query
    REPORT_REMINDERS: ["report_id"],
}


def with_reminders(task: dict) -> dict:
    """The task with its `remind_from` day: a digest pass reads only the tasks whose reminder window has opened."""
    due = task.get("due")
    start = None if task.get("done") or task.get("recurring") or not due else (date.fromisoformat(due) - timedelta(days=REMINDER_WINDOW_DAYS)).isoformat()
    return {**task, REMIND_FROM: start}


def policy_ref(policy: dict) -> str:
    """The content id of a frozen policy (its JSON, keys sorted): the same ladder is stored once, however many items."""
    return "sha256:" + hashlib.sha256(json.dumps(policy, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def frozen_doc(policy: EscalationPolicy) -> dict:
    data = policy.model_dump(mode="json")
    return {"policy_ref": policy_ref(data), "policy": data}


class Freezer:
    """The policies frozen into the items a handler starts: each stored once under its content id, in the transaction
    that stores the items' views (`store`); a policy object is dumped and hashed once, however many items share it."""

    def __init__(self) -> None:
        self.docs: dict[str, dict] = {}
        self._refs: dict[int, tuple[EscalationPolicy, str]] = {}  # id(policy) -> (the policy kept alive, its content id)

    def ref(self, policy: EscalationPolicy) -> str:
        if id(policy) not in self._refs:
            doc = frozen_doc(policy)
            self._refs[id(policy)] = (policy, doc["policy_ref"])
            self.docs[doc["policy_ref"]] = doc
        return self._refs[id(policy)][1]

    def started(self, started: EscalationStarted) -> dict:
        """The start as a view keeps it: everything the event says but the policy, named by its content id."""
        return {**started.model_dump(mode="json", exclude={"policy"}), "policy_ref": self.ref(started.policy),
                "policy_label": f"{started.policy.policy_id} v{started.policy.version}"}

    async def store(self, store) -> None:
        if self.docs:  # content-addressed: writing a stored one again writes the same document
            await store.bulk_put(FROZEN, self.docs)


_UNKNOWN = object()


def item_view(item: Item, started: dict, told: dict | None = None, unit_id: str | None = None, climbs_on=_UNKNOWN) -> dict:
    """The item's view; `unit_id` is the unit its task sits in now (a transferred task's items follow it); `started` is
    the start as the view keeps it (`Freezer.started`: the policy named by its content id, stored once in FROZEN);
    `climbs_on`, when the caller knows it (items.Starts), is `climb_on(item)`."""
    s = item.started
    day = climb_on(item) if climbs_on is _UNKNOWN else climbs_on
    return {
        "item_id": s.item_id, "stream_id": item.stream_id, "version": item.version, "task_id": s.task_id, "plan_id": s.plan_id,
        "unit_id": unit_id or s.unit_id, "agency_id": s.agency_id, "due": s.due.isoformat(), "period": s.period,
        "original_due": (s.original_due or s.due).isoformat(), "rung": item.rung, "open": item.resolved is None,
        CLIMB_ON: day.isoformat() if day else None, OPEN_PERIOD: s.period if item.resolved is None else None,
        "pauses": [[p.since.isoformat(), p.until.isoformat()] for p in item.pauses],
        "acknowledged": item.acknowledged.model_dump(mode="json") if item.acknowledged else None,
        "resolved": item.resolved.model_dump(mode="json") if item.resolved else None,
        "started": started, "told": told or {},
    }


def refreshed(view: dict, item: Item) -> dict:
    """The view brought up to the item's state, keeping what only the view knows (who was told, the unit now) and the
    start it holds (a start never changes)."""
    return {**view, **item_view(item, view["started"], told=view.get("told"), unit_id=view.get("unit_id"))}


class PolicyMemo:
    """The frozen policies, parsed once per pass: thousands of items share a handful of policies. Read them with `of`."""

    def __init__(self, frozen: dict[str, dict] | None = None) -> None:
        self._frozen = frozen or {}
        self._known: dict = {}

    @classmethod
    async def of(cls, store) -> "PolicyMemo":
        return cls({d["policy_ref"]: d["policy"] for d in await store.find(FROZEN)})

    async def cover(self, store, views: Iterable[dict]) -> "PolicyMemo":
        """Read the policies these views name that were frozen after the memo was read: notify's intake runs between a
        pass's stages and may store an item with a policy first seen then (it is stored before or with the item)."""
        for key in sorted({v["policy_ref"] for v in views if "policy_ref" in v} - self._frozen.keys()):
            if (doc := await store.get(FROZEN, key)) is not None:
                self._frozen[key] = doc["policy"]
        return self

    def policy(self, data: dict) -> EscalationPolicy:
        if "policy_ref" in data:
            key = data["policy_ref"]
            if key not in self._known:
                if key not in self._frozen:
                    raise LookupError(f"frozen policy {key!r} is not stored")
                self._known[key] = EscalationPolicy.model_validate(self._frozen[key])
            return self._known[key]
        policy = data["policy"]  # a view written before policies were stored once: the policy inside it
        key = (policy["policy_id"], policy["version"], policy.get("defer_on_weekends"), len(policy["rungs"]))  # a stored policy id+version is never reused
        if key not in self._known:
            self._known[key] = EscalationPolicy.model_validate(policy)
        return self._known[key]

    def started(self, data: dict) -> EscalationStarted:
        fields = {k: v for k, v in data.items() if k not in ("policy_ref", "policy_label")}
        fields |= {"policy": self.policy(data), "due": date.fromisoformat(data["due"]),
                   "original_due": date.fromisoformat(data["original_due"]) if data.get("original_due") else None}
        return EscalationStarted.model_construct(**fields)  # stored by notify after validation


def item_of(view: dict, memo: PolicyMemo) -> Item:
    """The item's state from its view, without reading the stream (the stream is read again on a conflict)."""
    return Item(
        view["stream_id"], view["version"], memo.started(view["started"]), view["rung"],
        tuple(Pause(date.fromisoformat(a), date.fromisoformat(b)) for a, b in view["pauses"]),
        EscalationAcknowledged.model_validate(view["acknowledged"]) if view["acknowledged"] else None,
        EscalationResolved.model_validate(view["resolved"]) if view["resolved"] else None,
    )


async def load_item(events: EventLog, stream_id: str) -> Item:
    item = rebuild(await events.load(stream_id))
    if item is None:
        raise LookupError(f"no escalation stream {stream_id!r}")
    return item


async def routing_changed(store, what: str = ROUTING_CHANGES) -> None:
    """Who holds a role, who can be reached or what is silenced may have changed: the next digest pass routes every item
    (TASK_CHANGES: a task's due date is new, so the next pass looks at reminders again, not only at its day's first pass)."""
    await store.set_position(what, await store.get_position(what) + 1)


async def count(store, what: str, by: int = 1) -> None:
    counters = await store.get(COUNTERS, "notify") or {}
    counters[what] = counters.get(what, 0) + by
    await store.put(COUNTERS, "notify", counters)

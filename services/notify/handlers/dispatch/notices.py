"""Who should hear about what, now: every open item routed to the holders of its rung's roles, reminders before due,
and alerts for roles nobody can be reached in. Paused, silenced and day-off items are left for later, never dropped;
a child task whose parent task is escalating folds into the parent's entry (inhibition).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from schemas.notify import Role, Target
from services.notify.domain import digest as d
from services.notify.domain import policy as policies
from services.notify.domain import reports
from services.notify.domain.item import LOCAL_TZ, Item
from services.notify.domain.routing import Directory, Holder, Vacant, resolve
from services.notify.handlers.repository import PolicyMemo, item_of

DEFAULT_REMINDER_DAYS = (7, 3, 1, 0)


@dataclass
class Notice:
    key: str  # item id, reminder key or alert id
    entry: d.Entry
    news: bool
    mark: int  # what `told` records when sent: the rung, or the reminder threshold
    repeat_days: int = 7


@dataclass
class Routed:
    notices: dict[str, list[Notice]] = field(default_factory=dict)  # contact id -> notices
    holders: dict[str, Holder] = field(default_factory=dict)
    vacancies: dict[str, tuple[Holder | Vacant, dict]] = field(default_factory=dict)  # alert id -> (who, the item view)
    views: dict[str, dict] = field(default_factory=dict)  # item id -> view
    keys: set[tuple[str, str]] = field(default_factory=set)  # (contact id, notice key) already routed

    def add(self, holder: Holder, notice: Notice) -> None:
        self.holders.setdefault(holder.contact_id, holder)
        if (holder.contact_id, notice.key) not in self.keys:
            self.keys.add((holder.contact_id, notice.key))
            self.notices.setdefault(holder.contact_id, []).append(notice)


@dataclass(frozen=True)
class Facts:
    """What the entries need to say: plans and tasks from notify's copy, and the silences in force."""

    plans: dict[str, dict]
    tasks: dict[str, dict]
    silences: list[dict]


def silenced(view: dict, silences: list[dict]) -> bool:
    return any(all(s.get(k) in (None, view.get(k)) for k in ("unit_id", "agency_id", "plan_id")) for s in silences)


def entry_of(view: dict, item: Item, facts: Facts, directory: Directory, today: date, cc: bool = False) -> d.Entry:
    task = facts.tasks.get(item.started.task_id) or {}
    plan = facts.plans.get(item.started.plan_id) or {}
    agency = directory.agencies.get(item.started.agency_id) or directory.units.get(item.started.agency_id) or {}  # a unit owes a report
    s = item.started
    content = task.get("content") or (reports.describe(s.item_id, s.plan_id, s.period) if reports.is_report_item(s.item_id) else s.task_id)
    return d.Entry(
        item_id=item.started.item_id, kind=d.OVERDUE, code=task.get("code"), content=content,
        plan=f"Kế hoạch {plan['number']}" if plan.get("number") else f"Kế hoạch {item.started.plan_id}",
        clause=task.get("clause"), agency_name=agency.get("name") or item.started.agency_id, due=item.started.due,
        original_due=item.started.original_due, days=item.days_overdue(today), rung=item.rung,
        rule=policies.rule_text(item.policy, item.rung) if item.rung else "", cc=cc, period=item.started.period,
        acknowledged_until=item.acknowledged.expected_on if item.acknowledged else None,
    )


def _news(view: dict, item: Item, contact_id: str, today: date) -> bool:
    """Not yet told at this rung, or told before a pause that has now ended (the promised date passed)."""
    if view["told"].get(contact_id, 0) < item.rung:
        return True
    told_at = (view.get("told_at") or {}).get(contact_id)
    resumed = item.pauses[-1].until if item.pauses else None
    return bool(resumed and told_at and datetime.fromisoformat(told_at).astimezone(LOCAL_TZ).date() < resumed <= today)


def targets(item: Item) -> list[tuple[Target, bool]]:
    """The rung's targets and copies; everyone a lower rung named stays told (escalation adds people, it never drops
    the head who must act or the chairman who answers for it)."""
    spec = item.rung_spec()
    chosen = [(t, False) for t in spec.to] + [(t, True) for t in spec.cc]
    for lower in reversed(item.policy.rungs[: item.rung - 1]):
        chosen += [(t, False) for t in lower.to]
    return chosen


class Resolver:
    """`resolve` once per pass per (role, levels up, agency, unit): thousands of items name the same few holders."""

    def __init__(self, directory: Directory) -> None:
        self.directory, self._known = directory, {}

    def __call__(self, target: Target, agency_id: str, unit_id: str) -> Holder | Vacant:
        key = (target.role, target.up, agency_id if target.role == Role.lead_agency_head else None, unit_id)
        if key not in self._known:
            self._known[key] = resolve(target, agency_id, unit_id, self.directory)
        return self._known[key]


def route_items(views: list[dict], facts: Facts, directory: Directory, contacts: dict[str, dict], today: date,
                memo: PolicyMemo) -> Routed:
    routed, holder_of, ladder = Routed(), Resolver(directory), {}
    weekend = today.weekday() >= 5
    live = {}
    for view in views:
        item = item_of(view, memo)
        if item.rung == 0 or item.paused_on(today) or silenced(view, facts.silences) or (weekend and item.policy.defer_on_weekends):
            continue
        live[view["item_id"]] = (view, item)
    escalating_tasks = {item.started.task_id: item_id for item_id, (view, item) in live.items()}
    children: dict[str, list[d.Entry]] = {}
    for item_id, (view, item) in live.items():
        parent = escalating_tasks.get(view.get("parent_task_id") or "")
        if parent and parent != item_id:
            children.setdefault(parent, []).append(entry_of(view, item, facts, directory, today))
    for item_id, (view, item) in live.items():
        if escalating_tasks.get(view.get("parent_task_id") or "") not in (None, item_id):
            continue  # inhibited: told inside the parent's entry
        routed.views[item_id] = view
        seen: set[str] = set()
        base = entry_of(view, item, facts, directory, today)  # once per item; each recipient's copy differs in four fields
        folded = tuple(children.get(item_id, ()))
        rungs = ladder.get((id(item.policy), item.rung))
        if rungs is None:
            rungs = ladder[(id(item.policy), item.rung)] = targets(item)  # the memo keeps each policy object for the pass
        for target, cc in rungs:
            who = holder_of(target, item.started.agency_id, view["unit_id"])  # the unit now (a transferred task's)
            if isinstance(who, Vacant) or who.contact_id not in contacts:
                key = f"vacant:{who.role}:{who.unit_id}" if isinstance(who, Vacant) else f"no-contact:{who.contact_id}"
                routed.vacancies.setdefault(key, (who, view))
                continue
            if who.contact_id in seen:
                continue
            seen.add(who.contact_id)
            entry = d.copied(base, cc=cc, children=folded, new=_news(view, item, who.contact_id, today),
                             superior=not cc and target.role != Role.lead_agency_head)
            routed.add(who, Notice(item_id, entry, entry.new, item.rung, item.policy.repeat_every_days))
    return routed


def route_reminders(routed: Routed, facts: Facts, directory: Directory, contacts: dict[str, dict], today: date,
                    weekends_off: bool = True) -> None:
    for task in facts.tasks.values():
        if task.get("done") or task.get("recurring") or not task.get("due"):
            continue
        due = date.fromisoformat(task["due"])
        left = (due - today).days
        if left < 0 or left > 60 or (weekends_off and today.weekday() >= 5):
            continue
        who = resolve(Target(role=Role.lead_agency_head), task["lead"], task["unit_id"], directory)
        if isinstance(who, Vacant) or who.contact_id not in contacts:
            continue
        wanted = contacts[who.contact_id].get("reminder_days") or DEFAULT_REMINDER_DAYS
        threshold = min((t for t in wanted if t >= left), default=None)
        if threshold is None or threshold in task.get("reminded", {}).get(who.contact_id, []):
            continue
        plan = facts.plans.get(task["plan_id"]) or {}
        entry = d.Entry(item_id=task["task_id"], kind=d.REMINDER, code=task.get("code"), content=task["content"],
                        plan=f"Kế hoạch {plan.get('number') or task['plan_id']}", clause=task.get("clause"),
                        agency_name=(directory.agencies.get(task["lead"]) or {}).get("name", task["lead"]), due=due,
                        original_due=date.fromisoformat(task["original_due"]) if task.get("original_due") else None, days=left, new=True)
        routed.add(who, Notice(f"reminder:{task['task_id']}", entry, True, threshold))

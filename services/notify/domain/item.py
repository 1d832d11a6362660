"""An escalation item: one overdue task (or one missed period of a recurring task) climbing its frozen ladder.

Decide functions take the state and `today` and return events; `evolve` folds events back into the state.
The stream is `escalation-<item_id>` and starts at version 0, so a redelivered DeadlineMissed raises nothing twice.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Iterable
from zoneinfo import ZoneInfo

from schemas import deadlines
from schemas.catalog import parse_event
from schemas.envelope import Envelope
from schemas.notify import (
    EscalationAcknowledged, EscalationPolicy, EscalationRaised, EscalationResolved, EscalationStarted, Rung,
)
from services.notify.domain import policy as policies
from services.notify.domain.errors import AckDateInPast, ItemResolved

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def item_id_of(task_id: str, due: date, period: str | None) -> str:
    return f"{task_id}@{period}" if period else f"{task_id}@{due.isoformat()}"


def stream_of(item_id: str) -> str:
    return f"escalation-{item_id}"


@dataclass(frozen=True)
class Pause:
    since: date
    until: date  # the first day escalation runs again (the day after the expected date)


@dataclass(frozen=True)
class Item:
    stream_id: str
    version: int
    started: EscalationStarted
    rung: int = 0
    pauses: tuple[Pause, ...] = ()
    acknowledged: EscalationAcknowledged | None = None
    resolved: EscalationResolved | None = None

    @property
    def policy(self) -> EscalationPolicy:
        return self.started.policy

    def paused_on(self, today: date) -> bool:
        return any(p.since <= today < p.until for p in self.pauses)

    def paused_days(self, today: date) -> int:
        return sum(max(0, (min(today, p.until) - p.since).days) for p in self.pauses)

    def days_overdue(self, today: date) -> int:
        return deadlines.days_overdue(self.started.due, today)

    def effective_days(self, today: date) -> int:
        """Days overdue that count for climbing: days paused by an acknowledgement do not."""
        return self.days_overdue(today) - self.paused_days(today)

    def rung_spec(self, rung: int | None = None) -> Rung:
        return self.policy.rungs[(rung or self.rung) - 1]


def start(started: EscalationStarted, today: date) -> list:
    """A new item and the rung it has already reached (an item of a historic plan may start high up the ladder)."""
    item = Item(stream_of(started.item_id), 1, started)
    return [started, *climb(item, today)]


class Starts:
    """`start` and the started item's `climb_on` for the many items of one day (a quarter end): what depends only on the
    frozen policy and the due date (the rung reached and its EscalationRaised but for the item's own fields, the next
    climb's day) is worked out once per (policy, due date), not once per item; the events and days are those `start`
    and `climb_on` give."""

    def __init__(self, today: date) -> None:
        self.today = today
        self._known: dict[tuple[int, date], tuple[EscalationPolicy, EscalationRaised | None, date | None]] = {}

    def start(self, started: EscalationStarted) -> tuple[list, int, date | None]:
        """(the start's events, the rung reached, the day the item next climbs)."""
        key = (id(started.policy), started.due)
        known = self._known.get(key)
        if known is None:  # the policy is kept with its figures: its id is not reused while they are known
            item = Item(stream_of(started.item_id), 1, started)
            raised = climb(item, self.today)
            reached = raised[0].rung if raised else 0
            known = self._known[key] = (started.policy, raised[0] if raised else None,
                                        climb_on(replace(item, version=1 + len(raised), rung=reached)))
            return [started, *raised], reached, known[2]
        _, template, next_climb = known
        if template is None:
            return [started], 0, next_climb
        s = started  # the item's own fields on the rung's event, validated as parts of the start (an ItemKey has room for "#<rung>")
        raised = template.model_copy(update=dict(escalation_id=f"{s.item_id}#{template.rung}", item_id=s.item_id, task_id=s.task_id,
                                                 agency_id=s.agency_id, unit_id=s.unit_id, cause_event_id=s.cause_event_id))
        return [started, raised], template.rung, next_climb


def climb(item: Item, today: date) -> list[EscalationRaised]:
    """The highest rung newly reached; nothing while paused or resolved."""
    if item.resolved or item.paused_on(today):
        return []
    reached = policies.rung_reached(item.policy, item.effective_days(today))
    if reached <= item.rung:
        return []
    s, spec = item.started, item.rung_spec(reached)
    return [EscalationRaised(
        escalation_id=f"{s.item_id}#{reached}", item_id=s.item_id, task_id=s.task_id, agency_id=s.agency_id, unit_id=s.unit_id,
        rung=reached, to=spec.to, cc=spec.cc, rule=policies.rule_text(item.policy, reached), cause_event_id=s.cause_event_id,
        due=s.due,
    )]


def climb_on(item: Item) -> date | None:
    """The first day `climb` would raise the item a rung (a pure function of its state), or None when it never will:
    the escalation loop's schedule, kept in an indexed field of the item's view."""
    if item.resolved or item.rung >= len(item.policy.rungs):
        return None
    threshold, day = item.policy.rungs[item.rung].after_days, item.started.due
    for _ in range(len(item.pauses) + 64):  # each turn jumps a whole pause or the days still missing
        pause = next((p for p in item.pauses if p.since <= day < p.until), None)
        if pause is not None:
            day = pause.until
            continue
        missing = threshold - item.effective_days(day)
        if missing <= 0:
            return day
        day += timedelta(days=missing)
    return day  # a lower bound: climb() decides, and the view is scheduled again


def acknowledge(item: Item, by: str, note: str, expected_on: date, via: str, today: date) -> list[EscalationAcknowledged]:
    if item.resolved:
        raise ItemResolved(f"item {item.started.item_id!r} was resolved ({item.resolved.reason}); there is nothing to acknowledge",
                           field="item_id")
    if expected_on < today:
        raise AckDateInPast(f"the expected date {expected_on.isoformat()} is before today {today.isoformat()}", field="expected_on")
    return [EscalationAcknowledged(item_id=item.started.item_id, by=by, note=note, expected_on=expected_on, via=via)]


def resolve(item: Item, reason: str, day: date) -> list[EscalationResolved]:
    if item.resolved:
        return []
    return [EscalationResolved(item_id=item.started.item_id, reason=reason, resolved_on=day)]


def evolve(item: Item | None, envelope: Envelope) -> Item:
    event = parse_event(envelope.model_dump(mode="json")).payload
    if item is None:
        assert isinstance(event, EscalationStarted), "an item starts with EscalationStarted"
        return Item(envelope.stream_id, envelope.stream_version, event)
    item = replace(item, version=envelope.stream_version)
    if isinstance(event, EscalationRaised):
        return replace(item, rung=max(item.rung, event.rung))
    if isinstance(event, EscalationAcknowledged):
        since = envelope.occurred_at.astimezone(LOCAL_TZ).date()
        return replace(item, acknowledged=event, pauses=(*item.pauses, Pause(since, event.expected_on + timedelta(days=1))))
    if isinstance(event, EscalationResolved):
        return replace(item, resolved=event)
    return item


def rebuild(history: Iterable[Envelope]) -> Item | None:
    item = None
    for envelope in history:
        item = evolve(item, envelope)
    return item

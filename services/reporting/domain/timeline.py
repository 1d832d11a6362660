"""A task's timeline, folded from the events of its own stream (tasks topic) and of its escalation items (notify). Pure.

Its newest `KEEP` entries, oldest first, and per stream the version reached, so a redelivered or replayed event
changes nothing. Entries from different topics are ordered by when they happened, and at the same instant a task's
own entries before its escalation's (notify acts on what tasks published: a miss comes before the escalation it starts,
whichever topic reaches reporting first; `place_of`). Bounded: a task reported on daily
for years keeps only its newest KEEP entries (the read model is for reading; the event stores keep everything). No
personal data: agencies, units and roles by id.

Stored as a small head per task (`timelines`: the versions, how many entries were dropped, the kept entries' slots in
order, the newest entry's place) and one document per kept entry (`timeline_entries`, keyed task and slot, indexed by
task). A report writes the head and one entry: into a new slot while fewer than KEEP are kept, then into the slot of
the entry that falls out. `evolve_timeline` is the same fold over one whole document (the stored form of before, which
is still read as it is and split into entries on its next change, or by the offline pass: services/reporting/timelines_split.py).
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from typing import Any

from schemas.catalog import Event
from schemas.notify import EscalationAcknowledged, EscalationRaised, EscalationResolved, EscalationStarted
from schemas.plans import TaskAssigned
from schemas.tasks import (
    ConditionMet, DeadlineMissed, ExtensionRejected, ExtensionRequested, StatusReported, TaskCompleted, TaskDeadlineChanged,
    TaskTransferred, TaskWaitingOnAgency, TaskWaitingOnAgencyCleared,
)

Doc = dict[str, Any]
TIMELINES = "timelines"
TIMELINE_ENTRIES = "timeline_entries"
CONSEQUENCES = frozenset({"escalation_started", "escalation", "acknowledged", "escalation_resolved"})  # notify's entries
KEEP = 60  # entries kept per task, the newest


def task_of(event: Event) -> str | None:
    """The task an event belongs on: events of the task's own stream, and of its escalation items."""
    payload, stream = event.payload, event.envelope.stream_id
    task_id = getattr(payload, "task_id", None)
    if task_id is not None and stream == f"task-{task_id}":
        return task_id
    if stream.startswith("escalation-"):
        return getattr(payload, "task_id", None) or stream.removeprefix("escalation-").rsplit("@", 1)[0]
    return None


def entry_of(event: Event) -> Doc | None:
    """What the timeline shows of one event; None for an event it does not show."""
    p = event.payload
    if isinstance(p, TaskAssigned):
        found = {"kind": "assigned", "due": _iso(p.timing.due), "timing": p.timing.raw, "plan_id": p.plan_id, "lead": p.lead}
    elif isinstance(p, StatusReported):
        found = {"kind": "report", "agency_id": p.agency_id, "status": p.status.value, "progress": p.progress,
                 "summary": p.summary, "obstacles": p.obstacles, "period": p.period}
    elif isinstance(p, TaskCompleted):
        evidence = p.evidence.model_dump(mode="json") if p.evidence else None
        found = {"kind": "completed", "agency_id": p.agency_id, "completed_on": p.completed_on.isoformat(), "on_time": p.on_time,
                 "evidence": evidence}
    elif isinstance(p, DeadlineMissed):
        found = {"kind": "missed", "due": p.due.isoformat(), "miss": p.kind.value, "period": p.period}
    elif isinstance(p, ExtensionRequested):
        found = {"kind": "extension_requested", "agency_id": p.agency_id, "proposed_due": p.proposed_due.isoformat(), "reason": p.reason}
    elif isinstance(p, ExtensionRejected):
        found = {"kind": "extension_rejected", "reason": p.reason, "decided_by": p.decided_by}
    elif isinstance(p, TaskDeadlineChanged):
        found = {"kind": "deadline_changed", "previous_due": _iso(p.previous_due), "new_due": p.new_due.isoformat(),
                 "reason": p.reason, "decided_by": p.decided_by, "request_id": p.request_id}
    elif isinstance(p, ConditionMet):
        found = {"kind": "condition_met", "met_on": p.met_on.isoformat(), "due": p.due.isoformat(), "document": p.document}
    elif isinstance(p, TaskTransferred):
        found = {"kind": "transferred", "from_unit": p.from_unit, "to_unit": p.to_unit, "reorganisation": p.reorganisation}
    elif isinstance(p, TaskWaitingOnAgency):
        found = {"kind": "waiting_on", "agency_id": p.agency_id, "reason": p.reason}
    elif isinstance(p, TaskWaitingOnAgencyCleared):
        found = {"kind": "waiting_cleared", "agency_id": p.agency_id}
    elif isinstance(p, EscalationStarted):
        found = {"kind": "escalation_started", "due": p.due.isoformat(), "period": p.period}
    elif isinstance(p, EscalationRaised):
        found = {"kind": "escalation", "rung": p.rung, "unit_id": p.unit_id, "agency_id": p.agency_id,
                 "told": [{"role": t.role.value, "up": t.up} for t in p.to]}
    elif isinstance(p, EscalationAcknowledged):
        found = {"kind": "acknowledged", "by": p.by, "expected_on": p.expected_on.isoformat(), "note": p.note}
    elif isinstance(p, EscalationResolved):
        found = {"kind": "escalation_resolved", "reason": p.reason, "resolved_on": p.resolved_on.isoformat()}
    else:
        return None
    found["at"], found["event_id"] = event.envelope.occurred_at.isoformat(), str(event.envelope.event_id)
    return found


def place_of(entry: Doc) -> str:
    """What entries are ordered by: their time, an escalation's entries after a task's own at the same instant."""
    return entry["at"] + "~" if entry["kind"] in CONSEQUENCES else entry["at"]


def evolve_timeline(doc: Doc | None, task_id: str, event: Event, keep: int = KEEP) -> Doc:
    """The timeline after `event`: unchanged when its stream is already at or past the event's version."""
    doc = doc or {"task_id": task_id, "entries": [], "versions": {}, "dropped": 0}
    stream, version = event.envelope.stream_id, event.envelope.stream_version
    if version <= doc["versions"].get(stream, 0):
        return doc
    entry = entry_of(event)
    versions = {**doc["versions"], stream: version}
    if entry is None:
        return {**doc, "versions": versions}
    kept = doc["entries"]  # oldest first: a new entry most often goes at the end, where a stable sort would put it
    entries = [*kept, entry] if not kept or place_of(kept[-1]) <= place_of(entry) else sorted([*kept, entry], key=place_of)
    dropped = max(0, len(entries) - keep)
    return {**doc, "entries": entries[dropped:], "versions": versions, "dropped": doc.get("dropped", 0) + dropped}


def entry_key(task_id: str, slot: int) -> str:
    return f"{task_id}#{slot}"


def is_split(doc: Doc) -> bool:
    """True for a head whose entries are documents of their own; False for a whole timeline of before."""
    return "entries" not in doc


def split_timeline(doc: Doc) -> tuple[Doc, dict[str, Doc]]:
    """A whole timeline of before as a head and its entry documents (slots in order), by id."""
    task_id, entries = doc["task_id"], doc["entries"]
    head = {"task_id": task_id, "versions": doc["versions"], "dropped": doc.get("dropped", 0), "order": list(range(len(entries))),
            "last_at": place_of(entries[-1]) if entries else None}
    return head, {entry_key(task_id, i): {**e, "task_id": task_id, "slot": i} for i, e in enumerate(entries)}


_UNSET: Any = object()


def is_late(head: Doc | None, event: Event, shown: Doc | None = _UNSET) -> bool:
    """True when `event` is new to the head and would be shown before its newest entry (its place needs the entries' places).
    `shown`: entry_of(event), when the caller has it."""
    if head is None or head["last_at"] is None or event.envelope.stream_version <= head["versions"].get(event.envelope.stream_id, 0):
        return False
    entry = entry_of(event) if shown is _UNSET else shown
    return entry is not None and place_of(entry) < head["last_at"]


def add_event(head: Doc | None, task_id: str, event: Event, ats: Mapping[int, str] | None = None,
              keep: int = KEEP, shown: Doc | None = _UNSET) -> tuple[Doc, Doc | None, list[int]]:
    """(head after, the entry document to write or None, slots to delete).

    The head is returned as it was (the same object) when its stream is already at or past the event's version. A
    new entry takes a free slot, or once KEEP are kept the slot of the entry that falls out (so nothing is deleted;
    only a smaller KEEP than before leaves slots to delete). `ats` (slot → `place_of` the kept entries) is needed only
    when `is_late`: the entry goes after those at or before its place, where `evolve_timeline`'s stable sort puts it.
    The head's `last_at` is the newest entry's place. `shown`: entry_of(event), when the caller has it (is_late's too)."""
    head = head or {"task_id": task_id, "versions": {}, "dropped": 0, "order": [], "last_at": None}
    stream, version = event.envelope.stream_id, event.envelope.stream_version
    if version <= head["versions"].get(stream, 0):
        return head, None, []
    versions = {**head["versions"], stream: version}
    entry = entry_of(event) if shown is _UNSET else shown
    if entry is None:
        return {**head, "versions": versions}, None, []
    order, last_at, new = head["order"], head["last_at"], -1  # -1: the new entry's place until it has a slot
    place = place_of(entry)
    if last_at is None or last_at <= place:
        order, last_at = [*order, new], place
    else:
        if ats is None:
            raise ValueError(f"a late entry of {task_id} needs the kept entries' times")
        at = bisect_right([ats[s] for s in order], place)
        order = [*order[:at], new, *order[at:]]
    dropped = max(0, len(order) - keep)
    freed = [s for s in order[:dropped] if s != new]
    kept = order[dropped:]
    after = {**head, "versions": versions, "last_at": last_at, "dropped": head.get("dropped", 0) + dropped}
    if new not in kept:  # a late entry older than all the kept ones: shown nowhere
        return {**after, "order": kept}, None, freed
    slot = freed.pop(0) if freed else _free_slot(kept)
    return {**after, "order": [slot if s == new else s for s in kept]}, {**entry, "task_id": task_id, "slot": slot}, freed


def _free_slot(kept: list[int]) -> int:
    """The lowest slot not among `kept` (which holds the new entry's -1): when the others are below len(kept) - 1 they are
    every slot below it (distinct), so it is the next one; otherwise a search (slots left free by a smaller KEEP)."""
    if max(kept) < len(kept) - 1:
        return len(kept) - 1
    used = set(kept)
    return next(s for s in range(len(kept) + 1) if s not in used)


def joined(head: Doc, entries: list[Doc]) -> Doc:
    """The whole timeline (task_id, entries oldest first, versions, dropped), as `evolve_timeline` gives it, from a head
    and its entry documents in any order. A head of before is its own whole timeline."""
    if not is_split(head):
        return head
    rank = {slot: i for i, slot in enumerate(head["order"])}
    kept = sorted((e for e in entries if e.get("slot") in rank), key=lambda e: rank[e["slot"]])
    return {"task_id": head["task_id"], "entries": [{k: v for k, v in e.items() if k not in ("task_id", "slot")} for e in kept],
            "versions": head["versions"], "dropped": head.get("dropped", 0)}


def _iso(value) -> str | None:
    return value.isoformat() if value else None

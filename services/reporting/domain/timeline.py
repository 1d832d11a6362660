"""A task's timeline, folded from the events of its own stream (tasks topic) and of its escalation items (notify). Pure.

Its newest `KEEP` entries, oldest first, and per stream the version reached, so a redelivered or replayed event
changes nothing. Entries from different topics are ordered by when they happened, and at the same instant a task's
own entries before its escalation's (notify acts on what tasks published: a miss comes before the escalation it starts,
whichever topic reaches reporting first; `place_of`). Bounded: a task reported on daily
for years keeps only its newest KEEP entries (the read model is for reading; the event stores keep everything). No
personal data: agencies, units and roles by id.

Stored as one document per event shown since the task's last trim (`timeline_entries`, id `<at>|<stream>#v<version>`,
indexed by task): a report is one insert, and a redelivered event writes the same document again. A task's head
(`timelines`) is a whole timeline as `evolve_timeline` makes it (its newest KEEP entries inside, the versions, how many
were dropped), written only when a trim (handlers/timeline.py, now and then, in bulk) folds the documents into it and
deletes them (`trimmed`); its versions tell a document of an event it already counted (redelivered after a trim).
Reading (`joined`) orders the head's entries and the documents since by `place_of` and shows the newest KEEP
(`arrange`). Forms of before, still read as they are and folded by a task's first trim: a head with the slots of a
ring in `order` and one document per slot (id `task#slot`, written until 2026-11-30), or with the ids of its documents
in `kept` (written by an offline split of whole timelines that ran on 2026-11-30 and was removed, a whole head
being the form a trim writes).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

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
    if stream.startswith("task-"):  # by the stream first: a payload without a task_id (the directory's) raises inside getattr
        task_id = getattr(payload, "task_id", None)
        return task_id if task_id is not None and stream[5:] == task_id else None
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
    """The id of an entry document of the forms of before (a slot of its task's ring; still read, never written)."""
    return f"{task_id}#{slot}"


_UNSET: Any = object()


def entry_id(at: str, stream_id: str, version: int) -> str:
    """The id of the entry document of one event: its time, stream and version. The time first, so that a batch's
    new ids (reports happen now) go to one end of the id index instead of one place per task in it (≈ 2× cheaper to
    insert in SQLite); `|` and `#v`: never an id of a slot, `task#N`."""
    return f"{at}|{stream_id}#v{version}"


def entry_doc(task_id: str, event: Event, shown: Doc | None = _UNSET) -> Doc | None:
    """The document an event adds to its task's timeline (entry_of, with its task, stream and version), None for an
    event the timeline does not show. `shown`: entry_of(event), when the caller has it."""
    entry = entry_of(event) if shown is _UNSET else shown
    if entry is None:
        return None
    envelope = event.envelope
    return {**entry, "task_id": task_id, "stream": envelope.stream_id, "version": envelope.stream_version}


def is_split(doc: Doc) -> bool:
    """True for a head whose entries are documents of their own; False for a whole timeline of before."""
    return "entries" not in doc


def settled_ids(head: Doc) -> list[str]:
    """The ids of a split head's settled entry documents, oldest first: `kept` (written by a trim or the offline split),
    or the slots of `order` (the ring of before: heads written until 2026-11-30)."""
    if "kept" in head:
        return head["kept"]
    return [entry_key(head["task_id"], slot) for slot in head.get("order", ())]


def id_of(doc: Doc) -> str:
    """An entry document's id, from what it holds: its event's stream and version, or its task and slot."""
    return entry_id(doc["at"], doc["stream"], doc["version"]) if "stream" in doc else entry_key(doc["task_id"], doc["slot"])


_OWN = frozenset({"task_id", "slot", "stream", "version"})  # what an entry document adds to the entry it holds


@dataclass
class Arranged:
    """A timeline as its head and entry documents give it (`arrange`)."""

    shown: list[Doc]  # the newest `keep` entries, oldest first
    dropped: int
    versions: dict[str, int]


def arrange(head: Doc | None, docs: list[Doc], keep: int = KEEP) -> Arranged:
    """The newest `keep` entries of a task's timeline, in `evolve_timeline`'s order, from its head (any form, or none)
    and all its entry documents `docs` (in any order).

    Settled entries (the head's own list, or its `kept` / `order` documents) are those before its last write, in order. Every other
    document is one event's (`entry_doc`), fresh when its version is past its stream's version in the head (an event
    at or below it was counted when the head was written: a redelivery of one dropped since, or of one of before
    in its slot). All are ordered by `place_of`; at one place the settled first (they came first), then the fresh by
    stream and version (one stream's events come in version order; two streams' at one instant have no order of
    arrival to keep). Those past the newest `keep` are dropped: counted, not shown."""
    versions = dict(head["versions"]) if head else {}
    placed: list[tuple[tuple, Doc]] = []
    fresh = docs
    if head is not None and not is_split(head):
        placed = [((place_of(e), 0, i), e) for i, e in enumerate(head["entries"])]
    elif head is not None:
        by_id = {id_of(d): d for d in docs}
        for i, doc_id in enumerate(settled_ids(head)):
            doc = by_id.pop(doc_id, None)
            if doc is not None:
                placed.append(((place_of(doc), 0, i), doc))
        fresh = list(by_id.values())
    _place_fresh(placed, versions, ((doc.get("stream"), doc.get("version"), doc) for doc in fresh))
    cut = max(0, len(placed) - keep)
    shown = [_entry(doc) for _, doc in placed[cut:]]
    return Arranged(shown, (head or {}).get("dropped", 0) + cut, versions)


def _first(pair: tuple) -> tuple:
    return pair[0]


def _entry(doc: Doc) -> Doc:
    """The entry a document holds (an entry of a whole head is one already)."""
    if "task_id" not in doc:
        return doc
    entry = dict(doc)
    for key in _OWN:
        entry.pop(key, None)
    return entry


def joined(head: Doc | None, entries: list[Doc], keep: int = KEEP) -> Doc | None:
    """The whole timeline (task_id, entries oldest first, versions, dropped), as `evolve_timeline` gives it, from a head
    (or none) and its entry documents in any order; None when there is neither."""
    if head is None and not entries:
        return None
    task_id = head["task_id"] if head else entries[0]["task_id"]
    if head is not None and not is_split(head) and not entries and len(head["entries"]) <= keep:
        return head  # a whole timeline of before, nothing added since
    found = arrange(head, entries, keep)
    return {"task_id": task_id, "entries": found.shown, "versions": found.versions, "dropped": found.dropped}


def _place_fresh(placed: list[tuple[tuple, Doc]], versions: dict[str, int], fresh: Iterable[tuple[str | None, int, Doc]]) -> None:
    """Put each (stream, version, entry) past its stream's version in `versions` (as the head counted them) among the
    settled entries of `placed`, at its place (`arrange`'s order), move `versions` on, and sort `placed`. An entry
    with no stream (a slot the head no longer holds) or at or below its stream's version (counted before) is left out."""
    known = dict(versions)
    for stream, version, entry in fresh:
        if stream is None or version <= known.get(stream, 0):
            continue
        placed.append(((entry["at"] + "~" if entry["kind"] in CONSEQUENCES else entry["at"], 1, stream, version), entry))
        if version > versions.get(stream, 0):
            versions[stream] = version
    placed.sort(key=_first)


def held_head(task_id: str, head: Doc | None, held: list[tuple[str, int, Doc]], keep: int = KEEP) -> Doc:
    """`trimmed(task_id, head, docs, keep)[0]` for the entry documents of a rebuild that holds them in memory, each
    given as (stream, version, its entry_of) rather than as a document (handlers/timeline.hold_timelines): the same
    order (`arrange`: the head's entries settled first at one place, then by stream and version), the same head. `head`:
    None or a whole head, as a trim makes it. Each entry is built once and put in the head as it is (no copy)."""
    versions = dict(head["versions"]) if head else {}
    placed: list[tuple[tuple, Doc]] = [((place_of(e), 0, i), e) for i, e in enumerate(head["entries"])] if head else []
    _place_fresh(placed, versions, held)
    cut = max(0, len(placed) - keep)
    return {"task_id": task_id, "entries": [entry for _, entry in placed[cut:]], "versions": versions,
            "dropped": (head or {}).get("dropped", 0) + cut}


def trimmed(task_id: str, head: Doc | None, entries: list[Doc], keep: int = KEEP) -> tuple[Doc, list[str]]:
    """(the head after a trim, ids of the entry documents to delete): the newest `keep` entries of the head and the
    documents, folded into the head (a whole timeline, its `entries` inside, as `evolve_timeline` makes it), and every
    document of the task deleted (those not shown counted in `dropped`). Reads the same before and after (`joined`)."""
    found = arrange(head, entries, keep)
    after = {"task_id": task_id, "entries": found.shown, "versions": found.versions, "dropped": found.dropped}
    return after, [id_of(d) for d in entries]


def _iso(value) -> str | None:
    return value.isoformat() if value else None

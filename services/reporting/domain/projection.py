"""The read model's documents, folded from events. Pure: a document and an event in, a document out.

Task views are built from the tasks topic only. Each task's stream there (`task-<id>`) starts
with tasks' copy of TaskAssigned at version 1, and every later event of the task carries the
next `stream_version`, in order (one partition per key). A view remembers the version of the last event
it took in, so a redelivered or replayed event (version <= the view's) changes nothing. An event the view does not show
(a missed reporting period, an extension asked for: `changes_view`) leaves it as it is, version included: a quarter end's
misses of periods neither read nor write task views (applied again, such an event is again nothing).
"""
from __future__ import annotations

from datetime import date
from enum import Enum
from zoneinfo import ZoneInfo
from typing import Any

from schemas.catalog import Event
from schemas.deadlines import DUE_SOON_DAYS
from schemas.directory import AgencyRegistered, UnitRegistered
from schemas.envelope import Payload
from schemas.plans import PlanIssued, TaskAssigned
from schemas.tasks import ConditionMet, DeadlineMissed, MissKind, StatusReported, TaskCompleted, TaskDeadlineChanged, TaskTransferred
from services.reporting.domain.categories import TaskFacts

Doc = dict[str, Any]
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
UNITS, AGENCIES, PLANS, TASKS = "units", "agencies", "plans", "tasks"
UNIT_NEWS = "unit_news"  # per unit not registered yet: what its moves and renames changed, applied on its registration


def is_task_stream(event: Event) -> bool:
    """True for events of a task's own stream on the tasks topic.

    plans publishes TaskAssigned too, in the plan's stream (`plan-<id>`), with the plan
    stream's version. That copy is ignored: it is not ordered with the task's later events
    (another topic), its version means nothing to the task's view, and a task counts only
    once tasks, which owns task state, has accepted it into its own stream.
    """
    stream = event.envelope.stream_id
    return stream.startswith("task-") and stream[5:] == getattr(event.payload, "task_id", None)


def changes_view(payload: Payload) -> bool:
    """True for an event of a task's stream that its view shows (evolve_task changes the view for it)."""
    if isinstance(payload, DeadlineMissed):
        return payload.kind == MissKind.due  # a missed period is not "overdue" (issue 6)
    return isinstance(payload, _SHOWN)


def evolve_task(doc: Doc | None, event: Event) -> Doc | None:
    """The task view after `event`; unchanged (the same object) for an event it already reflects or does not show."""
    version = event.envelope.stream_version
    if doc is not None and version <= doc["version"]:
        return doc
    payload = event.payload
    if isinstance(payload, TaskAssigned):
        return assigned(payload, version)
    if doc is None:
        return None  # per-task order is guaranteed; a stream always starts with TaskAssigned
    if not changes_view(payload):
        return doc
    changed = {**doc, "version": version}
    if isinstance(payload, StatusReported):
        at = event.envelope.occurred_at.isoformat()
        changed.update(status=payload.status.value, progress=payload.progress, summary=payload.summary,
                       obstacles=payload.obstacles, reported_by=payload.agency_id, reported_at=at,
                       reports=doc.get("reports", 0) + 1)
    elif isinstance(payload, TaskCompleted):
        changed.update(completed_on=payload.completed_on.isoformat(), on_time=payload.on_time, open=False)
    elif isinstance(payload, DeadlineMissed):  # of a due date (changes_view)
        changed.update(missed=sorted({*doc["missed"], payload.due.isoformat()}))
    elif isinstance(payload, TaskDeadlineChanged):
        original = doc.get("original_due") or _iso(payload.original_due) or doc["due"]
        changed.update(due=payload.new_due.isoformat(), original_due=original or payload.new_due.isoformat(),
                       extensions=doc.get("extensions", 0) + 1)
    elif isinstance(payload, ConditionMet):
        changed.update(due=payload.due.isoformat(), original_due=doc.get("original_due") or payload.due.isoformat(),
                       condition_met=payload.met_on.isoformat())
    elif isinstance(payload, TaskTransferred):
        changed.update(unit_id=payload.to_unit, transferred_from=payload.from_unit)
    return changed


_SHOWN = (TaskAssigned, StatusReported, TaskCompleted, TaskDeadlineChanged, ConditionMet, TaskTransferred)


def assigned(payload: TaskAssigned, version: int = 1) -> Doc:
    timing = payload.timing
    return {
        "task_id": payload.task_id, "plan_id": payload.plan_id, "unit_id": payload.unit_id, "code": payload.code,
        "content": payload.content, "group": payload.group, "lead": payload.lead, "support": list(payload.support),
        "timing": timing.raw, "due": _iso(timing.due), "original_due": _iso(timing.due), "start": _iso(timing.start), "recurring": timing.recurring,
        "condition": timing.condition, "version": version, "status": "not_started", "progress": 0, "summary": "",
        "obstacles": "", "reported_by": None, "reported_at": None, "completed_on": None, "on_time": None,
        "missed": [], "open": True, "reports": 0,
    }


def with_window(doc: Doc, plan: Doc | None) -> Doc:
    """The task view with its plan's due-soon window, when the plan sets one other than the default."""
    window = (plan or {}).get("due_soon_days", DUE_SOON_DAYS)
    if doc.get("due_soon_days", DUE_SOON_DAYS) == window:
        return doc
    return {**doc, "due_soon_days": window}


def event_day(event: Event) -> str:
    """The local day (Asia/Ho_Chi_Minh) the event happened, as counters per day are keyed: a rebuild asks this of every
    event, and events come in bursts at the same moments. Kept by the time's own fields (and its tzinfo, which compares
    by value): a cache by the datetime itself hashes and compares it through two utcoffset calls, dearer than the answer
    (1.31 µs an event against 0.98 uncached and 0.76 this way: bench/history/national-scale.md, p2-rebuild)."""
    at = event.envelope.occurred_at
    key = (at.year, at.month, at.day, at.hour, at.minute, at.second, at.fold, at.tzinfo)
    found = _DAYS.get(key)
    if found is None:
        if len(_DAYS) >= MAX_DAYS:
            _DAYS.clear()  # bounded memory
        found = _DAYS[key] = at.astimezone(LOCAL_TZ).date().isoformat()
    return found


MAX_DAYS = 65_536
_DAYS: dict[tuple, str] = {}  # a time's fields -> its local day


def facts_of(doc: Doc) -> TaskFacts:
    return TaskFacts(
        due=_date(doc["due"]), recurring=doc["recurring"], condition=doc["condition"],
        completed_on=_date(doc["completed_on"]), on_time=doc["on_time"],
        missed=tuple(date.fromisoformat(d) for d in doc["missed"]), status=doc["status"],
        due_soon_days=doc.get("due_soon_days", DUE_SOON_DAYS),
    )


def directory_view(event: Event) -> tuple[str, str, Doc] | None:
    """(collection, id, document) for a unit, agency or plan event of the plans topic; None otherwise."""
    payload = event.payload
    if isinstance(payload, UnitRegistered):
        return UNITS, payload.unit_id, plain(payload)
    if isinstance(payload, AgencyRegistered):
        return AGENCIES, payload.agency_id, plain(payload)
    if isinstance(payload, PlanIssued):
        return PLANS, payload.plan_id, payload.model_dump(mode="json")
    return None


def plain(payload: Payload) -> Doc:
    """`payload.model_dump(mode="json")` of a flat payload (text, numbers, booleans, null, enums, dates) read off its
    fields without pydantic's serializer (a rebuild makes ~70k directory documents); any other value: model_dump."""
    doc: Doc = {}
    for name, value in payload.__dict__.items():
        kind = type(value)
        if value is None or kind in _JSON_SCALARS:
            doc[name] = value
        elif isinstance(value, Enum):
            doc[name] = value.value
        elif kind is date:
            doc[name] = value.isoformat()
        else:
            return payload.model_dump(mode="json")
    return doc


_JSON_SCALARS = {str, int, float, bool}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None

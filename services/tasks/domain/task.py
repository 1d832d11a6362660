"""The Task aggregate: its state, and the evolve fold that rebuilds it from events.

The decisions live beside it: report_status and miss_deadline here (the single rule for misses, due dates and
reporting periods alike); conditions, extensions, parts, evidence and transfers in their own modules.
"""
from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from datetime import date, timedelta
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from schemas.catalog import parse_event
from schemas.deadlines import is_overdue
from schemas.envelope import Envelope, Payload
from schemas.plans import TaskAssigned, Timing
from schemas.rejections import Conflict, Forbidden, Invalid
from schemas.tasks import DeadlineMissed, MissKind, StatusReport, StatusReported, TaskCompleted, TaskStatus
from services.tasks.domain import evolution
from services.tasks.domain.evidence import checked_evidence
from services.tasks.domain.periods import missed_periods, next_period_attention, period_now
from services.tasks.domain.roles import role_of

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DATES = ("due", "completed_on", "original_due", "start", "assigned_on", "condition_met_on")


@dataclass(frozen=True)
class Task:
    task_id: str
    plan_id: str
    unit_id: str
    lead: str
    support: tuple[str, ...]
    content: str
    code: str | None
    due: date | None  # the effective due date: after a met condition or an approved extension
    recurring: bool
    condition: str | None
    version: int = 1
    status: str = TaskStatus.not_started.value  # the lead's
    progress: int = 0  # the lead's
    completed_on: date | None = None
    on_time: bool | None = None
    missed: tuple[date, ...] = field(default=())
    original_due: date | None = None  # the first due date it had, kept on record
    parent_task_id: str | None = None
    clause: str | None = None
    start: date | None = None
    assigned_on: date | None = None
    condition_immediately: bool = False
    condition_days: int | None = None
    condition_met_on: date | None = None
    schedule: dict | None = None  # ReportingSchedule (JSON) a recurring task is judged against
    reported_periods: tuple[str, ...] = ()
    missed_periods: tuple[str, ...] = ()
    parts: tuple[dict, ...] = ()  # each agency's own part: agency_id, role, status, progress, summary, reported_on
    waiting_on: tuple[dict, ...] = ()  # agency_id, reason, since
    extensions: tuple[dict, ...] = ()  # request_id, agency_id, proposed_due, reason, state
    evidence: dict | None = None
    transfers: tuple[dict, ...] = ()  # from_unit, to_unit, effective_on, reorganisation

    def changed(self, **changes: Any) -> "Task":
        """A copy with these fields changed: dataclasses.replace without re-running __init__ over all 32 fields
        (it was a fifth of the deadline scanner's time; every event of the fold makes one or two copies)."""
        if not changes.keys() <= FIELD_NAMES:
            raise TypeError(f"Task has no field {sorted(changes.keys() - FIELD_NAMES)[0]!r}")
        copy = object.__new__(Task)
        copy.__dict__.update(self.__dict__)
        copy.__dict__.update(changes)
        return copy

    @property
    def completed(self) -> bool:
        return self.completed_on is not None

    @property
    def waiting_condition(self) -> bool:
        return self.condition is not None and self.condition_met_on is None and self.due is None

    def to_doc(self) -> dict[str, Any]:
        doc = dict(self.__dict__)  # the fields in their order (see from_doc, changed); not asdict(), which deep-copies
        for name in TUPLES:
            doc[name] = list(doc[name])
        for name in DATES:
            value = doc[name]
            doc[name] = value.isoformat() if value else None
        doc["missed"] = [d.isoformat() for d in self.missed]
        doc.update(derived(self))
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> "Task":
        """From a snapshot; fields a snapshot written before they existed take their defaults. Built as `changed` copies
        (the frozen dataclass's __init__ sets its 32 fields one object.__setattr__ at a time: this is the scanner's hot path)."""
        values = dict(doc)  # a snapshot as to_doc writes it: every field in order, then the derived values
        while values and next(reversed(values)) in DERIVED:
            values.popitem()  # the last entry: the dict stays compact (a hole left by pop() slowed every later copy of it)
        if values.keys() != FIELD_NAMES:  # written before some field existed (its default), or by hand
            if not REQUIRED <= doc.keys():
                raise TypeError(f"a task snapshot needs {sorted(REQUIRED - doc.keys())}")
            values = {name: doc[name] if name in doc else DEFAULTS[name] for name in FIELDS}
        for name in TUPLES:
            values[name] = tuple(values[name])
        for name in DATES:
            value = values[name]
            values[name] = date.fromisoformat(value) if value else None
        values["missed"] = tuple(date.fromisoformat(d) for d in values["missed"])
        task = object.__new__(cls)
        task.__dict__.update(values)
        return task


FIELDS = tuple(f.name for f in fields(Task))
FIELD_NAMES = frozenset(FIELDS)
DEFAULTS = {f.name: f.default for f in fields(Task) if f.default is not MISSING}  # all immutable: (), None, numbers, text
REQUIRED = FIELD_NAMES - DEFAULTS.keys()
DERIVED = frozenset(("open", "waiting_condition", "attention_on"))  # what to_doc adds after the fields, for queries
TUPLES = ("support", "reported_periods", "missed_periods", "parts", "waiting_on", "extensions", "transfers")
DOC_KEYS = FIELD_NAMES | DERIVED  # a snapshot as to_doc writes it
UNATTENDED = frozenset(("status", "progress", "parts"))  # fields a status report changes that no derived value reads


def _json_value(name: str, value: Any) -> Any:
    """One field's value as to_doc writes it."""
    if name in TUPLES:
        return list(value)
    if name in DATES:
        return value.isoformat() if value else None
    if name == "missed":
        return [d.isoformat() for d in value]
    return value


def derived(task: "Task") -> dict[str, Any]:
    """The values a snapshot carries after the fields, for queries (DERIVED), as to_doc and evolve_doc write them."""
    return {"open": task.completed_on is None, "waiting_condition": task.waiting_condition, "attention_on": _iso(next_attention(task))}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def started(payload: TaskAssigned, assigned_on: date) -> Task:
    """The task as assigned; `assigned_on` (the local day of the TaskAssigned event) starts its reporting periods."""
    t: Timing = payload.timing
    rule = t.condition_rule
    return Task(task_id=payload.task_id, plan_id=payload.plan_id, unit_id=payload.unit_id, lead=payload.lead,
                support=tuple(payload.support), content=payload.content, code=payload.code, due=t.due,
                recurring=t.recurring, condition=t.condition, original_due=t.due, parent_task_id=payload.parent_task_id,
                clause=payload.clause, start=t.start, assigned_on=assigned_on,
                condition_immediately=bool(rule and rule.immediately), condition_days=rule.days_after if rule else None,
                schedule=payload.schedule.model_dump(mode="json") if payload.schedule else None)


def evolve(task: Task | None, envelope: Envelope, payload: Payload | None = None) -> Task:
    """The task after one of its events; `payload` saves re-parsing when the caller has it already."""
    event = payload if payload is not None else parse_event(envelope.model_dump(mode="json")).payload
    if isinstance(event, TaskAssigned):
        return started(event, assigned_on=envelope.occurred_at.astimezone(LOCAL_TZ).date()).changed(version=envelope.stream_version)
    assert task is not None, "a task stream starts with TaskAssigned"
    return evolution.apply(task, event, envelope.stream_version)


def evolve_doc(task: Task, doc: dict[str, Any], envelope: Envelope, payload: Payload) -> tuple[Task, dict[str, Any]]:
    """The task after one of its events, and its snapshot as `to_doc` writes it, made from the snapshot `doc` the task was
    read from: only the fields the event changes are written again (a status report changes 4 or 5 of 32), and
    `attention_on` is computed again only when a field `next_attention` reads changed. A snapshot of another form than
    to_doc's (written before a field existed) is written whole by to_doc."""
    if isinstance(payload, TaskAssigned) or doc.keys() != DOC_KEYS:
        task = evolve(task, envelope, payload)
        return task, task.to_doc()
    changes = evolution.changes_of(task, payload)
    task = task.changed(version=envelope.stream_version, **changes)
    fresh = dict(doc)
    fresh["version"] = task.version
    for name, value in changes.items():
        fresh[name] = _json_value(name, value)
    if not changes.keys() <= UNATTENDED:
        fresh.update(derived(task))
    return task, fresh


def rebuild(history: Iterable[Envelope]) -> Task | None:
    task = None
    for envelope in history:
        task = evolve(task, envelope)
    return task


def report_status(task: Task, agency_id: str, report: StatusReport, today: date,
                  attachments: dict[str, dict] | None = None) -> list[StatusReported | TaskCompleted]:
    """An agency reports its own part of a task it leads or supports; the lead's 'done', with its evidence, completes it."""
    role = role_of(task, agency_id)
    if task.completed:
        raise Conflict(f"task {task.task_id!r} was completed on {task.completed_on.isoformat()}", field="status")
    done = report.status == TaskStatus.done
    if done and agency_id != task.lead:
        raise Forbidden("only the lead agency can report a task done")
    if done and task.recurring:
        raise Invalid("a recurring task is reported period by period; it is never done as a whole", field="status")
    if done and report.progress != 100:
        raise Invalid("a task reported done must have progress 100", field="progress")
    period = period_now(task, today) if task.recurring else None
    events: list[StatusReported | TaskCompleted] = [
        StatusReported(task_id=task.task_id, agency_id=agency_id, status=report.status, progress=report.progress,
                       summary=report.summary, obstacles=report.obstacles, role=role, period=period)
    ]
    if done:
        evidence = checked_evidence(report.evidence, today, attachments or {})
        on_time = not is_overdue(task.due, today, today)
        events.append(TaskCompleted(task_id=task.task_id, agency_id=agency_id, completed_on=today, due=task.due,
                                    on_time=on_time, evidence=evidence, original_due=task.original_due))
    return events


def miss_deadline(task: Task, today: date) -> list[DeadlineMissed]:
    """The single rule of misses. A dated task: once per due date, when it has passed (local calendar) and the task is
    not done. A recurring task: once per reporting period whose deadline passed without the lead's report."""
    if task.completed:
        return []
    common = dict(task_id=task.task_id, plan_id=task.plan_id, unit_id=task.unit_id, lead=task.lead, code=task.code,
                  content=task.content, waiting_on=[w["agency_id"] for w in task.waiting_on])
    if task.recurring:
        return [DeadlineMissed(**common, due=due, kind=MissKind.period, period=key) for key, due in missed_periods(task, today)]
    if not is_overdue(task.due, None, today) or task.due in task.missed:
        return []
    return [DeadlineMissed(**common, due=task.due, original_due=task.original_due)]


def next_attention(task: Task) -> date | None:
    """The first local day on which `miss_deadline` may decide something without anyone reporting, or None: the day
    after the (effective) due date, or for a recurring task the day after its first open period's deadline."""
    if task.completed:
        return None
    if task.recurring:
        return next_period_attention(task)
    if task.due is None or task.due in task.missed:
        return None
    return task.due + timedelta(days=1)

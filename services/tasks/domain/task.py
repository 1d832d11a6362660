"""The Task aggregate: an evolve fold that rebuilds state from events, and decide functions that return events."""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from typing import Any, Iterable

from schemas.catalog import parse_event
from schemas.envelope import Envelope, Payload
from schemas.plans import TaskAssigned, Timing
from schemas.rejections import Conflict, Forbidden, Invalid
from schemas.tasks import DeadlineMissed, StatusReport, StatusReported, TaskCompleted, TaskStatus


@dataclass(frozen=True)
class Task:
    task_id: str
    plan_id: str
    unit_id: str
    lead: str
    support: tuple[str, ...]
    content: str
    code: str | None
    due: date | None
    recurring: bool
    condition: str | None
    version: int = 1
    status: str = TaskStatus.not_started.value
    progress: int = 0
    completed_on: date | None = None
    on_time: bool | None = None
    missed: tuple[date, ...] = field(default=())

    @property
    def completed(self) -> bool:
        return self.completed_on is not None

    def to_doc(self) -> dict[str, Any]:
        doc = {name: getattr(self, name) for name in FIELDS}  # not asdict(): it deep-copies, and this is the hot path
        doc.update(support=list(self.support), missed=[d.isoformat() for d in self.missed], open=not self.completed,
                   due=_iso(self.due), completed_on=_iso(self.completed_on), attention_on=_iso(next_attention(self)))
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> "Task":
        values = {k: doc[k] for k in cls.__dataclass_fields__}
        values.update(support=tuple(doc["support"]), missed=tuple(date.fromisoformat(d) for d in doc["missed"]),
                      due=_date(doc["due"]), completed_on=_date(doc["completed_on"]))
        return cls(**values)


FIELDS = tuple(f.name for f in fields(Task))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def started(payload: TaskAssigned) -> Task:
    t: Timing = payload.timing
    return Task(task_id=payload.task_id, plan_id=payload.plan_id, unit_id=payload.unit_id, lead=payload.lead,
                support=tuple(payload.support), content=payload.content, code=payload.code, due=t.due,
                recurring=t.recurring, condition=t.condition)


def evolve(task: Task | None, envelope: Envelope, payload: Payload | None = None) -> Task:
    """The task after one of its events; `payload` saves re-parsing when the caller has it already."""
    event = payload if payload is not None else parse_event(envelope.model_dump(mode="json")).payload
    if isinstance(event, TaskAssigned):
        return started(event)
    assert task is not None, "a task stream starts with TaskAssigned"
    task = replace(task, version=envelope.stream_version)
    if isinstance(event, StatusReported):
        return replace(task, status=event.status.value, progress=event.progress)
    if isinstance(event, TaskCompleted):
        return replace(task, completed_on=event.completed_on, on_time=event.on_time)
    if isinstance(event, DeadlineMissed):
        return replace(task, missed=(*task.missed, event.due))
    return task


def rebuild(history: Iterable[Envelope]) -> Task | None:
    task = None
    for envelope in history:
        task = evolve(task, envelope)
    return task


def report_status(task: Task, agency_id: str, report: StatusReport, today: date) -> list[StatusReported | TaskCompleted]:
    """An agency reports on a task it leads or supports; the lead's 'done' completes the task."""
    if agency_id != task.lead and agency_id not in task.support:
        raise Forbidden(f"agency {agency_id!r} neither leads nor supports task {task.task_id!r}")
    if task.completed:
        raise Conflict(f"task {task.task_id!r} was completed on {task.completed_on.isoformat()}", field="status")
    done = report.status == TaskStatus.done
    if done and agency_id != task.lead:
        raise Forbidden("only the lead agency can report a task done", )
    if done and report.progress != 100:
        raise Invalid("a task reported done must have progress 100", field="progress")
    events: list[StatusReported | TaskCompleted] = [
        StatusReported(task_id=task.task_id, agency_id=agency_id, status=report.status, progress=report.progress,
                       summary=report.summary, obstacles=report.obstacles)
    ]
    if done:
        on_time = task.due is None or today <= task.due
        events.append(TaskCompleted(task_id=task.task_id, agency_id=agency_id, completed_on=today, due=task.due, on_time=on_time))
    return events


def miss_deadline(task: Task, today: date) -> list[DeadlineMissed]:
    """Once per task and due date: the due date has passed (local calendar) and the task is not done."""
    if task.completed or task.due is None or today <= task.due or task.due in task.missed:
        return []
    return [DeadlineMissed(task_id=task.task_id, plan_id=task.plan_id, unit_id=task.unit_id, lead=task.lead,
                           due=task.due, code=task.code, content=task.content)]


def next_attention(task: Task) -> date | None:
    """The first local day on which a decision may change the task without anyone reporting, or None.

    The scanner looks at a task only from that day on (the snapshot's indexed `attention_on`), so
    every rule the scanner applies must be reflected here: today the deadline (`miss_deadline` decides
    on the day after the due date); due-soon reminders, period ends and conditions add their days.
    """
    if task.completed or task.due is None or task.due in task.missed:
        return None
    return task.due + timedelta(days=1)

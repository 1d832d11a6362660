"""Loads and saves Task aggregates: the stream is the truth; the `tasks` document is its snapshot and view."""
from __future__ import annotations

from typing import Sequence

from schemas.envelope import Envelope, Payload
from schemas.rejections import NotFound
from schemas.tasks import Attachment
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import ConcurrencyError, JsonDocument, Store
from services.tasks.domain.task import Task, evolve, rebuild

TASKS = "tasks"

ATTACHMENTS = "attachments"  # evidence files by task and sha256 (content base64)


def stream_of(task_id: str) -> str:
    return f"task-{task_id}"


def snapshot(task: Task) -> JsonDocument:
    """The task's `tasks` document: JSON values only, so the store writes it without converting anything."""
    return JsonDocument(task.to_doc())


async def load(store: Store, events: EventLog, task_id: str, *, fresh: bool = False) -> Task:
    """The task from its snapshot, or rebuilt from its events when asked or when there is none."""
    doc = None if fresh else await store.get(TASKS, task_id)
    if doc is not None:
        return Task.from_doc(doc)
    task = rebuild(await events.load(stream_of(task_id)))
    if task is None:
        raise NotFound(f"no task with id {task_id!r}", field="task_id")
    return task


async def save(store: Store, events: EventLog, task: Task, payloads: Sequence[Payload], cause: Cause) -> tuple[Task, list[Envelope]]:
    """Append after the task's version and update the snapshot in the same transaction."""
    async with store.transaction():
        appended = await events.append(stream_of(task.task_id), task.version, payloads, cause)
        for envelope, payload in zip(appended, payloads):
            task = evolve(task, envelope, payload)
        if appended:
            await store.put(TASKS, task.task_id, snapshot(task))
    return task, appended


async def decide_and_save(store: Store, events: EventLog, task_id: str, decide, cause: Cause, expected_version: int | None = None) -> list[Envelope]:
    """Load, decide, save; a stale snapshot (another writer moved on) is rebuilt from the stream once."""
    for fresh in (False, True):
        task = await load(store, events, task_id, fresh=fresh)
        if expected_version is not None and expected_version != task.version:
            raise ConcurrencyError(task_id, expected_version, task.version)
        try:
            return (await save(store, events, task, decide(task), cause))[1]
        except ConcurrencyError:
            if fresh or expected_version is not None:
                raise
    raise AssertionError("unreachable")


async def uploaded_for(store: Store, task_id: str) -> dict[str, dict]:
    """sha256 -> the attachment as stored, without its content."""
    return {d["sha256"]: {k: d[k] for k in Attachment.model_fields} for d in await store.find(ATTACHMENTS, task_id=task_id)}

"""Given events, when a decision, then events: a task rebuilt from the events it has, as tasks does."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from schemas.envelope import Payload
from schemas.plans import TaskAssigned
from schemas.tasks import Evidence
from services.runtime.events import Cause, envelop
from services.tasks.domain.task import Task, evolve, rebuild

ASSIGNED_AT = datetime(2026, 10, 1, 2, 0, tzinfo=timezone.utc)  # 09:00 on 1 October 2026, Hà Nội time
EVIDENCE = Evidence(document_number="123/QĐ-UBND", document_date=date(2026, 11, 2), issuer="UBND xã Trường Hà")


def assigned(**changes) -> TaskAssigned:
    body = {"task_id": "t1", "plan_id": "p1", "unit_id": "xa", "content": "Rà soát dữ liệu", "lead": "ca", "support": ["vp", "tp"],
            "timing": {"due": "2026-11-30"}}
    body.update(changes)
    return TaskAssigned(**body)


def given(*payloads: Payload, at: datetime = ASSIGNED_AT) -> Task:
    """The task after these events (the first is its TaskAssigned, or a default one is put first)."""
    events = list(payloads) if payloads and isinstance(payloads[0], TaskAssigned) else [assigned(), *payloads]
    task = rebuild(envelop("task-t1", 0, events, Cause("test", str(uuid.uuid4())), at))
    assert task is not None
    return task


def then(task: Task, *payloads: Payload) -> Task:
    """The task after more events (checks the decisions' events fold)."""
    for envelope, payload in zip(envelop(f"task-{task.task_id}", task.version, payloads, Cause("test", "c"), ASSIGNED_AT), payloads):
        task = evolve(task, envelope, payload)
    return task

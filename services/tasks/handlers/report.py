"""An agency reports status on a task (the lead's 'done' with its evidence and uploaded attachments)."""
from __future__ import annotations

from schemas.envelope import Envelope
from schemas.tasks import StatusReport, TaskStatus
from services.runtime.clock import Clock, local_today
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store
from services.tasks.domain import task as domain
from services.tasks.handlers.attachments import uploaded_for
from services.tasks.handlers.repository import decide_and_save


async def report_status(task_id: str, agency_id: str, report: StatusReport, store: Store, events: EventLog, clock: Clock, cause: Cause) -> list[Envelope]:
    today = local_today(clock.now())
    uploaded = await uploaded_for(store, task_id) if report.status == TaskStatus.done and report.evidence else {}
    return await decide_and_save(
        store, events, task_id, lambda t: domain.report_status(t, agency_id, report, today, uploaded), cause, report.expected_version
    )

"""An agency reports status on a task."""
from __future__ import annotations

from schemas.envelope import Envelope
from schemas.tasks import StatusReport
from services.runtime.clock import Clock, local_today
from services.runtime.events import Cause
from services.runtime.eventlog import EventLog
from services.runtime.ports import Store
from services.tasks.domain import task as domain
from services.tasks.handlers.repository import decide_and_save


async def report_status(task_id: str, agency_id: str, report: StatusReport, store: Store, events: EventLog, clock: Clock, cause: Cause) -> list[Envelope]:
    today = local_today(clock.now())
    return await decide_and_save(
        store, events, task_id, lambda t: domain.report_status(t, agency_id, report, today), cause, report.expected_version
    )

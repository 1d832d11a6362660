"""An issued plan meets the condition of every task waiting on it, however many wait on the same few conditions."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from schemas.catalog import Event
from schemas.envelope import Envelope
from schemas.plans import PlanIssued, TaskAssigned, Timing
from services.runtime.clock import ManualClock
from services.runtime.eventlog import EventLog
from services.runtime.memory_store import MemoryStore
from services.tasks.bootstrap import INDEXES
from services.tasks.handlers.assign import accept_assignments
from services.tasks.handlers.conditions import meet_conditions_by_plans
from services.tasks.handlers.repository import TASKS

NOW = datetime(2026, 5, 4, 3, tzinfo=timezone.utc)
NAMED = "Ngay sau khi có Kế hoạch số 12/KH-UBND của UBND tỉnh"
OTHER = "Sau khi có hướng dẫn của Bộ Công an"


def event(payload, stream: str, version: int) -> Event:
    envelope = Envelope(event_id=uuid.uuid4(), event_type=type(payload).__name__, stream_id=stream, stream_version=version, occurred_at=NOW,
                        recorded_at=NOW, correlation_id="c", actor="plans", payload=payload.model_dump(mode="json"))
    return Event(envelope, payload)


async def test_a_plan_meets_every_waiting_task_that_names_it_and_no_other():
    store, clock = MemoryStore(INDEXES), ManualClock(NOW)
    events = EventLog(store, clock)
    assigned = [event(TaskAssigned(task_id=f"t{n}", plan_id=f"kh-{n}", unit_id=f"xa-{n}", content="Triển khai", group=1, lead=f"ca-{n}",
                                   timing=Timing(condition=NAMED if n % 3 else OTHER)), f"plan-kh-{n}", 2) for n in range(30)]
    await accept_assignments(assigned, store, events)
    issued = event(PlanIssued(plan_id="kh-12", unit_id="tinh", number="12/KH-UBND", title="Kế hoạch", issued_on=date(2026, 5, 2)), "plan-kh-12", 1)
    unrelated = event(PlanIssued(plan_id="kh-13", unit_id="tinh", number="13/KH-UBND", title="Kế hoạch", issued_on=date(2026, 5, 2)), "plan-kh-13", 1)
    assert await meet_conditions_by_plans([unrelated, issued], store, events, clock, immediate_days=7) == 20
    docs = {d["task_id"]: d for d in await store.find(TASKS)}
    assert {t for t, d in docs.items() if d["due"] == "2026-05-09"} == {f"t{n}" for n in range(30) if n % 3}
    assert all(docs[f"t{n}"]["waiting_condition"] for n in range(0, 30, 3))
    assert await meet_conditions_by_plans([issued], store, events, clock, immediate_days=7) == 0  # a redelivery meets nothing again

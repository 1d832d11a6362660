"""A status report's snapshot is made from the snapshot read (`evolve_doc`): the same document, to the byte, as the
folded task's `to_doc`, for every event and task the fold knows, and attention_on moved only when the report moves it."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from pydantic_core import to_json

from schemas.tasks import DeadlineMissed, MissKind, StatusReport, TaskWaitingOnAgency
from services.runtime.events import Cause, envelop
from services.tasks.domain import task as domain
from services.tasks.domain.task import Task, evolve, evolve_doc
from tests.unit.tasks.given import EVIDENCE, assigned, given

MONTHLY_14 = {"schedule_id": "bc-thang", "frequency": "monthly", "day_of_month": 14}
RECURRING = assigned(timing={"raw": "Thường xuyên", "recurring": True, "due": "2026-10-15"}, schedule=MONTHLY_14)
TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)


OCTOBER_MISSED = DeadlineMissed(task_id="t1", plan_id="p1", unit_id="xa", lead="ca", content="x", due=date(2026, 10, 14),
                                kind=MissKind.period, period="2026-10")


def _report(status: str = "in_progress", progress: int = 40, **more) -> StatusReport:
    return StatusReport(status=status, progress=progress, summary="Đã rà soát 1.200 hồ sơ", **more)


def _both(task: Task, payloads) -> tuple[tuple[Task, dict], tuple[Task, dict]]:
    """(evolve_doc from the stored snapshot, to_doc of the folded task) after these events."""
    doc, folded = task.to_doc(), task
    made = task
    for envelope, payload in zip(envelop(f"task-{task.task_id}", task.version, payloads, Cause("test", "c"), NOW), payloads):
        made, doc = evolve_doc(made, doc, envelope, payload)
        folded = evolve(folded, envelope, payload)
    return (made, doc), (folded, folded.to_doc())


@pytest.mark.parametrize("task, agency, report", [
    (given(), "ca", _report()),  # the lead's first part
    (given(), "vp", _report(progress=10)),  # a coordinating agency's part
    (given(RECURRING, OCTOBER_MISSED), "ca", _report()),  # the lead reports this month's period: attention moves to next month's
    (given(RECURRING), "ca", _report()),  # this month's reported, last month's still open: attention stays
    (given(RECURRING), "vp", _report()),  # a coordinating agency's report of a recurring task: the period stays open
    (given(assigned(timing={"raw": "Thường xuyên", "recurring": True})), "ca", _report(status="blocked", progress=0)),
    (given(assigned(timing={"due": "2026-12-31"})), "ca", _report(status="done", progress=100, evidence=EVIDENCE)),  # completes it
])
def test_a_reports_snapshot_from_the_snapshot_read_is_the_folded_tasks_to_the_byte(task, agency, report):
    payloads = domain.report_status(task, agency, report, TODAY)
    (made, doc), (folded, expected) = _both(task, payloads)
    assert made == folded and doc == expected
    assert to_json(doc) == to_json(expected) and list(doc) == list(expected)


def test_a_recurring_tasks_attention_moves_with_the_leads_report_of_the_period_and_stays_with_anothers():
    task = given(RECURRING, OCTOBER_MISSED)
    lead = _both(task, domain.report_status(task, "ca", _report(), TODAY))[0][1]
    support = _both(task, domain.report_status(task, "vp", _report(), TODAY))[0][1]
    assert task.to_doc()["attention_on"] == "2026-11-15" and support["attention_on"] == "2026-11-15"
    assert lead["attention_on"] == "2026-12-15" and lead["reported_periods"] == ["2026-11"]


def test_other_events_and_snapshots_of_another_form_give_what_to_doc_gives():
    task = given(RECURRING)
    payloads = [OCTOBER_MISSED,
                TaskWaitingOnAgency(task_id="t1", agency_id="vp", reason="Chờ số liệu", since=TODAY)]
    (made, doc), (folded, expected) = _both(task, payloads)
    assert doc == expected and to_json(doc) == to_json(expected)
    older = {k: v for k, v in task.to_doc().items() if k not in ("transfers", "attention_on")}  # written before those fields
    (envelope,) = envelop("task-t1", task.version, payloads[:1], Cause("test", "c"), NOW)
    assert evolve_doc(task, older, envelope, payloads[0])[1] == evolve(task, envelope, payloads[0]).to_doc()

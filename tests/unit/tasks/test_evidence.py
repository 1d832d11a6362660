"""Given a task, when its lead reports it done, then the completion carries its evidence; without it nothing changes."""
from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from schemas.rejections import Invalid
from schemas.tasks import StatusReport, TaskCompleted
from services.tasks.domain.task import Task, report_status
from tests.unit.tasks.given import EVIDENCE, given, then

TODAY = date(2026, 11, 10)
PDF = {"sha256": "a" * 64, "filename": "quyet-dinh.pdf", "media_type": "application/pdf", "size": 2048}


def done(**evidence) -> StatusReport:
    return StatusReport(status="done", progress=100, evidence={**EVIDENCE.model_dump(mode="json"), **evidence} if evidence is not None else None)


def test_done_with_its_evidence_completes_the_task_and_keeps_the_evidence():
    events = report_status(given(), "ca", done(attachments=[{**PDF, "media_type": "text/plain"}]), TODAY, {PDF["sha256"]: PDF})
    completed = events[1]
    assert isinstance(completed, TaskCompleted) and completed.evidence.document_number == "123/QĐ-UBND"
    assert completed.evidence.attachments[0].media_type == "application/pdf"  # as detected at upload, not as claimed
    task: Task = then(given(), *events)
    assert task.evidence["issuer"] == "UBND xã Trường Hà" and Task.from_doc(task.to_doc()) == task


def test_done_without_evidence_is_refused_naming_the_field():
    with pytest.raises(Invalid) as refused:
        report_status(given(), "ca", StatusReport(status="done", progress=100), TODAY)
    assert refused.value.field == "evidence"


def test_a_malformed_document_number_is_refused_at_the_edge():
    with pytest.raises(ValidationError) as refused:
        done(document_number="quyết định 123")
    assert refused.value.errors()[0]["loc"] == ("evidence", "document_number")


def test_an_attachment_not_uploaded_for_the_task_or_a_document_dated_after_today_is_refused():
    with pytest.raises(Invalid) as refused:
        report_status(given(), "ca", done(attachments=[PDF]), TODAY, {})
    assert refused.value.field == "evidence.attachments.0.sha256"
    with pytest.raises(Invalid) as refused:
        report_status(given(), "ca", done(document_date="2026-11-11"), TODAY)
    assert refused.value.field == "evidence.document_date"

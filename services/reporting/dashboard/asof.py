"""Interim "as of": a task document as it stood on a past local day, as far as its current state tells.

INTERIM until reporting serves `as_of=` from the events themselves (issue 7, point 7). The read
model keeps only a task's latest state, so this can only: leave out tasks whose plan was issued
after the day, undo a completion dated after it, forget deadlines missed after it, and forget a
latest report made after it (the report before that one is not kept, so the task reads as not
reported). A task's content or due date changed since then is not undone.
"""
from __future__ import annotations

from datetime import date

from services.reporting.domain.projection import Doc


def as_it_stood(doc: Doc, day: date, issued_on: str | None) -> Doc | None:
    """The document on `day`, or None when the task did not exist yet (its plan was issued later)."""
    iso = day.isoformat()
    if issued_on and issued_on > iso:
        return None
    changed: Doc = {}
    if doc.get("completed_on") and doc["completed_on"] > iso:
        changed.update(completed_on=None, on_time=None, open=True)
    missed = [d for d in doc.get("missed", []) if d < iso]
    if len(missed) != len(doc.get("missed", [])):
        changed["missed"] = missed
    if doc.get("reported_at") and doc["reported_at"][:10] > iso:
        changed.update(status="not_started", progress=0, summary="", obstacles="", reported_at=None, reported_by=None)
    return {**doc, **changed} if changed else doc


def tasks_as_of(tasks: list[Doc], day: date, today: date, issued: dict[str, str | None]) -> list[Doc]:
    """Every task as it stood on `day`; today's documents as they are."""
    if day >= today:
        return tasks
    stood = (as_it_stood(doc, day, issued.get(doc["plan_id"])) for doc in tasks)
    return [doc for doc in stood if doc is not None]

"""A timeline's entries stay oldest first whatever order their events arrive in (tasks and notify are two topics)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from services.reporting.domain.timeline import evolve_timeline
from tests.unit.reporting.events import assignment, status


def test_an_entry_older_than_the_newest_goes_in_its_place_and_equal_times_keep_their_arrival_order():
    doc = None
    late = datetime(2023, 3, 25, 3, tzinfo=timezone.utc)
    for event in [assignment("t1", "xa", date(2023, 3, 31), at=date(2023, 3, 20)), status("t1", 2, progress=10, at=late),
                  status("t1", 3, progress=20, at=date(2023, 3, 22)), status("t1", 4, progress=30, at=late)]:
        doc = evolve_timeline(doc, "t1", event)
    assert [(e["kind"], e.get("progress")) for e in doc["entries"]] == [("assigned", None), ("report", 20), ("report", 10), ("report", 30)]

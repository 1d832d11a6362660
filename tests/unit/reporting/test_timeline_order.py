"""A timeline's entries stay oldest first whatever order their events arrive in (tasks and notify are two topics)."""
from __future__ import annotations

from datetime import date, datetime, timezone

from services.reporting.dashboard import queries
from services.reporting.domain.timeline import evolve_timeline
from services.reporting.handlers.timeline import record_timelines
from services.runtime.memory_store import MemoryStore
from tests.unit.dashboard.live import acknowledged, raised, started
from tests.unit.reporting.events import assignment, missed, status


def test_an_entry_older_than_the_newest_goes_in_its_place_and_equal_times_keep_their_arrival_order():
    doc = None
    late = datetime(2023, 3, 25, 3, tzinfo=timezone.utc)
    for event in [assignment("t1", "xa", date(2023, 3, 31), at=date(2023, 3, 20)), status("t1", 2, progress=10, at=late),
                  status("t1", 3, progress=20, at=date(2023, 3, 22)), status("t1", 4, progress=30, at=late)]:
        doc = evolve_timeline(doc, "t1", event)
    assert [(e["kind"], e.get("progress")) for e in doc["entries"]] == [("assigned", None), ("report", 20), ("report", 10), ("report", 30)]


async def test_at_one_instant_a_miss_comes_before_the_escalation_it_started_whichever_topic_arrives_first():
    """notify's escalation events carry the instant of the miss they answer (one clock reading on a quiet system);
    reporting reads the two topics in no fixed order, and the timeline still shows cause before consequence."""
    due, day = date(2023, 3, 31), date(2023, 4, 3)
    own = [assignment("t1", "xa", due, at=date(2023, 3, 20)), status("t1", 2, progress=40, at=date(2023, 3, 21)),
           missed("t1", 3, due, at=day)]
    escalation = [started("t1", "xa", due, at=day), raised("t1", "xa", due, 1, 2, at=day),
                  acknowledged("t1", due, 3, "ca-xa", date(2023, 4, 10), at=day)]
    expected = ["assigned", "report", "missed", "escalation_started", "escalation", "acknowledged"]
    for arrival in ([*own, *escalation], [*own[:2], *escalation, own[2]], [*own[:2], escalation[0], own[2], *escalation[1:]]):
        doc = None
        for event in arrival:
            doc = evolve_timeline(doc, "t1", event)
        assert [e["kind"] for e in doc["entries"]] == expected
        store = MemoryStore()
        for event in arrival:  # one event a batch, as the live consumer may see them
            await record_timelines([event], store)
        assert [e["kind"] for e in (await queries.timeline(store, "t1"))["entries"]] == expected

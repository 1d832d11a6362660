"""reporting's live views: escalations in progress and each task's timeline, folded from notify's and tasks' events."""
from __future__ import annotations

from datetime import date

from services.reporting.dashboard.context import PageContext
from services.reporting.dashboard.pages.escalations import escalations
from services.reporting.dashboard.texts import words
from services.reporting.domain.escalations import ESCALATIONS
from services.reporting.dashboard import queries
from services.reporting.domain.timeline import evolve_timeline
from services.reporting.handlers.escalations import follow_escalations
from services.reporting.handlers.timeline import record_timelines
from services.runtime.memory_store import MemoryStore
from tests.unit.dashboard.live import acknowledged, raised, resolved, started
from tests.unit.dashboard.province import PROVINCE, TODAY, assignment, province_store
from tests.unit.reporting.events import missed, status

DUE = date(2026, 11, 5)


async def test_an_item_climbs_is_acknowledged_and_a_replay_changes_nothing():
    store = MemoryStore()
    events = [started("a3", "xa-a", DUE, at=date(2026, 11, 6)), raised("a3", "xa-a", DUE, 1, 2, at=date(2026, 11, 6)),
              raised("a3", "xa-a", DUE, 2, 3, at=date(2026, 11, 13)),
              acknowledged("a3", DUE, 4, "xa-a.unit_head", date(2026, 12, 31), at=date(2026, 11, 14))]
    await follow_escalations(events, store)
    doc = await store.get(ESCALATIONS, "a3@2026-11-05")
    assert doc["rung"] == 2 and doc["told"] == [{"role": "chairman", "up": 0}] and doc["cc"] == [{"role": "standing_body", "up": 1}]
    assert doc["acknowledged"]["by"] == "xa-a.unit_head" and doc["acknowledged"]["expected_on"] == "2026-12-31"
    assert doc["open"] and doc["version"] == 4
    assert await follow_escalations(events[:3], store) == 0  # redelivered: the document has reached version 4
    assert await store.get(ESCALATIONS, "a3@2026-11-05") == doc


async def test_a_resolved_item_is_no_longer_open():
    store = MemoryStore()
    await follow_escalations([started("b2", "xa-b", DUE), raised("b2", "xa-b", DUE, 1, 2), resolved("b2", DUE, 3, date(2026, 12, 1))], store)
    doc = await store.get(ESCALATIONS, "b2@2026-11-05")
    assert doc["open"] is False and doc["resolved"] == {"reason": "completed", "resolved_on": "2026-12-01"}


async def test_the_timeline_holds_each_report_and_the_escalations_in_the_order_they_happened():
    store = MemoryStore()
    own = [assignment("a5", "xa-a", date(2027, 3, 31)), status("a5", 2, "in_progress", 10), status("a5", 3, "blocked", 20)]
    escalation = [started("a5", "xa-a", DUE, at=date(2023, 3, 21)), raised("a5", "xa-a", DUE, 1, 2, at=date(2023, 3, 21))]
    await record_timelines(own, store)
    await record_timelines(escalation, store)
    doc = await queries.timeline(store, "a5")
    assert [e["kind"] for e in doc["entries"]] == ["assigned", "report", "report", "escalation_started", "escalation"]
    assert [e.get("progress") for e in doc["entries"][1:3]] == [10, 20]
    before = doc
    await record_timelines([own[2], escalation[1]], store)  # redelivered: the same documents again
    assert await queries.timeline(store, "a5") == before


async def test_a_timeline_keeps_only_its_newest_entries():
    doc = None
    for version, event in enumerate([assignment("a1", "xa-a", DUE), *[missed("a1", v, DUE, "xa-a") for v in range(2, 7)]], start=1):
        doc = evolve_timeline(doc, "a1", event, keep=3)
    assert len(doc["entries"]) == 3 and doc["dropped"] == 3 and doc["versions"]["task-a1"] == 6


async def test_the_escalations_page_keeps_the_most_overdue_items_when_there_are_more_than_it_shows():
    store = await province_store()
    await follow_escalations([started("b2", "xa-b", date(2026, 4, 1)), raised("b2", "xa-b", date(2026, 4, 1), 1, 2)], store)  # b2@2026-05-29 was resolved
    page = PageContext("vi", TODAY, TODAY, t=words("vi"))
    found = await escalations(store, PROVINCE, page, max_rows=1)
    assert found["total"] == 2 and [r["task_id"] for r in found["escalations"]] == ["b2"]  # 258 days overdue before a3's 40

"""Rankings by the documented score: a province ranks its communes, a unit its agencies, a level nationwide."""
from __future__ import annotations

from datetime import date

from services.reporting.domain.ranking import score
from services.reporting.handlers.project import project
from services.reporting.rankings import level_ranking, unit_ranking
from services.runtime.memory_store import MemoryStore
from tests.unit.reporting.events import agency, assignment, completion, unit

TODAY = date(2023, 3, 20)


async def store_with_three_communes() -> MemoryStore:
    store = MemoryStore()
    await project([unit("tinh", level="province"), unit("xa-1", "tinh"), unit("xa-2", "tinh"), unit("xa-3", "tinh"),
                   agency("ca-xa", "xa-1"), agency("tp-xa", "xa-1"),
                   assignment("a", "xa-1", date(2023, 3, 1), lead="ca-xa"), completion("a", 2, date(2023, 2, 28), date(2023, 3, 1), True),
                   assignment("b", "xa-2", date(2023, 3, 1), lead="tp-xa"), completion("b", 2, date(2023, 3, 5), date(2023, 3, 1), False),
                   assignment("c", "xa-3", date(2023, 2, 18), lead="tp-xa")], store)
    return store


async def test_a_province_ranks_its_communes_best_first_with_the_formula_beside():
    body = await unit_ranking(await store_with_three_communes(), "tinh", TODAY)
    assert [(r["id"], r["rank"]) for r in body["ranking"]] == [("xa-1", 1), ("xa-2", 1), ("xa-3", 3)]
    assert body["ranking"][2]["overdue_days"] == 30 and body["ranking"][2]["score"] == 30.0
    assert "0,4 × tỷ lệ hoàn thành" in body["formula"]["vi"] and body["formula"]["weights"]["completion"] == 0.4


async def test_a_unit_ranks_its_agencies_by_their_lead_part():
    body = await unit_ranking(await store_with_three_communes(), "xa-1", TODAY, of="agencies")
    assert [r["id"] for r in body["ranking"]] == ["ca-xa", "tp-xa"] and body["ranking"][1]["overdue"] == 1


async def test_every_commune_is_ranked_nationwide():
    body = await level_ranking(await store_with_three_communes(), "commune", TODAY)
    assert [r["id"] for r in body["ranking"]] == ["xa-1", "xa-2", "xa-3"]


def test_the_score_weighs_completion_reporting_on_time_and_overdue_days():
    assert score({"fallen_due": 0, "completion_rate": None, "overdue_days": 0, "on_time_reporting_rate": None})["score"] == 100
    half = score({"fallen_due": 2, "completion_rate": 0.5, "overdue_days": 15, "on_time_reporting_rate": 0.5})
    assert half["score"] == round(100 * (0.4 * 0.5 + 0.3 * 0.5 + 0.3 * (1 - 7.5 / 30)), 2)

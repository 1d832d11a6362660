"""Reporting obligations from a plan's schedule: expected, received, on time, rates rolled up, non-reporters."""
from __future__ import annotations

from datetime import date

from services.reporting.handlers.project import project
from services.reporting.obligations import period_obligations
from services.reporting.views import unit_summary
from services.runtime.memory_store import MemoryStore
from tests.unit.reporting.events import agency, periodic, plan, unit

DEC_20 = date(2026, 12, 20)


def history():
    """A province plan of 1 Oct 2026 with a monthly schedule (before the 14th) binding its communes and its agency."""
    return [unit("tinh", level="province"), unit("xa-1", "tinh"), unit("xa-2", "tinh"), agency("ca-tinh", "tinh"),
            plan("kh-tinh", "tinh", date(2026, 10, 1)), unit("xa-3", "tinh"),  # xa-3 registers after the plan: bound too
            periodic("kh-tinh", "2026-12", "unit:xa-1", date(2026, 12, 10), date(2026, 12, 14)),
            periodic("kh-tinh", "2026-12", "unit:xa-2", date(2026, 12, 16), date(2026, 12, 14)),  # after the cut-off
            periodic("kh-tinh", "2026-11", "unit:xa-1", date(2026, 11, 12), date(2026, 11, 14)),
            periodic("kh-tinh", "2026-12", "agency:ca-tinh", date(2026, 12, 14), date(2026, 12, 14), unit_id="tinh")]


async def test_a_unit_that_never_reported_is_listed_and_a_late_report_counts_received_but_not_on_time():
    store = MemoryStore()
    await project(history(), store)
    december = await period_obligations(store, "tinh", "2026-12", DEC_20)
    assert (december["expected"], december["received"], december["received_on_time"]) == (4, 3, 2)
    assert [r["reporter"] for r in december["non_reporters"]] == ["unit:xa-3"]
    late = next(r for r in december["obligations"] if r["reporter"] == "unit:xa-2")
    assert late["received"] and late["on_time"] is False and late["deadline"] == "2026-12-14"
    quarter = await period_obligations(store, "tinh", "2026-Q4", DEC_20)
    assert quarter["expected"] == 12 and quarter["received"] == 4


async def test_reporting_rates_roll_up_from_counters_over_the_closed_periods():
    store = MemoryStore()
    await project(history(), store)
    body = await unit_summary(store, "tinh", DEC_20, "vi")
    # Oct, Nov, Dec deadlines have passed: 3 communes x 3 + the province agency x 3 = 12 expected
    assert body["reporting"]["total"]["expected"] == 12 and body["reporting"]["total"]["received"] == 4
    assert body["reporting_rate"] == {"own": round(1 / 3, 4), "total": round(4 / 12, 4)}
    assert body["on_time_reporting_rate"]["total"] == round(3 / 12, 4)
    commune = await unit_summary(store, "xa-3", DEC_20, "vi")
    assert commune["reporting"]["own"]["expected"] == 3 and commune["reporting_rate"]["own"] == 0.0
    before = await unit_summary(store, "tinh", DEC_20, "vi", as_of=date(2026, 11, 20))
    assert before["reporting"]["total"]["expected"] == 8 and before["reporting"]["total"]["received"] == 1


async def test_a_corrected_report_is_a_new_revision_and_is_not_counted_twice():
    store = MemoryStore()
    events = history()
    await project([*events, periodic("kh-tinh", "2026-12", "unit:xa-1", date(2026, 12, 18), date(2026, 12, 14), revision=2,
                                     results="Bổ sung số liệu")], store)
    december = await period_obligations(store, "tinh", "2026-12", DEC_20)
    first = next(r for r in december["obligations"] if r["reporter"] == "unit:xa-1")
    assert first["on_time"] is True and first["revision"] == 2 and december["received"] == 3
    assert (await unit_summary(store, "tinh", DEC_20, "vi"))["reporting"]["total"]["received"] == 4


async def test_as_of_a_day_before_a_report_arrived_it_is_listed_as_not_received():
    store = MemoryStore()
    await project(history(), store)
    before = await period_obligations(store, "tinh", "2026-12", DEC_20, as_of=date(2026, 12, 12))
    assert sorted(r["reporter"] for r in before["non_reporters"]) == ["agency:ca-tinh", "unit:xa-2", "unit:xa-3"]


async def test_a_schedule_of_fixed_dates_expects_one_report_per_date_passed():
    twice = {"schedule_id": "6-thang", "frequency": "dates", "dates": [{"month": 6, "day": 14}, {"month": 12, "day": 14}],
             "bound": ["child_units"]}
    store = MemoryStore()
    await project([unit("tinh", level="province"), unit("xa-1", "tinh"), plan("kh-2", "tinh", date(2026, 1, 5), [twice])], store)
    body = await unit_summary(store, "tinh", DEC_20, "vi")
    assert body["reporting"]["total"]["expected"] == 2
    year = await period_obligations(store, "tinh", "2026", DEC_20)
    assert [r["period"] for r in year["obligations"]] == ["2026-06", "2026-12"]

"""Every figure from a small hand-written history: given events, then the figure."""
from __future__ import annotations

from datetime import date

from services.reporting.handlers.project import project
from services.reporting.views import unit_summary
from services.runtime.memory_store import MemoryStore
from services.reporting.agencies import unit_agencies
from tests.unit.reporting.events import agency, assignment, completion, deadline_changed, status, unit

MARCH_20 = date(2023, 3, 20)


async def summary(events, today=MARCH_20, **options):
    store = MemoryStore()
    await project(events, store)
    return await unit_summary(store, "tinh", today, "vi", **options)


def hierarchy():
    return [unit("tinh", level="province"), unit("xa", "tinh")]


async def test_a_late_completion_is_done_late_and_counts_as_fallen_due_but_not_on_time():
    body = await summary([*hierarchy(), assignment("t1", "xa", date(2023, 3, 10)),
                          completion("t1", 2, date(2023, 3, 12), date(2023, 3, 10), on_time=False)])
    assert body["total"]["done_late"] == 1 and body["total"]["overdue"] == 0
    assert body["completion_rate"] == {"own": None, "total": 1.0}
    assert body["on_time_rate"]["total"] == 0.0 and body["fallen_due"]["total"] == 1


async def test_completion_rate_divides_by_tasks_fallen_due_not_all_tasks():
    body = await summary([*hierarchy(),
                          assignment("early", "xa", date(2023, 3, 1)), completion("early", 2, date(2023, 2, 27), date(2023, 3, 1), True),
                          assignment("late", "xa", date(2023, 3, 15)),
                          assignment("later", "xa", date(2023, 3, 25)), assignment("far", "xa", date(2023, 6, 30))])
    assert body["total"] | {} == {"not_yet_due": 1, "due_soon": 1, "overdue": 1, "done_on_time": 1, "done_late": 0,
                                  "waiting": 0, "ongoing": 0, "blocked": 0, "all": 4}
    assert body["completion_rate"]["total"] == 0.5 and body["on_time_rate"]["total"] == 0.5


async def test_an_extension_moves_the_adjusted_due_date_and_the_original_basis_still_sees_it_late():
    history = [*hierarchy(), assignment("t1", "xa", date(2023, 3, 10)),
               deadline_changed("t1", 2, date(2023, 3, 31), on=date(2023, 3, 8))]
    adjusted, original = await summary(history), await summary(history, basis="o")
    assert adjusted["total"]["not_yet_due"] == 1 and adjusted["total"]["overdue"] == 0 and adjusted["basis"] == "adjusted"
    assert original["total"]["overdue"] == 1 and original["aging"]["total"]["8-30"] == 1
    assert original["aging"]["total"]["overdue_days"] == 10 and original["basis"] == "original"
    done = [*history, completion("t1", 3, date(2023, 3, 20), date(2023, 3, 31), on_time=True)]
    assert (await summary(done))["total"]["done_on_time"] == 1
    assert (await summary(done, basis="o"))["total"]["done_late"] == 1


async def test_overdue_aging_puts_each_task_in_its_band_of_days_late():
    dues = {"d1": date(2023, 3, 19), "d7": date(2023, 3, 13), "d8": date(2023, 3, 12), "d30": date(2023, 2, 18),
            "d31": date(2023, 2, 17), "d120": date(2022, 11, 20), "d121": date(2022, 11, 19), "today": MARCH_20}
    body = await summary([*hierarchy(), *(assignment(t, "xa", due) for t, due in dues.items())])
    assert body["aging"]["total"] == {"1-7": 2, "8-30": 2, "31-120": 2, ">120": 1, "overdue_days": 1 + 7 + 8 + 30 + 31 + 120 + 121}
    assert body["total"]["overdue"] == 7 and body["total"]["due_soon"] == 1


async def test_waiting_ongoing_and_blocked_are_counted_beside_the_dated_tasks():
    body = await summary([*hierarchy(), assignment("c", "xa", condition="Khi có hướng dẫn của Bộ Công an"),
                          assignment("r", "xa", recurring=True, due=date(2023, 3, 1)), assignment("b", "xa", date(2023, 4, 30)),
                          status("b", 2, "blocked", 10)])
    assert body["total"]["waiting"] == 1 and body["total"]["ongoing"] == 1
    assert body["total"]["blocked"] == 1 and body["total"]["not_yet_due"] == 1 and body["total"]["overdue"] == 0
    assert body["reports"] == {"own": 0, "total": 1}


async def test_as_of_a_past_day_counts_only_the_events_up_to_that_day_judged_on_that_day():
    history = [*hierarchy(), assignment("t1", "xa", date(2023, 3, 10), at=date(2023, 3, 1)),
               assignment("t2", "xa", date(2023, 3, 31), at=date(2023, 3, 15)),
               completion("t1", 2, date(2023, 3, 12), date(2023, 3, 10), on_time=False)]
    then = await summary(history, as_of=date(2023, 3, 11))
    assert then["today"] == "2023-03-11" and then["total"]["all"] == 1 and then["total"]["overdue"] == 1
    now = await summary(history)
    assert now["total"]["all"] == 2 and now["total"]["done_late"] == 1 and now["total"]["overdue"] == 0


async def test_agencies_are_aged_apart_as_lead_and_as_coordinating_agency():
    store = MemoryStore()
    await project([*hierarchy(), agency("ca-xa"), agency("tp-xa"),
                   assignment("t1", "xa", date(2023, 3, 15), lead="ca-xa", support=("tp-xa",)),
                   assignment("t2", "xa", date(2023, 1, 1), lead="tp-xa")], store)
    found = {a["agency"]["agency_id"]: a for a in (await unit_agencies(store, "xa", MARCH_20))["agencies"]}
    assert found["ca-xa"]["lead"]["aging"]["1-7"] == 1 and found["ca-xa"]["support"]["counts"]["all"] == 0
    assert found["tp-xa"]["lead"]["aging"]["31-120"] == 1 and found["tp-xa"]["lead"]["aging"]["1-7"] == 0
    assert found["tp-xa"]["support"]["aging"]["1-7"] == 1 and found["tp-xa"]["support"]["counts"]["overdue"] == 1

"""At national size a pass reads what it needs by index, and the consumer leaves alone the events notify has no use for."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from types import SimpleNamespace

from schemas.directory import AgencyRegistered, UnitRegistered
from schemas.plans import PlanIssued, ReportingSchedule
from schemas.tasks import DeadlineMissed, MissKind, StatusReported, TaskStatus
from services.notify.entrypoints import consumers
from services.notify.handlers.climb import schedule_old_views
from services.notify.handlers.dispatch import load_facts
from services.notify.handlers.intake import resolve_completed
from services.notify.handlers.repository import INDEXES, ITEMS, REMIND_FROM, TASKS
from services.runtime.clock import LOCAL_TZ
from services.runtime.sqlite_store import SqliteStore
from tests.unit.notify.harness import PLAN, Notify, assigned, completed, directory_events, events_from, missed

DUE = date(2026, 3, 31)


def reported(task_id: str, period: str | None = None) -> list:
    return events_from(f"task-{task_id}", StatusReported(task_id=task_id, agency_id="vp-xa", status=TaskStatus.in_progress, progress=40,
                                                         period=period))


def period_missed(task_id: str, period: str) -> list:
    return events_from(f"task-{task_id}", DeadlineMissed(task_id=task_id, plan_id=PLAN, unit_id="truong-ha", lead="vp-xa", due=DUE,
                                                         content="Báo cáo thường xuyên", kind=MissKind.period, period=period))


class Reads:
    """A store that counts the reads made through it."""

    def __init__(self, store) -> None:
        self.store, self.reads = store, 0

    def __getattr__(self, name):
        found = getattr(self.store, name)
        if name in ("get", "find", "find_lowest"):
            async def counted(*args, **kwargs):
                self.reads += 1
                return await found(*args, **kwargs)
            return counted
        return found


def consumer_of(notify: Notify) -> tuple:
    handlers, news = {}, []
    rt = SimpleNamespace(store=Reads(notify.store), events=notify.events, clock=notify.clock, settings=SimpleNamespace(weekends_off=True),
                         subscribe_events=lambda topics, name, apply, types=None: handlers.__setitem__(name, apply), run_loop=lambda loop: None)
    consumers.register(rt, on_news=lambda: news.append(1))
    return handlers["notify.escalations"], news, rt.store


async def overdue() -> Notify:
    notify = Notify(datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ))
    await notify.receive(directory_events())
    await notify.contacts_for_everyone()
    await notify.receive(assigned("t1", DUE) + missed("t1", DUE))
    return notify


async def test_status_reports_without_a_period_are_left_out_before_any_handler_reads_the_store():
    notify = await overdue()
    on_task_events, news, store = consumer_of(notify)
    await on_task_events(reported("t1") * 500)
    assert store.reads == 0 and news == []


async def test_a_period_report_resolves_its_item_without_waking_a_pass_and_a_missed_deadline_wakes_one():
    notify = await overdue()
    on_task_events, news, _ = consumer_of(notify)
    await on_task_events(period_missed("t2", "2026-03"))
    assert news == [1] and (await notify.store.get(ITEMS, "t2@2026-03"))["open"]
    await on_task_events(reported("t2", "2026-03") + reported("t2", "2026-03"))  # the second finds it resolved already
    view = await notify.store.get(ITEMS, "t2@2026-03")
    assert not view["open"] and view["resolved"]["reason"] == "period_reported" and news == [1]
    await on_task_events(completed("t1", date(2026, 4, 2)))
    assert not (await notify.store.get(ITEMS, "t1@2026-03-31"))["open"] and news == [1]


async def test_a_pass_reads_only_the_tasks_its_items_name_and_those_in_their_reminder_window():
    notify = await overdue()
    await notify.receive(assigned("soon", date(2026, 4, 6)) + assigned("later", date(2026, 9, 30)) + assigned("past", date(2026, 3, 20)))
    assert (await notify.store.get(TASKS, "later"))[REMIND_FROM] == "2026-08-01"
    _, _, facts = await load_facts(notify.store, notify.clock.now(), await notify.store.find(ITEMS, open=True))
    assert set(facts.tasks) == {"t1", "soon", "past"}
    await notify.settle()
    assert [m.subject for m in notify.sent_to("vp-xa")] and "soon" in notify.sent_to("vp-xa")[-1].body  # its reminder went
    assert (await notify.store.get(TASKS, "past"))[REMIND_FROM] is None  # past due: out of the window for good
    _, _, facts = await load_facts(notify.store, notify.clock.now(), [])
    assert set(facts.tasks) == {"soon"}
    await notify.receive(completed("soon", date(2026, 4, 2)))
    assert (await notify.store.get(TASKS, "soon"))[REMIND_FROM] is None


async def test_tasks_stored_before_the_reminder_window_existed_get_it_once():
    notify = await overdue()
    await notify.receive(assigned("soon", date(2026, 4, 6)))
    task = await notify.store.get(TASKS, "soon")
    await notify.store.put(TASKS, "soon", {k: v for k, v in task.items() if k != REMIND_FROM})
    assert await schedule_old_views(notify.store) >= 1
    assert (await notify.store.get(TASKS, "soon"))[REMIND_FROM] == "2026-02-05"
    assert await schedule_old_views(notify.store) == 0


async def test_a_commune_with_a_long_official_id_that_misses_its_report_gets_its_item():
    long_id = "phuong-lang-biang-da-lat-" + "x" * 40 + "-24846"  # report ids grow with the commune's id
    notify = Notify(datetime(2026, 3, 16, 9, tzinfo=LOCAL_TZ))
    await notify.receive(directory_events() + events_from(f"unit-{long_id}", UnitRegistered(
        unit_id=long_id, name="Phường Lang Biang - Đà Lạt", level="commune", parent_id="cao-bang")) + events_from(
        f"agency-ca-{long_id}", AgencyRegistered(agency_id=f"ca-{long_id}", unit_id=long_id, name="Công an phường", head_title="Trưởng Công an",
                                                 standing_body=True)) + events_from(f"plan-{long_id}", PlanIssued(
        plan_id=f"{long_id}.kh26", unit_id=long_id, number="01/KH-UBND", title="Đề án 06", issued_on=date(2026, 2, 1),
        reporting_schedules=[ReportingSchedule(schedule_id="thang", frequency="monthly", day_of_month=14)])))
    await notify.contacts_for_everyone()
    await notify.tick()
    item_id = f"report:{long_id}.kh26:thang:2026-02:agency:ca-{long_id}"
    view = await notify.store.get(ITEMS, item_id)
    assert view is not None and view["open"] and len(view["started"]["cause_event_id"]) <= 100
    notify.clock.advance(timedelta(days=1))
    await notify.tick()
    assert len([v for v in await notify.store.find(ITEMS) if v["item_id"] == item_id]) == 1  # judged once


class Finds:
    """A SQLite store that keeps the filters of every find made through it."""

    def __init__(self, store) -> None:
        self.store, self.finds = store, []

    def __getattr__(self, name):
        return getattr(self.store, name)

    async def find(self, collection, **where):
        self.finds.append((collection, where))
        return await self.store.find(collection, **where)


async def test_a_batch_of_period_reports_finds_their_items_by_item_id_when_most_items_are_open(tmp_path):
    # a quarter end leaves ~100k open items: SQLite's sampled statistics then take `open` for a selective field, and a
    # filter on it beside a few hundred item ids walked every open item (≈ 120 ms a batch at national size)
    store = SqliteStore(tmp_path / "notify.sqlite3", INDEXES)
    items = {f"t{i}@2026-03": {"item_id": f"t{i}@2026-03", "task_id": f"t{i}", "open": True, "period": "2026-03"} for i in range(3000)}
    items |= {f"t{i}@2026-02": {"item_id": f"t{i}@2026-02", "task_id": f"t{i}", "open": False, "period": "2026-02"} for i in range(400)}
    await store.bulk_put(ITEMS, items)
    await store.close()
    store = Finds(SqliteStore(tmp_path / "notify.sqlite3", INDEXES))  # statistics as a started process has them
    batch = [event for i in range(400) for event in reported(f"t{i}", "2026-02")]  # their items were resolved already
    assert await resolve_completed(batch, store, SimpleNamespace()) == []
    plans = [store.store.plan_of_find(collection, **where) for collection, where in store.finds]
    assert plans and all("USING INDEX ix_items_item_id" in plan for plan in plans), plans

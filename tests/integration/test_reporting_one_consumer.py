"""A reporting store written by the two consumers of before (the projection and the live views, each with its own
checkpoints) moves to the one consumer on the real bundled broker without losing or doubling anything: it ends equal to
a store the one consumer built from the beginning, and nothing is dead-lettered."""
from __future__ import annotations

from datetime import datetime

from schemas.catalog import NOTIFY_EVENTS, PLANS_EVENTS, TASKS_EVENTS
from services.plans.bootstrap import create_app as create_plans
from services.reporting.bootstrap import INDEXES, create_app as create_reporting
from services.reporting.entrypoints.consumers import LIVE, PROJECTION, MovedCheckpoints
from services.reporting.handlers.escalations import follow_escalations
from services.reporting.handlers.project import CONSUMER, project
from services.reporting.handlers.timeline import record_timelines
from services.runtime.auth.revocations import track_revocations
from services.runtime.clock import LOCAL_TZ, ManualClock
from services.runtime.service import ServiceRuntime
from services.runtime.sqlite_store import SqliteStore
from services.runtime.store import open_store
from services.tasks.bootstrap import create_app as create_tasks
from tests.integration.test_reporting import _plain, _timelines, report
from tests.support.polling import eventually
from tests.support.services import running, settings_for
from tests.support.story import commune_plan, register_hierarchy, standing_body

STREAMS = ["task-kh-32.1", "task-kh-32.2", "task-kh-32.3"]


async def reporting_of_before(settings, clock, which=(PROJECTION, LIVE)) -> ServiceRuntime:
    """reporting's consumers as main registered them until this change (or one of them: a process that stopped
    between their two commits), over the service's store, started."""
    store = await open_store(settings.store_url, "tiendo_reporting", INDEXES)
    runtime = ServiceRuntime("reporting", settings, store, clock)

    async def projection(batch) -> None:
        await project(batch, store, checkpointed=True)

    async def live(batch) -> None:
        await follow_escalations(batch, store)
        await record_timelines(batch, store)

    if PROJECTION in which:
        runtime.subscribe_events([PLANS_EVENTS, TASKS_EVENTS], PROJECTION, projection, atomic=True)
    if LIVE in which:
        runtime.subscribe_events([TASKS_EVENTS, NOTIFY_EVENTS], LIVE, live, atomic=True)
    track_revocations(runtime)
    await runtime.start()
    return runtime


async def reached(store, consumer: str, versions: dict[str, int], what: str) -> None:
    async def there():
        found = await store.checkpoints(consumer, list(versions))
        return found if all(found.get(s, 0) >= v for s, v in versions.items()) else None

    await eventually(there, timeout=60, what=what)


async def test_a_store_of_the_two_consumers_moves_to_the_one_on_the_broker_without_losing_or_doubling(broker, tmp_path):
    clock = ManualClock(datetime(2023, 3, 20, 9, 0, tzinfo=LOCAL_TZ))
    settings = settings_for(broker, tmp_path, "reporting")
    plans_app = await create_plans(settings_for(broker, tmp_path, "plans"), clock=clock)
    tasks_app = await create_tasks(settings_for(broker, tmp_path, "tasks"), clock=clock)
    async with running(plans_app) as plans, running(tasks_app) as tasks:
        before = await reporting_of_before(settings, clock)
        try:
            tokens = await register_hierarchy(plans)
            assert (await plans.post("/plans", headers=standing_body(plans), json=commune_plan())).status_code == 201

            async def tasks_knows_the_plan():
                return all([(await tasks.get(f"/tasks/kh-32.{n}")).status_code == 200 for n in (1, 2, 3)])

            await eventually(tasks_knows_the_plan, timeout=60, what="tasks to accept the plan's three tasks")
            await report(tasks, tokens["ca-xa"], "kh-32.1", status="in_progress", progress=30, summary="Đang triển khai")
            for consumer in (PROJECTION, LIVE):
                await reached(before.store, consumer, {"task-kh-32.1": 2, "task-kh-32.2": 1, "task-kh-32.3": 1}, f"{consumer} of before")
        finally:
            await before.stop()

        # the live views stopped behind the projection: a report only the projection applied
        projection_only = await reporting_of_before(settings, clock, [PROJECTION])
        try:
            await report(tasks, tokens["tp-xa"], "kh-32.2", status="blocked", progress=20, obstacles="Thiếu dữ liệu hộ tịch gốc")
            await reached(projection_only.store, PROJECTION, {"task-kh-32.2": 2}, "the projection of before to apply the report")
            assert await projection_only.store.checkpoints(LIVE, ["task-kh-32.2"]) == {"task-kh-32.2": 1}
            assert await projection_only.store.checkpoints(CONSUMER, STREAMS) == {}
        finally:
            await projection_only.stop()

        # this code on that store: a new group from each topic's beginning, each stream from the lower old checkpoint
        moved_app = await create_reporting(settings, clock=clock)
        async with running(moved_app) as moved:
            await report(tasks, tokens["ca-xa"], "kh-32.1", status="in_progress", progress=60, summary="Đã cập nhật dữ liệu")

            async def caught_up():
                body = (await moved.get("/tasks/kh-32.1")).json()
                return body if body.get("progress") == 60 else None

            await eventually(caught_up, timeout=60, what="the one consumer to apply the next report")
            await reached(moved_app.state.runtime.store, CONSUMER, {"task-kh-32.1": 3, "task-kh-32.2": 2}, "the one consumer")
            stats = (await moved.get("/ready")).json()["checks"]["consumers"]["stats"][CONSUMER]
            assert stats["refused"] == 0 and stats["applied"] > 0

        control_app = await create_reporting(settings_for(broker, tmp_path, "control", consumer_group_prefix=f"control-{tmp_path.name}"),
                                             clock=clock)
        async with running(control_app):
            await reached(control_app.state.runtime.store, CONSUMER, {"task-kh-32.1": 3, "task-kh-32.2": 2, "task-kh-32.3": 1},
                          "a reporting built by the one consumer from the beginning")

    migrated, control = SqliteStore(tmp_path / "reporting.sqlite3"), SqliteStore(tmp_path / "control.sqlite3")
    try:
        for collection in ("units", "agencies", "plans", "tasks", "counters", "group_counters", "report_counts", "counter_months", "report_months", "escalations"):
            assert _plain(await migrated.find(collection)) == _plain(await control.find(collection)), collection
        shown = await _timelines(migrated)
        assert shown == await _timelines(control)
        # the report the live views of before had not applied is on the timeline once (not lost, not doubled)
        assert [e["kind"] for e in shown["kh-32.2"]["shown"]].count("assigned") == 1
        assert len(shown["kh-32.2"]["shown"]) == 2 and len(shown["kh-32.1"]["shown"]) == 3
        # what the one consumer counts as applied, as its bus reads it (kh-32.3 had nothing new: its start is the old ones')
        assert await MovedCheckpoints(migrated).checkpoints(CONSUMER, STREAMS) == await control.checkpoints(CONSUMER, STREAMS)
    finally:
        await migrated.close()
        await control.close()

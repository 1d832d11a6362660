"""Plans, tasks and reporting in this process, on the real bundled broker and SQLite stores."""
from __future__ import annotations

import os
import signal
from datetime import datetime
from typing import Iterator

import pytest

from services.plans.bootstrap import create_app as create_plans
from services.reporting.bootstrap import create_app as create_reporting
from services.reporting.dashboard import queries
from services.reporting.handlers.project import CONSUMER
from services.reporting.rebuild import rebuild
from services.runtime.sqlite_store import SqliteStore
from services.runtime.broker import free_port, start_tansu
from services.runtime.clock import LOCAL_TZ, ManualClock
from services.tasks.bootstrap import create_app as create_tasks
from tests.support.polling import eventually
from tests.support.services import running, settings_for
from tests.support.story import COMMUNE, DISTRICT, PROVINCE, commune_plan, register_hierarchy, standing_body

EXPECTED_COMMUNE = {"not_yet_due": 0, "due_soon": 0, "overdue": 1, "done_on_time": 1, "done_late": 0, "waiting": 0,
                    "ongoing": 1, "blocked": 1, "all": 3}
NOTHING = dict.fromkeys(EXPECTED_COMMUNE, 0)
READS = [f"/units/{PROVINCE}/summary", f"/units/{DISTRICT}/summary", f"/units/{COMMUNE}/summary",
         f"/units/{PROVINCE}/children", f"/units/{PROVINCE}/tasks", "/tasks/kh-32.2", "/units?lang=en",
         f"/units/{COMMUNE}/summary?lang=en"]


@pytest.fixture(scope="module")
def broker(tmp_path_factory) -> Iterator[str]:
    """A broker of this module's own, in place of the session's.

    Every test on a broker shares its topics, and the story's unit and task ids are the same in
    every test: events of another test (other reports on kh-32.1, DeadlineMissed from a system
    clock in 2026) would land in the same task views and counts here, depending on test order.
    """
    port = free_port()
    process = start_tansu("127.0.0.1", port, log=tmp_path_factory.mktemp("reporting-broker") / "tansu.log")
    yield f"127.0.0.1:{port}"
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=10)


async def test_a_province_sees_its_communes_progress_and_a_replay_changes_nothing(broker, tmp_path):
    clock = ManualClock(datetime(2023, 3, 20, 9, 0, tzinfo=LOCAL_TZ))
    plans_app = await create_plans(settings_for(broker, tmp_path, "plans"), clock=clock)
    tasks_app = await create_tasks(settings_for(broker, tmp_path, "tasks"), clock=clock)
    reporting_app = await create_reporting(settings_for(broker, tmp_path, "reporting"), clock=clock)
    async with running(plans_app) as plans, running(tasks_app) as tasks, running(reporting_app) as reporting:
        tokens = await register_hierarchy(plans)
        assert (await plans.post("/plans", headers=standing_body(plans), json=commune_plan())).status_code == 201

        async def tasks_knows_the_plan():
            return all([(await tasks.get(f"/tasks/kh-32.{n}")).status_code == 200 for n in (1, 2, 3)])

        await eventually(tasks_knows_the_plan, timeout=60, what="tasks to accept the plan's three tasks")
        await report(tasks, tokens["ca-xa"], "kh-32.1", status="done", progress=100, summary="Đã ban hành kế hoạch",
                     evidence={"document_number": "35/KH-UBND", "document_date": "2023-03-15", "issuer": "UBND xã Trường Hà"})
        await report(tasks, tokens["tp-xa"], "kh-32.2", status="blocked", progress=20, obstacles="Thiếu dữ liệu hộ tịch gốc")
        clock.set(datetime(2023, 7, 3, 9, 0, tzinfo=LOCAL_TZ))  # kh-32.2 (due 30/06) is now overdue

        async def commune_counts():
            body = (await reporting.get(f"/units/{COMMUNE}/summary")).json()
            return body if body.get("own") == EXPECTED_COMMUNE and body["today"] == "2023-07-03" else None

        async def deadline_missed_seen():
            body = (await reporting.get("/tasks/kh-32.2")).json()
            return body if body.get("missed") == ["2023-06-30"] else None

        commune = await eventually(commune_counts, timeout=60, what="reporting to count the commune's tasks")
        task = await eventually(deadline_missed_seen, timeout=30, what="reporting to learn kh-32.2 missed its due date")
        assert task["category"] == "overdue" and task["blocked"] and task["label"] == "Quá hạn"
        assert task["obstacles"] == "Thiếu dữ liệu hộ tịch gốc"
        assert commune["total"] == EXPECTED_COMMUNE and commune["children"] == []
        assert commune["labels"]["overdue"] == {"vi": "Quá hạn", "en": "Overdue", "text": "Quá hạn"}

        await a_province_sees_the_commune_rolled_up(reporting)
        await drill_down_and_refusals(reporting)
        await replay_changes_nothing(reporting, broker, tmp_path, clock)
        await a_rebuild_into_a_fresh_store_gives_the_same_read_model(broker, tmp_path)


async def report(tasks, token: str, task_id: str, **body) -> None:
    response = await tasks.post(f"/tasks/{task_id}/status", json=body, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.text


async def a_province_sees_the_commune_rolled_up(reporting) -> None:
    district = (await reporting.get(f"/units/{DISTRICT}/summary")).json()
    province = (await reporting.get(f"/units/{PROVINCE}/summary")).json()
    assert district["own"] == NOTHING and district["total"] == EXPECTED_COMMUNE
    assert province["own"] == NOTHING and province["total"] == EXPECTED_COMMUNE
    assert [(c["unit"]["unit_id"], c["total"]) for c in province["children"]] == [(DISTRICT, EXPECTED_COMMUNE)]
    children = (await reporting.get(f"/units/{PROVINCE}/children")).json()
    assert [(c["unit"]["unit_id"], c["own"], c["total"]) for c in children["children"]] == [(DISTRICT, NOTHING, EXPECTED_COMMUNE)]
    assert [u["unit_id"] for u in (await reporting.get("/units")).json()] == [PROVINCE]
    assert [u["unit_id"] for u in (await reporting.get("/units", params={"parent_id": DISTRICT})).json()] == [COMMUNE]


async def drill_down_and_refusals(reporting) -> None:
    overdue = (await reporting.get(f"/units/{PROVINCE}/tasks", params={"category": "overdue"})).json()
    assert [t["task_id"] for t in overdue["tasks"]] == ["kh-32.2"]
    on_time = (await reporting.get(f"/units/{DISTRICT}/tasks", params={"category": "done_on_time", "lang": "en"})).json()
    assert [(t["task_id"], t["label"]) for t in on_time["tasks"]] == [("kh-32.1", "Done on time")]
    english = (await reporting.get(f"/units/{PROVINCE}/summary", params={"lang": "en"})).json()
    assert english["labels"]["waiting"]["text"] == "Waiting on a condition"

    unknown_category = await reporting.get(f"/units/{COMMUNE}/tasks", params={"category": "late-ish"})
    assert unknown_category.status_code == 422 and unknown_category.json()["field"] == "category"
    unknown_unit = await reporting.get("/units/atlantis/summary")
    assert unknown_unit.status_code == 404 and unknown_unit.headers["content-type"] == "application/problem+json"
    assert (await reporting.get("/tasks/no-such-task")).status_code == 404


async def replay_changes_nothing(reporting, broker, tmp_path, clock) -> None:
    """A second consumer group reads every event again from offset 0 into the same store."""
    before = [(await reporting.get(path)).content for path in READS]
    applied = (await reporting.get("/projection")).json()["applied"]
    settings = settings_for(broker, tmp_path, "reporting", consumer_group_prefix=f"replay-{tmp_path.name}")
    replay_app = await create_reporting(settings, clock=clock)
    async with running(replay_app) as replay:

        async def replayed_everything():  # counted where the consumer skips by stream version, before the handler
            ready = (await replay.get("/ready")).json()
            progress = ready["checks"]["consumers"]["stats"].get(CONSUMER, {"received": 0})
            return progress if progress["received"] >= applied else None

        progress = await eventually(replayed_everything, timeout=60, what=f"the replay consumer to receive all {applied} events")
        assert progress["applied"] == 0 and progress["skipped"] == progress["received"]
        assert (await replay.get("/projection")).json()["applied"] == 0
        assert [(await replay.get(path)).content for path in READS] == before
    assert [(await reporting.get(path)).content for path in READS] == before


async def a_rebuild_into_a_fresh_store_gives_the_same_read_model(broker, tmp_path) -> None:
    for workers in (2, 1):  # two worker processes, each a share of the tasks (rebuild_workers.py); this process alone
        await a_rebuild_gives_the_same_read_model(broker, tmp_path, workers)


async def a_rebuild_gives_the_same_read_model(broker, tmp_path, workers: int) -> None:
    settings = settings_for(broker, tmp_path, "reporting")
    target = tmp_path / f"rebuilt-{workers}.sqlite3"
    rebuilt = await rebuild(settings, f"sqlite:///{target}", quiet=1.5, settle=10, timeout=60, workers=workers)
    assert rebuilt.units == 3 and rebuilt.tasks == 3 and rebuilt.applied == rebuilt.received > 0
    old, new = SqliteStore(tmp_path / "reporting.sqlite3"), SqliteStore(target)
    try:
        for collection in ("units", "agencies", "plans", "tasks", "counters", "group_counters", "report_counts", "counter_months", "report_months", "escalations"):
            assert _plain(await new.find(collection)) == _plain(await old.find(collection)), collection
        shown = await _timelines(new)  # the live views too: the rebuild runs the service's one consumer
        assert shown == await _timelines(old) and len(shown) == 3 and all(t["shown"] for t in shown.values())
        streams = [f"task-{d['task_id']}" for d in await old.find("tasks")]  # the service's consumer skips by these after a switch
        assert await new.checkpoints(CONSUMER, streams) == await old.checkpoints(CONSUMER, streams)
        assert len(await new.checkpoints(CONSUMER, streams)) == 3
    finally:
        await old.close()
        await new.close()


async def _timelines(store: SqliteStore) -> dict:
    """Each task's timeline as shown (dashboard/queries.timeline: which documents hold its entries depends on when it
    was last trimmed, not what is shown), its entries also as `shown`."""
    tasks = sorted({d["task_id"] for c in ("timelines", "timeline_entries") for d in await store.find(c)})
    return {t: {**doc, "shown": doc["entries"]} for t in tasks if (doc := await queries.timeline(store, t)) is not None}


def _plain(docs: list[dict]) -> list[dict]:
    """Documents without the counters that cancelled out to nothing (kept empty in one build, absent in another)."""
    return [d for d in docs if d.get("counts", True) != {}]

"""Status reports of concurrent requests share one commit (services/tasks/entrypoints/shared_commit.py), and each
request keeps what it had alone: its answer, its own trace on its events, its failure undone alone, nothing written
for a request cancelled before its turn, and a turn no larger than the largest request."""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timezone

import httpx
import pytest

from schemas.catalog import Event
from schemas.envelope import Payload
from services.runtime.clock import ManualClock
from services.runtime.events import Cause, envelop
from services.runtime.settings import ServiceSettings
from services.runtime.sqlite_store import SqliteStore
from services.tasks.bootstrap import INDEXES, create_app
from services.tasks.entrypoints.shared_commit import MAX_REPORTS_PER_TURN, SharedCommit
from services.tasks.handlers.assign import accept_assignments
from tests.support.auth import mint
from tests.unit.tasks.given import assigned

SECRET = "test-secret-of-at-least-thirty-two-chars"
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)


class Commits:
    """COMMIT statements the store's connection ran (SQLite's trace)."""

    def __init__(self, store: SqliteStore) -> None:
        self.count = 0
        store._db.set_trace_callback(self._seen)

    def _seen(self, statement: str) -> None:
        self.count += statement.strip().upper() == "COMMIT"


@pytest.fixture
def store(tmp_path):
    return SqliteStore(tmp_path / "tasks.sqlite3", INDEXES)


def trace(n: int) -> str:
    return f"00-{n:032x}-{n:016x}-01"


async def test_concurrent_requests_are_committed_together_and_each_event_carries_its_own_requests_trace(store):
    app = await create_app(ServiceSettings(environment="test", store_url="memory://", token_secret=SECRET), clock=ManualClock(NOW), store=store)
    rt = app.state.runtime
    payloads: list[Payload] = [assigned(task_id=f"t{n}", lead=f"ca{n}") for n in range(1, 4)]
    await accept_assignments([Event(e, p) for e, p in zip(envelop("plans", 0, payloads, Cause("plans", str(uuid.uuid4())), NOW), payloads)], store, rt.events)
    commits = Commits(store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tasks") as api:
        answers = await asyncio.gather(*(api.post("/status-reports", json=[{"task_id": f"t{n}", "status": "in_progress", "progress": 10 * n}],
                                                  headers={"Authorization": f"Bearer {mint(SECRET, 'agency', f'ca{n}')}", "traceparent": trace(n)})
                                         for n in range(1, 4)))
    assert [a.json()["results"] for a in answers] == [[{"task_id": f"t{n}", "status": 201, "version": 2}] for n in range(1, 4)]
    assert commits.count == 1
    stored = {e.stream_id: e for e in await store.read_after(0, 100) if e.event_type == "StatusReported"}
    assert {stream: e.traceparent.split("-")[1] for stream, e in stored.items()} == {f"task-t{n}": f"{n:032x}" for n in range(1, 4)}


async def test_a_request_that_fails_in_a_shared_commit_is_undone_alone(store):
    shared, commits = SharedCommit(store), Commits(store)

    async def write(name: str, fail: bool = False) -> str:
        await store.put("notes", name, {"name": name})
        if fail:
            raise ValueError(f"{name} failed")
        return name

    answers = await asyncio.gather(shared.run(lambda: write("a"), 1), shared.run(lambda: write("b", fail=True), 1),
                                   shared.run(lambda: write("c"), 1), return_exceptions=True)
    assert answers[0] == "a" and answers[2] == "c"
    assert isinstance(answers[1], ValueError) and str(answers[1]) == "b failed"
    assert [await store.get("notes", n) for n in "abc"] == [{"name": "a"}, None, {"name": "c"}]
    assert commits.count == 1


async def test_a_request_cancelled_before_its_turn_is_not_carried_out(store):
    shared = SharedCommit(store)

    async def write(name: str) -> str:
        await store.put("notes", name, {"name": name})
        return name

    gone = asyncio.ensure_future(shared.run(lambda: write("gone"), 1))
    kept = asyncio.ensure_future(shared.run(lambda: write("kept"), 1))
    await asyncio.sleep(0)  # both waiting for their turn
    gone.cancel()
    assert await kept == "kept"
    assert gone.cancelled()
    assert await store.get("notes", "gone") is None and await store.get("notes", "kept") == {"name": "kept"}


@pytest.mark.parametrize(("reports", "transactions"), [(MAX_REPORTS_PER_TURN * 2 // 5, 2), (MAX_REPORTS_PER_TURN * 3 // 5, 3), (MAX_REPORTS_PER_TURN + 1, 3)])
async def test_a_turn_takes_requests_until_they_hold_the_reports_of_the_largest_request(store, reports, transactions):
    shared, commits = SharedCommit(store), Commits(store)

    async def write(name: str) -> str:
        await store.put("notes", name, {"name": name})
        return name

    assert await asyncio.gather(*(shared.run(lambda n=n: write(n), reports) for n in "abc")) == ["a", "b", "c"]
    assert commits.count == transactions

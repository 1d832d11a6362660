"""The counters kept by delta equal those of a rebuild from offset 0, whatever the interleaving of topics."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from schemas.catalog import PLANS_EVENTS, TASKS_EVENTS
from schemas.directory import UnitMoved
from services.reporting.handlers.repository.counters import COUNTERS, GROUP_COUNTERS, MONTHS, REPORT_COUNTS, REPORT_MONTHS, Memory
from services.reporting.domain.projection import UNITS
from services.reporting.handlers.project import CONSUMER, TASKS, project, write_memory
from services.reporting.reading import counts_of
from services.runtime.memory_store import MemoryStore
from services.runtime.subscriptions import EventConsumer, SharedSubscription
from tests.unit.reporting.events import agency, assignment, completion, deadline_changed, event, periodic, plan, status, unit

START = date(2023, 1, 1)


def history(seed: int = 7) -> tuple[list, list]:
    """(directory events, task events): three levels, forty tasks, reports, completions, extensions, a move."""
    rng = random.Random(seed)
    directory = [unit("tinh", level="province"), unit("huyen-a", "tinh", "district"), unit("huyen-b", "tinh", "district"),
                 *(unit(f"xa-{n}", "huyen-a" if n % 2 else "huyen-b") for n in range(6)),
                 agency("ca-tinh", "tinh"), plan("kh-tinh", "tinh", date(2023, 1, 2)), agency("vp-tinh", "tinh"),
                 plan("kh-huyen-a", "huyen-a", date(2023, 1, 3)), periodic("kh-tinh", "2023-01", "unit:huyen-a", date(2023, 1, 10), date(2023, 1, 14)),
                 event("unit-xa-1", 2, UnitMoved(unit_id="xa-1", from_parent="huyen-a", to_parent="huyen-b",
                                                 effective_on=date(2023, 2, 1)), at=date(2023, 2, 1))]
    tasks = []
    for n in range(40):
        due, task = START + timedelta(days=rng.randint(10, 120)), f"t{n}"
        stream = [assignment(task, f"xa-{n % 6}", due, support=("tp-xa",) if n % 3 else (), at=START + timedelta(days=n),
                             group=n % 6 or None)]
        if n % 4 == 0:
            stream.append(status(task, len(stream) + 1, "blocked", 10, at=due - timedelta(days=5)))
        if n % 6 == 1:  # xa-1's tasks, reported on before and after the unit moves: its reports move with its total
            stream.append(status(task, len(stream) + 1, "in_progress", 30, at=START + timedelta(days=n + 1)))
        if n % 5 == 0:
            stream.append(deadline_changed(task, len(stream) + 1, due + timedelta(days=30), on=due - timedelta(days=1)))
        if n % 3 == 0:
            finished = due + timedelta(days=rng.randint(-5, 5))
            stream.append(completion(task, len(stream) + 1, finished, due, on_time=finished <= due))
        tasks.append(stream)
    return directory, tasks


def interleave(streams: list[list], rng: random.Random) -> list:
    """One merged sequence keeping each stream's own order."""
    queues, merged = [list(s) for s in streams if s], []
    while queues:
        queue = rng.choice(queues)
        merged.append(queue.pop(0))
        if not queue:
            queues.remove(queue)
    return merged


async def build(events: list, batch: int, in_memory: bool = False) -> MemoryStore:
    store, memory = MemoryStore(), Memory() if in_memory else None
    for start in range(0, len(events), batch):
        await project(events[start:start + batch], store, memory=memory)
    if memory is not None:
        await write_memory(store, memory)
    return store


async def model(store: MemoryStore) -> dict:
    counters = {d["owner"]: d["counts"] for d in await store.find(COUNTERS) if d["counts"]}
    groups = {d["owner"]: d["counts"] for d in await store.find(GROUP_COUNTERS) if d["counts"]}
    reports = {d["owner"]: d["counts"] for d in await store.find(REPORT_COUNTS) if d["counts"]}
    months = {(d["owner"], day): counts for d in await store.find(MONTHS) for day, counts in d["days"].items() if counts}
    report_months = {(d["owner"], day): counts for d in await store.find(REPORT_MONTHS) for day, counts in d["days"].items() if counts}
    parents = {d["unit_id"]: d.get("parent_id") for d in await store.find(UNITS)}
    return {"counters": counters, "groups": groups, "reports": reports, "months": months, "report_months": report_months, "tasks": {d["task_id"]: d for d in await store.find(TASKS)}, "parents": parents}


async def test_counters_built_live_equal_counters_rebuilt_from_offset_0_in_another_order():
    directory, tasks = history()
    live_order = interleave([directory, *tasks], random.Random(1))
    live = await build(live_order, batch=3)
    await project(live_order[:10], live)  # a redelivery changes nothing
    rebuilt = await build(interleave([*tasks, directory], random.Random(2)), batch=50, in_memory=True)
    tasks_first = await build([e for s in tasks for e in s] + directory, batch=1000)
    assert await model(live) == await model(rebuilt) == await model(tasks_first)
    assert len((await model(live))["months"]) > 40
    parents = (await model(live))["parents"]
    assert sorted(u for u, p in parents.items() if p == "huyen-b") == ["xa-0", "xa-1", "xa-2", "xa-4"]
    assert (await live.get(COUNTERS, "total:tinh"))["counts"]["rep|recv|2023-01-14"] == 1
    counts = (await live.get(COUNTERS, "total:tinh"))["counts"]
    assert counts["all"] == 40
    assert sum(v for k, v in counts.items() if k.startswith("exp|")) == 2 + 2 + 3  # 2 agencies, 2 districts, 3 communes of huyen-a
    groups = (await live.get(GROUP_COUNTERS, "total:tinh"))["counts"]
    assert (await live.get(REPORT_COUNTS, "total:huyen-b"))["counts"] == {"status_reports": 10 + 7}  # xa-1's 7 moved with it
    read = await counts_of(live, ["total:huyen-a", "total:huyen-b"])  # readers see them among the counts
    assert "status_reports" not in read["total:huyen-a"] and read["total:huyen-b"]["status_reports"] == 17
    assert not any(k.startswith("g") or k == "status_reports" for k in counts) and sum(v for k, v in groups.items() if k.endswith("|all")) == 33
    assert (await live.get(COUNTERS, "total:huyen-b"))["counts"]["all"] == sum(1 for n in range(40) if n % 6 in (0, 1, 2, 4))


async def test_counters_built_live_on_sqlite_in_small_batches_equal_counters_rebuilt(tmp_path):
    """The live path on SQLite (reporting's declared indexes): counter halves read and written only when they change,
    units' parents and month documents read per batch in one query each; the same model as a rebuild."""
    from services.reporting.bootstrap import INDEXES
    from services.runtime.sqlite_store import SqliteStore

    directory, tasks = history()
    order = interleave([directory, *tasks], random.Random(3))
    store = SqliteStore(tmp_path / "reporting.sqlite3", INDEXES)
    for start in range(0, len(order), 7):
        await project(order[start:start + 7], store)
    rebuilt = await build(interleave([*tasks, directory], random.Random(2)), batch=50, in_memory=True)
    assert await model(store) == await model(rebuilt)
    assert (await store.get(REPORT_COUNTS, "total:tinh"))["counts"] == {"status_reports": 10 + 7}  # every fourth task once, xa-1's


def test_the_rebuild_progress_bar_shows_share_count_and_rate():
    import io

    from services.reporting.handlers.project import ProjectionProgress
    from services.reporting.rebuild import ProgressBar

    out = io.StringIO()
    ProgressBar(out, expected=1000, width=10).show(ProjectionProgress(received=500), "in memory")
    line = out.getvalue()
    assert line.startswith("\r[#####.....]  50.0% 500 events") and line.rstrip().endswith("in memory")


def test_a_switch_file_points_the_service_at_the_rebuilt_copy_and_its_consumer_group(tmp_path):
    from services.reporting.bootstrap import switched
    from services.reporting.rebuild import Rebuilt, switch_to
    from services.runtime.settings import ServiceSettings

    settings = ServiceSettings(environment="test", store_url=f"sqlite:///{tmp_path / 'reporting.sqlite3'}")
    assert switched(settings) == settings
    switch_to(settings, Rebuilt(f"sqlite:///{tmp_path / 'new.sqlite3'}", "tiendo.rebuild-1", 10, 10, 1, 1, 1.0))
    after = switched(settings)
    assert after.store_url.endswith("new.sqlite3") and after.consumer_group_prefix == "tiendo.rebuild-1"


@dataclass
class Record:
    """A record as the bus hands it to its event consumers: topic, the envelope's JSON, the relay's headers."""
    topic: str
    value: bytes
    headers: list = field(default_factory=list)


def records(events: list) -> list[Record]:
    out = []
    for e in events:
        body = e.envelope.model_copy(update={"payload": e.payload.model_dump(mode="json")}).model_dump_json().encode()
        headers = [("stream_id", e.envelope.stream_id.encode()), ("stream_version", str(e.envelope.stream_version).encode())]
        out.append(Record(TASKS_EVENTS if e.envelope.stream_id.startswith("task-") else PLANS_EVENTS, body, headers))
    return out


async def test_a_rebuild_writes_one_checkpoint_per_stream_and_the_live_consumer_then_skips_every_event_it_applied():
    directory, tasks = history()
    events = [*directory, *(e for stream in tasks for e in stream)]
    store, memory = MemoryStore(), Memory()
    assert await project(events[:50], store, memory=memory) == 50
    assert await project(events[40:], store, memory=memory) == len(events) - 50  # a redelivered batch inside the rebuild
    assert await store.checkpoints(CONSUMER, ["task-t0"]) == {}  # nothing written before the model is
    await write_memory(store, memory)
    streams = {e.envelope.stream_id for e in events}
    last = {s: max(e.envelope.stream_version for e in events if e.envelope.stream_id == s) for s in streams}
    assert await store.checkpoints(CONSUMER, streams) == last
    assert await store.unseen(CONSUMER, [str(events[0].envelope.event_id)])  # no per-event marks: checkpoints only
    before = await model(store)

    applied: list = []
    dead: list = []

    async def apply(batch):
        applied.extend(batch)
        await project(batch, store)

    async def dead_letter(record, reason, consumer):
        dead.append(reason)

    stats = {CONSUMER: {"received": 0, "applied": 0, "skipped": 0, "refused": 0}}
    live = SharedSubscription("reporting", [EventConsumer(frozenset({PLANS_EVENTS, TASKS_EVENTS}), CONSUMER, apply)], store, stats, dead_letter)
    for start in range(0, len(events), 100):  # the whole history again, as after the switch: nothing applied twice
        await live(records(events[start:start + 100]))
    assert applied == [] and dead == [] and stats[CONSUMER]["skipped"] == len(events)
    assert await model(store) == before
    after = status("t0", last["task-t0"] + 1, "blocked", 20, at=date(2023, 6, 1))  # the stream's next event still applies
    await live(records([after]))
    assert [e.envelope.event_id for e in applied] == [after.envelope.event_id]
    assert (await store.get(TASKS, "t0"))["status"] == "blocked"

"""Reporting's one event consumer (entrypoints/consumers.py): the projection and the live views in one batch, and a store
written by the two consumers of before moving to it without losing or doubling anything."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from schemas.catalog import NOTIFY_EVENTS, PLANS_EVENTS, TASKS_EVENTS
from services.reporting.dashboard import queries
from services.reporting.domain.escalations import ESCALATIONS
from services.reporting.domain.timeline import TIMELINE_ENTRIES, TIMELINES
from services.reporting.entrypoints import consumers
from services.reporting.entrypoints.consumers import LIVE, PROJECTION, MovedCheckpoints
from services.reporting.handlers.escalations import follow_escalations
from services.reporting.handlers.project import CONSUMER, project
from services.reporting.handlers.repository.counters import Memory
from services.reporting.handlers.timeline import record_timelines
from services.runtime.continuity import HeldCheckpoints
from services.runtime.memory_store import MemoryStore
from services.runtime.subscriptions import EventConsumer, SharedSubscription
from tests.unit.dashboard.live import raised, resolved, started
from tests.unit.reporting.events import status
from tests.unit.reporting.test_incremental_equals_rebuilt import history, interleave, model


@dataclass
class Record:
    """A record as the bus hands it over: topic, the envelope's JSON, the relay's headers."""
    topic: str
    value: bytes
    headers: list = field(default_factory=list)


def topic_of(stream: str) -> str:
    if stream.startswith(("task-", "report-")):
        return TASKS_EVENTS
    return NOTIFY_EVENTS if stream.startswith("escalation-") else PLANS_EVENTS


def records(events: list) -> list[Record]:
    out = []
    for e in events:
        body = e.envelope.model_copy(update={"payload": e.payload.model_dump(mode="json")}).model_dump_json().encode()
        headers = [("event_type", e.envelope.event_type.encode()), ("stream_id", e.envelope.stream_id.encode()),
                   ("stream_version", str(e.envelope.stream_version).encode())]
        out.append(Record(topic_of(e.envelope.stream_id), body, headers))
    return out


def whole_history(seed: int = 3) -> list:
    """Directory, forty tasks with reports, and escalation items of some (notify's topic), interleaved across streams."""
    directory, tasks = history(seed)
    rng = random.Random(seed)
    for n, stream in enumerate(tasks):
        task_id = stream[0].payload.task_id
        for k in range(3):
            stream.append(status(task_id, len(stream) + 1, "in_progress", 10 * (k + 1), at=date(2023, 4, 1) + timedelta(days=k)))
    items = []
    for n in range(0, 40, 4):
        due = date(2023, 3, 1) + timedelta(days=n)
        items.append([started(f"t{n}", f"xa-{n % 6}", due, at=due), raised(f"t{n}", f"xa-{n % 6}", due, 1, 2, at=due),
                      raised(f"t{n}", f"xa-{n % 6}", due, 2, 3, at=due + timedelta(days=7))]
                     + ([resolved(f"t{n}", due, 4, due + timedelta(days=9))] if n % 8 else []))
    return [*directory, *interleave([*tasks, *items], rng)]


class Runtime:
    """What consumers.register uses of a ServiceRuntime: its store and subscribe_events."""

    def __init__(self, store) -> None:
        self.store, self.subscribed = store, []

    def subscribe_events(self, topics, consumer, apply, atomic=False, later=()) -> None:
        self.subscribed.append(EventConsumer(frozenset(topics), consumer, apply, None, atomic))


DEAD: list = []


async def dead_letter(record, reason, consumer) -> None:
    DEAD.append((consumer, str(reason)))


def subscription(ledger, event_consumers: list[EventConsumer]) -> SharedSubscription:
    stats = {c.name: {"received": 0, "applied": 0, "skipped": 0, "refused": 0} for c in event_consumers}
    return SharedSubscription("reporting", event_consumers, ledger, stats, dead_letter)


def one_consumer(store, moved: MovedCheckpoints | None = None) -> SharedSubscription:
    runtime = Runtime(store)
    progress = consumers.register(runtime, moved=moved)  # type: ignore[arg-type]
    assert [(c.name, sorted(c.topics), c.atomic) for c in runtime.subscribed] == [
        (CONSUMER, sorted([PLANS_EVENTS, TASKS_EVENTS, NOTIFY_EVENTS]), True)]
    shared = subscription(moved or store, runtime.subscribed)
    shared.progress = progress  # type: ignore[attr-defined]
    return shared


def two_consumers(store, which=(PROJECTION, LIVE)) -> SharedSubscription:
    """The two consumers of before (main until this change), or one of them: a process stopped between their commits."""
    async def projection(batch) -> None:
        await project(batch, store, checkpointed=True)

    async def live(batch) -> None:
        await follow_escalations(batch, store)
        await record_timelines(batch, store)

    made = {PROJECTION: EventConsumer(frozenset([PLANS_EVENTS, TASKS_EVENTS]), PROJECTION, projection, atomic=True),
            LIVE: EventConsumer(frozenset([TASKS_EVENTS, NOTIFY_EVENTS]), LIVE, live, atomic=True)}
    return subscription(store, [made[name] for name in which])


async def feed(shared: SharedSubscription, events: list, size: int) -> None:
    for at in range(0, len(events), size):
        await shared(records(events[at : at + size]))


async def views(store) -> dict:
    """The read model, each timeline as it is shown (dashboard/queries.timeline: which documents hold it depends on the
    order the events came in and when it was trimmed, not what is shown)."""
    tasks = sorted({d["task_id"] for c in (TIMELINES, TIMELINE_ENTRIES) for d in await store.find(c)})
    timelines = {t: await queries.timeline(store, t) for t in tasks}
    return {**await model(store), "timelines": timelines, "escalations": {d["item_id"]: d for d in await store.find(ESCALATIONS)}}


async def test_one_consumer_builds_what_the_two_built_with_one_checkpoint_per_stream():
    events = whole_history()
    DEAD.clear()
    two, one = MemoryStore(), MemoryStore()
    await feed(two_consumers(two), events, 37)
    await feed(one_consumer(one), events, 37)
    assert DEAD == []
    built = await views(one)
    assert built == await views(two)
    assert built["escalations"] and built["tasks"] and all(t["entries"] for t in built["timelines"].values())  # every part of the batch did its work
    streams = {e.envelope.stream_id for e in events}
    last = {s: max(e.envelope.stream_version for e in events if e.envelope.stream_id == s) for s in streams}
    assert await one.checkpoints(CONSUMER, streams) == last  # one checkpoint set, every topic's streams in it
    assert await one.checkpoints(PROJECTION, streams) == {} and await one.checkpoints(LIVE, streams) == {}


async def test_a_store_of_the_two_consumers_moves_to_the_one_without_losing_or_doubling_anything():
    """The two consumers stopped with each ahead of the other on some streams (a process stopped between their two
    commits); the one consumer then reads every topic from its beginning (a new group) over that store: it equals a
    store built by the one consumer from the start, and nothing is dead-lettered."""
    events = whole_history()
    DEAD.clear()
    cut = len(events) * 6 // 10
    rest = events[cut:]
    tasks_rest = [e for e in rest if topic_of(e.envelope.stream_id) == TASKS_EVENTS]
    ahead_projection = {e.envelope.stream_id for e in tasks_rest[: len(tasks_rest) // 3]}
    projection_only = [e for e in rest if e.envelope.stream_id in ahead_projection]
    live_only = [e for e in rest if e.envelope.stream_id not in ahead_projection and topic_of(e.envelope.stream_id) != PLANS_EVENTS][:40]

    moved_store, control = MemoryStore(), MemoryStore()
    await feed(two_consumers(moved_store), events[:cut], 23)
    await feed(two_consumers(moved_store, [PROJECTION]), projection_only, 23)
    await feed(two_consumers(moved_store, [LIVE]), live_only, 23)
    old_p = await moved_store.checkpoints(PROJECTION, ahead_projection)
    old_l = await moved_store.checkpoints(LIVE, ahead_projection)
    assert any(old_p[s] > old_l.get(s, 0) for s in old_p), "the projection is ahead on some streams"
    live_streams = {e.envelope.stream_id for e in live_only}
    ahead_l, behind_p = await moved_store.checkpoints(LIVE, live_streams), await moved_store.checkpoints(PROJECTION, live_streams)
    assert any(ahead_l[s] > behind_p.get(s, 0) for s in live_streams), "the live views are ahead on others"
    assert DEAD == []

    streams = {e.envelope.stream_id for e in events}
    applied_before = await moved_store.checkpoints(PROJECTION, streams)
    moved = MovedCheckpoints(moved_store)
    shared = one_consumer(moved_store, moved)
    await feed(shared, events, 29)  # a new group reads each topic from its beginning
    assert DEAD == []
    # the projection was handed exactly what it had not applied (its part of the rest skipped by its old checkpoints)
    assert shared.progress.applied == sum(1 for e in events if e.envelope.stream_version > applied_before.get(e.envelope.stream_id, 0))
    assert moved.parts, "the two old checkpoints differed on some streams"
    await feed(one_consumer(control), events, 31)
    assert await views(moved_store) == await views(control)
    stats = shared.stats[CONSUMER]
    assert stats["refused"] == 0 and stats["applied"] < len(events)  # what both had applied was skipped by the headers

    # and the next events apply once, as on any store
    nxt = [status("t1", 1 + max(e.envelope.stream_version for e in events if e.envelope.stream_id == "task-t1"), "blocked", 5,
                  at=date(2023, 6, 1))]
    await feed(shared, nxt, 1)
    await feed(shared, nxt, 1)  # redelivered
    await feed(one_consumer(control), nxt, 1)
    assert await views(moved_store) == await views(control)
    assert DEAD == []


async def test_the_moved_checkpoints_start_each_stream_at_the_lower_old_one_and_only_for_the_one_consumer():
    store = MemoryStore()
    await store.advance(PROJECTION, {"task-a": 5, "task-b": 3, "plan-p": 2})
    await store.advance(LIVE, {"task-a": 4, "task-b": 3, "escalation-e": 6})
    await store.advance(CONSUMER, {"task-c": 9})
    await store.advance("reporting.credentials", {"plan-p": 2})
    moved = MovedCheckpoints(store)
    streams = ["task-a", "task-b", "task-c", "plan-p", "escalation-e", "task-new"]
    found = await moved.checkpoints_of([CONSUMER, "reporting.credentials"], streams)
    assert found == {CONSUMER: {"task-a": 4, "task-b": 3, "task-c": 9}, "reporting.credentials": {"plan-p": 2}}
    assert moved.parts == {"task-a": (5, 4), "plan-p": (2, 0), "escalation-e": (0, 6)}
    assert await moved.checkpoints("reporting.credentials", streams) == {"plan-p": 2}  # other consumers: as stored
    await moved.advance(CONSUMER, {"task-a": 6})  # writes go to the store
    assert await store.checkpoints(CONSUMER, ["task-a"]) == {"task-a": 6}
    await moved.checkpoints_of([CONSUMER], ["task-a", "plan-p"])  # task-a's own checkpoint passed both old ones
    assert moved.parts == {"plan-p": (2, 0), "escalation-e": (0, 6)}


async def test_a_rebuild_builds_the_same_views_live_ones_included_as_the_running_consumer():
    """rebuild.py's course without the broker: the service's consumer over held checkpoints, the projection in memory
    until written, then batches straight to the store; the escalations and timelines are built on the way."""
    events = whole_history(5)
    DEAD.clear()
    running = MemoryStore()
    await feed(one_consumer(running), events, 41)

    fresh, memory = MemoryStore(), Memory()
    held = HeldCheckpoints(fresh)
    runtime = Runtime(fresh)
    progress = consumers.register(runtime, memory)  # type: ignore[arg-type]
    shared = subscription(held, runtime.subscribed)
    half = len(events) * 2 // 3
    await feed(shared, events[:half], 500)
    progress.memory = None
    async with fresh.bulk_load(), fresh.transaction():
        await consumers.write_held(fresh, memory)
        await held.write()
    await feed(shared, events[half - 50:], 500)  # the rest (and some again), to the store directly
    assert DEAD == []
    rebuilt = await views(fresh)
    assert rebuilt == await views(running)
    assert rebuilt["escalations"] and all(t["entries"] for t in rebuilt["timelines"].values())
    streams = {e.envelope.stream_id for e in events}
    assert await fresh.checkpoints(CONSUMER, streams) == await running.checkpoints(CONSUMER, streams)

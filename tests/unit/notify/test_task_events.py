"""notify's consumer of tasks' events passes over, undecoded, the status reports that cannot change what it keeps."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from types import SimpleNamespace

from schemas.catalog import TASKS_EVENTS
from schemas.tasks import DeadlineMissed, MissKind, StatusReported, TaskCompleted, TaskDeadlineChanged, TaskStatus
from services.notify.entrypoints import consumers
from services.notify.handlers.intake import PERIODS_MARKED, open_period_items
from services.notify.handlers.repository import ITEMS, OPEN_PERIOD
from services.runtime.clock import LOCAL_TZ
from services.runtime.events import Cause, envelop
from services.runtime.subscriptions import EventConsumer, SharedSubscription
from tests.unit.notify.harness import PLAN, Notify, assigned, directory_events, missed

START = datetime(2026, 4, 1, 9, tzinfo=LOCAL_TZ)


class Consumer:
    """notify's event consumers as bootstrap registers them, behind one shared subscription (the bus's), on a memory store."""

    def __init__(self, notify: Notify) -> None:
        self.registered: list[EventConsumer] = []
        self.loops: list = []
        self.refused: list[tuple[str, str]] = []
        rt = SimpleNamespace(store=notify.store, events=notify.events, clock=notify.clock, settings=SimpleNamespace(weekends_off=True),
                             name="notify", run_loop=self.loops.append)
        rt.subscribe_events = lambda topics, name, apply, types=None, atomic=False: self.registered.append(
            EventConsumer(frozenset(topics), name, apply, frozenset(types) if types is not None else None, atomic))
        self.task_events = consumers.register(rt, on_news=lambda: None)
        stats = {c.name: {"received": 0, "applied": 0, "skipped": 0, "refused": 0} for c in self.registered}
        self.subscription = SharedSubscription("notify", self.registered, notify.store, stats, self.refuse)
        self.offset = 0

    async def refuse(self, record, error, consumer) -> None:
        self.refused.append((consumer, str(error)))

    def record(self, stream: str, version: int, payload, body: bytes | None = None) -> SimpleNamespace:
        """A record as tasks' relay publishes it (`body`: other bytes than the event's, e.g. some no decoder takes)."""
        [envelope] = envelop(stream, version - 1, [payload], Cause("test", str(uuid.uuid4())), START)
        self.offset += 1
        headers = [("event_type", type(payload).__name__.encode()), ("schema_version", b"1"), ("stream_id", stream.encode()),
                   ("stream_version", str(version).encode())]
        return SimpleNamespace(topic=TASKS_EVENTS, partition=0, offset=self.offset, key=stream.encode(), headers=headers,
                               value=body if body is not None else envelope.model_dump_json().encode(), timestamp=0)


def report(task_id: str, period: str | None) -> StatusReported:
    return StatusReported(task_id=task_id, agency_id="vp-xa", status=TaskStatus.in_progress, progress=40, period=period)


def period_missed(task_id: str, period: str) -> DeadlineMissed:
    return DeadlineMissed(task_id=task_id, plan_id=PLAN, unit_id="truong-ha", lead="vp-xa", due=date(2026, 3, 31), kind=MissKind.period,
                          period=period, content=f"Nhiệm vụ {task_id}: báo cáo tháng", code="III.2.b")


async def installation() -> tuple[Notify, Consumer]:
    notify = Notify(START)
    await notify.receive(directory_events() + assigned("r1", date(2026, 12, 31)) + assigned("r2", date(2026, 12, 31))
                         + assigned("r3", date(2026, 3, 31)))
    consumer = Consumer(notify)
    for load in consumer.loops:
        await load()
    return notify, consumer


async def test_a_status_report_on_a_task_with_no_open_period_item_is_passed_over_undecoded():
    notify, consumer = await installation()
    # bytes no decoder takes: decoded, they would be dead-lettered; passed over by their headers, they are not looked at
    records = [consumer.record("task-r1", v, report("r1", "2026-03"), body=b"not an event") for v in (1, 2, 3)]
    await consumer.subscription(records)

    assert consumer.refused == []
    stats = consumer.subscription.stats["notify.escalations"]
    assert stats["received"] == 3 and stats["skipped"] == 3 and stats["applied"] == 0
    assert await notify.store.checkpoints("notify.escalations", ["task-r1"]) == {"task-r1": 3}  # the stream moved on


async def test_a_report_after_a_missed_period_in_the_same_batch_is_decoded():
    notify, consumer = await installation()
    # the miss's headers are seen before the batch is applied: the report after it on its stream is decoded (these
    # bytes are then refused), not passed over
    await consumer.subscription([consumer.record("task-r1", 1, period_missed("r1", "2026-03")),
                                 consumer.record("task-r1", 2, report("r1", "2026-03"), body=b"not an event")])

    assert [c for c, _ in consumer.refused] == ["notify.escalations"]
    [item] = await notify.store.find(ITEMS, task_id="r1")
    assert item["period"] == "2026-03" and item["open"] is True
    await consumer.subscription([consumer.record("task-r1", 2, report("r1", "2026-03"))])  # the report itself, next batch
    [item] = await notify.store.find(ITEMS, task_id="r1")
    assert item["open"] is False


async def test_a_report_for_a_period_item_opened_before_the_process_started_still_resolves_it():
    notify, consumer = await installation()
    await consumer.subscription([consumer.record("task-r2", 1, period_missed("r2", "2026-03"))])
    restarted = Consumer(notify)  # a new process: what it watches comes from the store
    for load in restarted.loops:
        await load()
    assert restarted.task_events.watched == {"task-r2"}

    await restarted.subscription([restarted.record("task-r1", 1, report("r1", "2026-03"), body=b"not an event"),
                                  restarted.record("task-r2", 2, report("r2", "2026-03"))])

    [item] = await notify.store.find(ITEMS, task_id="r2")
    assert item["open"] is False and restarted.refused == []


async def test_until_the_open_items_are_read_every_status_report_is_decoded():
    notify, consumer = await installation()
    fresh = Consumer(notify)  # its start-up read not run yet
    await fresh.subscription([fresh.record("task-r1", 1, report("r1", None), body=b"not an event")])
    assert [c for c, _ in fresh.refused] == ["notify.escalations"]  # decoded (and refused): nothing passed over unseen


async def test_the_start_up_read_finds_open_period_items_by_their_index_and_marks_those_of_an_older_store_once():
    notify, consumer = await installation()
    await consumer.subscription([consumer.record("task-r1", 1, period_missed("r1", "2026-03")),
                                 consumer.record("task-r2", 1, period_missed("r2", "2026-03"))])
    await notify.receive(missed("r3", date(2026, 3, 31)))  # a deadline's item: no period
    assert {v["task_id"] for v in await open_period_items(notify.store)} == {"r1", "r2"}

    await consumer.subscription([consumer.record("task-r1", 2, report("r1", "2026-03"))])  # resolved: no longer watched
    assert {v["task_id"] for v in await open_period_items(notify.store)} == {"r2"}

    [older] = await notify.store.find(ITEMS, task_id="r2")  # as an older version wrote it, before the mark existed
    await notify.store.put(ITEMS, older["item_id"], {k: v for k, v in older.items() if k != OPEN_PERIOD})
    await notify.store.set_position(PERIODS_MARKED, 0)
    assert await notify.store.find_lowest(ITEMS, OPEN_PERIOD, 10) == []
    assert {v["task_id"] for v in await open_period_items(notify.store)} == {"r2"}
    assert await notify.store.get_position(PERIODS_MARKED) == 1


async def test_a_miss_and_what_resolves_it_in_one_batch_leave_no_open_item():
    """A deadline missed, then on the same stream the completion, the period's report or a new deadline, all in one
    consumer batch (a catch-up, a busy report day): the item is started and resolved, not left open to escalate."""
    notify, consumer = await installation()
    late = date(2026, 4, 1)
    await consumer.subscription([
        consumer.record("task-r1", 1, missed("r1", date(2026, 3, 31))[0].payload),
        consumer.record("task-r1", 2, TaskCompleted(task_id="r1", agency_id="vp-xa", completed_on=late, on_time=False)),
        consumer.record("task-r2", 1, period_missed("r2", "2026-03")),
        consumer.record("task-r2", 2, report("r2", "2026-03")),
        consumer.record("task-r3", 1, missed("r3", date(2026, 3, 31))[0].payload),
        consumer.record("task-r3", 2, TaskDeadlineChanged(task_id="r3", previous_due=date(2026, 3, 31), new_due=date(2026, 6, 30),
                                                          reason="Chờ hướng dẫn của Bộ Công an", decided_by="ubnd-xa")),
    ])
    assert consumer.refused == []
    items = {v["task_id"]: v for v in await notify.store.find(ITEMS)}
    assert sorted(items) == ["r1", "r2", "r3"]  # each miss started its item
    assert {t: v["open"] for t, v in items.items()} == {"r1": False, "r2": False, "r3": False}

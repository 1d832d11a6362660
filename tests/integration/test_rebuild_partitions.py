"""The rebuild on several cores shares the tasks topic by partition (services/reporting/rebuild_workers.py), on the real
bundled broker: two processes give the model one process gives, escalations (notify topic) with their tasks; a task
stream a producer placed on a partition its key does not hash to is applied once, by the one process the rebuild
starts again in."""
from __future__ import annotations

import json
import random

from aiokafka import AIOKafkaProducer

from schemas.catalog import NOTIFY_EVENTS, PLANS_EVENTS, TASKS_EVENTS
from services.reporting.handlers.project import CONSUMER
from services.reporting.rebuild import rebuild
from services.reporting.rebuild_workers import Share, share_of
from services.runtime.record_batches import partition_of
from services.runtime.sqlite_store import SqliteStore
from services.runtime.topics import TopicAdmin
from tests.support.services import settings_for
from tests.unit.reporting.test_incremental_equals_rebuilt import interleave
from tests.unit.reporting.test_rebuild_workers import COLLECTIONS, events

PARTITIONS = [0, 1, 2, 3]


def wire(event) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """(key, value, headers) as the outbox relay publishes an event."""
    e = event.envelope
    value = e.model_copy(update={"payload": event.payload.model_dump(mode="json")}).model_dump_json().encode()
    return e.stream_id.encode(), value, [("event_type", e.event_type.encode()), ("schema_version", str(e.schema_version).encode()),
                                          ("stream_id", e.stream_id.encode()), ("stream_version", str(e.stream_version).encode())]


async def publish(broker: str, directory: list, streams: list[list], placed: dict[str, int]) -> int:
    """The directory in its order on one partition (what a plan binds depends on the order of the directory's streams),
    then every other event on its topic, each stream's key placed by murmur2 (the relays' partition_of) unless `placed`
    names its partition; returns how many."""
    await TopicAdmin(broker).ensure([PLANS_EVENTS, TASKS_EVENTS, NOTIFY_EVENTS], len(PARTITIONS))
    producer = AIOKafkaProducer(bootstrap_servers=broker)
    await producer.start()
    try:
        sent = 0
        for event in [*directory, *interleave(streams, random.Random(3))]:
            key, value, headers = wire(event)
            stream = event.envelope.stream_id
            topic = TASKS_EVENTS if stream.startswith("task-") else NOTIFY_EVENTS if stream.startswith("escalation-") else PLANS_EVENTS
            partition = 0 if topic == PLANS_EVENTS else placed.get(stream, partition_of(key, PARTITIONS))
            await producer.send_and_wait(topic, value, key=key, headers=headers, partition=partition)
            sent += 1
        return sent
    finally:
        await producer.stop()


async def rebuilt(broker, tmp_path, name: str, workers: int):
    settings = settings_for(broker, tmp_path, "reporting")
    target = tmp_path / f"{name}.sqlite3"
    done = await rebuild(settings, f"sqlite:///{target}", quiet=1.5, settle=3, timeout=60, workers=workers)
    store = SqliteStore(target)
    try:
        model = {c: sorted(json.dumps(d, sort_keys=True) for d in await store.find(c)) for c in COLLECTIONS}
        streams = sorted(model_streams(model))
        return done, model, await store.checkpoints(CONSUMER, streams)
    finally:
        await store.close()


def model_streams(model: dict[str, list]) -> set[str]:
    return {f"task-{json.loads(d)['task_id']}" for d in model["tasks"]}


async def test_two_processes_sharing_the_tasks_partitions_give_the_model_one_process_gives(broker, tmp_path):
    directory, streams = events()
    sent = await publish(broker, directory, streams, {})
    one, whole, checkpoints = await rebuilt(broker, tmp_path, "one", 1)
    two, shared, shared_checkpoints = await rebuilt(broker, tmp_path, "two", 2)
    assert one.received == two.received == sent and two.applied == one.applied and not two.strayed
    assert shared == whole and shared_checkpoints == checkpoints and len(checkpoints) == 40
    assert whole["escalations"] and whole["timelines"] and whole["periodic_reports"]
    tasks = [f"task-t{n}".encode() for n in range(40)]
    assert {share_of(key, PARTITIONS, 2) for key in tasks} == {0, 1}  # each process had tasks of its own


async def test_a_task_stream_placed_on_another_shares_partition_is_applied_once_by_one_process(broker, tmp_path):
    directory, streams = events()
    escalated = {s[0].envelope.stream_id.removeprefix("escalation-").split("@")[0] for s in streams
                 if s[0].envelope.stream_id.startswith("escalation-")}
    stray = next(f"task-{t}" for t in sorted(escalated) if share_of(f"task-{t}".encode(), PARTITIONS, 2) == 0)  # one with
    # escalation items: applied where it was read, its view and timeline would be split from its escalations' entries
    elsewhere = Share(1, 2, PARTITIONS).partitions[0]  # read by the other process
    assert partition_of(stray.encode(), PARTITIONS) != elsewhere
    sent = await publish(broker, directory, streams, {stray: elsewhere})
    one, whole, checkpoints = await rebuilt(broker, tmp_path, "one", 1)
    two, shared, shared_checkpoints = await rebuilt(broker, tmp_path, "two", 2)
    assert one.received == two.received == sent and two.applied == one.applied
    assert shared == whole and shared_checkpoints == checkpoints and checkpoints[stray] > 1  # every event of it, once
    assert f"key b'{stray}' is share 0's of 0-1, read by share 1's" in two.strayed and f"[{elsewhere}]@" in two.strayed
    assert any(json.loads(d)["task_id"] == stray.removeprefix("task-") for d in shared["tasks"])

"""A rebuild on several cores (services/reporting/rebuild_workers.py): each worker's part of the model, merged, is the
model one process builds from the same history; a merge that drops or doubles a part is seen."""
from __future__ import annotations

import json
import random
from datetime import date

import pytest

from services.reporting.bootstrap import INDEXES
from services.reporting.domain.escalations import ESCALATIONS
from services.reporting.domain.projection import PLANS
from services.reporting.entrypoints import consumers
from services.reporting.handlers.project import ProjectionProgress
from services.reporting.handlers.repository.counters import COUNTERS, Memory
from services.reporting.rebuild_shares import finish_own, merge, positions_of, write_own
from types import SimpleNamespace

from schemas.catalog import NOTIFY_EVENTS, TASKS_EVENTS
from services.reporting.rebuild_workers import Part, Share, Strayed, part_of, share_of
from services.runtime.record_batches import partition_of
from services.runtime.memory_store import MemoryStore
from tests.unit.dashboard.live import raised, started
from tests.unit.reporting.test_incremental_equals_rebuilt import history, interleave

COLLECTIONS = ("units", "agencies", "plans", "tasks", "counters", "group_counters", "report_counts", "counter_months",
               "report_months", "escalations", "timelines", "periodic_reports")
DUE = date(2023, 3, 31)
PARTITIONS = [0, 1, 2, 3]  # the tasks topic's (settings.topic_partitions)


def escalations() -> list[list]:
    """Escalation items of a few tasks, each its own stream (`escalation-t<n>@<due>`), as notify publishes them."""
    return [[started(f"t{n}", f"xa-{n % 6}", DUE, at=DUE), raised(f"t{n}", f"xa-{n % 6}", DUE, 1, 2, at=DUE)] for n in range(0, 40, 5)]


def shares_of(streams: list[list], shares: int) -> list[list]:
    """Each worker's events in the order it reads them: its streams only, each in its order."""
    return [interleave([s for s in streams if share_of(s[0].envelope.stream_id.encode(), PARTITIONS, shares) == k], random.Random(k))
            for k in range(shares)]


async def applied(events: list, memory: Memory, store: MemoryStore) -> ProjectionProgress:
    progress = ProjectionProgress(memory=memory)
    for at in range(0, len(events), 7):
        await consumers.apply(events[at:at + 7], store, progress)
    return progress


async def written(memory: Memory, store: MemoryStore) -> dict[str, list]:
    await consumers.write_held(store, memory)
    return {c: sorted(json.dumps(d, sort_keys=True) for d in await store.find(c)) for c in COLLECTIONS}


def events() -> tuple[list, list[list]]:
    """(the directory's events, every other stream's)."""
    directory, tasks = history()
    return directory, [*tasks, *escalations()]


async def one_process(directory: list, streams: list[list]) -> dict[str, list]:
    store, memory = MemoryStore(INDEXES), Memory()
    await applied([*directory, *interleave(streams, random.Random(5))], memory, store)
    return await written(memory, store)


async def parts(directory: list, streams: list[list], shares: int) -> tuple[Memory, list[Part]]:
    """As the rebuild makes them: the directory and share 0 applied here, each other share in a memory of its own with
    the directory's plans (a forked worker's)."""
    memory = Memory()
    await applied(directory, memory, MemoryStore(INDEXES))
    own, *others = shares_of(streams, shares)
    escalated = MemoryStore(INDEXES)
    await applied(own, memory, escalated)
    finish_own(memory)
    found = [Part(escalations={d["item_id"]: d for d in await escalated.find(ESCALATIONS)})]  # this process's escalations
    for events in others:
        store, mine = MemoryStore(INDEXES), Memory(docs={PLANS: memory.docs.get(PLANS, {})})
        progress = await applied(events, mine, store)
        found.append(await part_of(mine, store, {}, {}, progress, 0))
    return memory, found


async def merged(memory: Memory, found: list[Part]) -> dict[str, list]:
    """As the rebuild writes: its own share's views, timelines and the directory first, then the parts merged."""
    store, held = MemoryStore(INDEXES), {}
    await write_own(store, memory)
    for part in found:
        docs = merge(memory, held, part)
        if docs:
            await store.bulk_put(ESCALATIONS, docs)
    return await written(memory, store)


def test_a_task_and_its_escalation_items_go_to_the_share_that_reads_the_tasks_partition_its_key_hashes_to():
    for shares in (2, 3, 4):
        tasks = {share_of(f"task-t{n}".encode(), PARTITIONS, shares) for n in range(100)}
        assert tasks == set(range(shares))
        for n in range(100):
            key = f"task-t{n}".encode()
            mine = share_of(key, PARTITIONS, shares)
            assert partition_of(key, PARTITIONS) in Share(mine, shares, PARTITIONS).partitions  # read by the share it is
            assert share_of(f"escalation-t{n}@2026-09-30".encode(), PARTITIONS, shares) == mine
            assert share_of(f"escalation-t{n}@2026-Q3".encode(), PARTITIONS, shares) == mine
    assert share_of(None, PARTITIONS, 2) == share_of(b"", PARTITIONS, 2) == 0  # a record without a key: one share, not none
    assert [Share(k, 3, [3, 1, 0, 2]).partitions for k in range(3)] == [[0, 3], [1], [2]]  # every partition read once


def record(topic: str, key: bytes, partition: int | None = None) -> SimpleNamespace:
    return SimpleNamespace(topic=topic, key=key, partition=partition_of(key, PARTITIONS) if partition is None else partition,
                           offset=7)


def test_a_share_applies_its_records_passes_over_others_of_the_notify_topic_and_stops_at_a_stray_of_the_tasks_topic():
    shares = [Share(k, 2, PARTITIONS) for k in range(2)]
    for n in range(40):
        task, escalation = f"task-t{n}".encode(), f"escalation-t{n}@2026-Q3".encode()
        home = share_of(task, PARTITIONS, 2)
        assert shares[home](record(TASKS_EVENTS, task)) and shares[home](record(NOTIFY_EVENTS, escalation))
        assert not shares[1 - home](record(NOTIFY_EVENTS, escalation))  # read by both, applied by one
        elsewhere = next(p for p in PARTITIONS if p not in shares[home].partitions)  # a producer that placed it otherwise
        with pytest.raises(Strayed, match=f"tiendo.tasks.events\\[{elsewhere}\\]@7"):
            shares[1 - home](record(TASKS_EVENTS, task, elsewhere))


@pytest.mark.parametrize("shares", [2, 3])
async def test_the_workers_parts_merged_are_the_model_one_process_builds(shares):
    directory, streams = events()
    whole = await one_process(directory, streams)
    memory, found = await parts(directory, streams, shares)
    assert memory.tasks and all(part.tasks for part in found[1:])  # this process and each worker had tasks of their own
    assert await merged(memory, found) == whole
    assert whole["escalations"] and whole["timelines"] and whole["periodic_reports"] and whole["counter_months"]


async def test_a_merge_without_one_part_or_with_a_part_twice_is_not_the_model():
    directory, streams = events()
    whole = await one_process(directory, streams)
    memory, found = await parts(directory, streams, 2)
    dropped = await merged(memory, found[:1])  # the worker's part left out
    assert dropped["tasks"] != whole["tasks"] and dropped[COUNTERS] != whole[COUNTERS]
    memory, found = await parts(directory, streams, 2)
    with pytest.raises(ValueError, match="two workers applied the same task"):
        await merged(memory, [*found, found[1]])


def test_counts_and_day_histories_of_made_up_parts_add_up_and_a_day_that_cancels_out_keeps_its_entry():
    memory = Memory(pending={"own:xa": {"exp|m": 1}})
    memory.months["own:xa@2023-01"] = {"owner": "own:xa", "month": "2023-01", "days": {"2023-01-05": {"all": 2}}}
    first = Part(tasks={"t1": {"task_id": "t1"}}, counts={"own:xa": {"all": 1, "open": 1}, "agency:ca": {"lead|all": 1}},
                 pending={"own:xa": {"exp|m": 2}},
                 months={"own:xa@2023-01": {"owner": "own:xa", "month": "2023-01", "days": {"2023-01-05": {"all": 1}, "2023-01-09": {"open": 1}}}},
                 checkpoints={"task-t1": 3}, positions={("tasks", 0): 10, ("tasks", 1): 4})
    second = Part(tasks={"t2": {"task_id": "t2"}}, counts={"own:xa": {"all": 1, "done": 1}},
                  months={"own:xa@2023-01": {"owner": "own:xa", "month": "2023-01", "days": {"2023-01-09": {"open": -1}}},
                          "own:xb@2023-02": {"owner": "own:xb", "month": "2023-02", "days": {"2023-02-01": {"all": 1}}}},
                  checkpoints={"task-t2": 1}, positions={("tasks", 0): 7, ("tasks", 1): 9})
    held: dict[str, int] = {}
    for part in (first, second):
        merge(memory, held, part)
    assert memory.pending == {"own:xa": {"exp|m": 3, "all": 2, "open": 1, "done": 1}, "agency:ca": {"lead|all": 1}}
    assert memory.months["own:xa@2023-01"]["days"] == {"2023-01-05": {"all": 3}, "2023-01-09": {}}
    assert memory.dirty_months == {"own:xa@2023-01", "own:xb@2023-02"} and memory.tasks_counted
    assert sorted(memory.tasks) == sorted(memory.dirty_tasks) == ["t1", "t2"] and held == {"task-t1": 3, "task-t2": 1}
    own = {("tasks", 0): 8, ("plans", 0): 5}
    assert positions_of([first, second], own) == {("tasks", 0): 7, ("tasks", 1): 4, ("plans", 0): 5}  # from the lowest
    with pytest.raises(ValueError, match="same stream"):
        merge(memory, held, Part(checkpoints={"task-t1": 3}))

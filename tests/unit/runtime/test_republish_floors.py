"""The floor arithmetic of republishing (services/runtime/floors.py): the relay's chain, a group's floors following it,
and what a relay skips: the lowest floor per partition over the groups, nothing for a group missing or fresh, and
floors kept under another partition count still honoured for what they prove."""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from services.runtime import floors as floors_module
from services.runtime.floors import AFTER, FLOORS, POSITION, Chain, GroupFloors, Selection, base, lowest, select
from services.runtime.memory_store import MemoryStore
from services.runtime.ports import StoredEvent
from services.runtime.record_batches import partition_of
from services.runtime.bus import Bus
from services.runtime.outbox import OutboxRelay
from services.runtime.subscriptions import SharedSubscription
from tests.unit.runtime.test_outbox_parking import AcceptingBus, event

TOPIC = "events"


@dataclass
class Record:
    """A consumed record as the floors read it (test_floors_name_their_events.py uses it too)."""

    topic: str
    partition: int
    headers: list
    value: bytes = b""


def stored(position: int, stream: str) -> StoredEvent:
    return StoredEvent(position=position, stream_id=stream, stream_version=1, event_type="UnitRegistered", schema_version=1,
                       body=b"{}", traceparent=None)


def streams_of(partition: int, count: int, n: int) -> list[str]:
    """n stream ids whose key goes to `partition` of `count`."""
    found, i = [], 0
    while len(found) < n:
        if partition_of(f"s{i}".encode(), list(range(count))) == partition:
            found.append(f"s{i}")
        i += 1
    return found


def published(chain: Chain, item: StoredEvent) -> Record:
    """The record the relay sends for `item`: on its key's partition, with the chain's headers."""
    key = item.stream_id.encode()
    return Record(TOPIC, partition_of(key, chain.partitions), chain.headers(item, key))


def floors(store=None) -> GroupFloors:
    return GroupFloors(store or MemoryStore(), "tiendo.reporting.events", "tiendo.reporting.events.abc", [TOPIC])


def test_a_group_floor_follows_the_chain_through_published_and_parked_events():
    chain = Chain()
    chain.start([0, 1, 2], 0)
    (a, b, c) = streams_of(0, 3, 3)
    group = floors()
    first = published(chain, stored(1, a))
    chain.passed(stored(2, b))  # parked: never sent, the chain runs through it
    third = published(chain, stored(3, c))
    assert dict(third.headers)[AFTER] == b"2/0/3" and dict(third.headers)[POSITION] == b"3"
    assert group.advance([first], set()) and group.floors[TOPIC] == {3: {0: 1}}
    assert not group.advance([third], set())  # 2 lies between and the group never received it: no claim it applied it
    assert group.floors[TOPIC][3][0] == 1


def test_a_refused_record_breaks_the_chain_of_its_partition():
    chain = Chain()
    chain.start([0, 1, 2], 0)
    a, b, c = streams_of(1, 3, 3)
    records = [published(chain, stored(p, s)) for p, s in ((1, a), (2, b), (3, c))]
    group = floors()
    group.advance(records, refused={id(records[1])})
    assert group.floors[TOPIC][3][1] == 1  # not past the refused record, nor past anything after it
    group.advance(records, set())  # the same records again, none refused: the chain holds now
    assert group.floors[TOPIC][3][1] == 3


def test_a_record_on_another_partition_than_its_chain_says_moves_nothing():
    chain = Chain()
    chain.start([0, 1, 2], 0)
    (a,) = streams_of(2, 3, 1)
    record = published(chain, stored(1, a))
    record.partition = 0  # the producer saw another partition count for this batch
    group = floors()
    assert not group.advance([record], set())


def test_a_new_partition_count_starts_from_the_lowest_floor_of_a_complete_set():
    group = floors()
    group.floors = {TOPIC: {3: {0: 50, 1: 70, 2: 60}}}
    assert base(group.floors[TOPIC]) == 50
    chain = Chain()
    chain.start([0, 1, 2, 3], 50)  # a history from 50 on, to a topic the broker made with 4 partitions
    (a,) = streams_of(3, 4, 1)
    assert group.advance([published(chain, stored(55, a))], set())
    assert group.floors[TOPIC][4] == {3: 55}
    group.floors[TOPIC][3].pop(2)  # an incomplete set proves nothing about other partitions
    assert base(group.floors[TOPIC]) == 0


def test_the_relay_skips_only_what_every_group_covers_per_partition():
    count = 3
    low = {count: {0: 10, 1: 40, 2: 30}}
    high = {count: {0: 20, 1: 35, 2: 50}}
    selection = Selection({"reporting": low, "notify": high})
    assert selection.start == 10  # the lowest floor of all: everything up to it applied everywhere
    assert selection.end == 40  # beyond the lower of the groups' highest floors nothing is covered
    for partition, lowest_floor in ((0, 10), (1, 35), (2, 30)):
        (stream,) = streams_of(partition, count, 1)
        assert selection.covers(stored(lowest_floor, stream))
        assert not selection.covers(stored(lowest_floor + 1, stream))


def test_a_declared_group_not_heard_or_fresh_gets_the_whole_history():
    heard = {"g.tasks": {TOPIC: {3: {0: 100, 1: 100, 2: 100}}}, "g.notify": {"other": {}}}
    assert select(TOPIC, ["g.tasks"], heard).start == 100  # a group heard that reads another topic does not count
    assert select(TOPIC, ["g.tasks", "g.reporting"], heard) is None  # not heard in time: everything goes out
    heard["g.reporting"] = {TOPIC: {}}  # a fresh store: no floors at all
    selection = select(TOPIC, ["g.tasks", "g.reporting"], heard)
    assert selection is not None and selection.start == 0 and selection.end == 0
    assert not selection.covers(stored(1, "s1"))


def test_floors_kept_under_another_partition_count_are_still_honoured_for_what_they_prove():
    group = {3: {0: 100, 1: 80, 2: 120}}  # kept before the broker made the topic again with 4 partitions
    selection = Selection({"g": group})
    for partition, floor in ((0, 100), (1, 80), (2, 120)):
        (stream,) = streams_of(partition, 3, 1)  # the event's partition of 3, whatever the topic has now
        assert selection.covers(stored(floor, stream)) and not selection.covers(stored(floor + 1, stream))


def test_a_group_under_two_broker_group_ids_covers_only_what_both_do():
    merged = lowest({TOPIC: {3: {0: 10, 1: 50, 2: 30}}}, {TOPIC: {3: {0: 40, 1: 20, 2: 30}}})
    assert merged[TOPIC][3] == {0: 10, 1: 20, 2: 30}
    assert lowest({TOPIC: {3: {0: 10, 1: 10, 2: 10}}}, {}) == {}  # one of them has nothing: nothing covered


async def test_a_relay_restarted_mid_life_finds_each_partition_s_last_event_in_the_store():
    store = MemoryStore()
    for n in range(30):
        await store.append(f"unit-{n}", 0, [event(f"unit-{n}", 1)])
    items = await store.read_after(0, 100)
    chain = Chain()
    await chain.recover(store, items[19].position, [0, 1, 2])
    for partition in range(3):
        mine = [i.position for i in items[:20] if partition_of(i.stream_id.encode(), [0, 1, 2]) == partition]
        assert chain.last[partition] == mine[-1]  # the chain goes on from there: nothing published since is passed over


async def test_floors_are_kept_in_the_group_s_store_and_read_back():
    store = MemoryStore()
    chain = Chain()
    chain.start([0, 1, 2], 0)
    group = floors(store)
    await group.load()
    group.advance([published(chain, stored(1, "a")), published(chain, stored(2, "b"))], set())
    await group.save(force=True)
    again = floors(store)
    await again.load()
    assert again.floors == group.floors and again.floors[TOPIC]


async def test_a_relay_sends_only_what_a_group_has_not_applied_in_order_chained_from_where_it_started():
    store, bus = MemoryStore(), AcceptingBus()
    for n in range(30):
        await store.append(f"unit-{n}", 0, [event(f"unit-{n}", 1)])
    items = await store.read_after(0, 100)
    part = {i.position: partition_of(i.stream_id.encode(), [0, 1, 2]) for i in items}
    floors = {p: max(i.position for i in items[:20] if part[i.position] == p) for p in range(3)}  # the first 20 applied
    relay = OutboxRelay(store, bus, "events", "test", topics=["events"], partitions=3)
    relay.epoch = "e1"
    relay.chain.start([0, 1, 2], 0)
    relay.selection = Selection({"g": {3: floors}})
    while await relay.publish_pending():
        pass
    assert bus.sent == [(i.stream_id, 1) for i in items[20:]]  # what lies above the floors, in position order
    assert relay.skipped_as_applied == 20
    start = 0  # where the chain started (this relay reads from position 0)
    for item, headers in zip(items[20:], bus.headers):  # from the previous one sent on its partition, or from the start
        previous = max([start] + [i.position for i in items[20:] if part[i.position] == part[item.position] and i.position < item.position])
        assert dict(headers)[AFTER] == b"%d/%d/3" % (previous, part[item.position])


async def test_floors_moved_by_the_last_batches_before_a_quiet_spell_reach_the_store(monkeypatch):
    """A catch-up's tail read in less than SAVE_SECONDS, then nothing: the floors it moved are saved when the bound ends,
    not left in memory for the next start to publish again (bench/history/national-scale.md, "Why a start republishes 32,807 tasks
    records")."""
    monkeypatch.setattr(floors_module, "SAVE_SECONDS", 0.2)
    store = MemoryStore()
    chain = Chain()
    chain.start([0], 0)
    group = floors(store)
    await group.load()
    group.advance([published(chain, stored(1, "a"))], set())
    await group.save()  # the first save goes at once
    group.advance([published(chain, stored(2, "a")), published(chain, stored(3, "a"))], set())
    await group.save()  # within SAVE_SECONDS of it: put off
    assert (await store.get(FLOORS, group.group_id))["floors"] == {TOPIC: {"1": {"0": 1}}}
    deadline = time.monotonic() + 5
    while (await store.get(FLOORS, group.group_id))["floors"] != {TOPIC: {"1": {"0": 3}}} and time.monotonic() < deadline:
        await asyncio.sleep(0.02)  # polling the store with a deadline: no further batch, no announce
    assert (await store.get(FLOORS, group.group_id))["floors"] == {TOPIC: {"1": {"0": 3}}}


class Stopping:
    async def stop(self) -> None:
        pass


async def test_floors_moved_by_the_last_batches_are_saved_when_the_bus_stops():
    """A stop within SAVE_SECONDS of the last save (a bench stops the system as soon as it caught up): the floors the last
    batches moved are saved by the bus's stop, not lost with the process."""
    store = MemoryStore()
    chain = Chain()
    chain.start([0], 0)
    bus = Bus("127.0.0.1:9", client_id="floors-at-stop")
    shared = SharedSubscription("tiendo.reporting.events", [], store, {}, None)
    bus.shared[shared.group_id] = shared
    bus.broker = bus._events_producer = Stopping()
    group = shared.republish_floors
    await group.load()
    group.advance([published(chain, stored(1, "a"))], set())
    await group.save()
    group.advance([published(chain, stored(2, "a"))], set())
    await group.save()  # put off
    await bus.stop()
    assert (await store.get(FLOORS, group.group_id))["floors"] == {TOPIC: {"1": {"0": 2}}}

"""A floor names the event at its position (services/runtime/floors.py): a relay whose outbox holds another event there
(its store restored from an older copy, or replaced) takes that group as covering nothing; a group that receives another
event at its floor's position drops its floors of the topic; the first record of each partition in a broker's life says
whether its history goes out whole."""
from __future__ import annotations

import json
import uuid

from services.runtime.floors import AFTER, FROM_FLOORS, HISTORY, POSITION, WHOLE, Chain, Claim, GroupFloors, mismatch, select, verified
from services.runtime.memory_store import MemoryStore
from services.runtime.ports import StoredEvent
from services.runtime.record_batches import partition_of
from tests.unit.runtime.test_outbox_parking import event
from tests.unit.runtime.test_republish_floors import Record

TOPIC = "events"


def stored(position: int, stream: str, event_id: str | None = None) -> StoredEvent:
    body = json.dumps({"event_id": event_id or str(uuid.uuid4())}).encode()
    return StoredEvent(position=position, stream_id=stream, stream_version=1, event_type="UnitRegistered", schema_version=1, body=body)


def published(chain: Chain, item: StoredEvent) -> Record:
    key = item.stream_id.encode()
    return Record(TOPIC, partition_of(key, chain.partitions), chain.headers(item, key), item.body)


def group(store=None) -> GroupFloors:
    return GroupFloors(store or MemoryStore(), "g", "g.abc", [TOPIC])


def one_partition() -> Chain:
    chain = Chain()
    chain.start([0], 0)
    return chain


async def test_a_group_s_floor_names_the_event_at_its_position_and_keeps_it_in_its_store():
    store, chain = MemoryStore(), one_partition()
    floors = group(store)
    await floors.load()
    items = [stored(p, "s") for p in (1, 2, 3)]
    assert floors.advance([published(chain, i) for i in items], set())
    assert floors.floors[TOPIC] == {1: {0: 3}} and floors.ids[TOPIC] == {3: json.loads(items[2].body)["event_id"]}
    await floors.save(force=True)
    again = group(store)
    await again.load()
    assert again.ids == floors.ids
    assert json.loads(again.message())["ids"] == {TOPIC: {"3": json.loads(items[2].body)["event_id"]}}


async def test_another_event_at_a_floor_s_position_drops_the_group_s_floors_of_that_topic():
    chain = one_partition()
    floors = group()
    floors.advance([published(chain, stored(p, "s")) for p in (1, 2, 3)], set())
    restored = Chain()
    restored.start([0], 2)  # the producer's store went back to position 2 and made a new event 3
    assert floors.advance([published(restored, stored(3, "t"))], set())
    assert floors.floors[TOPIC] == {} and floors.ids[TOPIC] == {}
    same = one_partition()  # the same event again (a redelivery) keeps them
    kept = group()
    item = stored(1, "s")
    kept.advance([published(same, item)], set())
    kept.advance([published(one_partition(), item)], set())
    assert kept.floors[TOPIC] == {1: {0: 1}}


async def test_a_relay_takes_a_group_whose_floor_names_another_event_than_its_outbox_holds_as_covering_nothing():
    outbox = MemoryStore()
    for n in range(6):
        await outbox.append(f"unit-{n}", 0, [event(f"unit-{n}", 1)])
    items = await outbox.read_after(0, 10)
    held = {i.position: json.loads(i.body)["event_id"] for i in items}
    good = Claim({TOPIC: {1: {0: 4}}}, {TOPIC: {4: held[4]}})
    assert await mismatch(outbox, TOPIC, good) is None
    other = Claim({TOPIC: {1: {0: 4}}}, {TOPIC: {4: str(uuid.uuid4())}})
    assert "went back" in await mismatch(outbox, TOPIC, other)
    beyond = Claim({TOPIC: {1: {0: 9}}}, {TOPIC: {9: str(uuid.uuid4())}})  # a store restored shorter than the floor
    assert "holds nothing" in await mismatch(outbox, TOPIC, beyond)
    unnamed = Claim({TOPIC: {1: {0: 4}}})  # kept by code before floors named their events
    assert "names no event" in await mismatch(outbox, TOPIC, unnamed)

    floors, refused = await verified(outbox, TOPIC, {"a": good, "b": other}, "relay")
    assert set(refused) == {"b"} and floors["b"] == {TOPIC: {}} and floors["a"] == good.floors
    selection = select(TOPIC, ["a", "b"], floors)
    assert selection is not None and selection.start == 0 and selection.end == 0  # the whole history goes out
    assert not any(selection.covers(i) for i in items)
    selection = select(TOPIC, ["a"], {"a": good.floors})
    assert selection.covers(items[3]) and not selection.covers(items[4])  # a matching group's floor is honoured


def test_the_first_record_of_each_partition_says_whether_its_history_goes_out_whole():
    whole, from_floors = Chain(), Chain()
    whole.start([0, 1], 0)
    from_floors.start([0, 1], 40, whole=False)
    first, second = published(whole, stored(41, "s")), published(whole, stored(42, "s"))
    assert dict(first.headers)[HISTORY] == WHOLE and HISTORY not in dict(second.headers)
    record = published(from_floors, stored(41, "s"))
    assert dict(record.headers)[HISTORY] == FROM_FLOORS and dict(record.headers)[AFTER].startswith(b"40/")
    assert dict(record.headers)[POSITION] == b"41"
    skipping = Chain()
    skipping.start([0], 0, whole=False)  # starts at 0 but may skip events above it: not whole either
    assert dict(published(skipping, stored(1, "s")).headers)[HISTORY] == FROM_FLOORS


def test_a_relay_s_epoch_says_when_its_history_went_out_from_the_floors():
    from services.runtime.topics import from_floors, kept, made_at, new_epoch
    epoch = new_epoch(kept=True, from_floors=True)
    assert from_floors(epoch) and kept(epoch) and made_at(epoch) is not None
    assert not from_floors(new_epoch(kept=True)) and not from_floors(new_epoch())


def test_a_group_follows_a_whole_history_from_0_again_dropping_floors_it_can_no_longer_prove():
    old = Chain()
    old.start([0, 1, 2], 0)
    floors = group()
    floors.advance([published(old, stored(p, f"s{p}")) for p in range(1, 30)], set())
    assert floors.floors[TOPIC][3]  # floors under 3 partitions, naming events of a history since replaced
    whole = Chain()
    whole.start([0], 0)  # a whole history from 0 to a topic the broker made with one partition
    first = stored(1, "x")
    floors.advance([published(whole, first)], set())
    assert floors.floors[TOPIC] == {1: {0: 1}} and floors.ids[TOPIC] == {1: json.loads(first.body)["event_id"]}

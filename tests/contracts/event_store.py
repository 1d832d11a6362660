"""Contract of the EventStore port: expected-version append, load, read_after, positions."""
from __future__ import annotations

import asyncio

import pytest

from services.runtime.ports import ConcurrencyError
from tests.contracts import StoreContract, batch, envelope


class EventStoreContract(StoreContract):
    async def test_append_then_load_round_trips_every_envelope_field(self, store):
        events = [
            envelope("task-1", 1, title="Cấp CCCD gắn chip", nested={"units": ["01", "79"], "ok": True, "n": 1.5}),
            envelope("task-1", 2),
        ]
        await store.append("task-1", 0, events, traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
        assert await store.load("task-1") == events
        stored = await store.read_after(0, 10)
        assert [s.envelope for s in stored] == events
        assert {s.traceparent for s in stored} == {"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}

    async def test_appends_given_the_envelopes_text_round_trip_the_same_events(self, store):
        """EventLog hands the stores each envelope's JSON as it was made once (events.seal); every adapter takes it."""
        one, two, three = batch("a", 0, 1), batch("b", 0, 2), batch("c", 0, 1)
        await store.append("a", 0, one, None, [e.model_dump_json().encode() for e in one])
        await store.append_many([("b", 0, two), ("c", 0, three)], None, [[e.model_dump_json().encode() for e in two], [three[0].model_dump_json().encode()]])
        assert await store.load("a") == one and await store.load("b") == two and await store.load("c") == three
        stored = await store.read_after(0, 10)
        assert [s.envelope for s in stored] == one + two + three

    async def test_traceparent_defaults_to_none(self, store):
        await store.append("task-1", 0, [envelope("task-1", 1)])
        (stored,) = await store.read_after(0, 10)
        assert stored.traceparent is None

    async def test_unknown_stream_loads_empty(self, store):
        assert await store.load("nobody") == []
        assert await store.read_after(0, 10) == []

    async def test_appends_continue_a_stream_in_version_order(self, store):
        first, second = batch("s", 0, 2), batch("s", 2, 3)
        await store.append("s", 0, first)
        await store.append("s", 2, second)
        assert [e.stream_version for e in await store.load("s")] == [1, 2, 3, 4, 5]
        assert await store.load("s") == first + second

    async def test_stale_expected_version_raises_and_leaves_stream_unchanged(self, store):
        events = batch("s", 0, 2)
        await store.append("s", 0, events)
        for stale in (0, 1):
            with pytest.raises(ConcurrencyError) as raised:
                await store.append("s", stale, batch("s", stale, 1))
            assert (raised.value.stream_id, raised.value.expected) == ("s", stale)
        assert await store.load("s") == events
        assert [s.envelope for s in await store.read_after(0, 10)] == events

    async def test_expected_version_ahead_of_stream_raises(self, store):
        events = batch("s", 0, 2)
        await store.append("s", 0, events)
        with pytest.raises(ConcurrencyError):
            await store.append("s", 5, batch("s", 5, 1))
        with pytest.raises(ConcurrencyError):
            await store.append("new", 1, batch("new", 1, 1))
        assert await store.load("s") == events
        assert await store.load("new") == []
        assert len(await store.read_after(0, 10)) == 2

    async def test_racing_appends_at_the_same_version_one_wins(self, store):
        await store.append("s", 0, batch("s", 0, 1))
        mine, theirs = batch("s", 1, 2), batch("s", 1, 1)
        results = await asyncio.gather(store.append("s", 1, mine), store.append("s", 1, theirs), return_exceptions=True)
        assert sorted(type(r).__name__ for r in results) == ["ConcurrencyError", "NoneType"]
        winner = mine if results[0] is None else theirs
        loaded = await store.load("s")
        assert loaded[1:] == winner
        assert [s.envelope for s in await store.read_after(0, 10)] == loaded

    async def test_batch_conflicting_part_way_leaves_nothing_behind(self, store):
        """A batch whose later event collides on (stream, version) is refused as a whole."""
        clashing = [envelope("s", 1), envelope("s", 2), envelope("s", 2)]
        with pytest.raises(ConcurrencyError):
            await store.append("s", 0, clashing)
        assert await store.load("s") == []
        assert await store.read_after(0, 10) == []
        await store.append("s", 0, batch("s", 0, 1))
        assert len(await store.load("s")) == 1

    async def test_append_many_writes_several_streams_at_once(self, store):
        await store.append("a", 0, batch("a", 0, 1))
        await store.append_many([("a", 1, batch("a", 1, 2)), ("b", 0, batch("b", 0, 1)), ("c", 0, [])], traceparent="tp")
        assert [e.stream_version for e in await store.load("a")] == [1, 2, 3]
        assert [(s.envelope.stream_id, s.traceparent) for s in await store.read_after(1, 10)] == [("a", "tp"), ("a", "tp"), ("b", "tp")]
        await store.append_many([])

    async def test_append_many_with_one_stream_moved_on_writes_nothing(self, store):
        await store.append("a", 0, batch("a", 0, 2))
        with pytest.raises(ConcurrencyError) as raised:
            await store.append_many([("new", 0, batch("new", 0, 1)), ("a", 1, batch("a", 1, 1))])
        assert (raised.value.stream_id, raised.value.expected, raised.value.actual) == ("a", 1, 2)
        assert await store.load("new") == [] and len(await store.read_after(0, 10)) == 2

    async def test_append_many_takes_each_stream_once(self, store):
        with pytest.raises(ValueError):
            await store.append_many([("a", 0, batch("a", 0, 1)), ("a", 1, batch("a", 1, 1))])

    async def test_read_after_returns_interleaved_streams_in_append_order(self, store):
        appended = []
        for stream, after, count in [("a", 0, 1), ("b", 0, 2), ("a", 1, 1), ("c", 0, 1), ("b", 2, 1)]:
            events = batch(stream, after, count)
            await store.append(stream, after, events)
            appended += events
        stored = await store.read_after(0, 100)
        assert [s.envelope for s in stored] == appended
        positions = [s.position for s in stored]
        assert positions == sorted(set(positions)) and positions[0] > 0
        assert [s.envelope for s in await store.read_after(positions[2], 100)] == appended[3:]
        assert [s.envelope for s in await store.read_after(positions[0], 2)] == appended[1:3]
        assert await store.read_after(positions[-1], 100) == []

    async def test_a_relay_reading_beside_concurrent_writers_misses_no_event(self, store):
        """The relay's position only moves forward: an event whose position it passed before the event became visible
        would never be published (MongoDB's old gap: A takes position 5, B takes 6, B's insert lands first). The
        mongomock stand-ins run each call in one step, so they cannot interleave a writer's two calls to open the
        gap; a real server (TIENDO_TEST_MONGODB_URL) can."""
        writers, appends = 8, 5
        relayed: list = []
        done = asyncio.Event()

        async def writer(n: int) -> None:
            for version in range(appends):
                await store.append(f"w{n}", version, batch(f"w{n}", version, 1))
            await asyncio.sleep(0)

        async def relay() -> None:
            position = 0
            while not (done.is_set() and len(relayed) == writers * appends):
                page = await store.read_after(position, 100)
                relayed.extend(page)
                position = page[-1].position if page else position
                await asyncio.sleep(0)

        reader = asyncio.create_task(relay())
        await asyncio.gather(*(writer(n) for n in range(writers)))
        done.set()
        await asyncio.wait_for(reader, timeout=30)
        assert sorted((s.stream_id, s.stream_version) for s in relayed) == sorted(
            (f"w{n}", v) for n in range(writers) for v in range(1, appends + 1))
        assert [s.position for s in relayed] == sorted({s.position for s in relayed})

    async def test_read_after_honours_limit_when_paging(self, store):
        await store.append("s", 0, batch("s", 0, 7))
        seen, position = [], 0
        while page := await store.read_after(position, 3):
            assert len(page) <= 3
            seen += page
            position = page[-1].position
        assert [s.envelope.stream_version for s in seen] == list(range(1, 8))

    async def test_positions_default_to_zero_and_are_kept_per_name(self, store):
        assert await store.get_position("outbox") == 0
        await store.set_position("outbox", 7)
        await store.set_position("outbox", 9)
        await store.set_position("reporting", 3)
        assert await store.get_position("outbox") == 9
        assert await store.get_position("reporting") == 3
        assert await store.get_position("other") == 0

    async def test_events_and_positions_survive_reopening(self, store):
        self.skip_unless_persistent()
        events = batch("s", 0, 3)
        await store.append("s", 0, events, traceparent="tp")
        await store.set_position("outbox", 2)
        store = await self.reopen(store)
        assert await store.load("s") == events
        assert [(s.envelope, s.traceparent) for s in await store.read_after(0, 10)] == [(e, "tp") for e in events]
        assert await store.get_position("outbox") == 2
        with pytest.raises(ConcurrencyError):
            await store.append("s", 2, batch("s", 2, 1))
        await store.append("s", 3, batch("s", 3, 1))
        assert len(await store.read_after(0, 10)) == 4

"""Consumer timing comes from the settings, and an idle consumer lets the broker hold its fetches longer."""
from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from services.runtime import bus as bus_module
from services.runtime.bus import Bus
from services.runtime.settings import ConsumerTuning, ServiceSettings


def test_the_embedded_session_is_short_and_production_keeps_kafkas_usual_one():
    embedded = ServiceSettings(environment="test").consumer_tuning()
    assert (embedded.session_timeout_ms, embedded.heartbeat_interval_ms, embedded.instance_id) == (6_000, 2_000, None)
    production = ServiceSettings(environment="production", token_secret="x" * 40).consumer_tuning()
    assert (production.session_timeout_ms, production.heartbeat_interval_ms) == (10_000, 3_333)
    chosen = ServiceSettings(environment="test", kafka_session_timeout_ms=4_000, kafka_instance_id="tasks-8002").consumer_tuning()
    assert (chosen.session_timeout_ms, chosen.heartbeat_interval_ms, chosen.instance_id) == (4_000, 1_333, "tasks-8002")


@pytest.mark.parametrize("field, value", [("kafka_session_timeout_ms", 500), ("kafka_instance_id", "two words"), ("kafka_idle_fetch_max_wait_ms", 0)])
def test_out_of_range_consumer_settings_are_refused(field, value):
    with pytest.raises(ValueError, match=field):
        ServiceSettings(environment="test", **{field: value})


async def test_the_subscriber_gets_the_tuning():
    bus = Bus("127.0.0.1:9", client_id="tuning-test", tuning=ConsumerTuning(session_timeout_ms=7_000, heartbeat_interval_ms=2_000,
                                                                             consumer_timeout_ms=900, instance_id="reporting-1"))

    async def handle(records) -> None:
        return None

    bus.subscribe_records(["t"], "g", handle)
    (_, subscriber), = bus._subscribers
    args = subscriber._connection_args  # what faststream passes to aiokafka's consumer when it starts
    assert (args["session_timeout_ms"], args["heartbeat_interval_ms"], args["consumer_timeout_ms"], args["group_instance_id"]) == (
        7_000, 2_000, 900, "reporting-1")
    await bus._events_producer.stop()


class IdleConsumer:
    """aiokafka's consumer as far as the fetch step sees it: getmany, and the fetcher's wait it builds requests with."""

    def __init__(self) -> None:
        self._fetcher = SimpleNamespace(_fetch_max_wait_ms=500)
        self.next: list = []

    async def getmany(self, timeout_ms: int, max_records: int) -> dict:
        batch, self.next = self.next, []
        return {"tp": batch} if batch else {}


async def test_an_idle_consumer_lets_the_broker_wait_longer_and_a_record_brings_the_short_wait_back(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(bus_module.time, "monotonic", lambda: now[0])
    bus = Bus("127.0.0.1:9", client_id="idle-wait-test", tuning=ConsumerTuning(fetch_max_wait_ms=500, idle_after_seconds=5, idle_fetch_max_wait_ms=2_000))

    async def handle(records) -> None:
        return None

    bus.subscribe_records(["t"], "g", handle)
    (_, subscriber), = bus._subscribers
    consumer = IdleConsumer()
    assert await subscriber.get_msg(consumer) == ()
    assert consumer._fetcher._fetch_max_wait_ms == 500  # quiet for less than 5 s: the short wait
    now[0] += 6
    assert await subscriber.get_msg(consumer) == ()
    assert consumer._fetcher._fetch_max_wait_ms == 2_000  # quiet for 6 s: the broker may hold a fetch 2 s
    consumer.next = ["record"]
    assert await subscriber.get_msg(consumer) == ("record",)
    assert consumer._fetcher._fetch_max_wait_ms == 500  # records flow again
    now[0] += 1
    assert await subscriber.get_msg(consumer) == ()
    assert consumer._fetcher._fetch_max_wait_ms == 500
    await asyncio.sleep(0)
    await bus._events_producer.stop()

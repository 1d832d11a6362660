"""An events topic's readers are declared once (topics.SUBSCRIBERS): a service may subscribe only where it is declared,
and a service's relay waits for the floors of exactly the declared groups of its topic (floors.py)."""
from __future__ import annotations

import pytest

from schemas.catalog import NOTIFY_EVENTS, PLANS_EVENTS, TASKS_EVENTS
from services.runtime.clock import SystemClock
from services.runtime.memory_store import MemoryStore
from services.runtime.service import ServiceRuntime
from services.runtime.settings import ServiceSettings


async def nothing(batch) -> None:
    pass


class RecordingBus:
    """Unit-test stand-in for the Kafka bus: keeps the subscriptions it is given."""

    def __init__(self) -> None:
        self.subscribed: list[tuple] = []

    def use_checkpoints(self, ledger) -> None:
        pass

    def on_join(self, hook) -> None:
        pass

    def subscribe_events(self, topics, group, consumer, apply, **options) -> None:
        self.subscribed.append((tuple(topics), group, consumer))


def runtime(name: str) -> ServiceRuntime:
    settings = ServiceSettings(environment="test", consumer_group_prefix="p", republish_floor_wait_seconds=7)
    return ServiceRuntime(name, settings, MemoryStore(), SystemClock(), bus=RecordingBus())


def test_a_service_not_declared_as_a_reader_of_a_topic_cannot_subscribe_to_it():
    with pytest.raises(RuntimeError, match="SUBSCRIBERS"):
        runtime("tasks").subscribe_events([TASKS_EVENTS], "tasks.echo", nothing)  # tasks does not read its own events
    reporting = runtime("reporting")
    reporting.subscribe_events([PLANS_EVENTS, TASKS_EVENTS, NOTIFY_EVENTS], "reporting.all", nothing)
    assert reporting.bus.subscribed == [((PLANS_EVENTS, TASKS_EVENTS, NOTIFY_EVENTS), "p.reporting.events", "reporting.all")]


def test_a_relay_waits_for_the_declared_groups_of_its_topic():
    relay = runtime("tasks").relay_to(TASKS_EVENTS)
    assert relay.subscribers == ("p.reporting.events", "p.notify.events") and relay.floor_wait == 7
    assert runtime("plans").relay_to(PLANS_EVENTS).subscribers == ("p.tasks.events", "p.reporting.events", "p.notify.events")

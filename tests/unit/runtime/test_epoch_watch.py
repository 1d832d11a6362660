"""Consumers go back to a topic's beginning once per new epoch of it, never on their first look."""
from __future__ import annotations

from services.runtime.epochs import EpochWatch
from services.runtime.topics import epochs, marker_topic


class MarkerBus:
    """Unit-test stand-in for the bus: the broker's topic names, and the rewinds asked for."""

    def __init__(self) -> None:
        self.names: set[str] = {"tiendo.tasks.events", marker_topic("tiendo.tasks.events", "e1")}
        self.rewound: list[str] = []
        self.assigned = True

    async def topic_names(self, max_age: float = 0.0) -> set[str]:
        return set(self.names)

    def subscribed_topics(self) -> set[str]:
        return {"tiendo.tasks.events"}

    async def rewind(self, topic: str) -> bool:
        if self.assigned:
            self.rewound.append(topic)
        return self.assigned


def test_markers_name_their_topic_and_epoch():
    assert epochs([marker_topic("tiendo.plans.events", "18ec-a1"), "tiendo.plans.events"]) == {"tiendo.plans.events": ("18ec-a1",)}


async def test_a_new_epoch_after_a_restart_sends_consumers_back_once():
    bus = MarkerBus()
    watch = EpochWatch(bus, interval=1)
    await watch.check()
    assert bus.rewound == []  # the first look only learns the epoch
    bus.names = {"tiendo.tasks.events"}  # a new broker: no marker yet
    await watch.check()
    assert bus.rewound == []
    bus.names.add(marker_topic("tiendo.tasks.events", "e2"))  # the relay made the topic anew
    bus.assigned = False  # the consumer is rejoining its group: asked again at the next look
    await watch.check()
    bus.assigned = True
    await watch.check()
    await watch.check()
    assert bus.rewound == ["tiendo.tasks.events"] and watch.rewinds == 1

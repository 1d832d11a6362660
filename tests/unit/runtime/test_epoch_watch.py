"""Consumers go back to a topic's beginning once per new epoch of it, never on their first look; a join on a new broker
is where they go back, and a relay that kept its topic there sends nobody back a second time."""
from __future__ import annotations

import time

from aiokafka import TopicPartition

from services.runtime.epochs import EpochWatch
from services.runtime.topics import epochs, kept, made_at, marker_topic, new_epoch

TOPIC = "tiendo.tasks.events"
PARTITIONS = {TopicPartition(TOPIC, p) for p in range(3)}


class Joined:
    """Stand-in for a subscriber's Joins: its group and topics, whether it is rebalancing, the partitions sent back."""

    group = "tiendo.tasks.events.x"
    topics = (TOPIC,)

    def __init__(self) -> None:
        self.rewound: list[set[TopicPartition]] = []
        self.rebalancing = False

    def assignment(self) -> set[TopicPartition]:
        return set(PARTITIONS)

    async def rewind(self, partitions) -> None:
        self.rewound.append(set(partitions))


class MarkerBus:
    """Unit-test stand-in for the bus: the broker's topic names, and one subscriber of TOPIC."""

    def __init__(self, epoch: str) -> None:
        self.names: set[str] = {TOPIC, marker_topic(TOPIC, epoch)}
        self.subscriber = Joined()
        self.joins = {Joined.group: self.subscriber}
        self.hook = None

    @property
    def rewound(self) -> list[str]:  # topics sent back by the periodic look
        return [min(partitions).topic for partitions in self.subscriber.rewound]

    async def topic_names(self, max_age: float = 0.0) -> set[str]:
        return set(self.names)

    def on_join(self, hook) -> None:
        self.hook = hook


def test_markers_name_their_topic_and_epoch_and_say_when_and_whether_the_topic_was_kept():
    before = time.time()
    made, found = new_epoch(), new_epoch(kept=True)
    assert epochs([marker_topic("tiendo.plans.events", made), "tiendo.plans.events"]) == {"tiendo.plans.events": (made,)}
    assert epochs([marker_topic("tiendo.plans.events", found)]) == {"tiendo.plans.events": (found,)}
    assert not kept(made) and kept(found)
    assert before - 1 <= made_at(made) <= time.time() + 1
    assert made_at("not-an-epoch") is None


async def test_a_new_epoch_while_the_group_stays_joined_sends_consumers_back_once():
    bus = MarkerBus(new_epoch())
    watch = EpochWatch(bus, interval=1)
    await watch.check()
    assert bus.rewound == []  # the first look only learns the epoch
    bus.names = {TOPIC}  # a new broker: no marker yet
    await watch.check()
    assert bus.rewound == []
    bus.names.add(marker_topic(TOPIC, new_epoch()))  # the relay made the topic anew
    bus.subscriber.rebalancing = True  # the consumer is rejoining its group: asked again at the next look, no commit tried
    await watch.check()
    assert bus.rewound == []
    bus.subscriber.rebalancing = False
    await watch.check()
    await watch.check()
    assert bus.rewound == [TOPIC] and watch.rewinds == 1


async def test_a_join_on_a_new_broker_sends_the_partitions_back_and_a_kept_topic_does_not_again():
    bus = MarkerBus(new_epoch())
    watch = EpochWatch(bus, interval=1)
    assert bus.hook == watch.joined
    first = Joined()
    await watch.joined(first, PARTITIONS)  # the process's first join: positions from the broker's committed offsets
    await watch.check()
    assert first.rewound == [] and watch.rewinds == 0
    bus.names = {TOPIC}  # the broker restarted empty; the consumer's own metadata request made its topic
    again = Joined()
    await watch.joined(again, PARTITIONS)
    assert again.rewound == [PARTITIONS] and watch.rewinds == 1  # within the join: no commit meets a rebalance
    bus.names.add(marker_topic(TOPIC, new_epoch(kept=True)))  # the relay kept that topic (nothing of its was in flight)
    await watch.check()
    await watch.check()
    assert bus.rewound == [] and watch.rewinds == 1  # the same topic, read from its beginning already


async def test_a_topic_made_anew_after_the_join_sends_consumers_back_again():
    bus = MarkerBus(new_epoch())
    watch = EpochWatch(bus, interval=1)
    await watch.joined(Joined(), PARTITIONS)
    bus.names = {TOPIC}
    joined = Joined()
    await watch.joined(joined, PARTITIONS)
    assert joined.rewound == [PARTITIONS]
    bus.names.add(marker_topic(TOPIC, new_epoch()))  # a relay with a publish in flight deleted and made its topic anew
    await watch.check()
    assert bus.rewound == [TOPIC] and watch.rewinds == 2


async def test_a_marker_made_before_the_join_that_went_back_sends_nobody_back_again():
    bus = MarkerBus(new_epoch())
    watch = EpochWatch(bus, interval=1)
    await watch.joined(Joined(), PARTITIONS)
    bus.names = {TOPIC, marker_topic(TOPIC, new_epoch())}  # a new broker, the relay quicker than the consumer's join
    joined = Joined()
    await watch.joined(joined, PARTITIONS)
    await watch.check()
    assert joined.rewound == [PARTITIONS] and bus.rewound == [] and watch.rewinds == 1


async def test_a_join_on_the_same_broker_sends_nobody_back():
    bus = MarkerBus(new_epoch())
    watch = EpochWatch(bus, interval=1)
    await watch.joined(Joined(), PARTITIONS)
    rebalanced = Joined()  # another member came or went: same broker, same markers
    await watch.joined(rebalanced, PARTITIONS)
    assert rebalanced.rewound == [] and watch.rewinds == 0


async def test_each_subscriber_of_a_topic_goes_back_at_its_own_join():
    bus = MarkerBus(new_epoch())
    watch = EpochWatch(bus, interval=1)
    one, other = Joined(), Joined()
    other.group = "tiendo.tasks.commands.y"
    await watch.joined(one, PARTITIONS)
    await watch.joined(other, PARTITIONS)
    bus.names = {TOPIC}  # a new broker
    await watch.joined(one, PARTITIONS)
    await watch.joined(other, PARTITIONS)  # the first one's rewind does not stand for it
    assert one.rewound == [PARTITIONS] and other.rewound == [PARTITIONS] and watch.rewinds == 2


async def test_an_unmarked_topic_goes_back_at_the_join_on_a_new_broker_even_after_a_relay_marked_another():
    commands = "tiendo.tasks.commands"
    bus = MarkerBus(new_epoch())
    watch = EpochWatch(bus, interval=1)
    subscriber = Joined()
    subscriber.group, subscriber.topics = "tiendo.tasks.commands", (commands,)
    bus.joins[subscriber.group] = subscriber
    assigned = {TopicPartition(commands, 0)}
    await watch.joined(subscriber, assigned)
    await watch.check()
    again = Joined()
    again.group = subscriber.group
    await watch.joined(again, assigned)
    assert again.rewound == []  # the same broker: its committed offsets stand
    bus.names = {TOPIC, commands, marker_topic(TOPIC, new_epoch())}  # a new broker, a relay already marked its topic
    await watch.check()
    await watch.joined(again, assigned)
    assert again.rewound == [assigned]  # an offset committed before the restart must not start it past new commands

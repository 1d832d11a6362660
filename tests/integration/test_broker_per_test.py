"""Every test that takes the `broker` fixture (tests/conftest.py) starts on a broker no earlier test wrote to.

Most integration tests issue the same story (tests/support/story.py: plan kh-32, its units and agencies) and write on
the same streams; a consumer that met an earlier test's versions of those streams would skip its own as applied. They
stay apart because no two tests share a broker: the two runs below fail if the fixture ever serves more than one test.
"""
from __future__ import annotations

import pytest
from confluent_kafka import Producer

from tests.support.kafka import produce

TOPIC = "tiendo.broker-per-test"


def topics(bootstrap: str) -> set[str]:
    return set(Producer({"bootstrap.servers": bootstrap}).list_topics(timeout=10).topics)


@pytest.mark.parametrize("run", ["first", "second"])
def test_a_test_starts_on_a_broker_with_no_topic_and_leaves_one_behind(broker, run):
    assert topics(broker) == set(), f"the {run} run met topics an earlier test made"
    produce(broker, TOPIC, run.encode(), key=run)
    assert TOPIC in topics(broker)  # what the other run would meet on a shared broker

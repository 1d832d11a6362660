"""An independent Kafka client for tests: confluent-kafka (librdkafka), not the aiokafka the services use."""
from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

from confluent_kafka import Consumer, Producer


def produce(bootstrap: str, topic: str, value: bytes, key: str | None = None, headers: dict[str, str] | None = None) -> None:
    producer = Producer({"bootstrap.servers": bootstrap})
    producer.produce(topic, value=value, key=key, headers=list((headers or {}).items()))
    assert producer.flush(15) == 0, "message not delivered"


def read_topic(bootstrap: str, topic: str, until, timeout: float = 30.0) -> list[Any]:
    """Read a topic from the beginning with a fresh group until `until(messages)` holds or the deadline passes."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"test-{uuid.uuid4()}", "auto.offset.reset": "earliest",
                         "enable.auto.commit": False})
    consumer.subscribe([topic])
    messages: list[Any] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and not until(messages):
            message = consumer.poll(0.2)
            if message is not None and message.error() is None:
                messages.append(message)
    finally:
        consumer.close()
    return messages


async def read_topic_async(bootstrap: str, topic: str, until, timeout: float = 30.0) -> list[Any]:
    return await asyncio.to_thread(read_topic, bootstrap, topic, until, timeout)


def keyed(messages: list[Any], key: str) -> list[dict]:
    return [json.loads(m.value()) for m in messages if m.key() and m.key().decode() == key]

"""Reporting's subscriber puts notify's topic off while it is behind on the tasks and plans topics (runtime/precedence.py,
entrypoints/consumers.py): the read model it builds with every escalation applied after every task's event is the one it
builds with the topics interleaved as they arrive."""
from __future__ import annotations

from schemas.catalog import NOTIFY_EVENTS
from services.runtime.memory_store import MemoryStore
from tests.unit.reporting.test_one_consumer import DEAD, feed, one_consumer, topic_of, views, whole_history


async def test_escalations_applied_after_every_task_event_build_the_same_read_model_as_interleaved_ones():
    events = whole_history(7)
    put_off = sorted(events, key=lambda e: topic_of(e.envelope.stream_id) == NOTIFY_EVENTS)  # stable: each topic's own order kept
    assert put_off != events
    DEAD.clear()
    interleaved, later = MemoryStore(), MemoryStore()
    await feed(one_consumer(interleaved), events, 23)
    await feed(one_consumer(later), put_off, 23)
    assert DEAD == []
    built = await views(later)
    assert built == await views(interleaved)
    assert built["escalations"] and any(entry["kind"] == "escalation" for t in built["timelines"].values() for entry in t["entries"])

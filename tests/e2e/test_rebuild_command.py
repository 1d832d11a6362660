"""`python -m services.reporting.rebuild` as a process on the real bundled broker: it reads the whole history with its
replay, sends what it refuses to the dead-letter topic with the reason (as the service's consumer sends it: a record
that is no event, a stream with a gap), rebuilds the rest and says how many it refused."""
from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from schemas.catalog import DEAD_LETTER, PLANS_EVENTS
from schemas.directory import UnitRegistered
from services.runtime.events import Cause, envelop
from services.runtime.topics import TopicAdmin
from tests.support.kafka import produce, read_topic

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 30, 3, tzinfo=timezone.utc)


def unit(unit_id: str, version: int, level: str, parent: str | None = None) -> tuple[bytes, dict[str, str]]:
    payload = UnitRegistered(unit_id=unit_id, name=f"Đơn vị {unit_id}", level=level, parent_id=parent)
    envelope = envelop(f"unit-{unit_id}", version - 1, [payload], Cause("admin", "c"), NOW)[0]
    return envelope.model_dump_json().encode(), {"event_type": "UnitRegistered", "schema_version": "1",
                                                 "stream_id": f"unit-{unit_id}", "stream_version": str(version)}


def test_the_rebuild_command_dead_letters_what_it_refuses_and_rebuilds_the_rest(broker, tmp_path):
    asyncio.run(TopicAdmin(broker).ensure([PLANS_EVENTS], 1))  # one partition: the records' offsets are 0 to 3
    for body, headers in (unit("04", 1, "province"), unit("01392", 1, "commune", "04"), unit("01393", 2, "commune", "04")):
        produce(broker, PLANS_EVENTS, body, key=headers["stream_id"], headers=headers)  # 01393's v1 never came: a gap
    produce(broker, PLANS_EVENTS, b"not an event", key="unit-9", headers={"event_type": "UnitRegistered", "stream_id": "unit-9",
                                                                       "stream_version": "1"})
    store = tmp_path / "rebuilt.sqlite3"
    environment = {**os.environ, "TIENDO_ENVIRONMENT": "test", "TIENDO_KAFKA_BOOTSTRAP": broker,
                   "TIENDO_STORE_URL": f"sqlite:///{tmp_path / 'reporting.sqlite3'}", "TIENDO_CONSUMER_GROUP_PREFIX": "e2e"}
    done = subprocess.run([sys.executable, "-m", "services.reporting.rebuild", "--store", f"sqlite:///{store}", "--quiet", "1"],
                          cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "2 events received, 2 applied, 2 refused (dead-lettered)" in done.stderr and "2 units, 0 tasks" in done.stderr

    dead = read_topic(broker, DEAD_LETTER, lambda found: len(found) >= 2)
    reasons = {dict(m.headers())["source_offset"].decode(): dict(m.headers()) for m in dead}
    assert sorted(reasons) == ["2", "3"] and all(h["consumer"] == b"reporting.views" and h["source_topic"] == PLANS_EVENTS.encode()
                                                for h in reasons.values())
    assert b"version 2 would skip 1 event(s)" in reasons["2"]["error"]
    assert reasons["3"]["error"].startswith(b"JSONDecodeError") or b"Expecting value" in reasons["3"]["error"]
    with sqlite3.connect(store) as db:
        names = sorted(json.loads(body)["name"] for (body,) in db.execute("SELECT body FROM doc_units"))
    assert names == ["Đơn vị 01392", "Đơn vị 04"]

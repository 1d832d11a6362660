"""A batch of ReportStatus commands from the command topic, carried out as the consumer does, without the broker:
decided together whatever agencies sent it, each command answered on its own and remembered once."""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest
from pydantic_core import to_json

from schemas.catalog import Event
from schemas.envelope import Payload
from schemas.tasks import CommandReply
from services.runtime.clock import ManualClock
from services.runtime.events import Cause, envelop
from services.runtime.memory_store import MemoryStore
from services.runtime.settings import ServiceSettings
from services.tasks.bootstrap import INDEXES, create_app
from services.tasks.entrypoints.consumers import carry_out_all, check_command
from services.tasks.handlers.assign import accept_assignments
from tests.support.auth import mint
from tests.unit.tasks.given import assigned

SECRET = "test-secret-of-at-least-thirty-two-chars"
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)


@dataclass
class Record:
    value: bytes
    key: bytes | None = None
    headers: tuple = ()


def command(task_id: str, agency: str, progress: int, command_id: str | None = None) -> Record:
    body = {"command_id": command_id or str(uuid.uuid4()), "task_id": task_id, "status": "in_progress", "progress": progress,
            "token": mint(SECRET, "agency", agency)}
    return Record(json.dumps(body).encode())


def events(*payloads: Payload) -> list[Event]:
    return [Event(e, p) for e, p in zip(envelop("plans", 0, payloads, Cause("plans", str(uuid.uuid4())), NOW), payloads)]


@pytest.fixture
async def rt():
    store = MemoryStore(INDEXES)
    app = await create_app(ServiceSettings(environment="test", store_url="memory://", token_secret=SECRET), clock=ManualClock(NOW), store=store)
    runtime = app.state.runtime
    await accept_assignments(events(assigned(task_id="t1", lead="ca"), assigned(task_id="t2", lead="tp")), store, runtime.events)
    return runtime


async def carry_out(rt, records: list[Record]) -> list:
    principals: dict = {}
    checked = [await check_command(rt, r, principals) for r in records]
    async with rt.store.transaction():
        return await carry_out_all(rt, checked)


async def test_commands_of_several_agencies_are_carried_out_together_each_with_its_own_cause(rt):
    again = str(uuid.uuid4())
    outcomes = await carry_out(rt, [command("t1", "ca", 10, again), command("t2", "tp", 20), command("t2", "ca", 30),
                                    command("t1", "ca", 10, again)])
    replies = [o.reply for o in outcomes]
    assert [r.accepted for r in replies] == [True, True, False, True]
    assert replies[2].rejection.status == 403 and outcomes[2].rejection is not None  # ca neither leads nor supports t2
    assert replies[3].duplicate and replies[3].event_ids == []  # the same command twice in one batch is done once
    t1, t2 = await rt.store.load("task-t1"), await rt.store.load("task-t2")
    assert [e.event_type for e in t1] == ["TaskAssigned", "StatusReported"] and [str(e.event_id) for e in t1[1:]] == replies[0].event_ids
    assert (t1[1].correlation_id, t2[1].correlation_id) == (again, replies[1].command_id)
    assert (t1[1].actor, t2[1].actor) == ("agency:ca", "agency:tp")
    for reply in replies:  # each reply, however it was made, is what validating it gives, and is sent as model_dump_json's bytes
        assert CommandReply.model_validate_json(to_json(reply)) == reply and to_json(reply) == reply.model_dump_json().encode()
    assert replies[0] == CommandReply(command_id=replies[0].command_id, accepted=True, event_ids=[str(t1[1].event_id)])


async def test_a_command_carried_out_in_an_earlier_batch_is_a_duplicate_and_the_refused_one_can_come_again(rt):
    done, refused = command("t1", "ca", 10), command("t2", "ca", 30)
    await carry_out(rt, [done, refused])
    outcomes = await carry_out(rt, [done, refused])
    assert outcomes[0].reply.duplicate and outcomes[0].reply.accepted
    assert not outcomes[1].reply.duplicate and outcomes[1].reply.rejection.status == 403  # refusals are not remembered
    assert len(await rt.store.load("task-t1")) == 2

"""seal_many validates the first envelope of a batch in full and checks the others' outside values against the same
bounds: every envelope is what Envelope's own validation gives, and a value out of bounds is refused as before."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from pydantic import ValidationError

from schemas.envelope import Envelope
from schemas.tasks import StatusReported
from services.runtime.events import Cause, seal_many

NOW = datetime(2026, 11, 30, 4, 40, tzinfo=timezone.utc)


def _report(task_id: str) -> StatusReported:
    return StatusReported(task_id=task_id, agency_id="ca-xa-1", status="in_progress", progress=40, role="lead",
                          summary='Đang rà soát "dữ liệu"\n\tđợt 2 \u2028 ✓')  # the body is model_dump_json's, escapes included


def test_every_envelope_of_a_batch_is_the_one_full_validation_gives_with_its_own_stream_and_cause():
    appends = [(f"task-t{n}", n, [_report(f"t{n}")], Cause(f"agency:ca-xa-{n}", f"cmd-{n}", None if n == 2 else f"cause-{n}")) for n in range(4)]
    sealed = seal_many(appends, NOW)
    for (stream_id, version, _, cause), (envelopes, bodies) in zip(appends, sealed):
        (envelope,), (body,) = envelopes, bodies
        assert (envelope.stream_id, envelope.stream_version, envelope.actor, envelope.correlation_id, envelope.causation_id) == \
            (stream_id, version + 1, cause.actor, cause.correlation_id, cause.causation_id)
        assert Envelope.model_validate_json(body) == envelope
        assert body == envelope.model_dump_json().encode()
    assert len({e.event_id for envelopes, _ in sealed for e in envelopes}) == 4


@pytest.mark.parametrize("field, value", [("correlation_id", "x" * 101), ("actor", ""), ("causation_id", "")])
def test_a_later_append_with_a_value_out_of_bounds_is_refused_as_full_validation_refuses_it(field, value):
    cause = dict(actor="agency:ca-xa-1", correlation_id="cmd-1", causation_id=None)
    bad = Cause(**{**cause, field: value})
    with pytest.raises(ValidationError) as refused:
        seal_many([("task-t1", 0, [_report("t1")], Cause(**cause)), ("task-t2", 0, [_report("t2")], bad)], NOW)
    assert refused.value.errors()[0]["loc"] == (field,)


def test_a_version_past_the_bound_is_refused_in_a_later_append():
    cause = Cause("agency:ca-xa-1", "cmd-1")
    with pytest.raises(ValidationError):
        seal_many([("task-t1", 0, [_report("t1")], cause), ("task-t2", 10**9, [_report("t2")], cause)], NOW)


def test_a_field_with_a_constraint_besides_lengths_is_never_taken_as_within_bounds(monkeypatch):
    from pydantic import Field
    from pydantic.fields import FieldInfo

    from services.runtime import events

    patterned = FieldInfo.merge_field_infos(events.Envelope.model_fields["actor"], Field(pattern=r"^[a-z]+$"))
    monkeypatch.setitem(events.Envelope.model_fields, "actor", patterned)
    assert events._text_bounds("actor") == (1, 0)  # so seal_many validates every envelope of such a cause in full
    assert events._text_bounds("stream_id") == (1, 1000)


def test_a_batch_takes_distinct_random_version_4_ids_from_one_read_of_the_system_randomness(monkeypatch):
    import os
    import uuid

    from services.runtime import events

    reads, urandom = [], os.urandom
    monkeypatch.setattr(events.os, "urandom", lambda n: reads.append(n) or urandom(n))
    sealed = seal_many([(f"task-t{n}", 0, [_report(f"t{n}")] * 3, Cause("agency:ca-xa-1", f"cmd-{n}")) for n in range(5)], NOW)
    ids = [e.event_id for envelopes, _ in sealed for e in envelopes]
    assert reads == [16 * 15] and len(set(ids)) == 15
    assert all(i.version == 4 and i.variant == uuid.RFC_4122 and uuid.UUID(str(i)) == i for i in ids)

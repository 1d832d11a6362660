"""A payload's shared parts (Payload.shared_parts: an EscalationStarted's frozen policy) are dumped once per append, and
each event's stored JSON is still exactly its own payload's dump, fields in order, whichever policy it carries."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

from schemas.directory import UnitLevel
from schemas.notify import EscalationStarted
from services.notify.domain.policy import default_policy
from services.runtime.events import Cause, seal_many


def started(n: int, policy) -> EscalationStarted:
    return EscalationStarted(item_id=f"t{n}@2026-12-31", task_id=f"t{n}", plan_id="kh-1", unit_id="xa-1", agency_id="ca-xa",
                             due=date(2026, 12, 31), cause_event_id=f"e{n}", policy=policy)


def test_items_sharing_policies_are_sealed_as_their_own_dumps_each_policy_its_own():
    commune, province = default_policy(UnitLevel.commune), default_policy(UnitLevel.province)
    payloads = [started(n, commune if n % 2 else province) for n in range(6)]
    sealed = seal_many([(f"escalation-t{n}@2026-12-31", 0, [p], Cause("notify", "c")) for n, p in enumerate(payloads)],
                       datetime(2027, 1, 1, tzinfo=timezone.utc))
    for p, (envelopes, bodies) in zip(payloads, sealed):
        stored = json.loads(bodies[0])["payload"]
        assert stored == p.model_dump(mode="json") and list(stored) == list(p.model_dump(mode="json"))
        assert envelopes[0].payload == p.model_dump(mode="json")
    policies = {json.loads(bodies[0])["payload"]["policy"]["policy_id"] for _, bodies in sealed}
    assert policies == {"default:commune", "default:province"}

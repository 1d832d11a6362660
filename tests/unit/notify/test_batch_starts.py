"""A quarter end's items started in a batch (domain/item.Starts, handlers/repository/policies.PolicyCache): the same events
and the same next-climb days as starting each item alone, with the work that depends only on the policy and the due date
done once per (policy, due date), and one policy object per policy in force."""
from __future__ import annotations

from datetime import date, timedelta

from schemas.directory import UnitLevel
from schemas.notify import EscalationPolicy, EscalationRaised, EscalationStarted, Role, Rung, Target
from services.notify.domain import item as items
from services.notify.domain.policy import default_policy
from services.notify.handlers.repository import INDEXES, POLICIES, UNITS
from services.notify.handlers.repository.policies import PolicyCache, plan_key, policy_in_force
from services.runtime.memory_store import MemoryStore

TODAY = date(2026, 10, 1)
STEEP = EscalationPolicy(policy_id="plan:kh-9", rungs=[Rung(after_days=3, to=[Target(role=Role.lead_agency_head)]),
                                                      Rung(after_days=20, to=[Target(role=Role.chairman)], cc=[Target(role=Role.standing_body, up=1)])])


def started(n: int, due: date, policy: EscalationPolicy) -> EscalationStarted:
    return EscalationStarted(item_id=f"t{n}@{due.isoformat()}", task_id=f"t{n}", plan_id="kh-1", unit_id=f"xa-{n % 3}",
                             agency_id=f"ca-{n % 4}", due=due, cause_event_id=f"e{n}", policy=policy)


def test_starts_give_the_events_and_climb_days_of_starting_each_item_alone():
    commune, province = default_policy(UnitLevel.commune), default_policy(UnitLevel.province)
    dues = [TODAY, TODAY - timedelta(days=1), TODAY - timedelta(days=8), TODAY - timedelta(days=40), TODAY + timedelta(days=2)]
    batch = [started(n, dues[n % len(dues)], (commune, province, STEEP)[n % 3]) for n in range(60)]
    ladders = items.Starts(TODAY)
    for s in batch:
        payloads, rung, climbs_on = ladders.start(s)
        alone = items.start(s, TODAY)
        assert [p.model_dump() for p in payloads] == [p.model_dump() for p in alone]
        assert rung == max((p.rung for p in alone if isinstance(p, EscalationRaised)), default=0)
        item = items.Item(items.stream_of(s.item_id), len(alone), s, rung=rung)
        assert climbs_on == items.climb_on(item)
    reached = {ladders.start(s)[1] for s in batch}
    assert reached == {0, 1, 2, 3, 4}  # not yet due, first rung, climbed at once, high up the ladder
    assert len(ladders._known) == 15  # three policies × five due dates, worked out once each


def test_a_raised_event_made_from_the_batch_names_its_own_item():
    ladders = items.Starts(TODAY)
    first, second = (ladders.start(started(n, TODAY - timedelta(days=8), STEEP))[0][1] for n in (1, 2))
    assert (second.item_id, second.escalation_id, second.task_id, second.agency_id, second.cause_event_id) == (
        "t2@2026-09-23", "t2@2026-09-23#1", "t2", "ca-2", "e2")
    assert (first.item_id, first.rung, second.rung, second.to, second.rule) == ("t1@2026-09-23", 1, 1, first.to, first.rule)


async def test_the_policy_cache_shares_one_policy_object_per_policy_in_force_and_agrees_with_policy_in_force():
    store = MemoryStore(INDEXES)
    await store.put(UNITS, "xa-1", {"unit_id": "xa-1", "level": "commune"})
    await store.put(UNITS, "tinh", {"unit_id": "tinh", "level": "province"})
    await store.put(POLICIES, plan_key("kh-9"), {"key": plan_key("kh-9"), "policy": STEEP.model_dump(mode="json")})
    cache = PolicyCache(store, weekends_off=False)
    asked = [("kh-1", "xa-1"), ("kh-2", "xa-1"), ("kh-9", "xa-1"), ("kh-1", "tinh"), ("kh-3", "unknown"), ("kh-9", "tinh")]
    got = [await cache.get(plan, unit) for plan, unit in asked]
    for (plan, unit), policy in zip(asked, got):
        assert policy == await policy_in_force(store, plan, unit, weekends_off=False)
    assert got[0] is got[1] is got[4]  # the commune default, one object for the batch (frozen and dumped once)
    assert got[2] is got[5] and got[2].policy_id == "plan:kh-9"
    assert got[3].policy_id == "default:province" and got[0].defer_on_weekends is False

"""Escalation policies: a default per level, overridable per level and per plan. Changing one affects new items only."""
from __future__ import annotations

from schemas.directory import UnitLevel
from schemas.notify import EscalationPolicy
from services.notify.domain import policy as policies
from services.notify.handlers.repository import POLICIES, UNITS
from services.runtime.ports import Store


def level_key(level: UnitLevel) -> str:
    return f"level:{level.value}"


def plan_key(plan_id: str) -> str:
    return f"plan:{plan_id}"


async def set_policy(store: Store, key: str, proposed: EscalationPolicy) -> EscalationPolicy:
    """Check the ladder, then store it as the next version under `key` (the policy id is the key)."""
    existing = await store.get(POLICIES, key)
    version = existing["policy"]["version"] + 1 if existing else 1
    policy = policies.check(proposed.model_copy(update={"policy_id": key, "version": version}))
    await store.put(POLICIES, key, {"key": key, "policy": policy.model_dump(mode="json")})
    return policy


async def policy_in_force(store: Store, plan_id: str, unit_id: str, weekends_off: bool = True) -> EscalationPolicy:
    """The plan's override, else the stored policy of the unit's level, else that level's default (weekends off or not)."""
    unit = await store.get(UNITS, unit_id)
    level = UnitLevel(unit["level"]) if unit else UnitLevel.commune
    for key in (plan_key(plan_id), level_key(level)):
        stored = await store.get(POLICIES, key)
        if stored:
            return EscalationPolicy.model_validate(stored["policy"])
    return policies.default_policy(level).model_copy(update={"defer_on_weekends": weekends_off})


class PolicyCache:
    """policy_in_force for a batch: one lookup per (plan, unit)."""

    def __init__(self, store: Store, weekends_off: bool = True) -> None:
        self.store, self.weekends_off = store, weekends_off
        self._known: dict[tuple[str, str], EscalationPolicy] = {}

    async def get(self, plan_id: str, unit_id: str) -> EscalationPolicy:
        key = (plan_id, unit_id)
        if key not in self._known:
            self._known[key] = await policy_in_force(self.store, plan_id, unit_id, self.weekends_off)
        return self._known[key]

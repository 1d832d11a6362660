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
    return await PolicyCache(store, weekends_off).get(plan_id, unit_id)


class PolicyCache:
    """policy_in_force for a batch: each unit's level, each stored policy and each level's default looked up (and
    validated) once, so the items of a batch that share a policy share one object (frozen and dumped once per batch)."""

    def __init__(self, store: Store, weekends_off: bool = True) -> None:
        self.store, self.weekends_off = store, weekends_off
        self._levels: dict[str, UnitLevel] = {}
        self._stored: dict[str, EscalationPolicy | None] = {}
        self._defaults: dict[UnitLevel, EscalationPolicy] = {}

    async def get(self, plan_id: str, unit_id: str) -> EscalationPolicy:
        if unit_id not in self._levels:
            unit = await self.store.get(UNITS, unit_id)
            self._levels[unit_id] = UnitLevel(unit["level"]) if unit else UnitLevel.commune
        level = self._levels[unit_id]
        for key in (plan_key(plan_id), level_key(level)):
            if key not in self._stored:
                stored = await self.store.get(POLICIES, key)
                self._stored[key] = EscalationPolicy.model_validate(stored["policy"]) if stored else None
            if self._stored[key] is not None:
                return self._stored[key]
        if level not in self._defaults:
            self._defaults[level] = policies.default_policy(level).model_copy(update={"defer_on_weekends": self.weekends_off})
        return self._defaults[level]

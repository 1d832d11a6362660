"""Escalation policy as data: defaults per level, checked rules, and which rung an item has reached.

Default ladder (the plans' own chain of responsibility):
  rung 1 at once: the head of the lead agency, cc the standing body of that level;
  rung 2 after 7 days: the chairman of that level's People's Committee (leader of the Project 06 working group);
  rung 3 after 14 days: the standing body and the chairman one level up;
  one more rung every 7 days after that, one level further up, until the province.
"""
from __future__ import annotations

from schemas.directory import UnitLevel
from schemas.notify import EscalationPolicy, Role, Rung, Target
from services.notify.domain.errors import PolicyLoop as Invalid

LEVELS_ABOVE = {UnitLevel.province: 0, UnitLevel.district: 1, UnitLevel.commune: 2, UnitLevel.village: 3}
CHAIRMAN_AFTER_DAYS = 7
STEP_DAYS = 7


def default_policy(level: UnitLevel) -> EscalationPolicy:
    rungs = [
        Rung(after_days=0, to=[Target(role=Role.lead_agency_head)], cc=[Target(role=Role.standing_body)]),
        Rung(after_days=CHAIRMAN_AFTER_DAYS, to=[Target(role=Role.chairman)]),
    ]
    for up in range(1, max(LEVELS_ABOVE[level], 1) + 1):
        rungs.append(Rung(after_days=CHAIRMAN_AFTER_DAYS + STEP_DAYS * up,
                          to=[Target(role=Role.standing_body, up=up), Target(role=Role.chairman, up=up)]))
    return EscalationPolicy(policy_id=f"default:{level.value}", rungs=rungs)


def check(policy: EscalationPolicy) -> EscalationPolicy:
    """A ladder climbs: thresholds strictly increase, never back down a level, never back to someone it already reached."""
    told: dict[tuple[Role, int], int] = {}
    previous_top = -1
    for number, rung in enumerate(policy.rungs, start=1):
        field = f"rungs.{number - 1}"
        if number > 1 and rung.after_days <= policy.rungs[number - 2].after_days:
            raise Invalid(f"rung {number} is reached after {rung.after_days} days, not later than rung {number - 1}: a ladder must climb",
                          field=f"{field}.after_days")
        top = max(t.up for t in rung.to)
        if top < previous_top:
            raise Invalid(f"the policy has a loop: rung {number} goes back down to {top} level(s) above after reaching {previous_top}",
                          field=f"{field}.to")
        keys = [(t.role, t.up) for t in rung.to]
        if len(set(keys)) != len(keys):
            raise Invalid(f"rung {number} names the same target twice", field=f"{field}.to")
        back = [k for k in keys if k in told]
        if back and len(back) == len(keys):
            role, up = back[0]
            raise Invalid(f"the policy has a loop: rung {number} goes back to {role.value} (up {up}), already reached at rung {told[back[0]]}",
                          field=f"{field}.to")
        for key in keys:
            told.setdefault(key, number)
        previous_top = top
    if len(set(policy.reminder_days)) != len(policy.reminder_days) or any(d < 0 or d > 60 for d in policy.reminder_days):
        raise Invalid("reminder days are distinct whole days between 0 and 60 before due", field="reminder_days")
    return policy


def rung_reached(policy: EscalationPolicy, effective_days: int) -> int:
    """1-based number of the highest rung whose threshold is reached; 0 before the first."""
    return sum(1 for rung in policy.rungs if effective_days >= rung.after_days)


def rule_text(policy: EscalationPolicy, rung: int) -> str:
    threshold = policy.rungs[rung - 1].after_days
    return f"{policy.policy_id} v{policy.version}: quá hạn từ {threshold} ngày"

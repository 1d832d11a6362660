"""The escalation loop's schedule: when the next full pass or the next send is due, read from indexed fields.

A full pass (climb, route, compose) is due at the first of: the next local midnight after the last pass (days
decide climbs, reminders, holidays, weekends and the end of acknowledgement pauses), a recipient's digest timers
(`next_at` of its group), and the start or end of a silence. A send is due when the lowest `retry_at` of the
pending deliveries has come. Nothing here reads every open item: two index seeks and the (few) silences.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from services.notify.handlers.repository import DELIVERIES, GROUPS, NEXT_AT, RETRY_AT, SILENCES
from services.runtime.clock import LOCAL_TZ, local_today
from services.runtime.ports import Store


@dataclass(frozen=True)
class Schedule:
    full_at: datetime  # the next full pass
    send_at: datetime | None  # the next pending delivery, if any

    def earliest(self) -> datetime:
        return min(self.full_at, self.send_at) if self.send_at else self.full_at


def next_midnight(moment: datetime) -> datetime:
    return datetime.combine(local_today(moment) + timedelta(days=1), time(), LOCAL_TZ)


async def lowest_moment(store: Store, collection: str, field: str) -> datetime | None:
    first = await store.find_lowest(collection, field, 1)
    return datetime.fromisoformat(first[0][field]) if first else None


async def read_schedule(store: Store, last_full: datetime) -> Schedule:
    moments = [next_midnight(last_full)]
    if (group := await lowest_moment(store, GROUPS, NEXT_AT)) and group > last_full:  # (one looked at already: midnight takes it)
        moments.append(group)
    bounds = (datetime.fromisoformat(s[k]) for s in await store.find(SILENCES) for k in ("starts_at", "ends_at"))
    moments += [b for b in bounds if b > last_full]
    return Schedule(min(moments), await lowest_moment(store, DELIVERIES, RETRY_AT))

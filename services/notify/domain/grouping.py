"""When a recipient's digest goes out, with Alertmanager's three timers.

- group wait: a recipient with news and nothing sent yet waits this long, so items arriving together travel together;
- group interval: after a digest, news waits at least this long for the next one;
- repeat interval: with no news, the same open items are sent again after this long (the overdue recurrence).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Timers:
    group_wait: timedelta = timedelta(seconds=30)
    group_interval: timedelta = timedelta(minutes=5)


@dataclass(frozen=True)
class GroupState:
    """What notify remembers per recipient: since when news is waiting, and when the last digest went."""

    pending_since: datetime | None = None
    last_sent_at: datetime | None = None


def decide_send(state: GroupState, news: bool, open_items: bool, repeat: timedelta, now: datetime, timers: Timers) -> tuple[bool, GroupState]:
    """(send now?, the state to keep if not sending)."""
    if news:
        since = state.pending_since or now
        waited = now >= since + timers.group_wait
        spaced = state.last_sent_at is None or now >= state.last_sent_at + timers.group_interval
        return waited and spaced, GroupState(since, state.last_sent_at)
    if open_items and state.last_sent_at is not None and now >= state.last_sent_at + repeat:
        return True, state
    return False, GroupState(None, state.last_sent_at)


def sent(now: datetime) -> GroupState:
    return GroupState(None, now)


def next_check(state: GroupState, news: bool, repeat: timedelta, timers: Timers) -> datetime | None:
    """When this recipient next needs looking at (for the loop's sleep and for the API)."""
    if news and state.pending_since:
        wait_until = state.pending_since + timers.group_wait
        if state.last_sent_at:
            return max(wait_until, state.last_sent_at + timers.group_interval)
        return wait_until
    return state.last_sent_at + repeat if state.last_sent_at else None

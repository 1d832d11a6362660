"""Time is a port: every service takes a Clock. Deadlines are local dates in Asia/Ho_Chi_Minh."""
from __future__ import annotations

import asyncio
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware UTC."""
        ...


def local_today(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)


class ManualClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime) -> None:
        self._now = start.astimezone(timezone.utc)

    def now(self) -> datetime:
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment.astimezone(timezone.utc)

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class FileClock:
    """A clock shared by separate processes: the time written in a file, moving on from when it was written.

    The file holds an ISO datetime. With no file the clock is the system clock. Demos and
    end-to-end tests move every service's time at once by rewriting the file.
    """

    RECHECK_SECONDS = 0.1  # the file is looked at no more often than this (now() is called per report)

    def __init__(self, path: Path) -> None:
        self._path = Path(path)
        self._cache: tuple[float, datetime] | None = None
        self._checked: tuple[float, float | None] = (float("-inf"), None)

    def _mtime(self) -> float | None:
        checked_at, mtime = self._checked
        if time.monotonic() - checked_at >= self.RECHECK_SECONDS:
            try:
                mtime = self._path.stat().st_mtime
            except FileNotFoundError:
                mtime = None
            self._checked = (time.monotonic(), mtime)
        return mtime

    def now(self) -> datetime:
        real = datetime.now(timezone.utc)
        mtime = self._mtime()
        if mtime is None:
            return real
        if self._cache is None or self._cache[0] != mtime:
            written = datetime.fromisoformat(self._path.read_text().strip())
            self._cache = (mtime, written.astimezone(timezone.utc))
        return self._cache[1] + (real - datetime.fromtimestamp(mtime, timezone.utc))

    def set(self, moment: datetime) -> None:
        tmp = self._path.with_suffix(".tmp")
        tmp.write_text(moment.astimezone(timezone.utc).isoformat())
        tmp.replace(self._path)
        self._checked = (float("-inf"), None)


async def wait_or_timeout(event: asyncio.Event, seconds: float) -> bool:
    """Wait for `event` at most `seconds`; True if it was set. Unlike asyncio.wait_for on Python 3.11,
    a cancellation arriving as the event is set is never lost (loops must stop when cancelled)."""
    try:
        async with asyncio.timeout(seconds):
            await event.wait()
        return True
    except TimeoutError:
        return False


def clock_from_setting(value: str) -> Clock:
    """`system` or `file:<path>`."""
    if value == "system":
        return SystemClock()
    if value.startswith("file:"):
        return FileClock(Path(value.removeprefix("file:")))
    raise ValueError(f"clock must be 'system' or 'file:<path>', got {value!r}")


__all__ = ["Clock", "SystemClock", "ManualClock", "FileClock", "LOCAL_TZ", "local_today", "clock_from_setting", "timedelta",
           "wait_or_timeout"]

"""Figures of past month ends, kept a while: the 12-month trend would otherwise re-read every unit's history per view.

Only days before today are kept (today's figures move with every event). An entry lives
`seconds` (default 10 minutes): an event that arrives late for a past month shows in the trend
within that time. One cache per app (routes.install), never module state.
"""
from __future__ import annotations

import time
from datetime import date


class TrendCache:
    def __init__(self, seconds: float = 600, limit: int = 20_000) -> None:
        self.seconds, self.limit = seconds, limit
        self._kept: dict[tuple[str, str], tuple[float, dict]] = {}

    def get(self, unit_id: str, day: date) -> dict | None:
        kept = self._kept.get((unit_id, day.isoformat()))
        if kept is None or time.monotonic() - kept[0] > self.seconds:
            return None
        return kept[1]

    def put(self, unit_id: str, day: date, figures: dict) -> None:
        if len(self._kept) >= self.limit:
            self._kept.clear()
        self._kept[(unit_id, day.isoformat())] = (time.monotonic(), figures)

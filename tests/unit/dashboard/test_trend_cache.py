"""The trend keeps past month ends a while, never today's figures."""
from __future__ import annotations

from datetime import date

from services.reporting.dashboard.trendcache import TrendCache


def test_a_past_day_is_kept_until_it_expires():
    cache = TrendCache(seconds=60)
    cache.put("xa", date(2026, 10, 31), {"completion_rate": 0.5})
    assert cache.get("xa", date(2026, 10, 31)) == {"completion_rate": 0.5}
    assert cache.get("xa", date(2026, 9, 30)) is None and cache.get("tinh", date(2026, 10, 31)) is None
    assert TrendCache(seconds=-1).get("xa", date(2026, 10, 31)) is None


def test_the_cache_never_grows_past_its_limit():
    cache = TrendCache(limit=2)
    for day in (1, 2, 3):
        cache.put("xa", date(2026, 1, day), {})
    assert cache.get("xa", date(2026, 1, 3)) == {} and cache.get("xa", date(2026, 1, 1)) is None

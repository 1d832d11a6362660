"""Days of Vietnam's lunar calendar that plans name as deadlines: "trước Tết Nguyên đán 2026", "xong trước Tết Bính
Ngọ 2026". The calendar is `lunar-vn`'s (Hồ Ngọc Đức's algorithm at UTC+7, the Vietnamese calendar; the Chinese one,
at UTC+8, puts some new years a day apart), not a table of our own.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from lunar_vn import LunarDate, lunar_to_solar


@lru_cache(maxsize=64)
def tet_eve(year: int) -> date | None:
    """The last day before Tết Nguyên đán (the first day of the lunar year that starts in `year`): the day work
    "trước Tết" is due. None outside the calendar's range (1900–2100)."""
    try:
        return lunar_to_solar(LunarDate(1, 1, year)) - timedelta(days=1)
    except ValueError:
        return None

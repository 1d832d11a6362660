"""Vietnamese presentation of numbers, percentages and dates (35.000 · 87,5% · 31/12/2026)."""
from __future__ import annotations

from datetime import date

DASH = "—"


def number(value: int | float | None) -> str:
    """Thousands with '.', decimals with ',': 35000 → '35.000', 1234.5 → '1.234,5'."""
    if value is None:
        return DASH
    if isinstance(value, float) and not value.is_integer():
        whole, _, frac = f"{value:,.1f}".partition(".")
        return f"{whole.replace(',', '.')},{frac}"
    return f"{int(value):,}".replace(",", ".")


def percent(rate: float | None) -> str:
    """A rate in [0, 1] as a percentage with one decimal when it has one: 0.875 → '87,5%', 1 → '100%'."""
    if rate is None:
        return DASH
    value = round(rate * 100, 1)
    return f"{number(value if not value.is_integer() else int(value))}%"


def day(value: str | date | None) -> str:
    """dd/mm/yyyy from an ISO date (or the date part of an ISO timestamp)."""
    if not value:
        return DASH
    iso = value.isoformat() if isinstance(value, date) else value
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def shorten(text: str | None, limit: int = 120) -> tuple[str, str]:
    """(shown, rest): cut at the last word boundary before `limit`; `rest` is what follows (may be '')."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text, ""
    cut = text.rfind(" ", 0, limit + 1)
    cut = cut if cut > limit // 2 else limit
    return text[:cut].rstrip(), text[cut:]

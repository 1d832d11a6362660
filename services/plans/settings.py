"""plans' settings: the shared ones plus where notify takes heads' contacts (TIENDO_NOTIFY_URL; empty: no handover)."""
from __future__ import annotations

from services.runtime.settings import ServiceSettings


class PlansSettings(ServiceSettings):
    notify_url: str | None = None

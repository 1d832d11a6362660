"""notify's settings: the shared ones plus its SMTP server and escalation ladder (TIENDO_* environment)."""
from __future__ import annotations

from pydantic import Field

from services.runtime.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=8025, ge=1, le=65535)
    smtp_sender: str = "tiendo@localhost"
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    escalate_to_unit_head_after_days: int = Field(default=7, ge=1)
    delivery_poll_seconds: float = Field(default=0.5, gt=0)

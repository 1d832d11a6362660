"""notify's settings: the shared ones plus its SMTP server, digest timers, links and webhooks (TIENDO_* environment)."""
from __future__ import annotations

from pydantic import Field

from services.runtime.settings import ServiceSettings


class NotifySettings(ServiceSettings):
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=8025, ge=1, le=65535)
    smtp_sender: str = "tiendo@localhost"
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    delivery_poll_seconds: float = Field(default=0.5, gt=0, description="with a file or manual clock (moved by hand), the escalation "
                                         "loop looks at it this often (no store read)")
    scan_seconds: float = Field(default=30.0, gt=0, description="the escalation loop re-reads its schedule (a few index seeks) at least "
                                "this often; full passes run only when news or the schedule says so")
    news_gap_seconds: float = Field(default=2.0, ge=0, le=60, description="news arriving within this many seconds of a digest pass "
                                    "waits for the next pass (many consumer batches, one pass; the group wait follows anyway)")
    group_wait_seconds: float = Field(default=30, ge=0, description="Alertmanager group_wait: news waits this long to travel together")
    group_interval_seconds: float = Field(default=300, ge=0, description="Alertmanager group_interval: at least this long between digests with news")
    public_url: str = Field(default="http://127.0.0.1:8004", description="base of the acknowledgement links in messages")
    ack_link_days: int = Field(default=14, ge=1, le=90)
    webhook_allowed_hosts: list[str] = Field(default=["127.0.0.1", "localhost"], description="exact hosts, or .suffix for a domain")
    webhook_max_attempts: int = Field(default=5, ge=1, le=20)
    webhook_timeout_seconds: float = Field(default=5.0, gt=0)
    webhook_retry_base_seconds: float = Field(default=30.0, gt=0)
    weekends_off: bool = Field(default=True, description="default policies defer sending on Saturdays and Sundays")

"""Settings shared by every service, read from TIENDO_* environment variables."""
from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = {"", "changethis", "change-me", "embedded-only-secret"}


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TIENDO_", extra="ignore", env_ignore_empty=True)

    environment: str = Field(default="embedded", pattern="^(embedded|production|test)$")
    kafka_bootstrap: str = "127.0.0.1:19092"
    store_url: str = "sqlite:///var/store.sqlite3"
    clock: str = "system"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    token_secret: str = "embedded-only-secret"
    topic_partitions: int = Field(default=3, ge=1)
    consumer_group_prefix: str = "tiendo"
    relay_interval_seconds: float = Field(default=0.05, gt=0)
    broker_check_seconds: float = Field(default=2.0, gt=0)
    otel_console: bool = False
    deadline_scan_seconds: float = Field(default=1.0, gt=0)
    condition_immediate_days: int = Field(default=7, ge=0, le=365, description='days a task has after its condition is met when the plan says "ngay"')
    viewer_auth: bool = Field(default=True, description="reporting answers only viewers with a credential for the unit's subtree")

    @model_validator(mode="after")
    def refuse_placeholder_secret_in_production(self) -> "ServiceSettings":
        if self.environment == "production" and self.token_secret in PLACEHOLDER_SECRETS:
            raise ValueError("TIENDO_TOKEN_SECRET must be set to a real secret in production")
        return self

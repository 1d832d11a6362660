"""Settings shared by every service, read from TIENDO_* environment variables."""
from __future__ import annotations

import secrets
from pathlib import Path

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
    token_secret: str = Field(default="", description="signs credentials; every service of a deployment has the same")
    token_secret_file: str | None = Field(default=None, description="read the secret from this file (the embedded run makes var/secret)")
    topic_partitions: int = Field(default=3, ge=1)
    consumer_group_prefix: str = "tiendo"
    relay_interval_seconds: float = Field(default=0.05, gt=0)
    broker_check_seconds: float = Field(default=2.0, gt=0)
    otel_console: bool = False
    deadline_scan_seconds: float = Field(default=1.0, gt=0)
    credential_days: int = Field(default=365, ge=1, description="default validity of agency and unit keys")
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024, description="largest request body (413 beyond)")
    max_upload_bytes: int = Field(default=11 * 1024 * 1024, ge=1024, description="largest multipart upload (a plan document)")
    rate_per_second: float = Field(default=50.0, gt=0, description="calls a second one credential may make on average (429 beyond)")
    rate_burst: int = Field(default=200, ge=1, description="calls one credential may make at once")
    sign_in_minutes: int = Field(default=60, ge=1, le=24 * 60, description="validity of the token a person gets at sign-in")
    oidc_issuer: str | None = Field(default=None, description="accept JWTs from this OIDC issuer as credentials")
    oidc_audience: str | None = None
    oidc_public_key: str | None = Field(default=None, description="the issuer's public key (PEM); or oidc_jwks_url")
    oidc_jwks_url: str | None = None
    oidc_role_claim: str = "tiendo_role"
    oidc_subject_claim: str = "tiendo_subject"
    condition_immediate_days: int = Field(default=7, ge=0, le=365, description='days a task has after its condition is met when the plan says "ngay"')

    @model_validator(mode="after")
    def refuse_placeholder_secret(self) -> "ServiceSettings":
        if not self.token_secret and self.token_secret_file:
            self.token_secret = Path(self.token_secret_file).read_text().strip()
        if not self.token_secret and self.environment == "test":
            self.token_secret = secrets.token_urlsafe(32)  # each test process its own: tests mint with settings.token_secret
        if self.token_secret in PLACEHOLDER_SECRETS:
            where = "in production" if self.environment == "production" else "(the embedded run makes one in var/secret)"
            raise ValueError(f"TIENDO_TOKEN_SECRET or TIENDO_TOKEN_SECRET_FILE must give a real secret {where}")
        if self.environment == "production" and len(self.token_secret) < 32:
            raise ValueError("TIENDO_TOKEN_SECRET must be at least 32 characters in production")
        if self.oidc_issuer and not (self.oidc_audience and (self.oidc_public_key or self.oidc_jwks_url)):
            raise ValueError("TIENDO_OIDC_ISSUER needs TIENDO_OIDC_AUDIENCE and TIENDO_OIDC_PUBLIC_KEY or TIENDO_OIDC_JWKS_URL")
        return self

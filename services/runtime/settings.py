"""Settings shared by every service, read from TIENDO_* environment variables."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = {"", "changethis", "change-me", "embedded-only-secret"}


@dataclass(frozen=True)
class ConsumerTuning:
    """How a service's Kafka consumers wait, heartbeat and stay in their group (deploy/README.md, "Consumer timing").

    session_timeout_ms: the bundled broker (Tansu 0.6) completes a group join half a session after the request, so
    every start and every broker restart pays it (5 s at Kafka's usual 10 s; 3 s at 6 s); Apache Kafka does not (its
    group.initial.rebalance.delay.ms, 3 s by default). A consumer whose event loop is held longer than the session
    less one heartbeat interval (SQLite work runs in the loop) is evicted and its batch redelivered: 6 s leaves 4 s.
    fetch_max_wait_ms: how long the broker may hold a fetch when there is nothing to read while records flow. The bundled
    broker answers a waiting fetch late, not as soon as records arrive (a record every 37 ms waited p50 111-124 / p95
    243-245 ms at aiokafka's default 500, 57 / 109 ms at 200, 29-35 / 54-73 ms at 100; bench/history/national-scale.md, "P1: reporting
    keeps up"), so 200 while records flow; after idle_after_seconds without a record the consumer asks with idle_fetch_max_wait_ms instead (4 times fewer fetches
    for the broker to answer; the first record after a quiet spell waits ≈ 0.4 s more, measured).
    consumer_timeout_ms: how often aiokafka's fetch loop wakes with nothing to do (its default 200 ms: 5 wake-ups a
    second per consumer; a fetch answered, a seek or a new assignment wakes it anyway).
    instance_id: a static group membership (Kafka's group.instance.id) for a process that is the only one of its
    service, started again under the same name (unset by default: every other join then takes 6 s, not 3, and a broker
    restart costs several joins; deploy/README.md): on the bundled broker a process started again after a
    crash or a stop joins in ≈ 6 s instead of waiting for its old member to expire (11 s at a 6 s session, 18 s at 10 s);
    a first join takes ≈ 6 s instead of half a session (bench/consumer_timing.py). Two live processes must never share one."""
    session_timeout_ms: int = 6_000
    heartbeat_interval_ms: int = 2_000
    max_poll_interval_ms: int = 300_000
    fetch_max_wait_ms: int = 200
    idle_fetch_max_wait_ms: int = 2_000
    idle_after_seconds: float = 5.0
    consumer_timeout_ms: int = 1_000
    instance_id: str | None = None


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
    topic_partitions: int = Field(default=4, ge=1, le=1_000, description=(
        "partitions of the topics the services make. 4 is what the bundled broker gives a topic a client's request names: "
        "after a broker restart a topic then has the same count whoever makes it first, which it must there (topics.py)"))
    consumer_group_prefix: str = "tiendo"
    relay_interval_seconds: float = Field(default=0.05, gt=0)
    broker_check_seconds: float = Field(default=2.0, gt=0)
    republish_floor_wait_seconds: float = Field(default=15.0, ge=0, le=300, description=(
        "after a fresh broker, how long a relay waits for its subscribers' floors before it publishes its history again"))
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
    kafka_session_timeout_ms: int | None = Field(default=None, ge=2_000, le=300_000, description=(
        "consumer group session; default 6000 embedded (the bundled broker joins in half a session), 10000 in production"))
    kafka_heartbeat_interval_ms: int | None = Field(default=None, ge=200, le=100_000, description="default: a third of the session")
    kafka_max_poll_interval_ms: int = Field(default=300_000, ge=10_000, le=3_600_000)
    kafka_fetch_max_wait_ms: int = Field(default=200, ge=1, le=10_000, description="broker's wait for records while they flow")
    kafka_idle_fetch_max_wait_ms: int = Field(default=2_000, ge=1, le=30_000, description="the same after a quiet spell")
    kafka_idle_after_seconds: float = Field(default=5.0, gt=0, le=3_600)
    kafka_consumer_timeout_ms: int = Field(default=1_000, ge=10, le=10_000, description="aiokafka's fetch loop wake-up")
    kafka_instance_id: str | None = Field(default=None, min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$", description=(
        "static consumer group membership: only when exactly one process runs under this name (deploy/README.md)"))
    condition_immediate_days: int = Field(default=7, ge=0, le=365, description='days a task has after its condition is met when the plan says "ngay"')

    def consumer_tuning(self) -> ConsumerTuning:
        session = self.kafka_session_timeout_ms or (10_000 if self.environment == "production" else ConsumerTuning.session_timeout_ms)
        heartbeat = self.kafka_heartbeat_interval_ms or session // 3
        return ConsumerTuning(
            session_timeout_ms=session, heartbeat_interval_ms=min(heartbeat, session - 1), max_poll_interval_ms=self.kafka_max_poll_interval_ms,
            fetch_max_wait_ms=self.kafka_fetch_max_wait_ms, idle_fetch_max_wait_ms=max(self.kafka_idle_fetch_max_wait_ms, self.kafka_fetch_max_wait_ms),
            idle_after_seconds=self.kafka_idle_after_seconds, consumer_timeout_ms=self.kafka_consumer_timeout_ms,
            instance_id=self.kafka_instance_id,
        )

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

"""The signing secret: made once with owner-only permissions; placeholders and missing secrets refused outside tests."""
from __future__ import annotations

import stat

import pytest
from pydantic import ValidationError

from services.runtime.auth.secret import ensure_secret, write_private
from services.runtime.settings import ServiceSettings


def test_the_first_start_makes_a_private_secret_and_later_starts_read_the_same(tmp_path):
    path = tmp_path / "var" / "secret"
    first = ensure_secret(path)
    assert len(first) >= 40 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ensure_secret(path) == first
    assert ServiceSettings(environment="embedded", token_secret_file=str(path)).token_secret == first


@pytest.mark.parametrize("environment", ["embedded", "production"])
@pytest.mark.parametrize("secret", ["", "embedded-only-secret", "changethis"])
def test_a_missing_or_placeholder_secret_is_refused_outside_tests(environment, secret, monkeypatch):
    monkeypatch.delenv("TIENDO_TOKEN_SECRET", raising=False)
    monkeypatch.delenv("TIENDO_TOKEN_SECRET_FILE", raising=False)
    with pytest.raises(ValidationError, match="TIENDO_TOKEN_SECRET"):
        ServiceSettings(environment=environment, token_secret=secret)


def test_tests_without_a_secret_get_a_random_one_each():
    assert ServiceSettings(environment="test").token_secret != ServiceSettings(environment="test").token_secret


def test_a_private_file_is_replaced_whole_and_stays_owner_only(tmp_path):
    path = tmp_path / "credentials.json"
    write_private(path, "{}")
    write_private(path, '{"admin": "k"}')
    assert path.read_text() == '{"admin": "k"}' and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_first_administrator_of_a_new_deployment_gets_a_short_lived_token_from_the_secret(monkeypatch, capsys):
    from datetime import datetime, timedelta, timezone

    from services.cli import main
    from services.runtime.credentials import verify_token

    secret = "a-production-secret-of-at-least-32-chars"
    monkeypatch.setenv("TIENDO_ENVIRONMENT", "production")
    monkeypatch.setenv("TIENDO_TOKEN_SECRET", secret)
    assert main(["credential", "bootstrap-admin", "--minutes", "5", "--name", "it-department"]) == 0
    claims = verify_token(secret, capsys.readouterr().out.strip(), datetime.now(timezone.utc))
    assert (claims.role, claims.subject) == ("administrator", "it-department")
    assert claims.expires_at <= datetime.now(timezone.utc) + timedelta(minutes=5)
    monkeypatch.setenv("TIENDO_TOKEN_SECRET", "too-short")
    assert main(["credential", "bootstrap-admin"]) == 2

"""A credential is verified once and then recognised; expiry and forgery are refused as before."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from services.runtime.auth.verified import VerifiedTokens
from services.runtime.credentials import InvalidCredential, issue_token

SECRET = "secret-of-the-verified-tokens-test-32-bytes-or-more"
NOW = datetime(2026, 11, 30, 2, tzinfo=timezone.utc)


def key(subject: str = "ca-xa", hours: float = 1, secret: str = SECRET) -> str:
    return issue_token(secret, "agency", subject, now=NOW, valid_for=timedelta(hours=hours))[0]


def test_a_token_verified_once_is_recognised_without_verifying_it_again():
    tokens, token = VerifiedTokens(), key()
    first = tokens.verify(SECRET, token, NOW)
    assert (first.role, first.subject) == ("agency", "ca-xa")
    assert tokens.verify(SECRET, token, NOW + timedelta(minutes=59)) is first  # the kept claims, not a second decode


def test_a_kept_token_is_refused_from_its_expiry_on_with_the_expiry_message():
    tokens, token = VerifiedTokens(), key(hours=1)
    tokens.verify(SECRET, token, NOW)
    with pytest.raises(InvalidCredential, match="expired"):
        tokens.verify(SECRET, token, NOW + timedelta(hours=1))


def test_a_token_signed_with_another_secret_is_refused_even_when_kept_under_its_own():
    tokens, token = VerifiedTokens(), key(secret="another-deployment-secret-of-32-bytes-or-more")
    tokens.verify("another-deployment-secret-of-32-bytes-or-more", token, NOW)
    with pytest.raises(InvalidCredential, match="not signed by this deployment"):
        tokens.verify(SECRET, token, NOW)


def test_forged_tokens_are_not_kept_and_the_cache_stays_bounded():
    tokens = VerifiedTokens(max_kept=3)
    forged = key()[:-4] + "AAAA"
    for _ in range(5):
        with pytest.raises(InvalidCredential):
            tokens.verify(SECRET, forged, NOW)
    assert len(tokens._claims) == 0
    keys = [key(f"ca-{n}") for n in range(5)]
    for token in keys:
        tokens.verify(SECRET, token, NOW)
    assert len(tokens._claims) == 3 and (SECRET, keys[0]) not in tokens._claims and (SECRET, keys[-1]) in tokens._claims

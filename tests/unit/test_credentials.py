"""Credentials: signed, naming one role and subject, with a key id and an expiry; not forgeable without the secret."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from services.runtime.credentials import InvalidCredential, digest, issue_token, verify_token

NOW = datetime(2026, 9, 1, 8, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)
SECRET = "a-test-secret-that-is-32-bytes-long"


def test_a_credential_names_its_role_subject_key_and_expiry():
    token, claims = issue_token(SECRET, "agency", "ca-xa", now=NOW, valid_for=30 * DAY)
    verified = verify_token(SECRET, token, NOW + DAY)
    assert (verified.role, verified.subject, verified.key_id) == ("agency", "ca-xa", claims.key_id)
    assert verified.expires_at == NOW + 30 * DAY


def test_two_credentials_for_one_subject_have_different_key_ids():
    first, second = (issue_token(SECRET, "viewer", "cao-bang", now=NOW, valid_for=DAY)[1] for _ in range(2))
    assert first.key_id != second.key_id


def test_an_expired_credential_is_refused_from_its_expiry_on():
    token, _ = issue_token(SECRET, "agency", "ca-xa", now=NOW, valid_for=DAY)
    assert verify_token(SECRET, token, NOW + DAY - timedelta(seconds=1)).subject == "ca-xa"
    with pytest.raises(InvalidCredential, match="expired"):
        verify_token(SECRET, token, NOW + DAY)


@pytest.mark.parametrize("token", ["", "abc", "abc.def.ghi", issue_token("another-secret-that-is-32-bytes-long", "agency", "ca-xa", now=NOW, valid_for=DAY)[0]])
def test_a_forged_or_foreign_credential_is_refused(token):
    with pytest.raises(InvalidCredential):
        verify_token(SECRET, token, NOW)


def test_an_unsigned_token_is_refused():
    import jwt

    unsigned = jwt.encode({"iss": "tiendo", "role": "administrator", "sub": "x", "jti": "k", "exp": 2**40}, None, algorithm="none")
    with pytest.raises(InvalidCredential):
        verify_token(SECRET, unsigned, NOW)


def test_the_digest_plans_keeps_does_not_contain_the_key():
    token, _ = issue_token(SECRET, "agency", "ca-xa", now=NOW, valid_for=DAY)
    assert len(digest(token)) == 64 and token not in digest(token) and digest(token) == digest(token)

"""Credentials: signed, of one kind, and not forgeable without the secret."""
from __future__ import annotations

import pytest

from services.runtime.credentials import AGENCY, VIEWER, InvalidCredential, issue_token, verify_token


def test_a_credential_names_its_subject_and_kind():
    assert verify_token("s3cret", issue_token("s3cret", AGENCY, "ca-xa"), AGENCY) == "ca-xa"
    assert verify_token("s3cret", issue_token("s3cret", VIEWER, "cao-bang"), VIEWER) == "cao-bang"


def test_an_agency_credential_is_not_a_viewer_credential_nor_the_other_way():
    with pytest.raises(InvalidCredential):
        verify_token("s3cret", issue_token("s3cret", AGENCY, "ca-xa"), VIEWER)
    with pytest.raises(InvalidCredential):
        verify_token("s3cret", issue_token("s3cret", VIEWER, "cao-bang"), AGENCY)


@pytest.mark.parametrize("token", ["", "abc", "abc.def", issue_token("other-secret", AGENCY, "ca-xa")])
def test_a_forged_or_foreign_credential_is_refused(token):
    with pytest.raises(InvalidCredential):
        verify_token("s3cret", token, AGENCY)

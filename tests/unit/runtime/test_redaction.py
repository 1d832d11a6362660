"""Dead letters never carry credentials."""
from __future__ import annotations

import json

from services.runtime.redaction import redact, redact_headers


def test_tokens_in_a_command_are_replaced_wherever_they_are():
    raw = json.dumps({"command_id": "c1", "token": "agency.abc.sig", "nested": [{"api_key": "k"}], "note": "Bearer xyz.123"}).encode()
    cleaned = json.loads(redact(raw))
    assert cleaned["token"] == "[redacted]" and cleaned["nested"][0]["api_key"] == "[redacted]"
    assert cleaned["note"] == "Bearer [redacted]" and cleaned["command_id"] == "c1"
    assert b"agency.abc.sig" not in redact(raw)


def test_text_that_is_not_json_is_cleaned_by_pattern():
    raw = b'{"token": "secret-value", broken json ... Authorization: Bearer abc.def'
    cleaned = redact(raw)
    assert b"secret-value" not in cleaned and b"abc.def" not in cleaned


def test_secret_headers_are_replaced():
    assert redact_headers({"authorization": "Bearer x", "event_type": "StatusReported"}) == {
        "authorization": "[redacted]", "event_type": "StatusReported"}

"""Credentials never leave in a dead letter: secrets in a rejected record are replaced before it is kept."""
from __future__ import annotations

import json
import re
from typing import Any

REDACTED = "[redacted]"
SECRET_NAMES = {"token", "password", "secret", "authorization", "api_key", "apikey", "credential", "credentials", "key_secret"}
SECRET_SUFFIXES = ("_token", "_secret", "_password")
_BEARER = re.compile(rb"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")
_QUOTED = re.compile(rb'(?i)("(?:token|password|secret|authorization|api_key|apikey)"\s*:\s*)"(?:[^"\\]|\\.)*"')


def is_secret(name: str) -> bool:
    lowered = name.lower()
    return lowered in SECRET_NAMES or lowered.endswith(SECRET_SUFFIXES)


def redact_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: (REDACTED if is_secret(str(k)) and v is not None else redact_value(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_value(v) for v in value]
    if isinstance(value, str):
        return _BEARER.sub(rb"\1" + REDACTED.encode(), value.encode()).decode()
    return value


def redact(raw: bytes) -> bytes:
    """The record's bytes with every secret replaced; text that is not JSON is cleaned by pattern."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return _QUOTED.sub(rb'\1"' + REDACTED.encode() + b'"', _BEARER.sub(rb"\1" + REDACTED.encode(), raw))
    return json.dumps(redact_value(data), ensure_ascii=False).encode()


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    return {k: (REDACTED if is_secret(k) else _BEARER.sub(rb"\1" + REDACTED.encode(), v.encode()).decode()) for k, v in headers.items()}

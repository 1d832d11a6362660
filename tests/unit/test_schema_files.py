"""The checked-in JSON Schema files and AsyncAPI document are what the pydantic models produce."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.catalog import PAYLOADS
from schemas.generate import rendered

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
REGENERATE = "run `python -m schemas.generate` and commit the result"


@pytest.fixture(scope="module")
def expected() -> dict[Path, str]:
    return {path.resolve(): text for path, text in rendered().items()}


def test_every_checked_in_schema_file_matches_the_models(expected):
    drifted = [
        str(path.relative_to(SCHEMAS))
        for path, text in expected.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]
    assert not drifted, f"drifted from the models: {drifted}; {REGENERATE}"


def test_no_stale_json_schema_is_left_in_schemas_json(expected):
    stale = [p.name for p in sorted((SCHEMAS / "json").glob("*.json")) if p.resolve() not in expected]
    assert not stale, f"no model produces {stale}; delete them or {REGENERATE}"


@pytest.mark.parametrize("event_type", sorted(PAYLOADS))
def test_every_catalog_event_has_a_schema_file_naming_it(event_type):
    path = SCHEMAS / "json" / f"{event_type}.json"
    assert path.is_file(), f"{event_type} has no schema file; {REGENERATE}"
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["properties"]["event_type"]["const"] == event_type

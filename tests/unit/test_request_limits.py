"""Every string and list a client sends has an upper bound, visible in the JSON Schema the clients validate with."""
from __future__ import annotations

import pytest

from schemas.accounts import CreateAccount, SignIn
from schemas.credentials import IssueCredential, RevokeCredential
from schemas.directory import RegisterAgency, RegisterUnit
from schemas.plans import IssuePlan
from schemas.tasks import ReportStatusMessage, StatusReport, TaskStatusReport
from services.notify.handlers.contacts import RegisterContact
from services.plans.entrypoints.drafts_http import IssueDraft

REQUESTS = [RegisterUnit, RegisterAgency, IssuePlan, StatusReport, TaskStatusReport, ReportStatusMessage, RegisterContact,
            IssueDraft, IssueCredential, RevokeCredential, CreateAccount, SignIn]
BOUNDED_FORMATS = {"date", "date-time", "uuid"}


def unbounded(schema: dict, defs: dict, where: str) -> list[str]:
    if "$ref" in schema:
        return unbounded(defs[schema["$ref"].rsplit("/", 1)[-1]], defs, where)
    found = []
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            found += unbounded(option, defs, where)
    kind = schema.get("type")
    if kind == "string" and "enum" not in schema and "const" not in schema and schema.get("format") not in BOUNDED_FORMATS:
        found += [] if "maxLength" in schema else [where]
    if kind == "array":
        found += [] if "maxItems" in schema else [f"{where}[]"]
        found += unbounded(schema.get("items", {}), defs, f"{where}[]")
    if kind == "object":
        for name, field in schema.get("properties", {}).items():
            found += unbounded(field, defs, f"{where}.{name}")
        if isinstance(schema.get("additionalProperties"), dict):
            found.append(f"{where}.*")
    return found


@pytest.mark.parametrize("model", REQUESTS, ids=lambda m: m.__name__)
def test_every_string_and_list_field_of_a_request_has_a_maximum(model):
    schema = model.model_json_schema()
    assert unbounded(schema, schema.get("$defs", {}), model.__name__) == []


def test_a_plan_with_a_huge_references_list_is_refused_at_the_edge():
    from pydantic import ValidationError

    plan = {"plan_id": "kh-1", "unit_id": "x", "title": "t", "references": ["32/KH-UBND"] * 100_000,
            "tasks": [{"content": "c", "lead": "a"}]}
    with pytest.raises(ValidationError, match="references"):
        IssuePlan.model_validate(plan)

"""Every string, list and mapping a client sends, and every one an event or command carries, has an upper bound,
visible in the JSON Schema the clients validate with."""
from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from pydantic import BaseModel

import schemas
from schemas.catalog import PAYLOADS
from schemas.envelope import Envelope

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
        if schema.get("additionalProperties") not in (None, False) and "maxProperties" not in schema:
            found.append(f"{where}.*")
    return found


def models_of_the_contract() -> list[type[BaseModel]]:
    """Every pydantic model declared in schemas/: the event payloads of the catalog, the envelope, every command."""
    modules = [importlib.import_module(f"schemas.{m.name}") for m in pkgutil.iter_modules(schemas.__path__)]
    return [obj for module in modules for obj in vars(module).values()
            if inspect.isclass(obj) and issubclass(obj, BaseModel) and obj.__module__ == module.__name__]


CONTRACT = models_of_the_contract()


@pytest.mark.parametrize("model", REQUESTS, ids=lambda m: m.__name__)
def test_every_string_and_list_field_of_a_request_has_a_maximum(model):
    schema = model.model_json_schema()
    assert unbounded(schema, schema.get("$defs", {}), model.__name__) == []


def test_the_walk_covers_every_event_of_the_catalog_and_the_envelope():
    assert set(PAYLOADS.values()) | {Envelope} <= set(CONTRACT)


@pytest.mark.parametrize("model", CONTRACT, ids=lambda m: m.__name__)
def test_every_string_list_and_mapping_of_an_event_or_command_has_a_maximum(model):
    schema = model.model_json_schema()
    assert unbounded(schema, schema.get("$defs", {}), model.__name__) == []


def test_the_walk_finds_an_unbounded_field():
    class Loose(BaseModel):
        name: str
        tags: list[str] = []
        extra: dict[str, int] = {}

    schema = Loose.model_json_schema()
    assert unbounded(schema, {}, "Loose") == ["Loose.name", "Loose.tags[]", "Loose.tags[]", "Loose.extra.*"]


def test_a_plan_with_a_huge_references_list_is_refused_at_the_edge():
    from pydantic import ValidationError

    plan = {"plan_id": "kh-1", "unit_id": "x", "title": "t", "references": ["32/KH-UBND"] * 100_000,
            "tasks": [{"content": "c", "lead": "a"}]}
    with pytest.raises(ValidationError, match="references"):
        IssuePlan.model_validate(plan)


def test_an_event_with_an_oversized_field_is_refused_by_the_catalog():
    from schemas.catalog import ValidationError, parse_event

    event = {"event_id": "0b7c8a52-2f6e-4c55-9a57-2d4f7c3e8b10", "event_type": "UnitRegistered", "stream_id": "unit-x",
             "stream_version": 1, "occurred_at": "2026-11-29T00:00:00Z", "recorded_at": "2026-11-29T00:00:00Z",
             "correlation_id": "c", "actor": "administrator:a", "payload": {"unit_id": "x", "name": "n" * 301, "level": "commune"}}
    with pytest.raises(ValidationError, match="name"):
        parse_event(event)
    parse_event({**event, "payload": {**event["payload"], "name": "n" * 300}})


def test_a_reply_to_an_unreadable_command_cuts_what_it_echoes_instead_of_failing():
    from schemas.tasks import CommandRejection, CommandReply

    reply = CommandReply(command_id="k" * 1_000_000, accepted=False,
                         rejection=CommandRejection(status=422, title="invalid command", detail="d" * 20_000, field="f" * 5_000))
    assert (len(reply.command_id), len(reply.rejection.detail), len(reply.rejection.field)) == (200, 10_000, 1000)

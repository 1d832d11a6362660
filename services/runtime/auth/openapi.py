"""The refusals every protected operation can answer, written into the OpenAPI document as problem+json."""
from __future__ import annotations

from fastapi import FastAPI

PROBLEM = {
    "type": "object", "required": ["type", "title", "status", "detail", "instance"],
    "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                   "detail": {"type": "string"}, "instance": {"type": "string"}, "field": {"type": ["string", "null"]},
                   "errors": {"type": "array", "items": {"type": "object"}}},
}
REFUSALS = {"401": "no credential, or one that is forged, expired or revoked",
            "403": "a credential of a role (or a unit) this operation does not accept",
            "429": "too many calls with this credential; see Retry-After"}
TOO_LARGE = {"413": "the request body is larger than the service accepts"}


def document_refusals(app: FastAPI) -> None:
    """Wrap `app.openapi` so that protected operations list 401/403/429 (and 413 with a body) as problem+json."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = build()
            schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
            for item in schema.get("paths", {}).values():
                for operation in item.values():
                    answers = {**(REFUSALS if operation.get("security") else {}), **(TOO_LARGE if "requestBody" in operation else {})}
                    for status, description in answers.items():
                        operation.setdefault("responses", {}).setdefault(status, {
                            "description": description,
                            "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}})
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi

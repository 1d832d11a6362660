"""The refusals every protected operation can answer, written into the OpenAPI document as problem+json."""
from __future__ import annotations

from fastapi import FastAPI

from services.runtime.limits import document_parameter_bounds
from services.runtime.problems import problems

PROBLEM = {
    "type": "object", "required": ["type", "title", "status", "detail", "instance"],
    "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                   "detail": {"type": "string"}, "instance": {"type": "string"}, "field": {"type": ["string", "null"]},
                   "errors": {"type": "array", "items": {"type": "object"}}},
}


def document_refusals(app: FastAPI) -> None:
    """Wrap `app.openapi` so that protected operations list 401/403/429 (and 413 with a body) as problem+json, and the
    422 FastAPI documents is the problem+json it answers."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = build()
            schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
            for item in schema.get("paths", {}).values():
                for operation in item.values():
                    responses = operation.setdefault("responses", {})
                    answers = {**(problems(401, 403, 429) if operation.get("security") else {}),
                               **(problems(413) if "requestBody" in operation else {})}
                    for status, answer in answers.items():
                        responses.setdefault(str(status), answer)
                    if operation.get("parameters"):
                        responses.setdefault("422", problems(422)[422])
                    if "422" in responses:
                        responses["422"] = problems(422)[422]
            document_parameter_bounds(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi

"""HTTP errors as RFC 9457 problem+json, naming the field that was wrong; internals never leak."""
from __future__ import annotations

import logging
import math

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from schemas.rejections import Rejected
from services.runtime.ports import ConcurrencyError

log = logging.getLogger("tiendo.http")
PROBLEM = "application/problem+json"
UNREADABLE_BODY = "There was an error parsing the body"  # FastAPI's 400 when a JSON body cannot even be decoded
REFUSED = {
    400: "the request cannot be carried out as sent",
    401: "no credential, or one that is forged, expired or revoked",
    403: "a credential of a role (or a unit) this operation does not accept",
    404: "nothing with that id (or nothing this credential may see)",
    409: "it conflicts with what is already recorded (a version moved on, an id already used)",
    413: "the request (or the event it would make) is larger than the service accepts",
    422: "the request is invalid: `field` names the first field that was wrong, `errors` all of them",
    429: "too many calls with this credential; see Retry-After",
}


def problems(*statuses: int) -> dict[int | str, dict]:
    """`responses=` for a route: the refusals its handlers answer, documented as problem+json."""
    content = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    return {status: {"description": REFUSED[status], "content": content} for status in statuses}


def problem_response(status: int, title: str, detail: str, instance: str, **extra: object) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, "instance": instance}
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _field_error(error: dict) -> dict[str, str]:
    """One validation error as {field, message}; a body that is not JSON names the body, not a character position."""
    if error.get("type") == "json_invalid":
        position = error["loc"][-1] if len(error["loc"]) > 1 else None
        where = f" (at character {position})" if isinstance(position, int) else ""
        return {"field": "body", "message": f"not valid JSON{where}: {error.get('ctx', {}).get('error', error['msg'])}"}
    return {"field": ".".join(str(p) for p in error["loc"] if p != "body"), "message": error["msg"]}


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Rejected)
    async def _rejected(request: Request, error: Rejected) -> JSONResponse:
        response = problem_response(error.status, error.title, error.detail, request.url.path, field=error.field)
        if getattr(error, "retry_after", None) is not None:
            response.headers["Retry-After"] = str(max(1, math.ceil(error.retry_after)))
        return response

    @app.exception_handler(ConcurrencyError)
    async def _conflict(request: Request, error: ConcurrencyError) -> JSONResponse:
        return problem_response(409, "version conflict", str(error), request.url.path, current_version=error.actual)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        errors = [_field_error(e) for e in error.errors()]
        first = errors[0] if errors else {"field": None, "message": "invalid request"}
        detail = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
        return problem_response(422, "invalid request", detail, request.url.path, field=first["field"], errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> JSONResponse:
        if error.status_code == 400:  # the framework could not read the body (JSON not UTF-8, a broken multipart form)
            reason = "JSON must be UTF-8" if error.detail == UNREADABLE_BODY else str(error.detail)
            detail = f"body: not readable as the declared content type ({reason})"
            return problem_response(422, "invalid request", detail, request.url.path, field="body",
                                    errors=[{"field": "body", "message": detail}])
        return problem_response(error.status_code, str(error.detail), str(error.detail), request.url.path)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem_response(500, "internal error", "the request could not be completed", request.url.path)

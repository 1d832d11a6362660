"""How a command is refused: the same reasons answer HTTP callers (problem+json) and the reply topic."""
from __future__ import annotations


class Rejected(Exception):
    status = 400
    title = "rejected"

    def __init__(self, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail, self.field = detail, field


class Invalid(Rejected):
    status, title = 422, "invalid request"


class NotFound(Rejected):
    status, title = 404, "not found"


class Forbidden(Rejected):
    status, title = 403, "forbidden"


class Unauthorized(Rejected):
    status, title = 401, "unauthorized"


class Conflict(Rejected):
    status, title = 409, "conflict"


class TooManyRequests(Rejected):
    status, title = 429, "too many requests"

    def __init__(self, detail: str, retry_after: float) -> None:
        super().__init__(detail, field="Authorization")
        self.retry_after = retry_after

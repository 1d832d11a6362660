"""FastAPI dependencies of the plans API."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from services.runtime.events import Cause, new_correlation_id


def cause(x_actor: Annotated[str | None, Header()] = None, x_correlation_id: Annotated[str | None, Header()] = None) -> Cause:
    return Cause(actor=x_actor or "plans-api", correlation_id=x_correlation_id or new_correlation_id())


Caused = Annotated[Cause, Depends(cause)]


def administrator(x_actor: Annotated[str | None, Header()] = None) -> str:
    """Who reorganises the directory. Open like unit registration today; the administrator role of the trust issue
    goes here when it lands."""
    return x_actor or "plans-api"


Administrator = Annotated[str, Depends(administrator)]

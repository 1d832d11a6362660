"""FastAPI dependencies of the reporting API: the runtime, today's local date, the label language."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Header, Query, Request

from schemas.rejections import Unauthorized
from services.reporting.handlers.project import ProjectionProgress
from services.reporting.summaries import check_as_of, check_basis
from services.reporting.views import check_language
from services.runtime.clock import local_today
from services.runtime.credentials import VIEWER, InvalidCredential, verify_token


def viewer(request: Request, authorization: Annotated[str | None, Header()] = None,
           token: Annotated[str | None, Query(description="viewer credential, for links opened in a browser")] = None) -> str | None:
    """The unit whose subtree the caller may read; None when viewer credentials are switched off."""
    settings = request.app.state.runtime.settings
    if not settings.viewer_auth:
        return None
    scheme, _, bearer = (authorization or "").partition(" ")
    presented = bearer.strip() if scheme.lower() == "bearer" else token
    if not presented:
        raise Unauthorized("send a viewer credential as 'Authorization: Bearer <token>' or ?token=", field="Authorization")
    try:
        return verify_token(settings.token_secret, presented, VIEWER)
    except InvalidCredential as error:
        raise Unauthorized(str(error), field="Authorization") from error


def today(request: Request) -> date:
    return local_today(request.app.state.runtime.clock.now())


def language(lang: Annotated[str, Query(description="label language: vi (default) or en")] = "vi") -> str:
    return check_language(lang)


def as_of(request: Request, as_of: Annotated[str | None, Query(
        description="Số liệu tính đến ngày (YYYY-MM-DD), từ các sự kiện đến hết ngày đó / figures as they stood on that day, from the events up to it")] = None) -> date | None:
    return check_as_of(as_of, today(request))


def basis(basis: Annotated[str, Query(
        description="Tính theo hạn ban đầu (original) hay hạn đã điều chỉnh (adjusted) / against the original or the adjusted due dates")] = "adjusted") -> str:
    return check_basis(basis)


def descendants(include_descendants: Annotated[bool, Query(
        description="Gồm cả các đơn vị cấp dưới / include the units below (rolled up)")] = True) -> bool:
    return include_descendants


def progress(request: Request) -> ProjectionProgress:
    return request.app.state.projection


Viewer = Annotated[str | None, Depends(viewer)]
Today = Annotated[date, Depends(today)]
Lang = Annotated[str, Depends(language)]
Progress = Annotated[ProjectionProgress, Depends(progress)]
AsOf = Annotated[date | None, Depends(as_of)]
Basis = Annotated[str, Depends(basis)]
Descendants = Annotated[bool, Depends(descendants)]

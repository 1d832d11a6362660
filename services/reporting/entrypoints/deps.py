"""FastAPI dependencies of the reporting API: the reader's reach, today's local date, the label language."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.responses import JSONResponse

from services.reporting.handlers.project import ProjectionProgress
from services.reporting.summaries import check_as_of, check_basis
from services.reporting.views import check_language
from services.runtime.auth import ReaderByLink
from services.runtime.clock import local_today


def viewer(principal: ReaderByLink) -> str | None:
    """The unit whose subtree the caller may read (a viewer's or standing body's); None for an administrator: every unit."""
    return principal.unit_id


def plain_json(body: dict) -> JSONResponse:
    """A large body of JSON types only, sent as it is: FastAPI's jsonable_encoder took 13 ms on a province summary
    (json.dumps: 1.5 ms). Routes using it declare `response_model=dict` for the OpenAPI document."""
    return JSONResponse(body)


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

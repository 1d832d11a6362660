"""FastAPI dependencies of the reporting API: the reader's reach, today's local date, the label language."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request

from services.reporting.handlers.project import ProjectionProgress
from services.reporting.views import check_language
from services.runtime.auth import ReaderByLink
from services.runtime.clock import local_today


def viewer(principal: ReaderByLink) -> str | None:
    """The unit whose subtree the caller may read (a viewer's or standing body's); None for an administrator: every unit."""
    return principal.unit_id


def today(request: Request) -> date:
    return local_today(request.app.state.runtime.clock.now())


def language(lang: Annotated[str, Query(description="label language: vi (default) or en")] = "vi") -> str:
    return check_language(lang)


def progress(request: Request) -> ProjectionProgress:
    return request.app.state.projection


Viewer = Annotated[str | None, Depends(viewer)]
Today = Annotated[date, Depends(today)]
Lang = Annotated[str, Depends(language)]
Progress = Annotated[ProjectionProgress, Depends(progress)]

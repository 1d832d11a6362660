"""FastAPI dependencies of the reporting API: the runtime, today's local date, the label language."""
from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request

from services.reporting.handlers.project import ProjectionProgress
from services.reporting.views import check_language
from services.runtime.clock import local_today
from services.runtime.http import Runtime


def today(request: Request) -> date:
    return local_today(request.app.state.runtime.clock.now())


def language(lang: Annotated[str, Query(description="label language: vi (default) or en")] = "vi") -> str:
    return check_language(lang)


def progress(request: Request) -> ProjectionProgress:
    return request.app.state.projection


Today = Annotated[date, Depends(today)]
Lang = Annotated[str, Depends(language)]
Progress = Annotated[ProjectionProgress, Depends(progress)]

"""What every dashboard page carries from link to link: language, viewer credential and the "as of" day."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Query, Request

from schemas.rejections import Invalid
from services.reporting.dashboard.texts import words
from services.reporting.dashboard.unittree import UnitTree
from services.reporting.entrypoints.deps import Lang, Today, Viewer


@dataclass(frozen=True)
class PageContext:
    lang: str
    today: date
    as_of: date
    viewer: str | None = None
    token: str | None = None
    pinned: bool = False  # as_of chosen by the reader (kept in links), not today's date
    t: dict[str, str] = field(default_factory=dict)
    refused: str | None = None  # the as_of the reader typed and the page could not use (today's figures are shown)
    tree: UnitTree | None = field(default=None, compare=False, repr=False)  # the app's kept unit tree (unittree.py)

    def link(self, path: str, **params: str | int | None) -> str:
        """`path` with the page's state carried along, plus `params` (None values left out)."""
        carried: dict[str, str | int] = {"lang": self.lang}
        if self.pinned:
            carried["as_of"] = self.as_of.isoformat()
        carried.update({k: v for k, v in params.items() if v not in (None, "")})
        if self.token:
            carried["token"] = self.token
        return f"{path}?{urlencode(carried)}"

    def switch_language(self, path: str, params: dict[str, str]) -> str:
        other = "en" if self.lang == "vi" else "vi"
        kept = {k: v for k, v in params.items() if k not in ("lang", "token", "as_of")}
        return replace(self, lang=other).link(path, **kept)

    @property
    def past(self) -> bool:
        return self.as_of < self.today


def page_context(request: Request, lang: Lang, today: Today, viewer: Viewer,
                 as_of: Annotated[str | None, Query(description="figures as they stood on this local day (YYYY-MM-DD)")] = None,
                 token: str | None = None) -> PageContext:
    """A reader who types a day that is no date, or a future one, gets today's figures and a message, not an error page."""
    tree = getattr(request.app.state, "dashboard_units", None)
    try:
        day = _parse_day(as_of) if as_of else today
    except Invalid:
        return PageContext(lang, today, today, viewer, token, t=words(lang), refused=as_of, tree=tree)
    if day > today:
        return PageContext(lang, today, today, viewer, token, t=words(lang), refused=as_of, tree=tree)
    return PageContext(lang, today, day, viewer, token, pinned=bool(as_of) and day != today, t=words(lang), tree=tree)


def _parse_day(value: str) -> date:
    """YYYY-MM-DD (what a date picker sends) or dd/mm/yyyy (what a reader types)."""
    try:
        if "/" in value:
            day, month, year = (int(part) for part in value.split("/"))
            return date(year, month, day)
        return date.fromisoformat(value)
    except ValueError as error:
        raise Invalid(f"as_of must be a date as YYYY-MM-DD or dd/mm/yyyy, not {value!r}", field="as_of") from error


Page = Annotated[PageContext, Depends(page_context)]

"""Error pages: a browser that opens a dashboard page without a valid viewer link, outside its reach, or at an
unknown unit or task gets an HTML page (Vietnamese first, English beside it) with a hint, not problem+json.

Content negotiation on Accept: only requests for dashboard pages that accept text/html get the page; every
API call (and a dashboard call that asks for JSON) keeps the problem+json of services/runtime/problems.py,
to which everything else is handed unchanged.
"""
from __future__ import annotations

from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment
from starlette.exceptions import HTTPException as StarletteHTTPException

from schemas.rejections import Rejected

PAGES = (401, 403, 404)
TEXT = {  # status: (vi title, vi hint, en title, en hint)
    401: ("Cần đăng nhập để xem trang này",
          "Hãy mở đường dẫn xem số liệu có kèm mã xem (token) do quản trị viên cấp cho đơn vị mình; lệnh “tiendo run” in ra "
          "đường dẫn này. Mã xem có thể đã hết hạn hoặc bị thu hồi: xin cấp mã mới.",
          "Sign-in needed", "Open the viewer link with its token that the administrator issued for your unit (`tiendo run` prints "
          "it). The token may have expired or been revoked: ask for a new one."),
    403: ("Không có quyền xem trang này",
          "Mã xem của bạn chỉ mở được số liệu của đơn vị mình và các đơn vị cấp dưới. Về trang của đơn vị mình, hoặc xin mã xem "
          "của đơn vị cấp trên.",
          "Not allowed", "Your viewer token opens your own unit and the units below it only. Go to your unit's page, or ask for "
          "the higher unit's viewer token."),
    404: ("Không tìm thấy trang",
          "Đơn vị hoặc nhiệm vụ này không có trong dữ liệu báo cáo (có thể chưa được đồng bộ). Kiểm tra lại đường dẫn.",
          "Page not found", "This unit or task is not in reporting's data (it may not have arrived yet). Check the link."),
}


def wants_page(request: Request, status: int) -> bool:
    """A dashboard page asked for by a browser: the path is a page's and Accept names text/html before any JSON."""
    path = request.url.path
    if status not in PAGES or not (path == "/dashboard" or path.startswith("/dashboard/")) or path.startswith("/dashboard/static/"):
        return False
    accept = request.headers.get("accept", "").lower()
    html = accept.find("text/html")
    json = min((i for i in (accept.find("application/json"), accept.find("application/problem+json")) if i >= 0), default=-1)
    return html >= 0 and (json < 0 or html < json)


def error_page(env: Environment, request: Request, status: int) -> HTMLResponse:
    lang = request.query_params.get("lang") if request.query_params.get("lang") in ("vi", "en") else "vi"
    vi_title, vi_hint, en_title, en_hint = TEXT[status]
    first, second = ((vi_title, vi_hint, "vi"), (en_title, en_hint, "en")) if lang == "vi" else ((en_title, en_hint, "en"), (vi_title, vi_hint, "vi"))
    kept = {k: v for k in ("lang", "token") if (v := request.query_params.get(k))}
    html = env.get_template("error.html").render(status=status, lang=lang, first=first, second=second,
                                                 home=f"/dashboard?{urlencode(kept)}" if kept else "/dashboard")
    return HTMLResponse(html, status_code=status)


def install_error_pages(app: FastAPI, env: Environment) -> None:
    """Wrap the app's problem handlers for Rejected and HTTP errors (call after they are installed)."""
    for kind in (Rejected, StarletteHTTPException):
        problem = app.exception_handlers[kind]

        async def handle(request: Request, error: Exception, problem=problem) -> Response:
            status = getattr(error, "status", None) or getattr(error, "status_code", 500)
            if wants_page(request, status):
                return error_page(env, request, status)
            return await problem(request, error)

        app.add_exception_handler(kind, handle)

"""A browser gets an HTML page (Vietnamese first, a sign-in hint) for 401/403/404 on dashboard pages; APIs keep problem+json."""
from __future__ import annotations

from tests.support.auth import mint
from tests.unit.dashboard.province import COMMUNE, OTHER, PROVINCE

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def secret(reporting) -> str:
    return reporting._transport.app.state.runtime.settings.token_secret


async def test_a_browser_without_a_viewer_link_gets_a_vietnamese_page_with_a_sign_in_hint(reporting):
    page = await reporting.get(f"/dashboard/{PROVINCE}", headers={**BROWSER, "Authorization": ""})
    assert page.status_code == 401 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="vi">' in page.text and "Cần đăng nhập để xem trang này" in page.text and "mã xem (token)" in page.text
    assert '<section lang="en"' in page.text and "Sign-in needed" in page.text
    english = await reporting.get(f"/dashboard/{PROVINCE}", params={"lang": "en"}, headers={**BROWSER, "Authorization": ""})
    assert '<html lang="en">' in english.text and english.text.index("Sign-in needed") < english.text.index("Cần đăng nhập")


async def test_a_viewer_outside_its_reach_and_an_unknown_task_get_pages_too(reporting):
    viewer = mint(secret(reporting), "viewer", OTHER)
    page = await reporting.get(f"/dashboard/{COMMUNE}", params={"token": viewer}, headers={**BROWSER, "Authorization": ""})
    assert page.status_code == 403 and "Không có quyền xem trang này" in page.text
    assert f"/dashboard?token={viewer}" in page.text  # back to the viewer's own unit, the link kept
    missing = await reporting.get("/dashboard/tasks/no-such-task", headers=BROWSER)
    assert missing.status_code == 404 and "Không tìm thấy trang" in missing.text


async def test_the_api_and_a_dashboard_call_asking_for_json_keep_problem_json(reporting):
    api = await reporting.get(f"/units/{PROVINCE}/summary", headers={**BROWSER, "Authorization": ""})
    assert api.status_code == 401 and api.headers["content-type"] == "application/problem+json"
    asked = await reporting.get("/dashboard/tasks/no-such-task", headers={"Accept": "application/problem+json, text/html;q=0.5"})
    assert asked.status_code == 404 and asked.json()["field"] == "task_id"

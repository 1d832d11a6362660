"""The escalations page and the task's timeline in headless Chromium, checked against notify's own API; the HTML
error page a browser gets without a viewer link."""
from __future__ import annotations

import time

import httpx
import pytest

from tests.browser.conftest import AXE, screenshot
from tests.browser.scenario import PROVINCE

pytestmark = pytest.mark.browser


def notify_items(site) -> dict[str, dict]:
    """The open items notify shows for the province (its viewer's subtree), as notify serves them."""
    response = httpx.get(f"{site.layout.url('notify')}/escalations",
                         headers={"Authorization": f"Bearer {site.viewer}"}, timeout=30)
    response.raise_for_status()
    return {i["item_id"]: i for i in response.json() if i.get("rung", 0) >= 1}


def test_the_escalations_page_shows_notifys_open_items_and_leads_to_the_tasks_timeline(site, open_page, artifacts):
    page = open_page(1440)
    deadline, shown, expected = time.monotonic() + 60, set(), {}
    while time.monotonic() < deadline:  # reporting follows notify's topic: wait until it has caught up (bounded)
        expected = notify_items(site)
        page.goto(site.url(f"/dashboard/{PROVINCE}/escalations"))
        shown = set(page.locator("tr[data-item]").evaluate_all("rows => rows.map(r => r.dataset.item)"))
        if expected and shown == set(expected):
            break
        time.sleep(0.5)
    assert expected and shown == set(expected), (shown, set(expected))
    for item_id, item in expected.items():
        row = page.locator(f'tr[data-item="{item_id}"]')
        assert row.locator('[data-figure="rung"]').inner_text().split("/")[0] == str(item["rung"])
        told = row.locator('[data-figure="told"]').inner_text()
        assert told and ("Chủ tịch UBND" in told or "Trưởng Công an" in told), told
    screenshot(page, artifacts, "escalations-live-1440")
    page.locator('tr[data-item^="ht.3@"] a').first.click()
    page.wait_for_url("**/dashboard/tasks/ht.3?*")
    kinds = page.locator("#timeline li[data-kind]").evaluate_all("items => items.map(i => i.dataset.kind)")
    assert kinds[0] == "assigned" and {"missed", "escalation", "report"} <= set(kinds), kinds
    assert "Đã đối chiếu 1.250/1.800 trường hợp" in page.locator("#timeline").inner_text()


@pytest.mark.parametrize("width", [375, 1440])
def test_a_browser_without_a_viewer_link_gets_a_readable_sign_in_page(site, open_page, artifacts, width):
    page = open_page(width)
    response = page.goto(f"{site.base}/dashboard/{PROVINCE}")
    assert response.status == 401
    assert page.locator("html").get_attribute("lang") == "vi" and "Cần đăng nhập để xem trang này" in page.locator("h1").inner_text()
    assert "token" in page.locator("main").inner_text()
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    screenshot(page, artifacts, f"sign-in-{width}")
    assert scroll <= inner
    if AXE.exists():
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})")
        assert not [v["id"] for v in result["violations"] if v["impact"] in ("serious", "critical")]

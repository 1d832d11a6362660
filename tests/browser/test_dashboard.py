"""A chairman's morning in headless Chromium: figures checked against the reporting API, drill-down, as-of, language,
phone width, accessibility, and no request leaving tiendo."""
from __future__ import annotations

import httpx
import pytest

from services.reporting.dashboard.formatting import percent
from tests.browser import scenario
from tests.browser.conftest import AXE, screenshot
from tests.browser.scenario import COMMUNE, DISTRICT, PROVINCE

pytestmark = pytest.mark.browser
PAGES = {
    "overview": f"/dashboard/{PROVINCE}", "units": f"/dashboard/{PROVINCE}/units", "tasks": f"/dashboard/{COMMUNE}/tasks",
    "task": "/dashboard/tasks/ht.3", "escalations": f"/dashboard/{PROVINCE}/escalations", "reports": f"/dashboard/{PROVINCE}/reports",
}


def api(site, path: str) -> dict:
    response = httpx.get(f"{site.base}{path}", headers={"Authorization": f"Bearer {site.viewer}"}, timeout=30)
    response.raise_for_status()
    return response.json()


def expected_rates(summary: dict) -> tuple[str, str]:
    """Completion and on-time rate as the page must print them: reporting's own when it serves them, else from its counts."""
    total = summary["total"]
    fallen = total["done_on_time"] + total["done_late"] + total["overdue"]
    completion = summary.get("completion_rate", (total["done_on_time"] + total["done_late"]) / fallen if fallen else None)
    on_time = summary.get("on_time_rate", total["done_on_time"] / fallen if fallen else None)
    return percent(completion if not isinstance(completion, dict) else completion["total"]), \
        percent(on_time if not isinstance(on_time, dict) else on_time["total"])


def figure(page, key: str) -> str:
    return page.locator(f'[data-figure="{key}"]').first.inner_text().strip()


def check_unit_figures(page, site, unit_id: str, as_of: str | None = None) -> None:
    summary = api(site, f"/units/{unit_id}/summary" + (f"?as_of={as_of}" if as_of else ""))
    completion, on_time = expected_rates(summary)
    assert figure(page, "completion_rate") == completion
    assert figure(page, "on_time_rate") == on_time
    assert figure(page, "overdue") == str(summary["total"]["overdue"])
    assert figure(page, "all") == str(summary["total"]["all"])
    assert summary["unit"]["name"] in page.locator("h1").inner_text()


def test_the_chairman_clicks_from_the_province_to_a_commune_to_a_task(site, open_page):
    page = open_page(1440)
    page.goto(site.url(PAGES["overview"]))
    check_unit_figures(page, site, PROVINCE)
    # the story's own count: ht.1, ht.2 (late), ls.1 done; ht.3, ls.2, qs.1 overdue → 3 and 2 of 6 fallen due
    assert (figure(page, "completion_rate"), figure(page, "on_time_rate")) == ("50%", "33,3%")

    page.get_by_role("link", name="Huyện Đồng Hỷ").first.click()
    page.wait_for_url(f"**/dashboard/{DISTRICT}?*")
    check_unit_figures(page, site, DISTRICT)
    page.get_by_role("link", name="Xã Hóa Thượng").first.click()
    page.wait_for_url(f"**/dashboard/{COMMUNE}?*")
    check_unit_figures(page, site, COMMUNE)

    page.get_by_role("navigation", name="Điều hướng").get_by_role("link", name="Nhiệm vụ").click()
    page.wait_for_url(f"**/dashboard/{COMMUNE}/tasks?*")
    listed = api(site, f"/units/{COMMUNE}/tasks")["tasks"]
    assert page.locator("tr[data-task]").count() == len(listed)
    page.locator('tr[data-task="ht.3"] a.clip').click()
    page.wait_for_url("**/dashboard/tasks/ht.3?*")
    task = api(site, "/tasks/ht.3")
    assert figure(page, "category") == task["label"] == "Quá hạn"
    assert figure(page, "due") == "05/11/2026"
    assert "Công an xã Hóa Thượng" in page.content() and "Văn phòng HĐND và UBND xã Hóa Thượng" in page.content()
    assert "70%" in page.locator("main").inner_text()


def test_the_as_of_picker_changes_the_figures_and_links_keep_the_day(site, open_page):
    page = open_page(1440)
    page.goto(site.url(PAGES["overview"]))
    today = figure(page, "completion_rate")
    assert page.input_value("#as-of") == "15/12/2026"
    page.fill("#as-of", "31/05/2026")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_url("**as_of=31%2F05%2F2026*")
    assert page.input_value("#as-of") == "31/05/2026"
    # on 31/05/2026: ht.1 and ls.1 done on time, ls.2 overdue (ht.2 falls due only on 30/06) → 2 of 3
    assert figure(page, "completion_rate") == "66,7%" != today
    assert figure(page, "overdue") == "1"
    check_unit_figures(page, site, PROVINCE, as_of="2026-05-31")
    assert "31/05/2026" in page.locator("footer").inner_text()
    page.get_by_role("navigation", name="Điều hướng").get_by_role("link", name="Đơn vị trực thuộc").click()
    page.wait_for_url("**/units?*as_of=2026-05-31*")
    page.fill("#as-of", "31/12/2099")
    page.get_by_role("button", name="Xem").click()
    page.get_by_role("alert").wait_for()
    assert "31/12/2099" in page.get_by_role("alert").inner_text() and "15/12/2026" in page.locator("footer").inner_text()


def test_the_language_switch_stays_while_navigating(site, open_page):
    page = open_page(1440)
    page.goto(site.url(PAGES["overview"]))
    assert page.locator("html").get_attribute("lang") == "vi" and "Tỷ lệ hoàn thành" in page.content()
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**lang=en*")
    assert page.locator("html").get_attribute("lang") == "en" and "Completion rate" in page.content()
    page.get_by_role("link", name="Units below").click()
    page.get_by_role("link", name="Xã Quang Sơn").first.click()
    page.wait_for_url(f"**/dashboard/{scenario.DIRECT}?*")
    assert page.locator("html").get_attribute("lang") == "en" and "Overdue and blocked tasks" in page.content()


@pytest.mark.parametrize("width", [375, 1440])
def test_every_page_fits_the_width_without_sideways_scrolling(site, open_page, artifacts, width):
    page = open_page(width)
    for name, path in PAGES.items():
        page.goto(site.url(path))
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        screenshot(page, artifacts, f"{name}-{width}")
        assert scroll <= inner, f"{name} at {width}px is {scroll}px wide"


def test_no_page_has_serious_or_critical_accessibility_violations(site, open_page):
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (`make install` runs npm ci in tests/browser)")
    for width, names in ((1440, PAGES), (375, ("overview", "tasks", "task"))):  # the narrow layouts that differ most
        page = open_page(width)
        for name in names:
            path = PAGES[name]
            page.goto(site.url(path))
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})")
            bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
                   if v["impact"] in ("serious", "critical")]
            assert not bad, f"{name} at {width}px: {bad}"
    page.set_content("<html><body><input type=text></body></html>")  # the check can fail: a page it must refuse
    page.add_script_tag(path=str(AXE))
    refused = page.evaluate("axe.run(document).then(r => r.violations.map(v => v.impact))")
    assert {"serious", "critical"} & set(refused)


def test_pages_and_docs_make_no_request_to_any_other_host(site, open_page, foreign_requests):
    page = open_page(1440)
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    for path in PAGES.values():
        page.goto(site.url(path))
    page.goto(f"{site.base}/docs")
    page.locator(".swagger-ui .info .title").wait_for(timeout=20_000)
    assert "tiendo reporting" in page.locator(".swagger-ui .info .title").inner_text()
    assert foreign_requests == [] and failed == []

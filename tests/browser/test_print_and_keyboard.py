"""The overview printed on A4, and the pages worked from the keyboard alone."""
from __future__ import annotations

import pytest

from tests.browser.conftest import SHOTS
from tests.browser.scenario import PROVINCE

pytestmark = pytest.mark.browser


def test_the_overview_prints_on_a4_without_the_controls(site, open_page, artifacts):
    page = open_page(794)  # A4 width at 96 dpi
    page.goto(site.url(f"/dashboard/{PROVINCE}"))
    page.emulate_media(media="print")
    assert page.locator("form.asof").is_hidden() and page.locator("nav.tabs").is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    path = artifacts / "overview-a4.pdf"
    page.pdf(path=str(path), format="A4", print_background=True)
    SHOTS.append(path)
    assert path.stat().st_size > 10_000


def test_the_keyboard_reaches_the_content_and_sorts_a_table(site, open_page):
    page = open_page(1440)
    page.goto(site.url(f"/dashboard/{PROVINCE}/units"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    header = page.locator("#children thead th").nth(3)  # completion rate
    header.locator("button").focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    rates = page.locator("#children tbody td[data-figure=completion_rate]").all_inner_texts()
    assert rates == sorted(rates, key=lambda r: float(r.rstrip("%").replace(",", ".")) if r[0].isdigit() else -1)

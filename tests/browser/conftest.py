"""Browser tests: the whole embedded system as processes, the scenario province loaded once, headless Chromium.

Chromium is Debian's (`make install` puts it there as root); Playwright for Python drives it as the
system browser, never a downloaded one. Where no Chromium is installed, every test here is skipped
with the reason. Screenshots go to $TIENDO_ARTIFACTS/screenshots (default: var/artifacts/screenshots in the
checkout, ignored by git) and are listed at the end of the run.
"""
from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterator

import pytest

from services.embedded.processes import SERVICES, Layout, ProcessGroup
from services.runtime.auth.secret import read_secret
from services.runtime.broker import free_port
from services.runtime.clock import LOCAL_TZ, FileClock
from services.runtime.credentials import issue_token
from tests.browser import scenario

CHROMIUM = os.environ.get("TIENDO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SHOTS: list[Path] = []


def pytest_collection_modifyitems(items) -> None:
    if not Path(CHROMIUM).exists():
        reason = f"no Chromium at {CHROMIUM}: `make install` installs Debian's chromium as root; this machine could not"
        for item in items:
            if "tests/browser" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter) -> None:
    if SHOTS:
        terminalreporter.write_sep("-", f"dashboard screenshots and prints ({len(SHOTS)})")
        for path in SHOTS:
            terminalreporter.write_line(str(path))


class Site:
    def __init__(self, layout: Layout, viewer: str) -> None:
        self.base, self.viewer, self.layout = layout.url("reporting"), viewer, layout
        self.hosts = {f"{layout.host}:{port}" for port in layout.ports.values()}

    def url(self, path: str, **params: str) -> str:
        query = "&".join(f"{k}={v}" for k, v in {**params, "token": self.viewer}.items())
        return f"{self.base}{path}?{query}"


@pytest.fixture(scope="package")
def site(tmp_path_factory) -> Iterator[Site]:
    var = tmp_path_factory.mktemp("browser-system") / "var"
    layout = Layout(var=var, kafka_port=free_port(), smtp_port=free_port(), ports={name: free_port() for name in SERVICES})
    group = ProcessGroup(layout, service_env={"TIENDO_DEADLINE_SCAN_SECONDS": "0.3", "TIENDO_BROKER_CHECK_SECONDS": "1"})
    layout.var.mkdir(parents=True, exist_ok=True)
    clock = FileClock(layout.clock_file)
    clock.set(datetime(2026, 3, 1, 9, 0, tzinfo=LOCAL_TZ))
    group.start_broker()
    try:
        for name in SERVICES:
            group.start_service(name)
        group.wait_healthy()
        admin = issue_token(read_secret(layout.secret_file), "administrator", "browser-tests", now=clock.now(),
                            valid_for=timedelta(days=3650))[0]  # the scenario moves the services' clock through the year
        viewer = scenario.load({name: layout.url(name) for name in SERVICES}, clock, admin)
        yield Site(layout, viewer)
    finally:
        group.stop_all()


@pytest.fixture(scope="package")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="package")
def foreign_requests() -> list[str]:
    """Every request any page made to a host other than tiendo's (they are aborted, and listed here)."""
    return []


@pytest.fixture
def open_page(browser, site, foreign_requests):
    """A fresh context (Vietnamese locale) at a width; requests to other hosts are refused and recorded."""
    contexts = []

    def make(width: int = 1440):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
        contexts.append(context)

        def guard(route) -> None:
            host = route.request.url.split("/")[2] if "://" in route.request.url else ""
            if host in site.hosts:
                route.continue_()
            else:
                foreign_requests.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="package")
def artifacts() -> Path:
    root = Path(os.environ.get("TIENDO_ARTIFACTS") or Path(__file__).resolve().parents[2] / "var" / "artifacts")
    folder = root / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshot(page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    SHOTS.append(path)
    return path

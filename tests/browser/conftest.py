"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API runs an event loop in this thread; the ORM calls in test bodies are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


# One Chromium per test process. Modules outside tests/browser import these fixtures, which makes
# a second session fixture of the same function; a second sync_playwright() in the same thread
# fails ("Sync API inside the asyncio loop"), so every definition shares this one instance.
_shared: dict = {"users": 0}


def _close_db_connections() -> None:
    """Close this thread's database connections before Playwright starts or stops its loop.

    While Playwright's event loop runs in this thread, Django keeps the thread's connections in
    a separate (context-variable) store; a connection opened on one side of the switch is never
    seen again and stays open, and PostgreSQL then refuses to drop the test database.
    """
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")
        pytest.skip("chromium is not installed")
    if not _shared["users"]:
        from playwright.sync_api import sync_playwright

        _close_db_connections()
        _shared["playwright"] = playwright = sync_playwright().start()
        _shared["browser"] = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"],
        )
    _shared["users"] += 1
    try:
        yield _shared["browser"]
    finally:
        _shared["users"] -= 1
        if not _shared["users"]:
            _close_db_connections()
            _shared.pop("browser").close()
            _shared.pop("playwright").stop()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.wait_for_function("window.guanwu && window.guanwu.init")  # ui.js (deferred) handles Enter
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.keyboard.press("Enter")  # Enter moves to the password field ...
    page.keyboard.press("Enter")  # ... and submits from the last field via the button
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

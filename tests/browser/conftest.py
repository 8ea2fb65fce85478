"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import PASSWORD, need

CHROMIUM = "/usr/bin/chromium"
# CI has 2 cores shared by two workers, each with a browser and a live server: an answer that
# takes a second here can take six there. Assertions wait up to 12 s (Playwright's default is 5).
EXPECT_TIMEOUT_MS = 12_000
# Playwright's sync API runs an event loop in this thread; the ORM calls in test bodies are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
        # .ci/run requires chromium (GUANWU_TEST_REQUIRE): there this fails instead of skipping.
        need("chromium", f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)")
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
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc) + " " + (exc.stack or "")))
    page.js_errors = errors
    yield page
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def login(page, username: str, password: str = PASSWORD, enterprise: str | None = None) -> None:
    """Log in; a user of several enterprises then picks ``enterprise`` (a customs code, default
    the first listed) on the chooser the login leads to."""
    page.goto("/accounts/login/")
    page.wait_for_function("!!(window.guanwu && window.guanwu.init)")  # ui.js (deferred) handles Enter
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.keyboard.press("Enter")  # Enter in the password field logs in (issue 11, point 20)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/enterprise/choose/" in page.url:
        button = page.locator(f'#enterprise-chooser button[data-enterprise="{enterprise}"]') if enterprise else (
            page.locator("#enterprise-chooser button[data-enterprise]").first)
        with page.expect_navigation():
            button.click()

"""The list page in Chromium: htmx refresh with shareable URLs, "/" to filter, select-all, bulk post."""

from __future__ import annotations

import pytest

from tests.browser.conftest import browser, login, page  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.urls("tests.ui.urls")]


@pytest.fixture
def rows(ent_a, admin_a, logs_factory):
    return logs_factory(ent_a, admin_a, 45)


def test_filter_sort_and_page_without_reload(page, admin_a, rows):  # noqa: F811
    login(page, "a_admin")
    page.goto("/test-list/")
    summary = page.locator("[data-list-summary]")
    assert summary.inner_text() == "显示第 1 到第 20 条记录, 总共 45 条记录"
    page.evaluate("window.__marker = 1")  # survives only if the page is not reloaded

    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
    page.keyboard.type("对象01")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('[data-list-summary]').innerText.includes('总共 10 条记录')")
    assert "q=%E5%AF%B9%E8%B1%A101" in page.url

    page.click("th a[data-sort]:has-text('对象')")  # ascending
    page.wait_for_url("**sort=object_repr**")
    page.click("th a[data-sort]:has-text('对象')")  # descending
    page.wait_for_url("**sort=-object_repr**")
    assert page.locator("tbody tr td a").first.inner_text() == "对象019"
    assert page.evaluate("window.__marker") == 1

    # the sort survives a new filter submit (hidden state updated out of band)
    page.select_option("#f-action", "新建")
    page.wait_for_function("document.querySelector('[data-list-summary]').innerText.includes('总共 5 条记录')")
    assert "sort=-object_repr" in page.url and "action=" in page.url
    assert page.locator("tbody tr td a").first.inner_text() == "对象018"

    page.goto("/test-list/?per_page=10")
    page.click(".pagination a:has-text('3')")
    page.wait_for_function("document.querySelector('[data-list-summary]').innerText.startsWith('显示第 21 到第 30')")
    assert "page=3" in page.url and "per_page=10" in page.url


def test_select_all_and_bulk_action(page, admin_a, rows):  # noqa: F811
    from . import pages

    login(page, "a_admin")
    page.goto("/test-list/?per_page=10")
    page.check("[data-select-all]")
    assert page.locator("[data-bulk-count]").inner_text() == "已选 10 条"
    page.uncheck("tbody tr:first-child input[name=ids]")
    assert page.locator("[data-bulk-count]").inner_text() == "已选 9 条"
    assert page.evaluate("document.querySelector('[data-select-all]').indeterminate") is True
    page.click("button[value=mark]")
    page.wait_for_selector(".alert-success")
    assert "已标记 9 条记录" in page.locator(".alert-success").inner_text()
    received = pages.RECEIVED
    assert received == [sorted(r.pk for r in rows[1:10])]

"""规范申报企业专属库 in the browser, as the enterprise admin walks it (seed 002, 5.1-5.4): the module
shows only the prompt until 企业端授权确认 (confirmed in the browser's dialog); 企业库查询 by keyword
and 标记类型, 申报要素详情 in a dialog (from the 申报要素 text and, the seed's way, a ticked row and the
【申报要素详情】 button), 设为自选 on a 系统匹配数据 row, 关闭公开 on a 规范 row; the header's ``new``
leads to 企业信息, the message is marked read and its link opens the library on its 不规范 rows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from guanwu.standards.models import LibraryEntry, Mark, MonthlyMessage
from tests.browser.conftest import login
from tests.standards.helpers import CHLORINE, CHLORINE_OK, COFFEE, COFFEE_OK, publish, raw, released

DAY = dt.date(2026, 10, 6)


@pytest.fixture
def reviewed_a(ent_a):
    """A's history (工业氯: 系统匹配数据) and a reviewed month naming A as 申报单位: 咖啡豆 规范, 氯 不规范."""
    released(ent_a, [(CHLORINE, "工业氯", "0|0|氯99%|钢瓶|无品牌|无型号|||")], day=dt.date(2026, 9, 1))
    publish([
        raw(ent_a, code_ts=COFFEE, g_name="咖啡豆", g_model=COFFEE_OK, day=DAY),
        raw(ent_a, g_name="氯", g_model=CHLORINE_OK.replace("氯99.5%", "氯"), conclusion="不规范",
            reasons="成分含量:未申报含量", day=DAY),
    ], period="2026-10")
    assert set(LibraryEntry.objects.for_enterprise(ent_a).values_list("mark", flat=True)) == {
        Mark.MATCHED, Mark.STANDARD, Mark.NONSTANDARD}


def rows(page):
    return page.locator("[data-list-table] tbody tr[data-pk]")


def query(page, **values: str) -> None:
    """Fill the filters and 查询; wait until the answer is swapped in."""
    for name, value in values.items():
        field = page.locator(f"#f-{name}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.locator("#gw-list-filters button[type=submit]").click()
    for name, value in values.items():
        expect(page).to_have_url(re.compile(rf"{name}={re.escape(value) if value.isascii() else ''}"))
    expect(page.locator("#gw-list-filters.htmx-request")).to_have_count(0)


def test_authorise_query_details_own_choice_close_public_message(page, admin_a, ent_a, reviewed_a):
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "a_admin")
    # -- 5.1: nothing but the prompt until the admin confirms -----------------------------------------------
    page.goto("/")
    page.locator(".gw-sidebar summary", has_text="规范申报").click()
    page.locator(".gw-sidebar a", has_text="企业库查询").click()
    expect(page.locator("#std-prompt")).to_contain_text("尚未进行企业端授权确认")
    expect(page.locator("[data-list-table]")).to_have_count(0)
    expect(page.locator('[data-header-badge="standards"]')).to_have_count(0)
    page.locator("#std-go-authorise").click()
    page.locator("#std-confirm-button").click()  # the dialog is accepted
    expect(page).to_have_url(re.compile(r"/standards/library/$"))
    expect(page.locator(".gw-messages")).to_contain_text("企业端授权确认成功")
    expect(rows(page)).to_have_count(3)

    # -- 5.2: keyword, then 标记类型; 申报要素详情 in the dialog ----------------------------------------------
    query(page, q="咖啡")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first.locator("[data-mark]")).to_have_text("规范数据")
    page.locator("#gw-list-filters a", has_text="重置").click()
    query(page, mark="nonstandard")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("成分含量: 未申报含量")
    rows(page).first.locator("a[data-std-elements]").click()
    dialog = page.locator("#std-elements-modal")
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-std-element-details]")).to_contain_text("成分含量")
    expect(dialog).to_contain_text("海关审核不规范原因")
    expect(dialog.locator(".btn-close")).to_be_focused()  # Esc closes it
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(rows(page).first.locator("a[data-std-elements]")).to_be_focused()  # back where the user was
    # the seed's way: tick one row, 【申报要素详情】
    rows(page).first.locator("input[name=ids]").check()
    page.locator("[data-std-elements-checked]").click()
    expect(dialog).to_be_visible()
    expect(dialog.locator("tbody")).to_contain_text("钢瓶")
    expect(dialog.locator(".btn-close")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # -- 设为自选 on the 系统匹配数据 row ------------------------------------------------------------------------
    page.locator("#gw-list-filters a", has_text="重置").click()
    query(page, mark="matched")
    expect(rows(page)).to_have_count(1)
    rows(page).first.get_by_role("button", name="设为自选").click()
    expect(page.locator(".gw-messages")).to_contain_text("设为企业自选数据")
    matched = LibraryEntry.objects.for_enterprise(ent_a).get(g_name="工业氯")
    assert matched.mark == Mark.OWN_CHOICE
    expect(rows(page)).to_have_count(0)  # back on the same query: no 系统匹配数据 left
    query(page, mark="own_choice")
    expect(page.locator(f'tr[data-pk="{matched.pk}"] [data-mark]')).to_have_text("企业自选数据")

    # -- 关闭公开 on the 规范 row -------------------------------------------------------------------------------
    page.locator("#gw-list-filters a", has_text="重置").click()
    query(page, mark="standard")
    rows(page).first.get_by_role("button", name="关闭公开").click()  # the dialog is accepted
    expect(page.locator(".gw-messages")).to_contain_text("不公开")
    assert not LibraryEntry.objects.for_enterprise(ent_a).get(g_name="咖啡豆").is_public
    page.locator(".gw-sidebar a", has_text="公共库查询").click()
    expect(page.locator("[data-list-summary]")).to_have_text("没有找到匹配的记录")

    # -- 5.4: new -> 企业信息; mark read; the link into the library ----------------------------------------------
    badge = page.locator('[data-header-badge="standards"]')
    expect(badge).to_contain_text("new")
    expect(badge.locator("[data-header-count]")).to_have_text("1")
    badge.click()
    expect(page).to_have_url(re.compile(r"/standards/messages/\?read=0$"))
    expect(rows(page)).to_have_count(1)
    rows(page).first.get_by_role("link", name="2026-10 海关规范申报审核情况").click()
    message = page.locator("#std-message")
    expect(message).to_contain_text("本企业不规范数据")
    page.locator("#std-mark-read").click()
    expect(message.locator("[data-read]")).to_have_text("已读")
    expect(page.locator('[data-header-badge="standards"]')).to_have_count(0)
    assert MonthlyMessage.objects.for_enterprise(ent_a).get().read_at is not None
    page.locator("#std-message-nonstandard").click()
    expect(page).to_have_url(re.compile(r"/standards/library/\?mark=nonstandard&decl_date_from=2026-10-06"))
    expect(page.locator("#f-mark")).to_have_value("nonstandard")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("不规范数据")
    assert not page.js_errors, page.js_errors

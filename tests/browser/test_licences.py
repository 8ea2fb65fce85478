"""许可证管理 as a broker walks it: 许可证新增 with two goods lines (the HS code fills name and
unit from the tariff, an 8-digit code too), 确认, and the licence is in the list with its balance."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from guanwu.datacenter.licences.models import Licence
from tests.browser.conftest import login


def pick(page, select_id: str, text: str, code: str) -> None:
    page.locator(f"#{select_id}-ts-control").click()
    page.keyboard.type(text)
    page.locator(f"#{select_id}-ts-dropdown .option[data-value='{code}']").click()
    expect(page.locator(f"#{select_id}")).to_have_value(code)


def test_create_licence_with_goods_lines_and_find_it_in_the_list(page, ent_a, admin_a):
    login(page, "a_admin")
    page.goto("/datacenter/licences/")
    expect(page.locator("[data-list-table]")).to_contain_text("没有找到匹配的记录")
    page.get_by_role("link", name="新增").click()
    expect(page.locator("main h2")).to_have_text("许可证新增")

    page.get_by_label("许可证编号").fill("24-O6-100231")
    pick(page, "id_docu_code", "新旧机电", "O")
    page.get_by_label("发证机关").fill("陕西省商务厅")
    expect(page.get_by_label("持证单位名称")).to_have_value("甲企业")  # the enterprise by default
    page.get_by_label("有效期止").fill("2099-12-31")

    lines = page.locator("#licence-lines tbody tr[data-line]")
    first = lines.nth(0)
    first.get_by_label("商品编号").fill("8426200000")
    first.get_by_label("商品编号").press("Tab")
    expect(first.get_by_label("商品名称")).to_have_value("塔式起重机")
    expect(first.locator("select[name=line_unit]")).to_have_value("001")
    first.get_by_label("许可数量").fill("5")

    page.get_by_role("button", name="增加商品").click()
    expect(lines).to_have_count(2)
    second = lines.nth(1)
    expect(second.locator("[data-line-no]")).to_have_text("2")
    second.get_by_label("商品编号").fill("84264110")  # 8 digits, as licences list goods
    second.get_by_label("商品编号").press("Tab")
    expect(second.locator("[data-hs-name]")).to_have_text("轮胎式起重机")
    expect(second.locator("select[name=line_unit]")).to_have_value("001")
    second.get_by_label("许可数量").fill("3")
    page.locator("#licence-form button[name=save]").click()  # 确认

    licence = Licence.objects.get()
    expect(page).to_have_url(re.compile(rf"/datacenter/licences/{licence.pk}/$"))
    expect(page.locator(".alert-success")).to_contain_text("24-O6-100231")
    detail_lines = page.locator("[data-licence-lines] tbody tr")
    expect(detail_lines).to_have_count(2)
    expect(detail_lines.nth(0)).to_contain_text("塔式起重机")
    expect(detail_lines.nth(1)).to_contain_text("84264110")
    expect(page.locator("[data-usage-history]")).to_contain_text("暂无核销记录")

    page.get_by_role("link", name="返回列表").click()
    row = page.locator(f'tr[data-pk="{licence.pk}"]')
    expect(row).to_contain_text("24-O6-100231")
    expect(row).to_contain_text("O - 自动进口许可证(新旧机电产品)")
    expect(row.locator("[data-status]")).to_have_text("有效")
    expect(row).to_contain_text("8426200000 5/5台; 84264110 3/3台")
    page.get_by_label("商品编号").fill("842641")
    page.get_by_label("商品编号").press("Enter")
    expect(page.locator("[data-list-summary]")).to_contain_text("总共 1 条记录")

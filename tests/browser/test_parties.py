"""Parties from codes on the pages (issue 11, point 14): typing a party's 10-character 海关编码
(or its 18-character 社会信用代码) fills its other code and its name; a name typed by hand stays."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.datacenter.customers.factories import make_customer, scc


def test_declaration_parties_fill_from_one_code(page, admin_a, ent_a):
    make_customer(ent_a, name="西安秦岭机电有限公司", customs_code="6101231234", scc=scc(77))
    login(page, "a_admin")
    page.goto("/declarations/new/?ie=E")
    page.locator("#h-trade_code").click()
    page.keyboard.type("6101231234\n", delay=30)
    expect(page.locator("#h-trade_co_scc")).to_have_value(scc(77))
    expect(page.locator("#h-trade_name")).to_have_value("西安秦岭机电有限公司")

    # by the credit code, for the 生产销售单位: the enterprise itself
    page.locator("#h-owner_code_scc").click()
    page.keyboard.type(ent_a.scc, delay=30)
    expect(page.locator("#h-owner_code")).to_have_value(ent_a.customs_code)
    expect(page.locator("#h-owner_name")).to_have_value(ent_a.name)

    # another code replaces what the lookup filled, never a name typed by hand
    page.locator("#h-owner_name").fill("手填的名称")
    page.locator("#h-trade_code").fill("")
    page.locator("#h-trade_code").click()
    page.keyboard.type(ent_a.customs_code, delay=30)
    expect(page.locator("#h-trade_name")).to_have_value(ent_a.name)
    expect(page.locator("#h-trade_co_scc")).to_have_value(ent_a.scc)
    expect(page.locator("#h-owner_name")).to_have_value("手填的名称")
    expect(page.locator("#decl-saved")).to_have_text("有未暂存的修改")


def test_commodity_form_trade_name_follows_its_code(page, admin_a, ent_a):
    login(page, "a_admin")
    page.goto("/datacenter/commodities/new/")
    page.locator("#id_trade_code").click()
    page.keyboard.type(ent_a.customs_code, delay=30)
    expect(page.locator("#id_trade_name")).to_have_value(ent_a.name)

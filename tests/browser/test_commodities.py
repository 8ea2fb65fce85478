"""A broker opens a new export declaration, uses the 商品数据库 to fill goods rows by keyboard
(one pick into the current row, then a multi-pick that appends rows), and fills a row of a
handbook declaration from the 保税商品库 by typing its 备案序号."""

from __future__ import annotations

from playwright.sync_api import expect

from guanwu.datacenter.commodities import services
from guanwu.datacenter.commodities.models import BondedItem, Commodity
from guanwu.declarations.models import Declaration
from tests.browser.conftest import login
from tests.declarations.factories import make_export_declaration


def rows(page):
    return page.locator("[data-grid=items] tbody tr[data-row]")


def field(page, row: int, name: str):
    return rows(page).nth(row).locator(f'td[data-col="{name}"] [data-field]')


def test_use_commodity_library_and_bonded_items(page, admin_a, ent_a):
    declaration = make_export_declaration(ent_a)
    Declaration.objects.filter(pk=declaration.pk).update(status="released")
    services.learn([declaration])  # 棉制针织T恤衫, 棉制儿童针织套头衫, 棉制针织背心
    vest = Commodity.objects.get(g_name="棉制针织背心")
    BondedItem.objects.create(
        enterprise=ent_a, ems_no="E61019000001", item_no=3, part_no="IC-STM32", code_ts="8542319000",
        g_name="微控制器集成电路", g_model="4|0|控制|数据处理|已封装|ST|STM32F103|否|量产|无|无|无", g_unit="007",
        first_unit="007", second_unit="035", origin_country="MYS", decl_price="1.25", trade_curr="USD",
    )

    login(page, "a_admin")
    page.goto("/declarations/new/?ie=E")
    expect(page.locator("#decl-title")).to_have_text("新增出口报关单")
    expect(rows(page)).to_have_count(1)

    # -- one pick: type a name, move with the arrows, Enter fills the current row ------------
    page.get_by_role("button", name="使用商品数据库").click()
    dialog = page.locator("#commodity-picker")
    expect(dialog).to_be_visible()
    search = dialog.get_by_label("查询商品数据库")
    expect(search).to_be_focused()
    search.press_sequentially("棉制针织")  # T恤衫 and 背心, not 棉制儿童针织套头衫
    results = dialog.locator("tbody tr[data-cp-index]")
    expect(results).to_have_count(2)
    expect(dialog.locator("tbody")).not_to_contain_text("套头衫")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowDown")
    picked = results.nth(1).locator("td").nth(2).inner_text()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    entry = Commodity.objects.get(g_name=picked)
    expect(field(page, 0, "g_name")).to_have_value(entry.g_name)
    expect(field(page, 0, "g_model")).to_have_value(entry.g_model)
    expect(rows(page).nth(0).locator('td[data-col="code_ts"]')).to_contain_text(entry.code_ts)
    expect(rows(page).nth(0).locator('td[data-col="first_unit"]')).to_have_text("011 件")
    expect(rows(page).nth(0).locator('td[data-col="second_unit"]')).to_have_text("035 千克")
    expect(field(page, 0, "g_unit")).to_have_value("011")
    expect(rows(page).nth(0).locator('td[data-col="g_unit"]')).to_contain_text("011 - 件")
    expect(field(page, 0, "trade_curr")).to_have_value("USD")
    expect(field(page, 0, "decl_price")).to_have_value(format(entry.decl_price.normalize(), "f"))
    expect(field(page, 0, "g_qty")).to_be_focused()  # what is left to key: the quantity
    page.keyboard.type("100")
    expect(field(page, 0, "decl_total")).not_to_have_value("")
    expect(page.locator("#decl-saved")).to_have_text("有未暂存的修改")

    # -- editing the row is the row's business, not the library's ------------------------
    field(page, 0, "g_name").fill("改过的名称")

    # -- multi-pick by keyboard: pinyin initials, Space checks, Enter appends one row each ----
    page.keyboard.press("Alt+J")
    expect(dialog).to_be_visible()
    page.get_by_label("多选 (每个商品新增一行)").check()
    search.fill("")
    search.press_sequentially("mzzzbx")  # 棉制针织背心 by its initials
    expect(results).to_have_count(1)
    expect(results.nth(0)).to_contain_text("棉制针织背心")
    page.keyboard.press("Tab")  # to the list, where Space checks the highlighted row
    page.keyboard.press("Space")
    expect(dialog.locator("[data-cp-count]")).to_have_text("已选 1 个")
    search.fill("")
    search.press_sequentially("6110")  # HS code prefix: the pick of the other query stays checked
    expect(results).to_have_count(1)
    expect(results.nth(0)).to_contain_text("6110200011")
    results.nth(0).click()
    expect(dialog.locator("[data-cp-count]")).to_have_text("已选 2 个")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(rows(page)).to_have_count(3)
    names = {field(page, i, "g_name").input_value() for i in (1, 2)}
    assert names == {"棉制针织背心", "棉制儿童针织套头衫"}
    expect(page.locator('#goods-totals [data-total="count"]')).to_have_text("3")

    # -- a handbook declaration: 备案号 in the head, 备案序号 in the row fills it ---------------
    expect(field(page, 2, "contr_item")).to_be_disabled()  # no 备案号 yet
    page.locator("#h-manual_no").fill("E61019000001")
    expect(field(page, 2, "contr_item")).to_be_enabled()
    field(page, 2, "contr_item").fill("3")
    field(page, 2, "contr_item").press("Enter")
    expect(field(page, 2, "g_name")).to_have_value("微控制器集成电路")
    expect(field(page, 2, "g_model")).to_have_value("4|0|控制|数据处理|已封装|ST|STM32F103|否|量产|无|无|无")
    expect(rows(page).nth(2).locator('td[data-col="code_ts"]')).to_contain_text("8542319000")
    expect(field(page, 2, "origin_country")).to_have_value("MYS")
    field(page, 1, "contr_item").fill("9")
    field(page, 1, "contr_item").press("Enter")
    expect(rows(page).nth(1).locator('td[data-col="contr_item"]')).to_have_attribute(
        "title", "保税商品库中没有备案号E61019000001的备案序号9")

    payload = page.evaluate("window.guanwu.declaration.collect()")  # what 暂存 would send
    assert [i["g_name"] for i in payload["items"]][0::2] == ["改过的名称", "微控制器集成电路"]
    assert payload["items"][2]["contr_item"] == "3" and payload["items"][0]["g_qty"] == "100"
    vest.refresh_from_db()
    assert vest.g_name == "棉制针织背心" and vest.usage_count == 1
    assert not Commodity.objects.filter(g_name="改过的名称").exists()
    assert Commodity.objects.filter(enterprise=ent_a).count() == 3

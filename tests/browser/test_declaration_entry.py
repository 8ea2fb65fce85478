"""A broker keys an export declaration with the keyboard: header fields through the code pickers
and Enter, two goods rows in the grid with the 申报要素 editor, live totals, 暂存 (Ctrl+S), 申报;
then customs (the simulator, run in-process) answers and the page shows the receipts arrive and
the status change, without a reload."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from guanwu.declarations.models import Declaration, DeclarationStatus
from tests.browser.conftest import login

BILL_NO = "COSU6201234560"


@pytest.fixture
def customs(settings, tmp_path, db):
    """Gateway folders of this test, a simulator that answers at once, and the manifest of the
    bill of lading the declaration names (customs checks it for sea transport)."""
    from guanwu.simulator.models import ArrivalReport, Manifest

    settings.GATEWAY_DIR = tmp_path / "gateway"
    settings.GUANWU_SIMULATOR_DELAY_SECONDS = 0
    settings.GUANWU_SIMULATOR_INSPECTION_RATE = 0
    settings.GUANWU_SIMULATOR_REJECTION_RATE = 0
    settings.GUANWU_SIMULATOR_SEED = "browser"
    Manifest.objects.create(bill_no=BILL_NO, traf_mode="2", traf_name="COSCO SHIPPING ARIES", voyage_no="042W",
                            gross_wt="2890", pack_no=340, i_e_flag="E", customs_code="5316")
    ArrivalReport.objects.create(bill_no=BILL_NO, customs_code="5316", location="盐田港区")  # 运抵 before release


def head(page, name: str, value: str | None = None, *, picker: bool = False, code: str | None = None) -> None:
    """The cursor is on header field ``name``: type ``value`` (if any) and press Enter."""
    target = page.locator(f"#h-{name}-ts-control" if picker else f"#h-{name}")
    expect(target).to_be_focused()
    if value is not None:
        page.keyboard.type(value)
    page.keyboard.press("Enter")
    if code is not None:
        expect(page.locator(f'#decl-head [name="{name}"]')).to_have_value(code)


def cell(page, row: int, name: str):
    """The input of grid cell ``name`` in goods row ``row`` (0-based); a picker's typing box."""
    td = page.locator("[data-grid=items] tbody tr[data-row]").nth(row).locator(f'td[data-col="{name}"]')
    return td.locator(".ts-control input") if td.locator(".ts-wrapper").count() else td.locator("[data-field]")


def grid(page, row: int, name: str, value: str | None = None, *, replace: bool = False) -> None:
    """The cursor is on grid cell ``name`` of ``row``: type ``value`` (if any) and press Enter."""
    expect(cell(page, row, name)).to_be_focused()
    if replace:
        page.keyboard.press("Control+A")
    if value is not None:
        page.keyboard.type(value)
    page.keyboard.press("Enter")


def elements(page, values: list[str]) -> None:
    """The 申报要素 editor is open: key each element and Enter; Enter on the last one confirms."""
    modal = page.locator("#elements-modal")
    expect(modal).to_be_visible()
    fields = modal.locator("[data-element]")
    expect(fields).to_have_count(len(values))
    for i, value in enumerate(values):
        expect(fields.nth(i)).to_be_focused()
        page.keyboard.type(value)  # on a select, typing 1 picks "1-境内自主品牌"
        page.keyboard.press("Enter")
    expect(modal).to_be_hidden()


def row_value(page, row: int, name: str):
    return page.locator("[data-grid=items] tbody tr[data-row]").nth(row).locator(
        f'td[data-col="{name}"] [data-field]')


def test_key_save_declare_and_watch_receipts(page, customs, admin_a, ent_a):
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "a_admin")
    page.goto("/declarations/")
    page.get_by_role("link", name="新增出口").click()
    expect(page.locator("#decl-title")).to_have_text("新增出口报关单")

    # -- header: pickers take codes, names or pinyin; Enter moves on ----------------------
    head(page, "custom_master", "5316", picker=True, code="5316")
    head(page, "ie_port", "大鹏", picker=True, code="5316")
    head(page, "manual_no")
    head(page, "contr_no", "SZ-DE-240915")
    head(page, "ie_date")
    head(page, "license_no")
    head(page, "internal_no", "ERP-SO-240915")
    head(page, "trade_co_scc", "91610100MA6U0001XA")
    head(page, "trade_code", "6101930001")
    head(page, "trade_name", "演示进出口有限公司")
    head(page, "overseas_consignee_code", "DE-THG-7")
    head(page, "overseas_consignee_ename", "TEXTIL HANDELS GMBH")
    head(page, "owner_code_scc", "91610100MA6U0001XA")
    head(page, "owner_code", "6101930001")
    head(page, "owner_name", "演示进出口有限公司")
    for name in ("agent_code_scc", "agent_code", "agent_name"):  # the enterprise itself, prefilled
        head(page, name)
    expect(page.locator("#h-agent_code")).to_have_value(ent_a.customs_code)
    head(page, "traf_mode", "水路", picker=True, code="2")
    head(page, "traf_name", "COSCO SHIPPING ARIES")
    head(page, "voy_no", "042W")
    head(page, "bill_no", BILL_NO)
    # an export declares 指运港 and 离境口岸; 启运港 and 货物存放地点 are not on its form
    expect(page.locator("#h-desp_port_code")).to_have_count(0)
    expect(page.locator("#h-goods_place")).to_have_count(0)
    head(page, "distinate_port", "汉堡", picker=True, code="DEU063")
    head(page, "enty_port_code", "盐田", picker=True, code="470601")
    head(page, "trade_country", "德国", picker=True, code="DEU")
    head(page, "trade_area_code", "dg", picker=True, code="DEU")  # pinyin initials
    expect(page.locator("#h-trade_country-ts-control").locator("xpath=..")).to_contain_text("DEU - 德国")
    head(page, "trade_mode", "0110", picker=True, code="0110")
    head(page, "cut_mode", "一般征税", picker=True, code="101")
    head(page, "trans_mode", "FOB", picker=True, code="3")
    head(page, "wrap_type", "22", picker=True, code="22")
    head(page, "no_other_pack", "1", code="1")  # 无其他包装: typing 1 picks "1-是"
    head(page, "pack_no", "340")
    head(page, "gross_wet", "2890")
    head(page, "net_wt", "2650.5")
    for name, picker in (("fee_mark", False), ("fee_rate", False), ("fee_curr", True), ("insur_mark", False),
                         ("insur_rate", False), ("insur_curr", True), ("other_mark", False), ("other_rate", False),
                         ("other_curr", True)):
        head(page, name, picker=picker)  # FOB export: no freight or insurance; Enter leaves them empty
    expect(page.locator('#decl-head [name="fee_curr"]')).to_have_value("")
    head(page, "promise_itmes")  # 999 prefilled for an export
    head(page, "self_tax")
    head(page, "mark_no", "N/M")
    head(page, "note_s")

    totals = page.locator("#goods-totals")
    expect(totals.locator('[data-total="gross_wet"]')).to_have_text("2890 kg")
    expect(totals.locator('[data-total="net_wt"]')).to_have_text("2650.5 kg")

    # -- goods row 1: HS code picker, suggested name, elements editor, auto total ----------
    grid(page, 0, "code_ts", "6109100010")
    expect(page.locator("[data-grid=items] tbody tr[data-row]").nth(0).locator('td[data-col="code_ts"]')
           ).to_contain_text("6109100010")
    expect(row_value(page, 0, "g_name")).to_have_value("棉制针织或钩编T恤衫、汗衫等")  # the tariff's name
    units = page.locator("[data-grid=items] tbody tr[data-row]").nth(0)
    expect(units.locator('td[data-col="first_unit"]')).to_have_text("011 件")
    expect(units.locator('td[data-col="second_unit"]')).to_have_text("035 千克")
    grid(page, 0, "ciq_code")
    grid(page, 0, "g_name", "棉制针织T恤衫", replace=True)
    # arriving at the empty 规格型号 opens the editor with the tariff's element names
    modal = page.locator("#elements-modal")
    expect(modal).to_be_visible()
    expect(modal.locator("[data-el-title]")).to_contain_text("6109100010")
    expect(modal.locator("label").nth(0)).to_have_text("1. 品牌类型")
    expect(modal.locator("label").nth(2)).to_have_text("3. 织造方法（针织或钩编）")
    elements(page, ["0", "0", "针织", "T恤衫", "圆领无扣无拉链", "100%棉", "无品牌", "TS-240", "无", "无", "无"])
    expect(row_value(page, 0, "g_model")).to_have_value("0|0|针织|T恤衫|圆领无扣无拉链|100%棉|无品牌|TS-240|无|无|无")
    grid(page, 0, "g_qty", "3000")
    grid(page, 0, "g_unit", "011")
    grid(page, 0, "decl_price", "3.85")
    expect(row_value(page, 0, "decl_total")).to_have_value("11550")  # 3000 × 3.85
    grid(page, 0, "decl_total")
    grid(page, 0, "trade_curr", "美元")
    expect(row_value(page, 0, "first_qty")).to_have_value("3000")  # 成交单位 = 法定第一单位
    grid(page, 0, "first_qty")
    grid(page, 0, "second_qty", "1650.5")
    grid(page, 0, "destination_country")  # 原产国 of an export: CHN prefilled
    grid(page, 0, "origin_country", "德国")  # 最终目的国
    grid(page, 0, "district_code", "44031")
    grid(page, 0, "duty_mode")  # Enter on the last cell of the last row adds a row

    # -- goods row 2: takes over currency, countries, district and duty mode ---------------
    expect(page.locator("[data-grid=items] tbody tr[data-row]")).to_have_count(2)
    grid(page, 1, "code_ts", "6110200011")
    grid(page, 1, "ciq_code")
    grid(page, 1, "g_name", "棉制儿童针织套头衫", replace=True)
    elements(page, ["0", "0", "针织起绒", "套头衫", "100%棉", "无品牌", "KJ-77", "无", "无", "无"])
    grid(page, 1, "g_qty", "1200")
    grid(page, 1, "g_unit", "件")
    grid(page, 1, "decl_price", "6.2")
    expect(row_value(page, 1, "decl_total")).to_have_value("7440")
    grid(page, 1, "decl_total")
    expect(page.locator('[data-grid=items] select[data-field="trade_curr"]').nth(1)).to_have_value("USD")
    grid(page, 1, "trade_curr")
    grid(page, 1, "first_qty")
    grid(page, 1, "second_qty", "600")
    expect(page.locator('[data-grid=items] select[data-field="origin_country"]').nth(1)).to_have_value("DEU")
    expect(page.locator('[data-grid=items] select[data-field="district_code"]').nth(1)).to_have_value("44031")

    expect(totals.locator('[data-total="count"]')).to_have_text("2")
    expect(totals.locator('[data-total="qty"]')).to_have_text("4200")
    expect(totals.locator('[data-total="value"]')).to_have_text("USD 18,990.00")

    # -- grid tools by keyboard: copy a row, move it, delete it ----------------------------
    cell(page, 1, "g_qty").focus()
    page.keyboard.press("Alt+K")  # 复制
    rows = page.locator("[data-grid=items] tbody tr[data-row]")
    expect(rows).to_have_count(3)
    expect(totals.locator('[data-total="value"]')).to_have_text("USD 26,430.00")
    page.keyboard.press("Alt+ArrowUp")  # the copy (row 3) moves up to row 2
    expect(rows.nth(1).locator("td.gw-idx")).to_have_text("2")
    expect(rows.nth(0).locator('[data-field="g_name"]')).to_have_value("棉制针织T恤衫")
    page.keyboard.press("Alt+ArrowUp")
    expect(rows.nth(0).locator('[data-field="g_name"]')).to_have_value("棉制儿童针织套头衫")
    page.keyboard.press("Alt+Delete")  # asks, the dialog is accepted
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator('[data-field="g_name"]')).to_have_value("棉制针织T恤衫")
    expect(totals.locator('[data-total="value"]')).to_have_text("USD 18,990.00")

    # -- 暂存 with Ctrl+S -------------------------------------------------------------------
    page.keyboard.press("Control+s")
    expect(page.locator("#decl-messages")).to_contain_text("暂存成功")
    expect(page).to_have_url(re.compile(r"/declarations/\d+/$"))
    declaration = Declaration.objects.get(enterprise=ent_a)
    assert declaration.status == DeclarationStatus.DRAFT and declaration.ie_flag == "E"
    items = list(declaration.items.order_by("g_no"))
    assert [(i.code_ts, i.g_name, i.decl_total) for i in items] == [
        ("6109100010", "棉制针织T恤衫", Decimal("11550")), ("6110200011", "棉制儿童针织套头衫", Decimal("7440"))]
    assert items[1].g_model == "0|0|针织起绒|套头衫|100%棉|无品牌|KJ-77|无|无|无"
    assert items[0].first_unit == "011" and items[0].second_unit == "035" and items[1].origin_country == "DEU"
    assert declaration.enty_port_code == "470601" and declaration.trade_area_code == "DEU"
    assert declaration.internal_no == "ERP-SO-240915"

    # -- 申报: checked, declared, the page turns read-only and polls ---------------------------
    page.locator("#btn-declare").click()
    modal = page.locator("#warnings-modal")  # packed sea cargo keyed without containers: asked
    expect(modal).to_contain_text("集装箱")
    modal.get_by_role("button", name=re.compile("继续申报")).click()
    live = page.locator("#decl-live")
    expect(live.locator(".gw-status")).to_have_text("已申报")
    expect(page.locator("#decl-readonly")).to_be_visible()
    expect(page.locator("#btn-save")).to_have_count(0)
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.DECLARED and declaration.client_seq_no

    # -- customs answers: the receipts arrive while the page is open --------------------------
    from guanwu.gateway.services import poll_once
    from guanwu.simulator.engine import run_until_idle

    poll_once()  # the gateway writes the DecMessage to the outbox
    assert run_until_idle() > 0  # customs takes it and answers, step by step
    poll_once()  # the gateway applies the receipts
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.CLOSED, declaration.status
    expect(live.locator(".gw-status")).to_have_text("结关")
    expect(live.locator("[data-entry-id]")).to_have_text(declaration.entry_id)
    expect(live).not_to_have_attribute("hx-trigger", re.compile("every"))  # polling stopped
    page.locator("#tab-receipts-btn").click()
    receipts = page.locator("#receipts-body tr")
    expect(receipts.locator("td:nth-child(3)")).to_contain_text(["海关已接收", "报关单放行", "已结关"])
    expect(page.locator("#receipts-count")).not_to_have_text("0")


def test_declare_maps_errors_to_cells_and_confirms_warnings(page, customs, admin_a, ent_a, actor_a):
    from guanwu.declarations import services
    from tests.declarations.payloads import export_payload

    body = export_payload(gross_wet="2650.5")  # 毛重 = 净重: legal, but worth a look (a warning)
    body["items"][1]["district_code"] = ""  # 暂存 takes it, 申报 does not
    declaration = services.create_draft(actor_a, body)
    login(page, "a_admin")
    page.goto(f"/declarations/{declaration.pk}/")

    page.locator("#btn-declare").click()
    summary = page.locator("#decl-errors")
    expect(summary).to_contain_text("第2项 境内货源地不能为空")
    bad = page.locator("[data-grid=items] tbody tr[data-row]").nth(1).locator('td[data-col="district_code"]')
    expect(bad).to_have_class(re.compile("gw-cell-invalid"))
    expect(page.locator("#decl-warnings")).to_contain_text("毛重等于净重")

    summary.get_by_role("link", name=re.compile("境内货源地不能为空")).click()  # jumps to the cell
    expect(bad.locator(".ts-control input")).to_be_focused()
    page.keyboard.type("深圳特区")
    page.keyboard.press("Enter")
    expect(bad.locator("[data-field]")).to_have_value("44031")

    page.locator("#btn-declare").click()  # saves, checks, then asks about the warnings
    modal = page.locator("#warnings-modal")
    expect(modal).to_be_visible()
    expect(modal).to_contain_text("毛重等于净重")
    modal.get_by_role("button", name=re.compile("继续申报")).click()
    expect(page.locator("#decl-live .gw-status")).to_have_text("已申报")
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.DECLARED
    assert declaration.items.get(g_no=2).district_code == "44031"


def test_tariff_name_arriving_late_is_replaced_by_what_the_broker_keys(page, customs, admin_a):
    """A fast broker reaches the empty 商品名称 before the tariff answers: the tariff's name arrives
    selected, so the name keyed next replaces it instead of being appended to it (seen in CI as
    "棉制儿童游戏套装紧身衫及套头衫棉制儿童针织套头衫")."""
    held = []
    page.route(re.compile(r"/api/v1/tariff/6109100010$"), lambda route: held.append(route))
    login(page, "a_admin")
    page.goto("/declarations/new/?ie=E")
    code = cell(page, 0, "code_ts")
    code.click()
    page.keyboard.type("6109100010")
    page.keyboard.press("Enter")
    grid(page, 0, "ciq_code")
    name = cell(page, 0, "g_name")
    expect(name).to_be_focused()
    for _ in range(200):  # the tariff request is on hold
        if held:
            break
        page.wait_for_timeout(25)
    assert held, "the grid did not ask the tariff for 6109100010"
    expect(name).to_have_value("")
    held[0].continue_()
    expect(name).to_have_value("棉制针织或钩编T恤衫、汗衫等")  # the suggestion, selected
    page.keyboard.type("棉制针织T恤衫")
    expect(name).to_have_value("棉制针织T恤衫")


def test_declare_while_a_save_is_under_way_waits_for_it(page, customs, admin_a, actor_a):
    """Ctrl+S and then at once 申报: the declaration is saved, then declared. Before, the second
    save found the first under way and gave up, so 申报 silently did nothing."""
    from guanwu.declarations import services
    from tests.declarations.payloads import export_payload

    declaration = services.create_draft(actor_a, export_payload())
    held = []

    def hold_first_put(route) -> None:
        if route.request.method == "PUT" and not held:
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(rf"/api/v1/declarations/{declaration.pk}$"), hold_first_put)
    login(page, "a_admin")
    page.goto(f"/declarations/{declaration.pk}/")
    page.fill("#h-contr_no", "SZ-DE-240916")
    page.keyboard.press("Control+S")
    for _ in range(200):  # the first save's PUT is on hold
        if held:
            break
        page.wait_for_timeout(25)
    assert held, "Ctrl+S did not save"
    page.locator("#btn-declare").click()  # while the first save is under way
    held[0].continue_()
    expect(page.locator("#decl-live .gw-status")).to_have_text("已申报")
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.DECLARED
    assert declaration.contr_no == "SZ-DE-240916"

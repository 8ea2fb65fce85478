"""加工贸易账册 as a customs clerk walks it (seed 001 智慧云报关 加工贸易账册, section 四):

- 企业资质申请: 新增 the head (red-star fields), 暂存; the 料件 grid by keyboard — 新增 then Enter
  saves the row, tick a row + 复制 then Enter saves the copy, tick a row, edit it in place, Enter
  saves; 快速查询 filters, 显示全部 shows all again; 申报;
- an approved account book, an import 核注清单 declared on its page, customs (the simulator, run
  in-process) answers and the list is released (通过(已核扣)); 查看回执 shows the seed's 回执 box.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from guanwu.processing.models import Inventory, QualificationApplication, QualificationGoods
from tests.browser.conftest import login


def pick(page, scope, field: str, text: str, code: str) -> None:
    """Type ``text`` into the picker of grid cell ``field`` and take option ``code``."""
    scope.locator(f'td[data-field="{field}"] .ts-control').click()
    page.keyboard.type(text)
    page.locator(f".ts-dropdown .option[data-value='{code}']").first.click()
    expect(scope.locator(f'select[data-grid-field="{field}"]')).to_have_value(code)


@pytest.fixture
def customs(settings, tmp_path, db):
    settings.GATEWAY_DIR = tmp_path / "gateway"
    settings.GUANWU_SIMULATOR_DELAY_SECONDS = 0
    settings.GUANWU_SIMULATOR_REJECTION_RATE = 0
    settings.GUANWU_SIMULATOR_SEED = "browser"


def test_qualification_head_grid_keys_and_declare(page, ent_a, admin_a):
    login(page, "a_admin")
    page.goto("/processing/qualifications/")
    page.get_by_role("link", name="新增").first.click()
    expect(page.locator("main h2")).to_have_text("企业资质申请")
    # the seed's red stars
    expect(page.locator("#head-form label.gw-required")).to_have_count(7)
    expect(page.locator("#id_bizop_etpsno")).to_have_value(ent_a.customs_code)  # the enterprise by default
    page.locator("#id_finish_valid_date").fill("2026-12-31")
    page.locator("#id_prcs_prdc_ablt_amt").fill("100")
    page.locator("#id_master_cuscd-ts-control").click()
    page.keyboard.type("9001")
    page.locator("#id_master_cuscd-ts-dropdown .option[data-value='9001']").click()
    page.get_by_role("button", name="暂存").click()
    app = QualificationApplication.objects.get()
    expect(page).to_have_url(re.compile(rf"/processing/qualifications/{app.pk}/$"))
    expect(page.locator(".alert-success")).to_contain_text("暂存成功")

    page.get_by_role("tab", name="料件").click()
    grid = page.locator("#grid-qualifications-I")
    rows = grid.locator("tbody tr[data-id]:not(.gw-grid-editing)")
    # 新增, fill the row, Enter saves it
    grid.get_by_role("button", name="新增").click()
    new = grid.locator("tbody tr.gw-grid-editing").first
    expect(new.get_by_label("序号")).to_be_focused()
    new.get_by_label("料号").fill("1")
    new.locator('td[data-field="gdecd"] .ts-control').click()
    page.keyboard.type("4421100090")
    page.locator(".ts-dropdown .option[data-value='4421100090']").first.click()
    expect(new.locator('[data-grid-field="lawf_unitcd"]')).to_have_text("千克")  # the tariff's legal unit
    new.get_by_label("商品名称").fill("出差")
    new.get_by_label("规格型号").fill("地方")
    pick(page, new, "dcl_unitcd", "千克", "035")
    new.get_by_label("申报单价").fill("4")
    pick(page, new, "dcl_currcd", "人民币", "CNY")
    new.get_by_label("申报数量").fill("4")
    new.get_by_label("申报数量").press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("出差")
    expect(rows.first.locator('td[data-field="dcl_total_amt"]')).to_have_text("16")
    expect(rows.first.locator('td[data-field="lawf_unitcd"]')).to_have_text("千克")
    assert QualificationGoods.objects.get().gds_seqno == 1

    # tick it, 复制, Enter saves the copy (the next 序号)
    rows.first.locator("[data-grid-check]").click()
    grid.get_by_role("button", name="复制").click()
    copy = grid.locator("tbody tr.gw-grid-editing[data-new]").first
    copy.get_by_label("料号").fill("ZX-2")
    copy.get_by_label("料号").press("Enter")
    expect(rows).to_have_count(2)
    assert sorted(QualificationGoods.objects.values_list("gds_seqno", flat=True)) == [1, 2]

    # tick a row, change it in place, Enter saves
    first = grid.locator("tbody tr[data-id]").filter(has_text="ZX-2")
    first.locator("[data-grid-check]").click()
    editing = grid.locator("tbody tr.gw-grid-editing")
    editing.get_by_label("申报数量").fill("10")
    editing.get_by_label("申报数量").press("Enter")
    expect(grid.locator("tbody tr.gw-grid-editing")).to_have_count(0)
    expect(grid.locator("tbody tr[data-id]").filter(has_text="ZX-2").locator('td[data-field="dcl_qty"]')).to_have_text(
        "10"
    )
    assert QualificationGoods.objects.get(gds_mtno="ZX-2").dcl_qty == 10

    # 快速查询 filters, 显示全部 shows everything again
    grid.get_by_label("查询条件").fill("ZX")
    grid.get_by_role("button", name="快速查询").click()
    expect(grid.locator("tbody tr[data-id]:visible")).to_have_count(1)
    expect(grid.locator("[data-grid-count]")).to_have_text("查询到 1 条, 共 2 条")
    grid.get_by_role("button", name="显示全部").click()
    expect(grid.locator("tbody tr[data-id]:visible")).to_have_count(2)
    expect(grid.get_by_label("查询条件")).to_have_value("")

    # 申报
    page.on("dialog", lambda d: d.accept())
    page.locator("[data-action=declare]").click()
    expect(page.locator(".gw-status")).to_have_text("已申报")
    app.refresh_from_db()
    assert app.status == "declared"
    assert not page.js_errors, page.js_errors


def test_import_list_declared_released_and_receipt_box(page, customs, ent_a, admin_a, actor_a):
    from guanwu.gateway.services import poll_once
    from guanwu.processing import services
    from guanwu.simulator.engine import run_until_idle
    from tests.processing import garment_book as gb

    book = gb.draft_book(actor_a)
    services.declare_book(actor_a, book.pk)
    poll_once()
    run_until_idle()  # customs approves the book and gives its number
    poll_once()
    book.refresh_from_db()
    assert book.ems_no and book.status == "approved", [(r.message_type, r.check_infos) for r in book.receipts.all()]
    login(page, "a_admin")
    page.goto("/processing/inventories/I/")
    page.get_by_role("link", name="新增").first.click()
    page.locator("#id_putrec_no").select_option(book.ems_no)
    for name, code in (("impexp_portcd", "9002"), ("dcl_plc_cuscd", "9001"), ("stship_trsarv_natcd", "JPN")):
        page.locator(f"#id_{name}-ts-control").click()
        page.keyboard.type(code)
        page.locator(f"#id_{name}-ts-dropdown .option[data-value='{code}']").click()
    page.get_by_role("button", name="暂存").click()
    inventory = Inventory.objects.get()
    expect(page).to_have_url(re.compile(rf"/processing/inventory/{inventory.pk}/$"))

    page.get_by_role("tab", name="表体").click()
    grid = page.locator("#grid-inventories-items")
    grid.get_by_role("button", name="新增").click()
    line = grid.locator("tbody tr.gw-grid-editing").first
    line.locator('td[data-field="putrec_seqno"] .ts-control').click()
    page.keyboard.type("FAB")
    page.locator(".ts-dropdown .option[data-value='1']").first.click()
    line.get_by_label("申报数量").fill("500")
    line.get_by_label("企业申报单价").fill("2.35")
    line.get_by_label("法定数量", exact=True).fill("60")
    line.get_by_label("第二法定数量").fill("500")
    pick(page, line, "natcd", "日本", "JPN")
    pick(page, line, "destination_natcd", "中国", "CHN")
    line.get_by_label("申报数量").press("Enter")
    saved = grid.locator("tbody tr[data-id]:not(.gw-grid-editing)")
    expect(saved).to_have_count(1)
    expect(saved.first).to_contain_text("FAB-CT-001")  # the book's 料件 filled the line

    page.on("dialog", lambda d: d.accept())
    page.locator("[data-action=declare]").click()
    assert page.locator("[data-declare-errors]").count() == 0, page.locator("[data-declare-errors]").inner_text()
    expect(page.locator(".gw-status")).to_have_text("已申报")

    poll_once()
    run_until_idle()
    poll_once()
    inventory.refresh_from_db()
    assert inventory.bond_invt_no and inventory.balance_state == "posted", [
        (r.message_type, r.check_infos) for r in inventory.receipts.all()
    ]
    page.reload()
    page.locator("[data-action=receipt]").click()
    box = page.locator("[data-receipt-box]")
    expect(box).to_contain_text("预录入统一编号")
    expect(box.locator("[data-receipt=seq_no]")).to_have_text(inventory.seq_no)
    expect(box.locator("[data-receipt=business_id]")).to_have_text(inventory.bond_invt_no)
    expect(box.locator("[data-receipt=status]")).to_have_text(inventory.get_status_display())
    expect(box.locator("[data-receipt-details] th")).to_have_text(["序号", "检查信息"])

    # 核销 of the book: 500 of material 1 in
    page.goto(f"/processing/books/{book.pk}/writeoff/")
    expect(page.locator("[data-writeoff-rows] tbody tr").first).to_contain_text("500")
    expect(page.locator("#writeoff-chart")).to_have_attribute("data-chart-ready", "1")
    assert not page.js_errors, page.js_errors

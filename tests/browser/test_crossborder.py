"""跨境电商B2B出口 in the browser (seed 003, 9710 出口订单管理 steps 4-9): the 商品批次号 proposed
with the next free 流水号, the order file (the platform's own template) imported through the
shared pipeline, 订单申报 with the rows checked and 提交海关, customs (the simulator, run
in-process) answers, the receipts show in Chinese on 订单查询, and the 订单编号 opens the
read-only detail with its receipts."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from guanwu.crossborder.models import CebStatus, CrossborderSettings, LogisticsCompany, Order
from tests.browser.conftest import login

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def customs(settings, tmp_path, db):
    settings.GATEWAY_DIR = tmp_path / "gateway"
    settings.GUANWU_SIMULATOR_DELAY_SECONDS = 0
    settings.GUANWU_SIMULATOR_INSPECTION_RATE = 0
    settings.GUANWU_SIMULATOR_REJECTION_RATE = 0
    settings.GUANWU_SIMULATOR_SEED = "browser"


@pytest.fixture
def crossborder_a(ent_a):
    CrossborderSettings.objects.create(enterprise=ent_a, short_code="XAYH", customs_code="9001", port_code="9001",
                                       dxp_id="DXPENT0000000001")
    LogisticsCompany.objects.create(enterprise=ent_a, short_code="SF", logistics_code="4403180001",
                                    logistics_name="顺丰速运有限公司")


def filled(template: bytes, heads: list[dict], lines: list[dict]) -> bytes:
    """The platform's template with rows under its own headers (``*`` marks required columns)."""
    book = load_workbook(io.BytesIO(template))
    for name, rows in (("表头", heads), ("表体", lines)):
        sheet = book[name]
        columns = {str(c.value).lstrip("*"): c.column for c in sheet[1] if c.value}
        for r, row in enumerate(rows, start=2):
            for header, value in row.items():
                sheet.cell(row=r, column=columns[header], value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_submit_receipts_detail(page, customs, admin_a, ent_a, crossborder_a):
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, "a_admin")
    # -- 导入订单: the menu entry, the proposed 商品批次号, then another day's ------------------------
    page.goto("/crossborder/")
    page.locator(".gw-sidebar a", has_text="导入订单").first.click()
    batch = page.locator("#upload-batch_no")
    expect(batch).to_have_value(f"SF{timezone.localdate():%Y%m%d}XAYH01")
    page.fill("#batch-day", "2024-09-20")
    page.locator("#batch-day").dispatch_event("change")
    expect(page.locator("#upload-batch_no")).to_have_value("SF20240920XAYH01")

    template = page.request.get(page.locator("#download-template").get_attribute("href"))
    assert template.ok
    heads = [
        {"订单序号": 1, "订单编号": "SO20240920001", "电商平台代码": "6101960001", "电商平台名称": "西安跨境B2B平台",
         "币制": "502 - 美元"},
        {"订单序号": 2, "订单编号": "SO20240920002", "电商平台代码": "6101960001", "电商平台名称": "西安跨境B2B平台",
         "币制": "502"},
    ]
    lines = [
        {"订单序号": 1, "企业商品货号": "TS-001", "企业商品名称": "男式棉制针织T恤", "计量单位": "011", "数量": 200,
         "单价": 3.2},
        {"订单序号": 1, "企业商品货号": "TS-002", "企业商品名称": "女式棉制针织T恤", "计量单位": "011", "数量": 150,
         "单价": 3.5},
        {"订单序号": 2, "企业商品货号": "TY-100", "企业商品名称": "塑料积木玩具", "计量单位": "011", "数量": 300,
         "单价": 1.6},
    ]
    page.set_input_files("#import-file", files=[
        {"name": "9710订单.xlsx", "mimeType": XLSX, "buffer": filled(template.body(), heads, lines)}])
    page.click("#import-submit")
    expect(page.locator("#import-panel .job-message")).to_contain_text("导入成功 2 份订单")
    assert Order.objects.for_enterprise(ent_a).filter(batch__batch_no="SF20240920XAYH01").count() == 2

    # -- 订单申报: query by batch, check, 提交海关 -----------------------------------------------
    page.click("#import-next")
    expect(page).to_have_url("/crossborder/orders/9710/declare/")
    page.fill("#f-batch_no", "SF20240920XAYH01")
    page.locator("#gw-list-filters button[type=submit]").click()
    # the two unsent orders were listed before the query too: wait for the queried list to be swapped
    # in, or the ticks below land on rows that the answer then replaces
    expect(page).to_have_url(re.compile(r"batch_no=SF20240920XAYH01"))
    expect(page.locator("#gw-list-filters.htmx-request")).to_have_count(0)
    rows = page.locator("[data-list-table] tbody tr[data-pk]")
    expect(rows).to_have_count(2)
    page.locator("[data-select-all]").check()
    page.locator("[data-bulk-action]", has_text="提交海关").click()
    expect(page.locator(".gw-messages")).to_contain_text("已提交海关 2 份订单")
    assert set(Order.objects.for_enterprise(ent_a).values_list("status", flat=True)) == {CebStatus.SENT}

    # -- customs answers (CEB304: 2 电子口岸申报中, 120 海关入库) -------------------------------------
    from guanwu.gateway.services import poll_once
    from guanwu.simulator.engine import run_until_idle

    poll_once()
    assert run_until_idle() > 0
    poll_once()
    assert set(Order.objects.for_enterprise(ent_a).values_list("status", flat=True)) == {CebStatus.ACCEPTED}

    # -- 订单查询: the receipts in Chinese; the 订单编号 opens the read-only detail -------------------
    page.locator(".gw-sidebar a", has_text="订单查询").first.click()
    expect(page.locator("[data-list-table] tbody")).to_contain_text("海关入库[120]")
    page.locator("[data-list-table] a", has_text="SO20240920001").click()
    detail = page.locator("#order-detail")
    expect(detail).to_contain_text("查看订单详情 SO20240920001")
    expect(detail.locator('[data-field="商品批次号"]')).to_have_text("SF20240920XAYH01")
    expect(detail.locator('[data-field="币制"]')).to_have_text("美元[502]")
    expect(page.locator("#order-lines tbody tr")).to_have_count(2)
    expect(page.locator("#receipts-body")).to_contain_text("CEB304")
    expect(page.locator("#receipts-body")).to_contain_text("海关入库[120]")
    expect(detail.locator("input, select, textarea, button")).to_have_count(0)  # read-only
    assert not page.js_errors

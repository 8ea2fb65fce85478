"""Imports: the commodities template checked against the tariff and elements; the strict
bonded-items template refused whole when its headers are wrong."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from guanwu.core.errors import ServiceError
from guanwu.datacenter.commodities.imports import BONDED_COLUMNS, COMMODITY_COLUMNS
from guanwu.datacenter.commodities.models import BondedItem, Commodity, CommoditySource
from guanwu.imports import services as imports
from guanwu.jobs.models import JobStatus


def xlsx(headers: list[str], rows: list[list]) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = wb.add_worksheet("数据")
    ws.write_row(0, 0, headers)
    for r, row in enumerate(rows, start=1):
        ws.write_row(r, 0, row)
    wb.close()
    return out.getvalue()


def run(actor, key: str, data: bytes, mode: str, capture):
    with capture(execute=True):
        job = imports.start_import(actor, key, SimpleUploadedFile("f.xlsx", data), mode)
    job.refresh_from_db()
    return job


COMMODITY_HEADERS = [c.marked_header for c in COMMODITY_COLUMNS]
TSHIRT = ["6101930001", "演示进出口有限公司", "出口", "6109100010", "", "棉制针织T恤衫",
          "0|0|针织|T恤衫|圆领|100%棉|无品牌|TS-1|无|无|无", "011 - 件", "", "DEU", "USD", 3.85, "61019", "", "1"]


def row(**changes) -> list:
    values = dict(zip([c.field for c in COMMODITY_COLUMNS], TSHIRT, strict=True))
    values.update(changes)
    return [values[c.field] for c in COMMODITY_COLUMNS]


def test_commodities_import_checks_tariff_and_elements(actor_a, django_capture_on_commit_callbacks):
    rows = [
        row(),
        row(code_ts="9999999999"),  # not in the tariff
        row(g_name="棉制针织背心", g_model="1|0|针织"),  # 3 elements instead of 11
        row(g_name="棉制针织衬衫", g_model="7|0|针织|T恤衫|圆领|100%棉|无品牌|TS-1|无|无|无"),  # 品牌类型 7
        row(g_name="棉制针织T恤衫 "),  # the first row again (normalised)
        row(g_name="笔记本电脑", code_ts="8471309000", ie_flag="进口", ciq_code="999",
            g_model="4|3|便携式|CPU+内存|DELL|5450|无|无|无"),  # CIQ code not of this HS code
        row(g_name="笔记本电脑", code_ts="8471309000", ie_flag="I", ciq_code="101", g_unit="001",
            g_model="4|3|便携式|CPU+内存|DELL|5440|无|无|无", origin_country="美国"),  # 出口享惠情况 3 on import
        row(trade_code="", trade_name=""),
        row(g_unit="XYZ"),
    ]
    job = run(actor_a, "commodities", xlsx(COMMODITY_HEADERS, rows), "all_or_nothing",
              django_capture_on_commit_callbacks)
    assert job.status == JobStatus.FAILED
    assert not Commodity.objects.exists()
    errors = {(e["row"], e["column"]): e["message"] for e in job.result["error_sample"]}
    assert "税则中不存在" in errors[(3, "商品编号")]
    assert "申报要素应有11项" in errors[(4, "规格型号")]
    assert "品牌类型" in errors[(5, "规格型号")]
    assert "重复" in errors[(6, "商品名称")]
    assert "不属于商品编号" in errors[(7, "检验检疫编码")]
    assert "至少填一项" in errors[(9, "境内收发货人代码")]
    assert "不存在于参数表" in errors[(10, "申报计量单位")]
    assert job.failed == 7

    job = run(actor_a, "commodities", xlsx(COMMODITY_HEADERS, rows), "valid_only", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED and job.done == 2
    laptop = Commodity.objects.get(g_name="笔记本电脑")
    assert laptop.source == CommoditySource.IMPORTED and laptop.usage_count == 0
    assert laptop.first_unit == "001" and laptop.second_unit == "035" and laptop.origin_country == "USA"
    assert laptop.ciq_name and laptop.ie_flag == "I"
    tshirt = Commodity.objects.get(g_name="棉制针织T恤衫")
    assert tshirt.g_unit == "011" and tshirt.first_unit == "011" and str(tshirt.decl_price) == "3.8500"


def test_import_updates_existing_entries(actor_a, client_a, django_capture_on_commit_callbacks):
    run(actor_a, "commodities", xlsx(COMMODITY_HEADERS, [row()]), "valid_only", django_capture_on_commit_callbacks)
    job = run(actor_a, "commodities", xlsx(COMMODITY_HEADERS, [row(decl_price=4.2, g_name="棉制针织Ｔ恤衫")]),
              "valid_only", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED
    assert Commodity.objects.count() == 1
    assert str(Commodity.objects.get().decl_price) == "4.2000"
    items = client_a.get("/api/v1/commodities", {"q": "mzzz"}).json()["items"]
    assert [i["g_name"] for i in items] == ["棉制针织T恤衫"]


BONDED_HEADERS = [c.marked_header for c in BONDED_COLUMNS]
BONDED_ROW = ["E61019000001", 1, "IC-1", "8542319000", "微控制器", "0|0|控制", "007", "", "", "MYS", 1.25, "USD"]


def test_strict_bonded_template_refuses_wrong_headers_and_imports_nothing(actor_a):
    swapped = list(BONDED_HEADERS)
    swapped[1], swapped[2] = swapped[2], swapped[1]
    with pytest.raises(ServiceError) as exc:
        imports.start_import(actor_a, "bonded-items", SimpleUploadedFile("b.xlsx", xlsx(swapped, [BONDED_ROW])),
                             "valid_only")
    assert "第2列表头应为「备案序号」,实际为「料号」" in exc.value.message
    renamed = [h.replace("料号", "物料号") for h in BONDED_HEADERS]
    with pytest.raises(ServiceError) as exc:
        imports.start_import(actor_a, "bonded-items", SimpleUploadedFile("b.xlsx", xlsx(renamed, [BONDED_ROW])),
                             "valid_only")
    assert "第3列表头应为「料号」,实际为「物料号」" in exc.value.message
    with pytest.raises(ServiceError) as exc:
        imports.start_import(actor_a, "bonded-items",
                             SimpleUploadedFile("b.xlsx", xlsx([*BONDED_HEADERS, "备注"], [BONDED_ROW])), "valid_only")
    assert "「备注」不在模板中" in exc.value.message
    assert not BondedItem.objects.exists()


def test_bonded_import_upserts_by_record_and_item_no(actor_a, django_capture_on_commit_callbacks):
    rows = [BONDED_ROW, ["E61019000001", 2, "PCB-1", "8534009000", "印刷电路板", "", "007", "", "", "CHN", 2.8, "USD"],
            ["E6101", 3, "", "8534009000", "印刷电路板", "", "", "", "", "", "", ""]]
    job = run(actor_a, "bonded-items", xlsx(BONDED_HEADERS, rows), "valid_only", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED and job.done == 2 and job.failed == 1
    item = BondedItem.objects.get(item_no=1)
    assert item.first_unit == "007" and item.second_unit == "035" and item.part_no == "IC-1"
    changed = [["E61019000001", 1, "IC-2", "8542319000", "微控制器", "", "007", "", "", "MYS", 1.3, "USD"]]
    run(actor_a, "bonded-items", xlsx(BONDED_HEADERS, changed), "valid_only", django_capture_on_commit_callbacks)
    assert BondedItem.objects.count() == 2
    assert BondedItem.objects.get(item_no=1).part_no == "IC-2"


def test_a_row_reports_all_its_errors_at_once(actor_a, django_capture_on_commit_callbacks):
    """Issue 11, point 16: a bad 商品编号 (a tariff check) is reported next to a unit, a country
    and a price that cannot be read (cell checks), not only after those are fixed. (ZZZ is a
    real code, 国别不详: QQQ is not.)"""
    rows = [row(code_ts="9999999999", origin_country="QQQ", g_unit="XYZ", decl_price="abc")]
    job = run(actor_a, "commodities", xlsx(COMMODITY_HEADERS, rows), "valid_only", django_capture_on_commit_callbacks)
    errors = {e["column"]: e["message"] for e in job.result["error_sample"]}
    assert set(errors) == {"商品编号", "原产国(地区)", "申报计量单位", "申报单价"}, errors
    assert "税则中不存在" in errors["商品编号"]
    assert job.failed == 1 and not Commodity.objects.exists()
    # the bonded items as well: a 备案号 of the wrong length next to a unit that cannot be read
    bad = ["E6101", 1, "IC-1", "9999999999", "微控制器", "", "XYZ", "", "", "MYS", "abc", "USD"]
    job = run(actor_a, "bonded-items", xlsx(BONDED_HEADERS, [bad]), "valid_only", django_capture_on_commit_callbacks)
    errors = {e["column"]: e["message"] for e in job.result["error_sample"]}
    assert {"备案号", "商品编号", "申报计量单位", "申报单价"} <= set(errors), errors

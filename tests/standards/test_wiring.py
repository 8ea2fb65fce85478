"""The 申报要素 checker where the broker works (issue 17 section 6), through the shared goods rules
(``params.goods.element_rules``): the declaration's own check before 申报 and the commodity
library (form and Excel import).

Rules and sources as in ``test_checker.py``: 品牌 against 品牌类型 (规范申报目录, 海关总署公告2016年
第20号 / 2017年第1号, and the 规范申报 guidance “无品牌”), 成分含量 percentages, GTIN check digit
(GS1 General Specifications 7.9).
"""

from __future__ import annotations

import pytest

from guanwu.datacenter.commodities.goods import check_goods
from guanwu.datacenter.commodities.models import Commodity
from guanwu.jobs.models import JobStatus
from guanwu.params import goods
from guanwu.params import services as params
from guanwu.standards.services import checker
from tests.datacenter.commodities.test_imports import COMMODITY_HEADERS, row, run, xlsx
from tests.declarations.payloads import export_payload
from tests.declarations.test_rules import findings as declaration_findings

pytestmark = pytest.mark.django_db

TSHIRT = "6109100010"  # 品牌类型|出口享惠情况|织造方法|种类|领型|成分含量|品牌（中文及外文名称）|型号|GTIN|CAS|其他
BRAND = "品牌（中文及外文名称）"


def tshirt(*, brand_type: str = "0", composition: str = "100%棉", brand: str = "无品牌", gtin: str = "无") -> str:
    return f"{brand_type}|0|针织|T恤衫|圆领无扣无拉链|{composition}|{brand}|TS-240|{gtin}|无|无"


def test_the_checker_is_registered_with_the_shared_goods_rules():
    """The standards app registers its checker with ``params.goods`` once; the goods rules'
    ``element_rules`` then run it (and leave the element count to ``goods.elements``)."""
    assert checker.goods_findings in goods._ELEMENT_RULES
    assert goods._ELEMENT_RULES.count(checker.goods_findings) == 1
    tariff = params.tariff_item(TSHIRT)
    assert goods.element_rules(tshirt(), tariff, "E") == []
    assert goods.element_rules("0|0|针织", tariff, "E") == []  # the count is goods.elements' finding
    found = goods.element_rules(tshirt(brand="耐克"), tariff, "E")
    assert found == [goods.Finding(
        "g_model", f"申报要素“{BRAND}”: 品牌类型为0(无品牌)时, 品牌应填报“无品牌”, 实际为“耐克”", goods.RULE)]


# -- the declaration's check before 申报 ------------------------------------------------------------


def _with_model(g_model: str) -> dict:
    raw = export_payload()
    raw["items"][0]["g_model"] = g_model
    return raw


def test_declare_refuses_a_brand_that_contradicts_its_brand_type(actor_a):
    """规范申报目录 品牌类型 0 (无品牌) with a brand name: an error of 第1项 on 申报, a warning on 暂存
    (a half-keyed declaration may be saved), once (not repeated by the goods rules)."""
    raw = _with_model(tshirt(brand="耐克"))
    message = f"第1项 申报要素“{BRAND}”: 品牌类型为0(无品牌)时, 品牌应填报“无品牌”, 实际为“耐克”"
    on_declare = declaration_findings(actor_a, raw)
    assert [(e.field, e.message) for e in on_declare.errors] == [("items[0].g_model", message)]
    on_save = declaration_findings(actor_a, raw, on_declare=False)
    assert on_save.errors == []
    assert ("items[0].g_model", message) in [(w.field, w.message) for w in on_save.warnings]


def test_declare_refuses_a_wrong_gtin_check_digit(actor_a):
    """GS1 General Specifications 7.9: a GTIN-13 whose check digit is wrong is refused on 申报."""
    found = declaration_findings(actor_a, _with_model(tshirt(gtin="6901234567893")))
    assert [e.message for e in found.errors] == ["第1项 GTIN“6901234567893”校验位错误: 按 GS1 规则应为2"]
    assert declaration_findings(actor_a, _with_model(tshirt(gtin="6901234567892"))).errors == []


def test_declare_warns_on_a_composition_short_of_100_percent(actor_a):
    """成分含量 under 100 % without 余量: a warning before 申报, never an error."""
    found = declaration_findings(actor_a, _with_model(tshirt(composition="棉60%, 涤纶30%")))
    assert found.errors == []
    assert "第1项 成分含量的百分比合计90%, 不足100%; 请列明全部成分或注明“余量”" in [w.message for w in found.warnings]


def test_a_clean_item_adds_nothing(actor_a):
    """The valid payload: no checker finding among the warnings either."""
    found = declaration_findings(actor_a, export_payload())
    assert found.errors == []
    assert not [w for w in found.warnings if w.field.endswith("g_model")]


# -- the commodity library -------------------------------------------------------------------------


def test_commodity_check_splits_errors_and_warnings():
    """``check_goods``: a checker error refuses the row; a warning goes to ``warnings`` only."""
    warnings: list[tuple[str, str]] = []
    bad = {"code_ts": TSHIRT, "g_model": tshirt(brand_type="3", brand="无品牌")}
    assert check_goods(bad, "E", warnings=warnings) == [
        ("g_model", f"申报要素“{BRAND}”: 品牌类型为3-境外品牌(贴牌生产)时应填报品牌名称, 不能为“无品牌”")]
    assert warnings == []
    odd = {"code_ts": TSHIRT, "g_model": tshirt(composition="棉60%, 涤纶30%")}
    assert check_goods(odd, "E", warnings=warnings) == []
    assert warnings == [("g_model", "成分含量的百分比合计90%, 不足100%; 请列明全部成分或注明“余量”")]


def test_commodity_import_refuses_checker_errors_and_lists_warnings(actor_a, django_capture_on_commit_callbacks):
    """The 商品数据库 import: a row whose 品牌 contradicts its 品牌类型 is refused with a Chinese
    message naming the element under 规格型号; a row with a 成分含量 short of 100 % is imported
    and its warning listed with the row number."""
    rows = [
        row(),
        row(g_name="棉制针织背心", g_model=tshirt(brand="耐克")),
        row(g_name="棉制针织衬衫", g_model=tshirt(composition="棉60%, 涤纶30%")),
    ]
    job = run(actor_a, "commodities", xlsx(COMMODITY_HEADERS, rows), "valid_only", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED and job.done == 2 and job.failed == 1
    assert job.result["error_sample"] == [{
        "row": 3, "column": "规格型号",
        "message": f"申报要素“{BRAND}”: 品牌类型为0(无品牌)时, 品牌应填报“无品牌”, 实际为“耐克”"}]
    assert job.result["warnings"] == 1
    assert job.result["warning_sample"] == [{
        "row": 4, "column": "规格型号", "message": "成分含量的百分比合计90%, 不足100%; 请列明全部成分或注明“余量”"}]
    assert set(Commodity.objects.values_list("g_name", flat=True)) == {"棉制针织T恤衫", "棉制针织衬衫"}
    assert not any("__" in key for key in Commodity.objects.values()[0])  # the warnings are not a field


def test_commodity_import_without_warnings_has_no_warning_list(actor_a, django_capture_on_commit_callbacks):
    job = run(actor_a, "commodities", xlsx(COMMODITY_HEADERS, [row()]), "valid_only",
              django_capture_on_commit_callbacks)
    assert job.status == JobStatus.SUCCEEDED and "warnings" not in job.result

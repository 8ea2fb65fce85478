"""The shared goods rules (``params.goods``) on one goods line, as every module reads them.

Sources as in the module: 《报关单填制规范》(海关总署公告2019年第18号) 商品名称及规格型号 and 数量及
单位; 《进出口商品规范申报目录》(海关总署公告2016年第20号 / 2017年第1号) for 申报要素, 品牌类型
and 出口享惠情况; 海关总署公告2018年第60号 (关检融合) for 检验检疫编码 in the declaration.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from guanwu.params import goods
from guanwu.params import services as params

pytestmark = pytest.mark.django_db

CHICKEN = "0207141100"  # 冻的带骨鸡块, 监管条件 7AB4x (入境 A / 出境 B inspection)


@pytest.fixture
def tariff():
    """A real tariff line with a short element list of our own, so every case is one line."""
    return dataclasses.replace(params.tariff_item(CHICKEN), elements=("品牌类型", "出口享惠情况", "加工方法", "GTIN"))


def test_brand_type_and_export_preference_take_their_fixed_values(tariff):
    """规范申报目录: 品牌类型 0-4; 出口享惠情况 0/1/2 on an export, 3 (不适用于进口报关单) on an import."""
    assert goods.elements("0|1|冷冻|", tariff, "E") == []
    assert goods.elements("0|3|冷冻|", tariff, "I") == []
    assert [f.message for f in goods.elements("5|3|冷冻|", tariff, "E")] == [
        "申报要素“品牌类型”应为 0-4, 实际为“5”", "申报要素“出口享惠情况”出口报关单应为 0、1 或 2, 实际为“3”"]
    assert {f.level for f in goods.elements("5|3|冷冻|", tariff, "E")} == {goods.RULE}
    assert goods.elements("0|3|冷冻|", tariff, "") == []  # no direction yet (a library row): 0-3


def test_element_count_and_empty_elements_on_declare(tariff):
    """规格型号 carries every 申报要素 in the tariff's order, separated by |; on 申报 none but GTIN,
    CAS, 其他 and the 如... ones is empty (暂存 checks only the count and the fixed values)."""
    (count,) = goods.elements("0|1|冷冻", tariff, "E")
    assert count.path == "g_model" and "申报要素应有4项" in count.message
    assert goods.elements("0||| ", tariff, "E") == []
    declared = goods.elements("0||| ", tariff, "E", on_declare=True)
    assert [(f.level, f.message) for f in declared] == [
        (goods.ERROR, "申报要素“出口享惠情况”不能为空"), (goods.ERROR, "申报要素“加工方法”不能为空")]
    assert goods.split_elements("a|b") == ["a", "b"] and goods.split_elements("") == []


def test_legal_units_come_from_the_tariff(tariff):
    """填制规范 数量及单位: the legal units are the tariff's; a line without a second unit carries
    no second quantity, and on 申报 a second unit needs its quantity."""
    row = {"first_unit": "007", "second_qty": Decimal("1")}
    found = goods.legal_units(row, dataclasses.replace(tariff, second_unit=""))
    assert [(f.path, f.level) for f in found] == [("first_unit", goods.ERROR), ("second_qty", goods.RULE)]
    assert found[0].message.startswith(f"法定第一计量单位由税则确定, 应为{tariff.first_unit}(")
    with_second = dataclasses.replace(tariff, second_unit="035")
    (missing,) = goods.legal_units({}, with_second, on_declare=True)
    assert missing.path == "second_qty" and "第二法定数量不能为空" in missing.message
    filled = {}
    goods.fill_legal_units(filled, with_second)
    assert filled == {"first_unit": tariff.first_unit, "second_unit": "035"}


def test_legal_quantity_in_kilograms_is_the_net_weight(tariff):
    """填制规范 数量及单位: the quantity in 千克 is the net weight, whichever legal unit it is."""
    as_first = dataclasses.replace(tariff, first_unit=goods.KG, second_unit="")
    as_second = dataclasses.replace(tariff, first_unit="007", second_unit=goods.KG)
    assert goods.legal_quantity(as_first, goods.KG, Decimal("5"), None) == Decimal("5")
    assert goods.legal_quantity(as_second, goods.KG, Decimal("5"), Decimal("2")) == Decimal("2")
    assert goods.legal_quantity(as_second, goods.LITRE, Decimal("5"), Decimal("2")) is None
    assert [f.path for f in goods.legal_quantities_positive({"first_qty": Decimal("0")}, as_first)] == ["first_qty"]


def test_inspected_goods_carry_their_ciq_code(tariff):
    """关检融合 (海关总署公告2018年第60号): goods under 监管条件 A (入境) / B (出境) declare their
    检验检疫编码, which must be one of the 商品编号's."""
    own = params.ciq_names(CHICKEN)[0][0]
    (missing,) = goods.ciq_code({}, tariff, "I", required=True)
    assert missing.level == goods.ERROR and "须入境检验检疫(监管条件A)" in missing.message
    assert goods.ciq_code({"ciq_code": own}, tariff, "E", required=True) == []
    (foreign,) = goods.ciq_code({"ciq_code": "XYZ"}, tariff, "E")
    assert foreign.message == f"检验检疫编码XYZ不属于商品编号{CHICKEN}"
    not_inspected = dataclasses.replace(tariff, licence_codes="7")
    assert goods.ciq_code({}, not_inspected, "I", required=True) == []
    assert goods.ciq_name(CHICKEN, own) == dict(params.ciq_names(CHICKEN))[own][:50]


def test_goods_attributes_one_per_group_and_the_group_an_inspected_import_needs(tariff):
    """货物属性代码表: codes of one group exclude each other; an inspected food import (chapter
    02) states 预包装 14/15 (填制规范 货物属性, 海关总署公告2018年第60号)."""
    found = goods.attributes(["14", "15", "99"], tariff, "I")
    assert [f.message.split(":")[0] for f in found] == ["货物属性代码不存在", "货物属性“预包装”只能选择一项"]
    (needed,) = goods.attributes(goods.attribute_codes("19"), tariff, "I")
    assert "须申报货物属性“预包装”" in needed.message
    assert goods.attributes(["15"], tariff, "I") == [] and goods.attributes([], tariff, "E") == []

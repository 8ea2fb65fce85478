"""The 申报要素 checker (issue 17 section 6): every rule with a text it passes and one it refuses.

Sources as in ``standards/services/checker.py``: 《进出口商品规范申报目录》 (海关总署公告2016年第20号
/ 2017年第1号) and the 海关总署 规范申报 guidance for the element names, 品牌类型, 出口享惠情况,
品牌/无品牌, 型号/无型号, 成分含量 and units; GS1 General Specifications 7.9 for the GTIN check
digit; the CAS Registry Number check digit for CAS numbers.
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guanwu.core.errors import ServiceError
from guanwu.params import services as params
from guanwu.standards.services import checker, digits, registry

pytestmark = pytest.mark.django_db

CHLORINE = "2801100000"  # 氯: 品牌类型|出口享惠情况|成分含量|包装|品牌|型号|GTIN|CAS|其他


def line(*elements: str):
    """A real tariff line with the element list of the case."""
    return dataclasses.replace(params.tariff_item(CHLORINE), elements=("品牌类型", "出口享惠情况", *elements))


def findings(tariff, g_model: str, ie_flag: str = "") -> list[tuple[str, str, str]]:
    return [(f.element, f.level, f.message) for f in checker.check_text(tariff, g_model, ie_flag)]


def test_a_clean_text_has_no_findings():
    """A 规格型号 that follows every rule: nothing to say (the real 氯 line)."""
    text = "0|0|氯99.5%|1000千克/钢瓶|无品牌|无型号|6901234567892|7782-50-5|"
    assert checker.check(CHLORINE, text, "E") == []


def test_code_sets_of_brand_type_and_export_preference():
    """规范申报目录: 品牌类型 0-4, 出口享惠情况 0-3 (0/1/2 on an export, 3 on an import), through the
    shared goods rules."""
    tariff = line("其他")
    assert findings(tariff, "4|2|", "E") == []
    assert findings(tariff, "5|4|") == [
        ("品牌类型", "error", "申报要素“品牌类型”应为 0-4, 实际为“5”"),
        ("出口享惠情况", "error", "申报要素“出口享惠情况”应为 0-3, 实际为“4”")]
    assert [f[0] for f in findings(tariff, "0|3|", "E")] == ["出口享惠情况"]


def test_the_element_count_comes_first():
    """规格型号 lists every element of the code, separated by | (规范申报目录)."""
    found = findings(line("其他"), "0|3")
    assert len(found) == 1 and found[0][:2] == ("", "error") and "应有3项" in found[0][2]


def test_other_coded_elements_named_by_their_choices():
    """An element named as its choices (需要二次结算、无需二次结算) takes one of them."""
    tariff = line("需要二次结算、无需二次结算", "蓝变、未蓝变")
    assert findings(tariff, "0|3|无需二次结算|未蓝变") == []
    assert [(e, lvl) for e, lvl, _ in findings(tariff, "0|3|需二次结算|蓝")] == [
        ("需要二次结算、无需二次结算", "error"), ("蓝变、未蓝变", "error")]


def test_yes_no_elements_are_answered():
    """An element named as a yes/no question (是否种用) answers yes or no; the wording is free, so
    a value that answers neither way warns."""
    tariff = line("是否种用", "是否零售包装", "是否可通过接插外部电源进行充电")
    assert findings(tariff, "0|3|否|非零售包装|可充电") == []
    assert findings(tariff, "0|3|种用|零售包装|是") == [
        ("是否种用", "warning", "“是否种用”请明确申报“是”或“否”, 实际为“种用”"),
        ("是否零售包装", "warning", "“是否零售包装”请明确申报“是”或“否”, 实际为“零售包装”")]
    assert registry.rules_for("是否中规车请注明（中规车、非中规车）") == ()


def test_contract_dates_are_dates():
    """签约日期 / 计价日期 are calendar dates; the format is not prescribed, so a non-date warns."""
    tariff = line("签约日期", "计价日期")
    assert findings(tariff, "0|3|20200131|2020-02-29") == []
    assert [(e, lvl) for e, lvl, _ in findings(tariff, "0|3|20200231|下月")] == [
        ("签约日期", "warning"), ("计价日期", "warning")]


def test_brand_agrees_with_brand_type():
    """品牌类型 0 declares “无品牌”; 品牌类型 1-4 name the brand (规范申报 guidance)."""
    tariff = line("品牌")
    assert findings(tariff, "0|3|无品牌") == []
    assert findings(tariff, "3|3|耐克") == []
    assert findings(tariff, "0|3|耐克") == [
        ("品牌", "error", "品牌类型为0(无品牌)时, 品牌应填报“无品牌”, 实际为“耐克”")]
    assert findings(tariff, "1|3|无品牌")[0][:2] == ("品牌", "error")
    assert findings(tariff, "0|3|无") == [("品牌", "warning", "品牌类型为0(无品牌)时, 品牌请填报“无品牌”, 而不是“无”")]
    assert "不能为空" in findings(tariff, "2|3|")[0][2]  # empty: the goods rule, once
    assert len(findings(tariff, "2|3|")) == 1
    assert [f[0] for f in findings(tariff, "9|3|耐克")] == ["品牌类型"]  # no comparison with a bad type


def test_gtin_check_digit():
    """GS1 General Specifications 7.9: the mod-10 check digit of GTIN-8/12/13/14; empty or 无 is
    allowed (optional element)."""
    tariff = line("GTIN")
    for good in ("4006381333931", "96385074", "036000291452", "10614141000415", "", "无",
                 "4006381333931, 6901234567892"):
        assert findings(tariff, f"0|3|{good}") == [], good
    assert findings(tariff, "0|3|4006381333932") == [
        ("GTIN", "error", "GTIN“4006381333932”校验位错误: 按 GS1 规则应为1")]
    assert findings(tariff, "0|3|40063813339") == [("GTIN", "error", "GTIN“40063813339”应为8、12、13或14位数字")]
    assert findings(tariff, "0|3|ABC") == [("GTIN", "error", "GTIN“ABC”应为8、12、13或14位数字")]


def test_cas_check_digit():
    """CAS Registry Number: 2-7 digits, 2 digits, check digit = Σ digit × position from the right,
    mod 10 (水 7732-18-5, 乙醇 64-17-5, 氯 7782-50-5); in a 成分含量 that may use CAS numbers the
    numbers in the text are checked too."""
    tariff = line("CAS", "成分含量（对于成分较复杂，字节较长商品可用CAS号代")
    assert findings(tariff, "0|3|7732-18-5、64-17-5|见CAS 7782-50-5") == []
    assert findings(tariff, "0|3|7732-18-6|氯99%") == [("CAS", "error", "CAS号“7732-18-6”校验位错误: 应为5")]
    assert findings(tariff, "0|3|773218-5|氯99%")[0][2].startswith("CAS号“773218-5”格式应为")
    assert findings(tariff, "0|3||CAS 64-17-4")[0][:2] == ("成分含量（对于成分较复杂，字节较长商品可用CAS号代", "error")


def _gtin(body: str) -> str:
    return body + str(digits.gs1_check_digit(body))


def _changed(code: str, position: int, digit: int) -> str:
    return code[:position] + str(digit) + code[position + 1:]


@settings(max_examples=200, deadline=None)
@given(body=st.sampled_from([7, 11, 12, 13]).flatmap(lambda n: st.text("0123456789", min_size=n, max_size=n)),
       data=st.data())
def test_a_gtin_with_one_digit_changed_is_refused(body, data):
    """GS1 mod-10 (weights 3 and 1, both prime to 10) catches every single-digit error."""
    code = _gtin(body)
    assert digits.gtin_valid(code)
    position = data.draw(st.integers(0, len(code) - 1))
    digit = data.draw(st.integers(0, 9).filter(lambda d: d != int(code[position])))
    assert not digits.gtin_valid(_changed(code, position, digit))


@settings(max_examples=200, deadline=None)
@given(body=st.integers(2, 7).flatmap(lambda n: st.text("0123456789", min_size=n + 2, max_size=n + 2)),
       data=st.data())
def test_a_cas_number_with_one_digit_changed_is_refused_unless_the_weights_hide_it(body, data):
    """CAS check digit: the check digit itself and a change of d at weight w are caught unless
    w·d is a multiple of 10 (a 5 at an even weight, an even change at weight 5): that is the
    scheme's own blind spot, not the checker's."""
    number = f"{body[:-2]}-{body[-2:]}-{digits.cas_check_digit(body)}"
    assert digits.cas_valid(number)
    plain = number.replace("-", "")
    position = data.draw(st.integers(0, len(plain) - 1))
    digit = data.draw(st.integers(0, 9).filter(lambda d: d != int(plain[position])))
    changed = _changed(plain, position, digit)
    text = f"{changed[:-3]}-{changed[-3:-1]}-{changed[-1]}"
    weight = len(plain) - 1 - position  # 0: the check digit
    caught = weight == 0 or (weight * (digit - int(plain[position]))) % 10 != 0
    assert digits.cas_valid(text) is not caught


def test_composition_percentages_sum_to_100():
    """成分含量: over 100 % is an error; several exact percentages under 100 % without 余量 warn; a
    single purity and a 余量 pass; no percentage warns."""
    tariff = line("成分含量")
    for good in ("棉60%, 涤纶40%", "氯99.5%", "碳0.2%, 锰1.1%, 铁余量", "棉55-65%, 涤纶35-45%", "棉60％涤纶40％",
                 "棉≥90%, 氨纶5%"):
        assert findings(tariff, f"0|3|{good}") == [], good
    assert findings(tariff, "0|3|棉60%, 涤纶50%") == [("成分含量", "error", "成分含量的百分比合计110%, 超过100%")]
    assert findings(tariff, "0|3|棉60%, 涤纶30%") == [
        ("成分含量", "warning", "成分含量的百分比合计90%, 不足100%; 请列明全部成分或注明“余量”")]
    assert findings(tariff, "0|3|棉60-70%, 涤纶45%-50%")[0][:2] == ("成分含量", "error")
    assert findings(tariff, "0|3|棉, 涤纶")[0][:2] == ("成分含量", "warning")


def test_units_in_size_and_weight_elements():
    """规格 / 重量 elements with numbers name their units."""
    tariff = line("规格（厚度×宽度×长度）", "个体重量", "包装规格（如1升/盒）")
    assert findings(tariff, "0|3|2mm×1250mm×2500mm|1000-2000克/条|1升/盒") == []
    size = "规格（厚度×宽度×长度）"
    assert findings(tariff, "0|3|2×1250×2500|大|1升/盒") == [
        (size, "warning", f"{size}“2×1250×2500”未注明计量单位, 如 mm、kg、克/平方米")]
    assert findings(tariff, "0|3|2mm|1500|1升/盒")[0][:2] == ("个体重量", "warning")


def test_model_present_or_no_model():
    """型号 is declared, or “无型号”: empty is an error with the hint (once), “无” warns."""
    tariff = line("型号")
    assert findings(tariff, "0|3|ABC-100") == []
    assert findings(tariff, "0|3|无型号") == []
    assert findings(tariff, "0|3|") == [("型号", "error", "型号不能为空; 没有型号的请填报“无型号”")]
    assert findings(tariff, "0|3|无") == [("型号", "warning", "没有型号的请填报“无型号”, 而不是“无”")]


def test_empty_text_and_unknown_code():
    """Nothing to check in an empty 规格型号; an unknown 商品编号 is a Chinese 422."""
    assert checker.check(CHLORINE, "  ") == []
    with pytest.raises(ServiceError) as refused:
        checker.check("9999999999", "0|3")
    assert refused.value.status == 422
    assert [(e.field, e.message) for e in refused.value.errors] == [("code_ts", "商品编号9999999999在税则中不存在")]


def test_rules_are_found_by_element_name():
    """The registry: every rule whose pattern matches the name, worked out once per name."""
    names = {r.check.__name__ for r in registry.rules_for("成分含量（对于成分较复杂，字节较长商品可用CAS号代")}
    assert names == {"cas", "composition"}
    assert registry.rules_for("品牌类型") == ()
    assert [r.check.__name__ for r in registry.rules_for("品牌（中文及外文名称）")] == ["brand"]

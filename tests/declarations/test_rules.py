"""Each declaration rule with a failing and a passing case, through the shared rule engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from guanwu.declarations import payload, rules
from guanwu.declarations.services.drafts import _apply_defaults
from tests.declarations.payloads import export_payload, import_payload

pytestmark = pytest.mark.django_db


def findings(actor, raw: dict[str, Any], *, on_declare: bool = True) -> rules.Findings:
    data, errors = payload.parse(raw)
    assert errors == []
    _apply_defaults(data, actor)
    rules.fill_legal_units(data)
    return rules.check(data, on_declare=on_declare)


def fields_of(found: rules.Findings) -> dict[str, str]:
    return {e.field: e.message for e in found.errors}


def test_valid_payloads_pass(actor_a):
    for raw in (export_payload(), import_payload()):
        found = findings(actor_a, raw)
        assert found.errors == []


def _set(path: str, value: Any) -> Callable[[dict], None]:
    def mutate(raw: dict) -> None:
        if path.startswith("items"):
            index, name = path[6:].split("].")
            raw["items"][int(index)][name] = value
        elif path.startswith("containers"):
            raw["containers"][0][path.split(".")[1]] = value
        else:
            raw[path] = value

    return mutate


CASES = [
    # (name, base, mutate, error field, words in the message)
    ("declare needs 申报必填 head field", "E", _set("trade_mode", ""), "trade_mode", "监管方式不能为空"),
    ("declare needs item 境内货源地 (export)", "E", _set("items[0].district_code", ""), "items[0].district_code",
     "第1项 境内货源地不能为空"),
    ("import needs 境内目的地 per item", "I", _set("items[0].dest_code", ""), "items[0].dest_code", "第1项 境内目的地"),
    ("unknown code", "E", _set("trade_country", "XXX"), "trade_country", "运抵国(地区)代码不存在: XXX"),
    ("unknown item code", "E", _set("items[1].trade_curr", "ABC"), "items[1].trade_curr", "第2项 成交币制代码不存在"),
    ("HS code not in tariff", "E", _set("items[0].code_ts", "6109909999"), "items[0].code_ts", "税则中不存在"),
    ("legal unit cannot be changed", "E", _set("items[0].first_unit", "035"), "items[0].first_unit", "不能修改"),
    ("second quantity required", "E", _set("items[0].second_qty", ""), "items[0].second_qty", "第二法定数量不能为空"),
    ("element count", "E", _set("items[0].g_model", "1|0|针织|T恤衫"), "items[0].g_model", "申报要素应有11项"),
    ("brand type 0-4", "E", _set("items[0].g_model", "5|0|针织|T恤衫|圆领|100%棉|无|TS|无|无|无"),
     "items[0].g_model", "品牌类型”应为 0-4"),
    ("export preference 0-2 on an export", "E", _set("items[0].g_model", "1|7|针织|T恤衫|圆领|100%棉|甲牌|TS|无|无|无"),
     "items[0].g_model", "出口享惠情况”出口报关单应为 0、1 或 2"),
    ("empty required element named", "E", _set("items[0].g_model", "1|0||T恤衫|圆领|100%棉|甲牌|TS|无|无|无"),
     "items[0].g_model", "“织造方法（针织或钩编）”不能为空"),
    ("net weight <= gross weight", "E", _set("net_wt", "3000"), "net_wt", "净重3000.00000不能大于毛重"),
    ("total = price x quantity", "E", _set("items[1].decl_total", "7450"), "items[1].decl_total", "应等于单价"),
    ("licence condition needs 随附单证", "I", _set("items[0].code_ts", "3004909099"), "items[0].code_ts",
     "监管条件要求随附单证 Q(进口药品通关单)"),
    ("inspection condition A needs CIQ code", "I", _set("items[0].ciq_code", ""), "items[0].ciq_code",
     "监管条件A"),
    ("FOB import needs freight", "I", _set("trans_mode", "3"), "fee_rate", "须填写运费"),
    ("container item numbers exist", "E", _set("containers.goods_no", "1,5"), "containers[0].goods_no",
     "商品项号5在表体中不存在"),
]


@pytest.mark.parametrize("name, base, mutate, field, words", CASES, ids=[c[0] for c in CASES])
def test_rule_fails_and_names_the_field(actor_a, name, base, mutate, field, words):
    raw = export_payload() if base == "E" else import_payload()
    assert findings(actor_a, raw).errors == []  # the passing case
    mutate(raw)
    errors = fields_of(findings(actor_a, raw))
    assert field in errors, errors
    assert words in errors[field]


def test_licence_condition_satisfied_by_matching_document(actor_a):
    raw = import_payload()
    raw["items"][0].update(code_ts="3004909099", g_model="0|3|治疗|对乙酰氨基酚|已配定剂量|无|100片/瓶|无|无|无",
                           g_unit="035", ciq_code="")
    assert "items[0].code_ts" in fields_of(findings(actor_a, raw))
    raw["licences"] = [{"docu_code": "Q", "cert_code": "2024QG0012345"}]
    assert "items[0].code_ts" not in fields_of(findings(actor_a, raw))


def test_export_only_licence_not_required_on_import(actor_a):
    # 8471309000 carries no import licence; 出口许可证 codes (4/x/y) never apply to an import.
    from guanwu.params import licence_conditions

    assert all(licence_conditions.direction(c) == "E" for c in "4xy")
    assert licence_conditions.direction("X") == ""  # 有毒化学品: both directions; codes are case-sensitive
    assert licence_conditions.direction("1") == "I"


def test_temp_save_needs_only_temp_fields(actor_a):
    raw = {"ie_flag": "E", "custom_master": "5316", "trade_area_code": "DEU", "items": [{"code_ts": "6109100010"}]}
    assert findings(actor_a, raw, on_declare=False).errors == []
    declare_errors = fields_of(findings(actor_a, raw))
    assert "trade_mode" in declare_errors and "items[0].g_qty" in declare_errors


def test_temp_save_only_warns_about_business_rules(actor_a):
    raw = export_payload(net_wt="5000")
    found = findings(actor_a, raw, on_declare=False)
    assert found.errors == []
    assert any(w.field == "net_wt" for w in found.warnings)


def test_warnings_for_unusual_but_legal_input(actor_a):
    raw = import_payload(gross_wet="1380.25")
    raw["items"][0]["origin_country"] = "CHN"
    found = findings(actor_a, raw)
    assert found.errors == []
    warned = {w.field for w in found.warnings}
    assert {"gross_wet", "items[0].origin_country"} <= warned


def test_parse_errors_name_field_and_item():
    _data, errors = payload.parse({"gross_wet": "abc", "pack_no": "1.5", "items": [{"g_qty": "-1"}, {"foo": 1}]})
    got = {e.field: e.message for e in errors}
    assert got["gross_wet"] == "毛重应为数字"
    assert got["pack_no"] == "件数应为整数"
    assert got["items[0].g_qty"] == "第1项成交数量不能为负数"
    assert "items[1].foo" in got


def test_old_and_named_codes_are_normalised():
    data, errors = payload.parse({"trade_country": "502", "items": [{"trade_curr": "142"}]})
    assert errors == []
    assert data.head["trade_country"] == "USA"
    assert data.items[0]["trade_curr"] == "CNY"


def test_export_country_labels_follow_the_dictionary_note():
    assert rules.item_field_label("origin_country", "E") == "最终目的国(地区)"
    assert rules.item_field_label("destination_country", "E") == "原产国(地区)"
    assert rules.item_field_label("origin_country", "I") == "原产国(地区)"


def test_container_check_digit():
    assert rules.container_check_digit_ok("CSQU3054383")
    assert not rules.container_check_digit_ok("CSQU3054384")


def test_the_same_container_number_twice_is_refused(actor_a):
    """A container is declared once per declaration: 《报关单填制规范》 栏目 集装箱号 (one row per
    container, with its 规格 and 拼箱标识); the same number again is an error, in any letter case."""
    raw = export_payload()
    raw["containers"].append({"container_id": "CSNU6184272", "container_md": "11", "goods_no": "1", "lcl_flag": "0"})
    assert "containers[1].container_id" not in fields_of(findings(actor_a, raw))  # two different containers pass
    raw["containers"][1]["container_id"] = "csnu6184271"  # the first one again, keyed in lower case
    errors = fields_of(findings(actor_a, raw))
    assert errors["containers[1].container_id"] == "集装箱第2行 集装箱号CSNU6184271重复"
    assert "containers[0].container_id" not in errors  # the first occurrence is not the duplicate


def test_total_price_must_equal_quantity_times_unit_price(actor_a):
    """申报总价 = 申报数量 × 申报单价 (《报关单填制规范》 栏目 单价/总价). A total that differs by far more
    than any rounding of the unit price (0.5 with quantity 1 and a 2-decimal price) is refused;
    the exact product passes. Written to hold under any tolerance finer than 0.5."""
    raw = export_payload()
    raw["items"][0].update(g_qty="1", first_qty="1", decl_price="3.85", decl_total="3.85", second_qty="0.55")
    assert "items[0].decl_total" not in fields_of(findings(actor_a, raw))
    raw["items"][0]["decl_total"] = "4.35"
    message = fields_of(findings(actor_a, raw))["items[0].decl_total"]
    assert message.startswith("第1项") and "总价" in message
    raw["items"][0]["decl_total"] = "3.35"  # below as well as above
    assert "items[0].decl_total" in fields_of(findings(actor_a, raw))

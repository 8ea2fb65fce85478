"""Rules of 运费/保费/杂费, 申报要素, totals and legal quantities (issue 12, points 1, 4, 5, 6, 14)."""

from __future__ import annotations

import pytest

from guanwu.declarations import payload
from guanwu.params import terms
from tests.declarations.payloads import export_payload, import_payload
from tests.declarations.rulecheck import errors_of, findings, messages

pytestmark = pytest.mark.django_db

NO_CHARGES = {"fee_mark": "", "fee_rate": "", "fee_curr": "", "insur_mark": "", "insur_rate": "", "insur_curr": ""}
FREIGHT = {"fee_mark": "3", "fee_rate": "800", "fee_curr": "USD"}
INSURANCE = {"insur_mark": "1", "insur_rate": "0.3"}


@pytest.mark.parametrize(("ie", "trans", "declared"), [
    ("I", "1", set()), ("I", "2", {"insur"}), ("I", "3", {"fee", "insur"}), ("I", "4", {"fee"}),
    ("I", "7", {"fee", "insur"}),
    ("E", "1", {"fee", "insur"}), ("E", "2", {"fee"}), ("E", "3", set()), ("E", "4", {"insur"}), ("E", "7", set()),
])
def test_freight_and_insurance_by_transaction_mode(actor_a, ie, trans, declared):
    """填制规范 运费/保费: an import declares the charges its 成交方式 leaves out of the price (FOB/EXW:
    运费 and 保费, C&F: 保费, C&I: 运费), an export those its price includes (CIF: both, C&F: 运费,
    C&I: 保费); the others are 免予填报. One table (params.terms) for the rules and the tax."""
    base = import_payload if ie == "I" else export_payload
    assert {terms.CHARGE_FIELDS[c] for c in terms.charges_to_declare(ie, trans)} == declared
    missing = errors_of(findings(actor_a, base(trans_mode=trans, **NO_CHARGES)))
    assert {name[:-5] for name in ("fee_rate", "insur_rate") if name in missing} == declared
    given = {**({} if "fee" not in declared else FREIGHT), **({} if "insur" not in declared else INSURANCE)}
    assert not {"fee_rate", "insur_rate"} & set(errors_of(findings(actor_a, base(trans_mode=trans,
                                                                                  **{**NO_CHARGES, **given}))))
    extra = {**FREIGHT, **INSURANCE}
    refused = errors_of(findings(actor_a, base(trans_mode=trans, **extra)))
    for prefix in {"fee", "insur"} - declared:
        assert "免予填报" in refused[f"{prefix}_rate"]


def test_market_price_and_warehouse_terms_require_nothing(actor_a):
    """成交方式 5 市场价 and 6 垫仓: the 填制规范 says nothing of their charges (see params.terms)."""
    for trans in ("5", "6"):
        found = errors_of(findings(actor_a, import_payload(trans_mode=trans, **NO_CHARGES)))
        assert "fee_rate" not in found and "insur_rate" not in found


def test_negative_misc_charge_is_accepted(actor_a):
    """填制规范 杂费: "应从完税价格中扣除的杂费填报为负值或负率"; 运费 and 保费 stay positive."""
    raw = import_payload(other_mark="3", other_rate="-200", other_curr="USD")
    data, errors = payload.parse(raw)
    assert errors == [] and str(data.head["other_rate"]) == "-200.00000"
    assert findings(actor_a, raw).errors == []
    _data, errors = payload.parse(import_payload(fee_rate="-200"))
    assert [e.message for e in errors] == ["运费／率不能为负数"]


@pytest.mark.parametrize(("ie", "value", "ok"), [
    ("I", "3", True), ("I", "0", False), ("I", "", False), ("E", "0", True), ("E", "1", True), ("E", "2", True),
    ("E", "3", False),
])
def test_export_preference_by_direction(actor_a, ie, value, ok):
    """规范申报目录 出口享惠情况: 0 不享惠, 1 享惠, 2 不能确定 on an export; 3 不适用于进口报关单 on
    an import, which must declare it too."""
    if ie == "I":
        raw = import_payload()
        raw["items"][0]["g_model"] = f"0|{value}|豆|阿拉比卡|巴西|无|无|无"
    else:
        raw = export_payload()
        raw["items"][0]["g_model"] = f"0|{value}|针织|T恤衫|圆领无扣无拉链|100%棉|无品牌|TS-240|无|无|无"
    found = messages(findings(actor_a, raw), "items[0].g_model")
    assert (found == []) is ok, found
    if not ok:
        assert "出口享惠情况" in found[0]


def test_total_tolerance_from_the_unit_price_rounding(actor_a):
    """填制规范 单价/总价 with DeclPrice Decimal(19,4): 1,000.00 for 7,000 pieces is a unit price
    of 0.1429 (rounded), and 0.1429 × 7,000 = 1,000.30 is within half a unit of the 4th decimal
    × 7,000 = 0.35 (plus half a fen); 999.50 is not."""
    raw = export_payload()
    raw["items"][0].update(g_qty="7000", first_qty="7000", decl_price="0.1429", decl_total="1000")
    assert "items[0].decl_total" not in errors_of(findings(actor_a, raw))
    raw["items"][0]["decl_total"] = "999.50"
    assert "应等于单价" in errors_of(findings(actor_a, raw))["items[0].decl_total"]
    raw["items"][0].update(g_qty="1", first_qty="1", decl_price="10.1234", decl_total="10.12")
    assert "items[0].decl_total" not in errors_of(findings(actor_a, raw))
    raw["items"][0]["decl_total"] = "10.14"
    assert "items[0].decl_total" in errors_of(findings(actor_a, raw))


def test_legal_kg_quantities_within_the_head_net_weight(actor_a):
    """填制规范 数量及单位/净重: a legal quantity in 千克 is the item's net weight; the items' net
    weights add up to no more than the head 净重 (5,000 kg of items against 900 kg refused)."""
    raw = import_payload(net_wt="900", gross_wet="1000")
    raw["items"][0].update(g_qty="5000", first_qty="5000", decl_price="2", decl_total="10000")
    assert "超过表头净重900千克" in errors_of(findings(actor_a, raw))["net_wt"]
    raw["items"][0].update(g_qty="900", first_qty="900", decl_total="1800")
    assert "net_wt" not in errors_of(findings(actor_a, raw))


def test_legal_quantity_zero_refused(actor_a):
    """A legal quantity is the goods' quantity in the legal unit: 0 is refused."""
    raw = export_payload()
    raw["items"][1]["second_qty"] = "0"
    assert "应大于0" in errors_of(findings(actor_a, raw))["items[1].second_qty"]

"""税费确认: duty at MFN or general rate, consumption tax, VAT on the duty-paid value, monthly rates.

The worked figures (wine 16,050.47, whisky 40,175.00, eel fry 11,048.33) were computed by hand
from the 关税条例, the 审价办法 and the 消费税税目税率表 at a rate of 7.0 CNY/USD."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from guanwu.audit.models import OperationLog
from guanwu.autodeclare import services
from guanwu.autodeclare.models import ExchangeRate, TaxAssessment, TaxStatus
from guanwu.autodeclare.services import tax
from guanwu.core.errors import ServiceError
from guanwu.declarations import services as declarations
from guanwu.declarations.models import Declaration, DeclarationItem
from tests.autodeclare.conftest import make_draft

pytestmark = pytest.mark.django_db


def demo_rates(usd: str = "7.1", month: dt.date | None = None) -> None:
    month = month or timezone.localdate().replace(day=1)
    ExchangeRate.objects.update_or_create(month=month, currency="USD",
                                          defaults={"rate": Decimal(usd), "is_demo": True})


def self_paid_import(actor, **head) -> Declaration:
    draft = make_draft(actor, kind="import", **head)
    Declaration.objects.filter(pk=draft.pk).update(self_tax=True)
    return Declaration.objects.get(pk=draft.pk)


def test_cif_import_at_the_mfn_rate(enabled):
    demo_rates()
    draft = self_paid_import(enabled)  # coffee from Brazil, CIF 11,042 USD; MFN 15 %, VAT 13 %
    result = tax.compute(draft)
    assert result.customs_value == Decimal("78398.20")
    assert result.duty == Decimal("11759.73")
    assert result.consumption_tax == Decimal("0.00")
    assert result.vat == Decimal("11720.53")  # (78,398.20 + 11,759.73) × 13 %
    assert result.total == Decimal("23480.26")
    assert result.demo_rates and not result.problems
    assert result.lines[0]["duty_kind"] == "最惠国税率"


def test_general_rate_for_origins_without_mfn(enabled, settings):
    demo_rates()
    settings.GUANWU_GENERAL_RATE_ORIGINS = ("BRA",)
    result = tax.compute(self_paid_import(enabled))
    assert result.lines[0]["duty_kind"] == "普通税率"
    assert result.duty == Decimal("62718.56")  # 80 %


def test_fob_adds_freight_and_default_insurance(enabled):
    demo_rates()
    draft = self_paid_import(enabled, trans_mode="3", fee_mark="3", fee_rate="500", fee_curr="USD")
    result = tax.compute(draft)
    goods, freight = Decimal("11042") * Decimal("7.1"), Decimal("500") * Decimal("7.1")
    expected = (goods + freight) * Decimal("1.003")
    assert result.customs_value == tax.money(expected)
    assert any("3‰" in n for n in result.notes)


def test_consumption_tax_on_the_duty_paid_value(enabled):
    demo_rates()
    draft = self_paid_import(enabled)
    DeclarationItem.objects.filter(declaration=draft).update(code_ts="8703236110")  # car: MFN 15 %, 消费税 12 %
    result = tax.compute(draft)
    value = Decimal("78398.20")
    duty = value * Decimal("0.15")
    consumption = (value + duty) / Decimal("0.88") * Decimal("0.12")
    vat = (value + duty + consumption) * Decimal("0.13")
    assert result.consumption_tax == tax.money(consumption)
    assert result.vat == tax.money(vat)


def test_missing_rate_blocks_confirmation(enabled):
    draft = self_paid_import(enabled)
    assessment = services.get_assessment(enabled, draft.pk)
    assert any("USD" in p for p in tax.blocking_problems(assessment))
    with pytest.raises(ServiceError) as exc:
        services.confirm_tax(enabled, draft.pk)
    assert "税费无法计算" in exc.value.message


def test_exchange_rate_is_the_month_of_declaration_without_fallback(enabled):
    """关税条例: 完税价格 converted at the rate in force on the day customs accepts the declaration
    (海关计征汇率, one per month). Last month's rate is not used for this month: the computation
    says the rate is missing and the confirmation is refused."""
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    demo_rates(month=last_month)
    draft = self_paid_import(enabled)
    result = tax.compute(draft)
    assert any("没有" in p and f"{timezone.localdate():%Y年%m月}" in p for p in result.problems)
    with pytest.raises(ServiceError):
        services.confirm_tax(enabled, draft.pk)
    # A declaration declared last month is computed at last month's rate.
    # Noon local time on the last day of last month (UTC "now" near midnight in 北京时间 would
    # otherwise land on the first of this month).
    declared = timezone.localtime().replace(day=1, hour=12) - dt.timedelta(days=1)
    Declaration.objects.filter(pk=draft.pk).update(declared_at=declared)
    result = tax.compute(Declaration.objects.get(pk=draft.pk))
    assert not result.problems and result.month == last_month


def test_confirm_records_who_and_when_and_a_change_needs_a_new_confirmation(enabled, operator_actor_a):
    demo_rates()
    draft = self_paid_import(enabled)
    assessment = services.confirm_tax(operator_actor_a, draft.pk)
    assert assessment.status == TaxStatus.CONFIRMED
    assert assessment.confirmed_by == operator_actor_a.user and assessment.confirmed_at
    assert OperationLog.objects.filter(action="税费确认", object_id=str(draft.pk)).exists()
    declarations.update_draft(enabled, draft.pk, {"note_s": "改了备注"})  # not taxable: the confirmation holds
    assert TaxAssessment.objects.get(declaration=draft).status == TaxStatus.CONFIRMED
    assert not OperationLog.objects.filter(action="税费确认失效").exists()
    declarations.update_draft(enabled, draft.pk, {"trans_mode": "3", "fee_mark": "3", "fee_rate": "500",
                                                   "fee_curr": "USD"})  # FOB with freight: the customs value
    fresh = TaxAssessment.objects.get(declaration=draft)
    assert fresh.status == TaxStatus.UNCONFIRMED and fresh.confirmed_by is None
    assert fresh.customs_value > assessment.customs_value  # computed again, in the change's transaction
    log = OperationLog.objects.get(action="税费确认失效")
    assert log.user == enabled.user and "成交方式" in log.opinion and "运费" in log.opinion


def test_only_self_paid_declarations(enabled):
    draft = make_draft(enabled, kind="import")
    with pytest.raises(ServiceError) as exc:
        services.confirm_tax(enabled, draft.pk)
    assert "不是自报自缴" in exc.value.message
    assert not TaxAssessment.objects.exists()


def test_small_taxes_are_not_collected(enabled):
    demo_rates()
    draft = self_paid_import(enabled)
    DeclarationItem.objects.filter(declaration=draft).update(decl_total=Decimal("20"))
    result = tax.compute(draft)  # 142 CNY: duty 21.30 and VAT 21.23 are below 50
    assert result.duty == result.vat == Decimal("0")
    assert any("起征点" in n for n in result.notes)


# ----------------------------------------------------------------------- worked figures

def declaration(actor, ie_flag: str, trans_mode: str, items: list[dict], **head) -> Declaration:
    """A stored declaration with ``items`` (code_ts, decl_total in USD, quantities, origin)."""
    decl = Declaration.objects.create(enterprise=actor.enterprise, ie_flag=ie_flag, trans_mode=trans_mode,
                                      self_tax=True, trade_mode="0110", cut_mode="101", **head)
    for g_no, item in enumerate(items, start=1):
        DeclarationItem.objects.create(declaration=decl, g_no=g_no, trade_curr="USD", duty_mode="1",
                                       **{"origin_country": "FRA", **item})
    return decl


def rate_7() -> None:
    demo_rates("7.0")


def test_wine_import_fob_freight_and_insurance_rate(enabled):
    """审价办法: an FOB import's customs value adds the freight and the insurance (here 0.3 % of
    货价 + 运费); 关税 14 % MFN (2204210000), 消费税 其他酒 10 % ad valorem, 增值税 13 %.
    FOB USD 5,000 + freight USD 300 = 37,100 CNY × 1.003 = 37,211.30."""
    rate_7()
    decl = declaration(enabled, "I", "3", [{"code_ts": "2204210000", "decl_total": Decimal("5000"),
                                            "first_qty": Decimal("1125"), "second_qty": Decimal("1500")}],
                       fee_mark="3", fee_rate=Decimal("300"), fee_curr="USD", insur_mark="1", insur_rate=Decimal("0.3"))
    result = tax.compute(decl)
    assert not result.problems
    assert result.customs_value == Decimal("37211.30")
    assert (result.duty, result.consumption_tax, result.vat) == (Decimal("5209.58"), Decimal("4713.43"),
                                                                  Decimal("6127.46"))
    assert result.total == Decimal("16050.47")


def test_whisky_import_composite_consumption_tax(enabled):
    """消费税税目税率表: 白酒 20 % + 0.5 元/500 毫升, which customs applies to the spirits of 2208
    (whisky 2208300000). 1,000 L, CIF USD 10,000 = 70,000 CNY; 关税 10 % = 7,000; 消费税 =
    (70,000 + 7,000 + 1,000) ÷ (1 − 20 %) × 20 % + 1,000 = 20,500; 增值税 (77,000 + 20,500) × 13 %
    = 12,675; total 40,175.00 (the ad-valorem part alone gave 38,762.50)."""
    rate_7()
    decl = declaration(enabled, "I", "1", [{"code_ts": "2208300000", "decl_total": Decimal("10000"),
                                            "first_qty": Decimal("1000"), "second_qty": Decimal("1250"),
                                            "origin_country": "GBR"}])
    result = tax.compute(decl)
    assert not result.problems
    assert (result.customs_value, result.duty, result.consumption_tax, result.vat) == (
        Decimal("70000.00"), Decimal("7000.00"), Decimal("20500.00"), Decimal("12675.00"))
    assert result.total == Decimal("40175.00")


def test_eel_fry_export_duty_on_fob_net_of_the_duty(enabled):
    """审价办法: an export's customs value is its FOB price less the export duty, FOB ÷ (1 + rate).
    Eel fry 0301921090, export rate 20 %, CIF USD 10,000 = 70,000 CNY less the freight USD 500
    (3,500) and the insurance 0.3 % (210) = FOB 66,290; ÷ 1.2 = 55,241.67; duty 11,048.33 (the
    declared total × rate gave 14,000.00)."""
    rate_7()
    decl = declaration(enabled, "E", "1", [{"code_ts": "0301921090", "decl_total": Decimal("10000"),
                                            "first_qty": Decimal("50"), "origin_country": "JPN",
                                            "destination_country": "CHN"}],
                       fee_mark="3", fee_rate=Decimal("500"), fee_curr="USD", insur_mark="1", insur_rate=Decimal("0.3"))
    result = tax.compute(decl)
    assert not result.problems
    assert result.customs_value == Decimal("55241.67")
    assert result.duty == Decimal("11048.33")
    assert result.vat == result.consumption_tax == Decimal("0")


def test_misc_charges_enter_the_customs_value_and_may_be_deducted(enabled):
    """填制规范 杂费: charges that 关税条例 adds to the customs value are declared positive, those
    it deducts negative. A CIF import of T-shirts (6109100010, MFN 6 %, VAT 13 %) with USD 500 of
    杂费 pays 210.00 more duty and 482.30 more VAT; −500 pays as much less."""
    rate_7()
    items = [{"code_ts": "6109100010", "decl_total": Decimal("10000"), "first_qty": Decimal("3000"),
              "second_qty": Decimal("500")}]
    plain = tax.compute(declaration(enabled, "I", "1", items))
    added = tax.compute(declaration(enabled, "I", "1", items, other_mark="3", other_rate=Decimal("500"),
                                    other_curr="USD"))
    deducted = tax.compute(declaration(enabled, "I", "1", items, other_mark="3", other_rate=Decimal("-500"),
                                       other_curr="USD"))
    assert added.customs_value - plain.customs_value == Decimal("3500.00")
    assert (added.duty - plain.duty, added.vat - plain.vat) == (Decimal("210.00"), Decimal("482.30"))
    assert (plain.duty - deducted.duty, plain.vat - deducted.vat) == (Decimal("210.00"), Decimal("482.30"))


def test_specific_duty_on_frozen_chicken(enabled):
    """进口税则 从量税: 冻的整只鸡 (0207120000) 最惠国 1.3 元/千克 (the tariff data says 0):
    10,000 kg pay 13,000.00 duty whatever the price."""
    rate_7()
    decl = declaration(enabled, "I", "1", [{"code_ts": "0207120000", "decl_total": Decimal("20000"),
                                            "first_qty": Decimal("10000"), "origin_country": "BRA"}])
    result = tax.compute(decl)
    assert not result.problems
    assert result.duty == Decimal("13000.00")
    assert result.vat == tax.money((Decimal("140000") + Decimal("13000")) * Decimal("0.09"))


def test_cigarettes_class_and_composite_consumption_tax(enabled):
    """财税〔2009〕84号: 卷烟 甲类 56 % (每标准条价格 70 元及以上) or 乙类 36 %, plus 0.003 元/支;
    the class price of an import = (完税价格 + 关税 + 0.6 元/条) ÷ (1 − 36 %). 50 千支, CIF USD
    10,000: 70,000 + 25 % duty = 87,500; 547.81 元/条 -> 甲类; (87,500 + 150) ÷ 0.44 × 0.56 + 150."""
    rate_7()
    decl = declaration(enabled, "I", "1", [{"code_ts": "2402200000", "decl_total": Decimal("10000"),
                                            "first_qty": Decimal("60"), "second_qty": Decimal("50"),
                                            "origin_country": "GBR"}])
    result = tax.compute(decl)
    assert not result.problems
    assert result.duty == Decimal("17500.00")
    assert result.consumption_tax == tax.money(Decimal("87650") / Decimal("0.44") * Decimal("0.56") + 150)
    assert result.lines[0]["consumption_rate"].startswith("甲类卷烟")


def test_beer_class_and_refined_oil_specific_consumption_tax(enabled):
    """消费税税目税率表: 啤酒 乙类 220 元/吨 below 3,000 元/吨 (1 吨 = 988 升); 汽油 1.52 元/升
    (财税〔2015〕11号)."""
    rate_7()
    beer = tax.compute(declaration(enabled, "I", "1", [{"code_ts": "2203000000", "decl_total": Decimal("1000"),
                                                        "first_qty": Decimal("9880"), "second_qty": Decimal("10500"),
                                                        "origin_country": "DEU"}]))
    assert not beer.problems
    assert beer.consumption_tax == Decimal("2200.00") and beer.duty == Decimal("0")
    petrol = tax.compute(declaration(enabled, "I", "1", [{"code_ts": "2710121000", "decl_total": Decimal("50000"),
                                                          "first_qty": Decimal("72046"),
                                                          "second_qty": Decimal("100000"),
                                                          "origin_country": "SAU"}]))
    assert not petrol.problems
    assert petrol.consumption_tax == Decimal("152000.00")


@pytest.mark.parametrize(("code_ts", "origin", "words"), [
    ("6109100010", "USA", "对美加征关税"),  # a measure guanwu does not ship
    ("8521101100", "JPN", "税率在税则数据中不完整"),  # composite duty, empty in the tariff data
    ("3702410000", "JPN", "从量或复合关税"),  # specific duty per m², rate not shipped
    ("2710192910", "RUS", "取决于用途"),  # 蜡油: consumption tax depends on use
])
def test_unknown_rates_refuse_the_confirmation(enabled, code_ts, origin, words):
    """Where a rate guanwu does not know applies (加征关税, 从量/复合税 it does not ship, 消费税
    depending on use), the computation says so and the confirmation is refused, no figure is
    confirmed."""
    rate_7()
    decl = declaration(enabled, "I", "1", [{"code_ts": code_ts, "decl_total": Decimal("1000"),
                                            "first_qty": Decimal("10"), "second_qty": Decimal("10"),
                                            "origin_country": origin}])
    assert any(words in p for p in tax.compute(decl).problems)
    with pytest.raises(ServiceError) as exc:
        services.confirm_tax(enabled, decl.pk)
    assert "税费无法计算" in exc.value.message and words in exc.value.message


def test_fob_import_without_freight_is_refused(enabled):
    """审价办法: freight is part of the customs value; when an FOB import declares none it cannot
    be estimated, so there is no figure (insurance alone falls back to 3 ‰)."""
    rate_7()
    decl = declaration(enabled, "I", "3", [{"code_ts": "6109100010", "decl_total": Decimal("1000"),
                                            "first_qty": Decimal("10"), "second_qty": Decimal("1")}])
    assert any("未申报运费" in p for p in tax.compute(decl).problems)

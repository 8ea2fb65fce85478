"""税费确认: duty at MFN or general rate, consumption tax, VAT on the duty-paid value, monthly rates."""

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


def test_an_earlier_months_rate_is_used_and_said(enabled):
    last_month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    demo_rates(month=last_month)
    result = tax.compute(self_paid_import(enabled))
    assert not result.problems and any("使用" in n for n in result.notes)


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

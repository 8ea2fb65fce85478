"""税费确认: compute the duty, consumption tax and VAT of a 自报自缴 declaration, and confirm them.

The computation (imports):

* 完税价格 (customs value) = the CIF value in CNY: the goods' totals, plus freight and insurance
  when the 成交方式 leaves them out (FOB/EXW: both, CFR: insurance, C&I: freight), allocated to the
  items by value; insurance not declared for FOB/CFR is taken at 3‰ of (FOB + freight), as customs
  does; currencies converted with the month's rate from :class:`ExchangeRate`.
* 关税 = 完税价格 × the MFN rate, or the general rate for origins in
  ``GUANWU_GENERAL_RATE_ORIGINS`` (default: 国别不详 ZZZ; platform staff add origins without MFN
  treatment).
* 消费税 (ad valorem) = (完税价格 + 关税) ÷ (1 − rate) × rate.
* 增值税 = (完税价格 + 关税 + 消费税) × the VAT rate.
* A tax of less than 50 CNY on the whole declaration is not collected (起征点).

Exports: 出口关税 = FOB value × the export rate; no VAT. Specific and compound rates, 暂定/协定
税率 and anti-dumping duties are outside this computation; the page says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import ServiceError
from guanwu.declarations.models import Declaration
from guanwu.declarations.payload import DeclarationData
from guanwu.declarations.services import get_declaration
from guanwu.declarations.services.drafts import EDITABLE
from guanwu.params import services as params
from guanwu.tenancy.context import Actor

from ..models import AutoDeclaration, ExchangeRate, TaxAssessment, TaxStatus
from .common import add_record

CENT = Decimal("0.01")
ZERO = Decimal("0")
MIN_COLLECTED = Decimal("50")
DEFAULT_INSURANCE = Decimal("0.003")  # 3‰ of (FOB + freight) when insurance is not declared
# 成交方式: 1 CIF, 2 C&F, 3 FOB, 4 C&I, 5 市场价, 6 垫仓, 7 EXW
NEEDS_FREIGHT = frozenset({"3", "4", "7"})
NEEDS_INSURANCE = frozenset({"2", "3", "7"})


def general_rate_origins() -> frozenset[str]:
    return frozenset(getattr(settings, "GUANWU_GENERAL_RATE_ORIGINS", ("ZZZ",)))


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Computation:
    month: dt.date
    demo_rates: bool = False
    lines: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    customs_value: Decimal = ZERO
    duty: Decimal = ZERO
    consumption_tax: Decimal = ZERO
    vat: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.duty + self.consumption_tax + self.vat


class Rates:
    """The month's exchange rates, falling back to the latest earlier month of a currency."""

    def __init__(self, month: dt.date) -> None:
        self.month = month
        self._cache: dict[str, ExchangeRate | None] = {}

    def get(self, currency: str) -> ExchangeRate | None:
        currency = (currency or "").upper()
        if currency not in self._cache:
            self._cache[currency] = (
                ExchangeRate.objects.filter(currency=currency, month__lte=self.month).order_by("-month").first()
            )
        return self._cache[currency]


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _to_cny(amount: Decimal, currency: str, rates: Rates, out: Computation) -> Decimal | None:
    currency = (currency or "").upper()
    if currency in ("", "CNY", "RMB"):
        return amount
    rate = rates.get(currency)
    if rate is None:
        out.problems.append(f"币制 {currency} 没有 {rates.month:%Y年%m月} 及以前的汇率, 请联系平台维护海关月度汇率")
        return None
    if rate.is_demo:
        out.demo_rates = True
    if rate.month != rates.month:
        note = f"币制 {currency} 使用 {rate.month:%Y年%m月} 汇率 {rate.rate}"
        if note not in out.notes:
            out.notes.append(note)
    return amount * rate.rate


def _charge(mark: str, rate: Decimal | None, currency: str, base_cny: Decimal, gross_kg: Decimal | None,
            rates: Rates, out: Computation, label: str) -> Decimal:
    """Freight or insurance in CNY from its 标记 (1 率 %, 2 单价 per ton, 3 总价) and amount."""
    if rate is None or not mark:
        return ZERO
    if mark == "1":
        return base_cny * rate / 100
    if mark == "2":
        if gross_kg is None:
            out.problems.append(f"{label}按单价申报, 但毛重为空")
            return ZERO
        converted = _to_cny(rate * gross_kg / 1000, currency, rates, out)
        return converted or ZERO
    converted = _to_cny(rate, currency, rates, out)
    return converted or ZERO


def compute(declaration: Declaration, today: dt.date | None = None) -> Computation:
    """The taxes of a stored declaration (no writes)."""
    today = today or timezone.localdate()
    out = Computation(month=_month(today))
    rates = Rates(out.month)
    items = list(declaration.items.order_by("g_no"))
    values: list[Decimal | None] = [
        _to_cny(item.decl_total or ZERO, item.trade_curr, rates, out) for item in items
    ]
    goods_cny = sum((v for v in values if v is not None), ZERO)
    trans_mode = declaration.trans_mode or ""
    freight = insurance = ZERO
    if declaration.ie_flag == "I":
        if trans_mode in NEEDS_FREIGHT:
            freight = _charge(declaration.fee_mark, declaration.fee_rate, declaration.fee_curr, goods_cny,
                              declaration.gross_wet, rates, out, "运费")
            if not declaration.fee_mark:
                out.notes.append("成交方式未含运费, 但未申报运费, 按 0 计算")
        if trans_mode in NEEDS_INSURANCE:
            if declaration.insur_mark:
                insurance = _charge(declaration.insur_mark, declaration.insur_rate, declaration.insur_curr,
                                    goods_cny + freight, declaration.gross_wet, rates, out, "保险费")
            else:
                insurance = (goods_cny + freight) * DEFAULT_INSURANCE
                out.notes.append("未申报保险费, 按 (货价 + 运费) × 3‰ 计算")
    general = general_rate_origins()
    for item, value in zip(items, values, strict=True):
        tariff = params.tariff_item(item.code_ts)
        line: dict[str, Any] = {
            "g_no": item.g_no, "code_ts": item.code_ts, "g_name": item.g_name, "origin": item.origin_country,
            "currency": item.trade_curr, "decl_total": str(item.decl_total or ZERO),
        }
        if tariff is None:
            out.problems.append(f"第{item.g_no}项 商品编号 {item.code_ts} 在商品税则中不存在")
        if value is None or tariff is None:
            out.lines.append(line)
            continue
        share = (value / goods_cny) if goods_cny else ZERO
        item_freight, item_insurance = freight * share, insurance * share
        customs_value = value + item_freight + item_insurance
        line.update(value_cny=str(money(value)), freight=str(money(item_freight)),
                    insurance=str(money(item_insurance)), customs_value=str(money(customs_value)))
        if declaration.ie_flag == "I":
            use_general = (item.origin_country or "").upper() in general
            duty_rate = (tariff.general_rate if use_general else tariff.mfn_rate) or ZERO
            duty = customs_value * duty_rate
            consumption_rate = tariff.consumption_rate or ZERO
            consumption = ZERO
            if consumption_rate:
                consumption = (customs_value + duty) / (1 - consumption_rate) * consumption_rate
            vat_rate = tariff.vat_rate or ZERO
            vat = (customs_value + duty + consumption) * vat_rate
            line.update(duty_kind="普通税率" if use_general else "最惠国税率", duty_rate=str(duty_rate),
                        duty=str(money(duty)), consumption_rate=str(consumption_rate),
                        consumption_tax=str(money(consumption)), vat_rate=str(vat_rate), vat=str(money(vat)))
        else:
            duty_rate = tariff.export_rate or ZERO
            duty = value * duty_rate
            consumption = vat = ZERO
            line.update(duty_kind="出口税率", duty_rate=str(duty_rate), duty=str(money(duty)),
                        consumption_rate="0", consumption_tax="0.00", vat_rate="0", vat="0.00")
        out.lines.append(line)
        out.customs_value += customs_value
        out.duty += duty
        out.consumption_tax += consumption
        out.vat += vat
    out.customs_value = money(out.customs_value)
    for name, label in (("duty", "关税"), ("consumption_tax", "消费税"), ("vat", "增值税")):
        amount = money(getattr(out, name))
        if ZERO < amount < MIN_COLLECTED:
            out.notes.append(f"{label} {amount} 元低于起征点 50 元, 免征")
            amount = ZERO
        setattr(out, name, amount)
    return out


def _apply(assessment: TaxAssessment, computation: Computation, declaration: Declaration) -> None:
    assessment.declaration_version = declaration.version
    assessment.rate_month = computation.month
    assessment.demo_rates = computation.demo_rates
    assessment.lines = computation.lines
    assessment.problems = computation.problems + [f"说明: {n}" for n in computation.notes]
    assessment.customs_value = computation.customs_value
    assessment.duty = computation.duty
    assessment.consumption_tax = computation.consumption_tax
    assessment.vat = computation.vat
    assessment.total = computation.total


def blocking_problems(assessment: TaxAssessment) -> list[str]:
    return [p for p in assessment.problems if not p.startswith("说明: ")]


def _store(declaration: Declaration, assessment: TaxAssessment | None = None) -> TaxAssessment:
    """Compute the declaration's taxes into ``assessment`` (a new one when None) and save it."""
    if assessment is None:
        assessment = TaxAssessment(enterprise_id=declaration.enterprise_id, declaration=declaration)
    _apply(assessment, compute(declaration), declaration)
    assessment.save()
    return assessment


def ensure_assessment(declaration: Declaration, *, refresh: bool = False) -> TaxAssessment:
    """The declaration's stored assessment, computed and stored when it has none (the engine, 确认).

    An existing assessment is never invalidated here: only 修改 of the declaration's taxable
    fields does that (:func:`declaration_changed`). ``refresh`` recomputes an *unconfirmed* one
    (确认 takes today's figures); a confirmed one stays as confirmed."""
    assessment = TaxAssessment.objects.filter(declaration=declaration).first()
    if assessment is None:
        return _store(declaration)
    if refresh and assessment.status != TaxStatus.CONFIRMED:
        return _store(declaration, assessment)
    return assessment


def preview_assessment(declaration: Declaration) -> TaxAssessment:
    """What the pages and the API show, without writing: the confirmed assessment as confirmed,
    else today's computation (unsaved; 确认 stores it)."""
    assessment = TaxAssessment.objects.filter(declaration=declaration).select_related("confirmed_by").first()
    if assessment is not None and assessment.status == TaxStatus.CONFIRMED:
        return assessment
    preview = TaxAssessment(enterprise_id=declaration.enterprise_id, declaration=declaration,
                            computed_at=timezone.now())
    _apply(preview, compute(declaration), declaration)
    return preview


# What the computation reads of a declaration. 修改 of any of these drops a confirmation; other
# changes (备注, 唛头, 集装箱 ...) and every status change (申报, 回执) keep it. When ``compute`` starts
# reading another field, add it here.
TAXABLE_HEAD_FIELDS = (
    "ie_flag", "self_tax", "trans_mode", "fee_mark", "fee_rate", "fee_curr", "insur_mark", "insur_rate",
    "insur_curr", "other_mark", "other_rate", "other_curr", "gross_wet",
)
TAXABLE_ITEM_FIELDS = (
    "code_ts", "g_qty", "g_unit", "first_qty", "first_unit", "second_qty", "second_unit", "decl_price",
    "decl_total", "trade_curr", "origin_country", "duty_mode",
)


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value).strip()


def _taxable_items(data: DeclarationData) -> list[tuple[str, ...]]:
    return sorted(tuple(_plain(row.get(name)) for name in TAXABLE_ITEM_FIELDS) for row in data.items)


def taxable_changes(before: DeclarationData, after: DeclarationData) -> list[str]:
    """The labels of the taxable fields 修改 changed (``商品项`` for the goods)."""
    changed = [name for name in TAXABLE_HEAD_FIELDS
               if _plain(before.head.get(name)) != _plain(after.head.get(name))]
    labels = [str(Declaration._meta.get_field(name).verbose_name) for name in changed]
    if _taxable_items(before) != _taxable_items(after):
        labels.append("商品项")
    return labels


def declaration_changed(actor: Actor, declaration: Declaration, before: DeclarationData,
                        after: DeclarationData) -> TaxAssessment | None:
    """修改 of an editable declaration, in its transaction: when a taxable field changed, the
    stored assessment is computed again and a confirmation is dropped (logged, and a 申报记录
    line). Nothing else invalidates a confirmation, and never a read."""
    changed = taxable_changes(before, after)
    if not changed:
        return None
    assessment = TaxAssessment.objects.select_for_update().filter(declaration=declaration).first()
    if assessment is None:
        return None  # computed when first needed
    was_confirmed = assessment.status == TaxStatus.CONFIRMED
    assessment.status = TaxStatus.UNCONFIRMED
    assessment.confirmed_by = None
    assessment.confirmed_at = None
    _store(declaration, assessment)
    if was_confirmed:
        opinion = f"报关单已修改计税项目 ({'、'.join(changed)}), 税费重新计算, 需重新确认"
        audit.record(actor, declaration, "税费确认失效", before=TaxStatus.CONFIRMED.label,
                     after=TaxStatus.UNCONFIRMED.label, opinion=opinion)
        auto = AutoDeclaration.objects.filter(declaration=declaration).first()
        if auto is not None:
            add_record(auto, f"税费确认失效: {opinion}", user=actor.user)
    return assessment


def is_confirmed(declaration: Declaration) -> tuple[bool, TaxAssessment]:
    assessment = ensure_assessment(declaration)
    return assessment.status == TaxStatus.CONFIRMED, assessment


def _self_tax_declaration(actor: Actor, declaration_id: int | str, *, for_update: bool = False) -> Declaration:
    declaration = get_declaration(actor, declaration_id, for_update=for_update)
    if not declaration.self_tax:
        raise ServiceError("该报关单不是自报自缴报关单, 无需税费确认")
    return declaration


def get_assessment(actor: Actor, declaration_id: int | str) -> TaxAssessment:
    """税费计算确认明细 as the page and the API show it (no writes: see :func:`preview_assessment`)."""
    return preview_assessment(_self_tax_declaration(actor, declaration_id))


@transaction.atomic
def confirm(actor: Actor, declaration_id: int | str) -> TaxAssessment:
    """税费确认: the computed taxes are the enterprise's; records who and when."""
    declaration = _self_tax_declaration(actor, declaration_id, for_update=True)
    if declaration.status not in EDITABLE:
        raise ServiceError(f"报关单状态为“{declaration.get_status_display()}”, 无需再确认税费", status=409)
    assessment = ensure_assessment(declaration, refresh=True)
    problems = blocking_problems(assessment)
    if problems:
        raise ServiceError("税费无法计算, 不能确认: " + "; ".join(problems))
    if assessment.status == TaxStatus.CONFIRMED:
        return assessment
    assessment.status = TaxStatus.CONFIRMED
    assessment.confirmed_by = actor.user
    assessment.confirmed_at = timezone.now()
    assessment.save()
    summary = (f"完税价格 {assessment.customs_value} 元, 关税 {assessment.duty} 元, "
               f"消费税 {assessment.consumption_tax} 元, "
               f"增值税 {assessment.vat} 元, 合计 {assessment.total} 元")
    audit.record(actor, declaration, "税费确认", before=TaxStatus.UNCONFIRMED.label, after=TaxStatus.CONFIRMED.label,
                 opinion=summary + (" (演示汇率)" if assessment.demo_rates else ""))
    auto = AutoDeclaration.objects.filter(declaration=declaration).first()
    if auto is not None:
        add_record(auto, f"税费确认: {summary}", user=actor.user)
    return assessment


def tax_status_label(declaration: Declaration) -> str:
    """税费确认状态 as the lists show it: "-" for declarations that pay no self-assessed tax."""
    if not declaration.self_tax:
        return "-"
    try:
        assessment = declaration.tax_assessment
    except TaxAssessment.DoesNotExist:
        return TaxStatus.UNCONFIRMED.label
    return assessment.get_status_display()

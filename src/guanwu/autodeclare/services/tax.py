"""税费确认: compute the duty, consumption tax and VAT of a 自报自缴 declaration, and confirm them.

Sources: 《中华人民共和国进出口关税条例》, 《中华人民共和国海关审定进出口货物完税价格办法》
(审价办法, 海关总署令第213号), 《消费税暂行条例》 and its 税目税率表, the 2020 tariff, and the
schedules of ``guanwu.params.tax_schedules``.

Imports:

* 完税价格 (customs value) = the CIF value in CNY: the goods' totals, plus the freight and
  insurance the 成交方式 leaves out of the price (``guanwu.params.terms``, the table the rules
  use), plus 杂费 (negative when deducted: 填制规范 杂费), allocated to the items by value.
  Insurance not declared is 3‰ of (货价 + 运费) (审价办法: 保险费无法确定或者未实际发生的,
  按"货价加运费"两者总额的3‰计算); freight not declared cannot be estimated: refused.
* 关税 = 完税价格 × the MFN rate (the general rate for origins in
  ``GUANWU_GENERAL_RATE_ORIGINS``, default 国别不详 ZZZ), or the quantity × the specific rate
  of ``specific_duties.csv``.
* 消费税: ad valorem (完税价格 + 关税) ÷ (1 − rate) × rate; composite (白酒/蒸馏酒, 卷烟)
  (完税价格 + 关税 + 从量税) ÷ (1 − rate) × rate + 从量税 with 从量税 = quantity × amount;
  specific (黄酒, 啤酒, 成品油) quantity × amount. 啤酒 and 卷烟 take their class (甲/乙) from
  their price as the schedule says.
* 增值税 = (完税价格 + 关税 + 消费税) × the VAT rate.
* A tax of less than 50 CNY on the whole declaration is not collected (起征点).

Exports: 完税价格 = FOB ÷ (1 + 出口税率) (审价办法: 出口关税不计入完税价格); a CIF, C&F or C&I
price is first reduced to FOB by the declared freight and insurance it includes; 出口关税 =
完税价格 × the export rate; no VAT.

Currencies: the 海关计征汇率 of the month of declaration (申报之日, 关税条例: 适用海关接受申报
之日实施的汇率; customs fixes one rate per month). A missing rate is a problem, never another
month's rate.

Refused (a problem blocks the confirmation, no figure is shown as final): a currency without
that month's rate, a line whose rate the tariff data cannot hold and guanwu does not ship (从量/
复合税 without an amount, 消费税 depending on use), a measure guanwu does not know (对美加征关税
on goods of US origin). 暂定税率 and 协定税率 are not shipped: the page says so.
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
from guanwu.declarations.models import Declaration, DeclarationItem
from guanwu.declarations.payload import DeclarationData
from guanwu.declarations.services import get_declaration, is_editable
from guanwu.params import goods, tax_schedules, terms
from guanwu.params import services as params
from guanwu.params.index import Tariff
from guanwu.tenancy.context import Actor

from ..models import AutoDeclaration, ExchangeRate, TaxAssessment, TaxStatus
from .common import add_record

CENT = Decimal("0.01")
ZERO = Decimal("0")
ONE = Decimal("1")
MIN_COLLECTED = Decimal("50")
DEFAULT_INSURANCE = Decimal("0.003")  # 3‰ of (FOB + freight) when insurance is not declared
UNIT_KG, UNIT_LITRE, UNIT_THOUSAND_STICKS = goods.KG, goods.LITRE, goods.THOUSAND_STICKS
CIGARETTE_STICKS_PER_CARTON = 200  # 标准条
CIGARETTE_CARTON_SPECIFIC = Decimal("0.6")  # 0.003 元/支 × 200
CIGARETTE_CLASS_PRICE = Decimal("70")  # 元/标准条: 甲类 at or above
CIGARETTE_PRICE_RATE = Decimal("0.36")  # the rate the class price is computed with
BEER_CLASS_PRICE = Decimal("3000")  # 元/吨: 甲类 at or above


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

    def problem(self, text: str) -> None:
        if text not in self.problems:
            self.problems.append(text)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


class Rates:
    """The exchange rates of one month (海关计征汇率 of the month of declaration); no fallback."""

    def __init__(self, month: dt.date) -> None:
        self.month = month
        self._cache: dict[str, ExchangeRate | None] = {}

    def get(self, currency: str) -> ExchangeRate | None:
        currency = (currency or "").upper()
        if currency not in self._cache:
            self._cache[currency] = ExchangeRate.objects.filter(currency=currency, month=self.month).first()
        return self._cache[currency]


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def declaration_day(declaration: Declaration, today: dt.date | None = None) -> dt.date:
    """申报之日: the day it was declared, or (not declared yet) today, when it would be."""
    if declaration.declared_at:
        return timezone.localdate(declaration.declared_at)
    return today or timezone.localdate()


def _to_cny(amount: Decimal, currency: str, rates: Rates, out: Computation) -> Decimal | None:
    currency = (currency or "").upper()
    if currency in ("", "CNY", "RMB"):
        return amount
    rate = rates.get(currency)
    if rate is None:
        out.problem(f"币制 {currency} 没有{rates.month:%Y年%m月}(申报当月)的海关计征汇率, 不使用其他月份汇率; "
                    "请联系平台维护海关月度汇率")
        return None
    if rate.is_demo:
        out.demo_rates = True
    return amount * rate.rate


def _charge(mark: str, rate: Decimal | None, currency: str, base_cny: Decimal, gross_kg: Decimal | None,
            rates: Rates, out: Computation, label: str) -> Decimal | None:
    """A charge in CNY from its 标记 (1 率 %, 2 单价 per ton, 3 总价) and amount; None when not
    declared or not computable."""
    if rate is None or not mark:
        return None
    if mark == "1":
        return base_cny * rate / 100
    if mark == "2":
        if gross_kg is None:
            out.problem(f"{label}按单价申报, 但毛重为空")
            return None
        return _to_cny(rate * gross_kg / 1000, currency, rates, out)
    return _to_cny(rate, currency, rates, out)


@dataclass
class Charges:
    freight: Decimal = ZERO
    insurance: Decimal = ZERO
    other: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.freight + self.insurance + self.other


def _charges(declaration: Declaration, goods_cny: Decimal, rates: Rates, out: Computation) -> Charges:
    """What turns the goods' price into the customs value's basis: for an import the freight and
    insurance its price leaves out (added), for an export those its price includes (taken off),
    and 杂费 (signed) either way."""
    d = declaration
    ie, trans = d.ie_flag, d.trans_mode or ""
    declared = terms.charges_to_declare(ie, trans)
    if terms.price_includes(trans) is None:
        out.problem(f"成交方式{trans or '(空)'}不能确定成交价格是否包含运费和保费, 无法计算完税价格")
    charges = Charges()
    if terms.FREIGHT in declared:
        freight = _charge(d.fee_mark, d.fee_rate, d.fee_curr, goods_cny, d.gross_wet, rates, out, "运费")
        if freight is None and not d.fee_mark:
            out.problem(f"成交方式为{terms.terms_name(trans)}的{'进口' if ie == 'I' else '出口'}报关单未申报运费, "
                        "无法计算完税价格")
        charges.freight = freight or ZERO
    if terms.INSURANCE in declared:
        base = goods_cny + charges.freight if ie == "I" else goods_cny
        insurance = _charge(d.insur_mark, d.insur_rate, d.insur_curr, base, d.gross_wet, rates, out, "保险费")
        if insurance is None and not d.insur_mark:
            if ie == "I":
                insurance = base * DEFAULT_INSURANCE
                out.note("未申报保险费, 按 (货价 + 运费) × 3‰ 计算 (审价办法)")
            else:
                out.problem(f"成交方式为{terms.terms_name(trans)}的出口报关单未申报保费, 无法折算离岸价")
        charges.insurance = insurance or ZERO
    other = _charge(d.other_mark, d.other_rate, d.other_curr, goods_cny, d.gross_wet, rates, out, "杂费")
    charges.other = other or ZERO
    if charges.other:
        out.note(f"杂费 {money(charges.other)} 元{'计入' if charges.other > 0 else '从'}完税价格"
                 f"{'' if charges.other > 0 else '中扣除'}")
    return charges


def legal_quantity(item: DeclarationItem, tariff: Tariff, unit: str) -> Decimal | None:
    """The item's quantity in a legal unit of its tariff line (None when it has no such unit)."""
    return goods.legal_quantity(tariff, unit, item.first_qty, item.second_qty)


def _quantity(item: DeclarationItem, tariff: Tariff, per: str, litres_per_tonne: Decimal | None = None
              ) -> Decimal | None:
    """The quantity a specific rate is charged on: kg, L, 500ml, t or 支."""
    kg = legal_quantity(item, tariff, UNIT_KG)
    litres = legal_quantity(item, tariff, UNIT_LITRE)
    if per == "kg":
        return kg
    if per == "L":
        if litres is None and kg is not None and litres_per_tonne:
            return kg / 1000 * litres_per_tonne
        return litres
    if per == "500ml":
        return litres * 2 if litres is not None else None
    if per == "t":  # goods measured in litres convert by the schedule's litres per tonne (啤酒 988, 黄酒 962)
        if litres is not None and litres_per_tonne:
            return litres / litres_per_tonne
        return kg / 1000 if kg is not None else None
    if per == "支":
        thousands = legal_quantity(item, tariff, UNIT_THOUSAND_STICKS)
        return thousands * 1000 if thousands is not None else None
    return None


def _duty(item: DeclarationItem, tariff: Tariff, customs_value: Decimal, line: dict[str, Any],
          out: Computation) -> Decimal | None:
    """关税 of an import item, or None (with a problem) when guanwu cannot compute it."""
    where = f"第{item.g_no}项 商品编号 {item.code_ts}"
    origin = (item.origin_country or "").upper()
    for measure in tax_schedules.measures_for(origin):
        out.problem(f"{where} 原产于{origin}, 可能适用{measure.name}({measure.source}); 本系统未收录其税率及排除清单, "
                    "不能确认税费")
    use_general = origin in general_rate_origins()
    kind = "普通税率" if use_general else "最惠国税率"
    rate = tariff.general_rate if use_general else tariff.mfn_rate
    row = tax_schedules.specific_duty(item.code_ts)
    no_ad_valorem = not tariff.mfn_rate and not tariff.general_rate
    if row is not None and (row.known or no_ad_valorem):
        if not row.known:
            out.problem(f"{where} 适用从量或复合关税({row.item}), 本系统未收录其税率, 不能确认税费")
            return None
        amount = row.general_amount if use_general else row.mfn_amount
        qty = _quantity(item, tariff, row.per)
        if qty is None:
            out.problem(f"{where} 适用从量关税{amount}元/{row.per}, 但缺少该单位的法定数量")
            return None
        line.update(duty_kind=f"{kind}(从量)", duty_rate=f"{amount}元/{row.per}")
        return qty * amount
    if tariff.mfn_rate is None or tariff.general_rate is None:
        # The tariff data leaves a rate empty where it is specific or composite (8521101100 ...).
        out.problem(f"{where} 的税率在税则数据中不完整(从量或复合税率), 本系统未收录, 不能确认税费")
        return None
    line.update(duty_kind=kind, duty_rate=str(rate))
    return customs_value * rate


def _consumption(item: DeclarationItem, tariff: Tariff, base: Decimal, line: dict[str, Any],
                 out: Computation) -> Decimal | None:
    """消费税 of an import item on ``base`` = 完税价格 + 关税."""
    where = f"第{item.g_no}项 商品编号 {item.code_ts}"
    row = tax_schedules.consumption_tax(item.code_ts)
    rate = tariff.consumption_rate or ZERO
    if row is None:
        line["consumption_rate"] = str(rate)
        return base / (ONE - rate) * rate if rate else ZERO
    if row.kind == "unknown":
        out.problem(f"{where} 是否及如何征收消费税({row.item})取决于用途, 本系统无法确定, 不能确认税费")
        return None
    if row.kind == "suspended":
        line["consumption_rate"] = f"{row.item} 暂缓征收"
        out.note(f"{where} {row.item}消费税暂缓征收 ({row.source})")
        return ZERO
    per = row.per
    qty = _quantity(item, tariff, per, row.litres_per_tonne)
    if qty is None:
        out.problem(f"{where} {row.item}消费税从量计征(每{per}), 但缺少相应的法定数量")
        return None
    if row.kind == "beer":
        high, low = (Decimal(x) for x in row.amount.split("/"))
        amount = high if qty and base / qty >= BEER_CLASS_PRICE else low
        line["consumption_rate"] = f"{'甲' if amount == high else '乙'}类啤酒 {amount}元/吨"
        return qty * amount
    amount = Decimal(row.amount)
    specific = qty * amount
    if row.kind == "specific":
        line["consumption_rate"] = f"{amount}元/{per}"
        return specific
    if row.kind == "cigarettes":
        high, low = (Decimal(x) for x in row.ad_valorem.split("/"))
        cartons = qty / CIGARETTE_STICKS_PER_CARTON
        price = ZERO
        if cartons:
            price = (base + cartons * CIGARETTE_CARTON_SPECIFIC) / (ONE - CIGARETTE_PRICE_RATE) / cartons
        rate = high if price >= CIGARETTE_CLASS_PRICE else low
        line["consumption_rate"] = f"{'甲' if rate == high else '乙'}类卷烟 {rate} + {amount}元/支"
    else:  # composite
        rate = Decimal(row.ad_valorem)
        line["consumption_rate"] = f"{rate} + {amount}元/{per}"
    return (base + specific) / (ONE - rate) * rate + specific


def compute(declaration: Declaration, today: dt.date | None = None) -> Computation:
    """The taxes of a stored declaration (no writes)."""
    out = Computation(month=_month(declaration_day(declaration, today)))
    rates = Rates(out.month)
    items = list(declaration.items.order_by("g_no"))
    values: list[Decimal | None] = [
        _to_cny(item.decl_total or ZERO, item.trade_curr, rates, out) for item in items
    ]
    goods_cny = sum((v for v in values if v is not None), ZERO)
    charges = _charges(declaration, goods_cny, rates, out)
    importing = declaration.ie_flag == "I"
    adjustment = charges.total if importing else charges.other - charges.freight - charges.insurance
    general = general_rate_origins()
    for item, value in zip(items, values, strict=True):
        tariff = params.tariff_item(item.code_ts)
        line: dict[str, Any] = {
            "g_no": item.g_no, "code_ts": item.code_ts, "g_name": item.g_name, "origin": item.origin_country,
            "currency": item.trade_curr, "decl_total": str(item.decl_total or ZERO),
        }
        out.lines.append(line)
        if tariff is None:
            out.problem(f"第{item.g_no}项 商品编号 {item.code_ts} 在商品税则中不存在")
        if value is None or tariff is None:
            continue
        share = (value / goods_cny) if goods_cny else ZERO
        basis = value + adjustment * share  # CIF (import) or FOB (export) value of the item
        line.update(value_cny=str(money(value)), freight=str(money(charges.freight * share)),
                    insurance=str(money(charges.insurance * share)))
        if importing:
            customs_value = basis
            duty = _duty(item, tariff, customs_value, line, out)
            consumption = _consumption(item, tariff, customs_value + (duty or ZERO), line, out)
            vat_rate = tariff.vat_rate or ZERO
            vat = (customs_value + (duty or ZERO) + (consumption or ZERO)) * vat_rate
            line.update(vat_rate=str(vat_rate), vat=str(money(vat)))
        else:
            export_rate = tariff.export_rate or ZERO
            customs_value = basis / (ONE + export_rate)
            duty = customs_value * export_rate
            consumption = vat = ZERO
            line.update(duty_kind="出口税率", duty_rate=str(export_rate), consumption_rate="0", vat_rate="0",
                        vat="0.00")
        line.update(customs_value=str(money(customs_value)), duty=str(money(duty or ZERO)),
                    consumption_tax=str(money(consumption or ZERO)))
        if (item.origin_country or "").upper() in general and importing:
            out.note(f"第{item.g_no}项 原产地{item.origin_country}按普通税率计征")
        out.customs_value += customs_value
        out.duty += duty or ZERO
        out.consumption_tax += consumption or ZERO
        out.vat += vat
    out.customs_value = money(out.customs_value)
    for name, label in (("duty", "关税"), ("consumption_tax", "消费税"), ("vat", "增值税")):
        amount = money(getattr(out, name))
        if ZERO < amount < MIN_COLLECTED:
            out.note(f"{label} {amount} 元低于起征点 50 元, 免征")
            amount = ZERO
        setattr(out, name, amount)
    out.note("暂定税率、协定税率及反倾销、反补贴税未收录, 适用时以海关审核为准")
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
    if not is_editable(declaration):
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

"""客户业务情况: what the enterprise declared for a customer.

A declaration belongs to a customer when its 境内收发货人 (``trade_code`` or ``trade_co_scc``)
carries the customer's 海关编码 or 统一社会信用代码. Only declarations that were sent count
(``declared_at`` set); the month is the month of sending, in local time. Values are summed per
currency (申报总价 of the goods items): no exchange rate is invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from guanwu.declarations.models import Declaration, DeclarationItem, DeclarationStatus
from guanwu.params import services as params
from guanwu.tenancy.context import Actor

from .models import Customer

MONTHS = 12


@dataclass
class MonthFigures:
    month: str  # "2024-05"
    count: int = 0
    rejected: int = 0
    values: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class BusinessSummary:
    count: int = 0
    rejected: int = 0
    values: list[tuple[str, str, Decimal]] = field(default_factory=list)  # (currency, name, total), largest first
    last: Declaration | None = None
    months: list[MonthFigures] = field(default_factory=list)
    matched_by: list[str] = field(default_factory=list)

    @property
    def rejection_rate(self) -> float | None:
        return self.rejected / self.count if self.count else None

    @property
    def rejection_percent(self) -> str:
        rate = self.rejection_rate
        return "—" if rate is None else f"{rate * 100:.1f}%"

    @property
    def main_currency(self) -> str:
        return self.values[0][0] if self.values else ""

    def chart(self) -> dict:
        """The data of the ECharts chart (JSON-safe)."""
        currency = self.main_currency
        return {
            "months": [m.month for m in self.months],
            "counts": [m.count for m in self.months],
            "rejected": [m.rejected for m in self.months],
            "currency": currency,
            "currency_name": params.code_name("currencies", currency) or currency,
            "values": [float(m.values.get(currency, 0)) for m in self.months],
        }


def declarations_of(actor: Actor, customer: Customer) -> QuerySet[Declaration]:
    """The enterprise's sent declarations whose 境内收发货人 is this customer."""
    codes = [c for c in (customer.customs_code, customer.scc) if c]
    if not codes:
        return Declaration.objects.none()
    return Declaration.objects.for_enterprise(actor.enterprise).filter(
        Q(trade_code__in=codes) | Q(trade_co_scc__in=codes), declared_at__isnull=False
    )


def _month_starts(count: int, today: dt.date) -> list[dt.date]:
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        out.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(out))


def _key(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.strftime("%Y-%m")


def business_summary(actor: Actor, customer: Customer, months: int = MONTHS) -> BusinessSummary:
    qs = declarations_of(actor, customer)
    summary = BusinessSummary(matched_by=[c for c in (customer.customs_code, customer.scc) if c])
    starts = _month_starts(months, timezone.localdate())
    summary.months = [MonthFigures(_key(start)) for start in starts]
    if not summary.matched_by:
        return summary
    totals = qs.aggregate(n=Count("id"), rejected=Count("id", filter=Q(status=DeclarationStatus.REJECTED)))
    summary.count, summary.rejected = totals["n"], totals["rejected"]
    if not summary.count:
        return summary
    summary.last = qs.order_by("-declared_at", "-id").first()
    items = DeclarationItem.objects.filter(declaration__in=qs)
    values = items.values("trade_curr").annotate(total=Sum("decl_total")).order_by("-total")
    summary.values = [
        (v["trade_curr"], params.code_name("currencies", v["trade_curr"]) or v["trade_curr"] or "未填币制",
         v["total"] or Decimal(0))
        for v in values
    ]
    tz = timezone.get_current_timezone()
    since = timezone.make_aware(dt.datetime.combine(starts[0], dt.time.min), tz)
    window = qs.filter(declared_at__gte=since)
    by_month = {m.month: m for m in summary.months}
    for row in (
        window.annotate(month=TruncMonth("declared_at", tzinfo=tz)).values("month").order_by()
        .annotate(n=Count("id"), rejected=Count("id", filter=Q(status=DeclarationStatus.REJECTED)))
    ):
        figures = by_month.get(_key(row["month"]))
        if figures is not None:
            figures.count, figures.rejected = row["n"], row["rejected"]
    for row in (
        items.filter(declaration__declared_at__gte=since)
        .annotate(month=TruncMonth("declaration__declared_at", tzinfo=tz)).values("month", "trade_curr")
        .order_by().annotate(total=Sum("decl_total"))
    ):
        figures = by_month.get(_key(row["month"]))
        if figures is not None:
            figures.values[row["trade_curr"]] = row["total"] or Decimal(0)
    return summary

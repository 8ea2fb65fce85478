"""What the customer list brings to declarations: a customer that is not approved cannot be
chosen (the rule), and a party typed by its code is filled from the list (``customer_party``).

The rule:

A declaration whose 境内收发货人 (``trade_code`` / ``trade_co_scc``) is a customer of the same
enterprise that is 待审核 or 审核驳回 is refused on 申报 and warned about on 暂存. Companies
that are not in the customer list are not this rule's business.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from guanwu.declarations.parties import Party
from guanwu.declarations.payload import DeclarationData
from guanwu.declarations.rules import Findings

from .models import Customer, CustomerStatus


def unapproved_trade_customer(data: DeclarationData, findings: Findings, enterprise: Any) -> None:
    if enterprise is None:
        return
    codes = sorted({str(v).strip().upper() for v in (data.head.get("trade_code"), data.head.get("trade_co_scc")) if v})
    if not codes:
        return
    customer = (
        Customer.objects.for_enterprise(enterprise)
        .filter(Q(customs_code__in=codes) | Q(scc__in=codes))
        .exclude(status=CustomerStatus.APPROVED)
        .only("code", "name", "status", "customs_code", "scc")
        .order_by("pk")
        .first()
    )
    if customer is None:
        return
    findings.rule(
        "trade_code",
        f"境内收发货人 {customer.name}({customer.customs_code or customer.scc}) 未通过客户审核"
        f"(客户 {customer.code} 当前为{customer.get_status_display()}), 请管理员在客户审核中审核通过后再申报",
    )


def customer_party(enterprise: Any, kind: str, code: str) -> Party | None:
    """A party of a declaration from the customer list (``declarations.parties``); codes are
    unique within an enterprise's customers."""
    customer = (
        Customer.objects.for_enterprise(enterprise).filter(**{kind: code}).only("customs_code", "scc", "name").first()
    )
    return Party(customer.customs_code, customer.scc, customer.name, "客户") if customer else None

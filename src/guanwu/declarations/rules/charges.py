"""运费, 保费, 杂费 (填制规范: the 运费, 保费 and 杂费 entries)."""

from __future__ import annotations

from guanwu.params import terms

from ..payload import DeclarationData
from .base import Findings, direction_name

NAMES = {"fee": "运费", "insur": "保费", "other": "杂费"}


def charges_by_transaction_mode(data: DeclarationData, on_declare: bool, out: Findings) -> None:
    """An import declares the charges its 成交方式 leaves out of the price (FOB/EXW: 运费 and 保费,
    C&F: 保费, C&I: 运费); an export those its price includes (CIF: both, C&F: 运费, C&I: 保费);
    the others are 免予填报 (see ``guanwu.params.terms``)."""
    h, ie = data.head, data.ie_flag
    trans = h.get("trans_mode") or ""
    label = f"成交方式为{terms.terms_name(trans)}的{direction_name(ie)}报关单"
    for charge in terms.charges_to_declare(ie, trans):
        prefix = terms.CHARGE_FIELDS[charge]
        if on_declare and not h.get(f"{prefix}_rate"):
            out.error(f"{prefix}_rate", f"{label}须填写{terms.CHARGE_NAMES[charge]}")
    for charge in terms.charges_not_declared(ie, trans):
        prefix = terms.CHARGE_FIELDS[charge]
        if h.get(f"{prefix}_rate") or h.get(f"{prefix}_mark"):
            reason = "成交价格已包含" if ie == "I" else "成交价格不包含"
            name = terms.CHARGE_NAMES[charge]
            out.rule(f"{prefix}_rate", f"{label}{reason}{name}, {name}免予填报")


def charge_marks(data: DeclarationData, out: Findings) -> None:
    """A charge given needs its 标记, and its 币制 when declared as 单价 (2) or 总价 (3)."""
    h = data.head
    for prefix, name in NAMES.items():
        rate, mark, curr = h.get(f"{prefix}_rate"), h.get(f"{prefix}_mark"), h.get(f"{prefix}_curr")
        if rate and not mark:
            out.error(f"{prefix}_mark", f"填写了{name}, {name}标记不能为空")
        if rate and mark in ("2", "3") and not curr:
            out.error(f"{prefix}_curr", f"{name}按单价或总价申报时, {name}币制不能为空")


def check_charges(data: DeclarationData, on_declare: bool, out: Findings) -> None:
    charges_by_transaction_mode(data, on_declare, out)
    charge_marks(data, out)

"""成交方式: what a transaction price includes, and so which charges a declaration declares.

One table for the declaration rules (which of 运费/保费 申报 requires) and the tax computation
(what is added to reach the CIF customs value of an import, or taken off to reach the FOB
value of an export).

Source: 《中华人民共和国海关进出口货物报关单填制规范》(海关总署公告2019年第18号), the 运费 and
保费 entries: "进口货物成交价格不包含前述运输费用(保险费用)..., 出口货物成交价格含
有前述运输费用(保险费用)..." are declared; "进口货物成交价格包含..., 或者出口货物成交价格不包含...
的, 本栏目免予填报". So an import declares what its price excludes, an export what its price
includes. The 成交方式 codes are those of the 成交方式代码表 (1 CIF, 2 C&F, 3 FOB, 4 C&I,
5 市场价, 6 垫仓, 7 EXW).

EXW is read as FOB for the charges (the price includes neither the international freight nor
the insurance); the 填制规范 says nothing of the domestic carriage an EXW export price leaves
out. 市场价 (5) and 垫仓 (6) say nothing of freight or insurance: the 填制规范 is silent, so no
charge is required or refused for them.
"""

from __future__ import annotations

from dataclasses import dataclass

FREIGHT = "freight"
INSURANCE = "insurance"
CHARGE_NAMES = {FREIGHT: "运费", INSURANCE: "保费"}
CHARGE_FIELDS = {FREIGHT: "fee", INSURANCE: "insur"}  # the head fields: fee_mark/fee_rate/fee_curr ...


@dataclass(frozen=True)
class Terms:
    code: str
    name: str
    includes: frozenset[str]  # the charges the transaction price contains


TERMS: dict[str, Terms] = {
    "1": Terms("1", "CIF", frozenset({FREIGHT, INSURANCE})),
    "2": Terms("2", "C&F", frozenset({FREIGHT})),
    "3": Terms("3", "FOB", frozenset()),
    "4": Terms("4", "C&I", frozenset({INSURANCE})),
    "7": Terms("7", "EXW", frozenset()),
}
ALL_CHARGES = frozenset({FREIGHT, INSURANCE})


def price_includes(trans_mode: str) -> frozenset[str] | None:
    """The charges a price of this 成交方式 includes; None when the table does not say (5, 6, unknown)."""
    terms = TERMS.get(trans_mode or "")
    return terms.includes if terms else None


def charges_to_declare(ie_flag: str, trans_mode: str) -> frozenset[str]:
    """运费/保费 a declaration of this direction and 成交方式 must declare (and no others).

    Import: the charges its price excludes (FOB/EXW both, C&F insurance, C&I freight).
    Export: the charges its price includes (CIF both, C&F freight, C&I insurance)."""
    includes = price_includes(trans_mode)
    if includes is None or ie_flag not in ("I", "E"):
        return frozenset()
    return ALL_CHARGES - includes if ie_flag == "I" else includes


def charges_not_declared(ie_flag: str, trans_mode: str) -> frozenset[str]:
    """The charges the 填制规范 says are 免予填报 for this direction and 成交方式."""
    if price_includes(trans_mode) is None or ie_flag not in ("I", "E"):
        return frozenset()
    return ALL_CHARGES - charges_to_declare(ie_flag, trans_mode)


def terms_name(trans_mode: str) -> str:
    terms = TERMS.get(trans_mode or "")
    return terms.name if terms else trans_mode

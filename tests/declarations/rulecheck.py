"""Helpers of the rule tests: run the shared rule engine on a payload as the services do."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from guanwu.declarations import payload, rules
from guanwu.declarations.services.drafts import _apply_defaults
from guanwu.params import services as params
from guanwu.standards.services.rules import CHOICE_ELEMENTS


def findings(actor, raw: dict[str, Any], *, on_declare: bool = True, as_of: dt.date | None = None) -> rules.Findings:
    data, errors = payload.parse(raw)
    assert errors == [], errors
    _apply_defaults(data, actor)
    rules.fill_legal_units(data)
    return rules.check(data, on_declare=on_declare, as_of=as_of)


def errors_of(found: rules.Findings) -> dict[str, str]:
    """{field: message} of the errors (the last message of a field when it has several)."""
    return {e.field: e.message for e in found.errors}


def messages(found: rules.Findings, field: str, *, warnings: bool = False) -> list[str]:
    return [e.message for e in (found.warnings if warnings else found.errors) if e.field == field]


def _element_value(name: str) -> str:
    """A value the 规范申报 checker takes for an element (``standards.services.rules``): 品牌类型 0
    goes with “无品牌”, 型号 “无型号”, GTIN/CAS “无”, a choice element its first choice, a
    composition a percentage; anything else "x"."""
    if re.match(r"^品牌(?!类型)", name):
        return "无品牌"
    if "型号" in name:
        return "无型号"
    if name.startswith(("GTIN", "CAS")):
        return "无"
    if name in CHOICE_ELEMENTS:
        return name.split("、")[0]
    if name in ("签约日期", "计价日期"):
        return "20240101"
    if "成分" in name:
        return "x 100%"
    if name.startswith("是否"):
        return "否"
    return "x"


def item_for(code_ts: str, ie_flag: str, **fields: Any) -> dict[str, Any]:
    """A goods item of ``code_ts`` with its legal units, 申报要素 of the right count (品牌类型 0,
    出口享惠情况 0 on an export, 3 on an import) and quantities that add up."""
    tariff = params.tariff_item(code_ts)
    values = [_element_value(name) for name in tariff.elements]
    for i, name in enumerate(tariff.elements):
        if name == "品牌类型":
            values[i] = "0"
        elif name == "出口享惠情况":
            values[i] = "3" if ie_flag == "I" else "0"
    row = {
        "code_ts": code_ts, "g_name": tariff.name[:50], "g_model": "|".join(values), "g_qty": "100",
        "g_unit": tariff.first_unit, "first_qty": "100", "decl_price": "10", "decl_total": "1000",
        "trade_curr": "USD", "origin_country": "DEU", "destination_country": "CHN", "district_code": "44031",
        "duty_mode": "1",
    }
    if tariff.second_unit:
        row["second_qty"] = "10"
    if ie_flag == "I":
        row.update(origin_country="BRA", district_code="31222", dest_code="310115")
    row.update(fields)
    return row

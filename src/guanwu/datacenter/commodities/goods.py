"""Checking a library row against the tariff, as a declaration goods item is checked.

``check_goods`` applies the shared goods rules (``guanwu.params.goods``: the 申报要素 count,
品牌类型 and 出口享惠情况 values, legal units, the 检验检疫编码 of the HS code) to one row of
the library, as 暂存 of a declaration does: what only 申报 requires (every element filled,
the second legal quantity) is the declaration's business.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from guanwu.params import goods
from guanwu.params import services as params


def check_goods(row: dict[str, Any], ie_flag: str = "", *,
                tariff_of: Callable[[str], Any] = params.tariff_item,
                warnings: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """``(field, Chinese message)`` for what the tariff refuses in ``row``; fills the legal units
    and the 检验检疫名称. The 规范申报 checker's rules (``goods.element_rules``) run on the
    规格型号 too: their errors refuse the row, their warnings go to ``warnings`` when given.

    ``row`` has the item field names (``code_ts``, ``g_model``, ``first_unit`` ...).
    ``tariff_of`` finds the tariff item of a code (an import passes one that remembers them).
    """
    code_ts = (row.get("code_ts") or "").strip()
    tariff = tariff_of(code_ts) if code_ts else None
    if tariff is None:
        return [(f.path, f.message) for f in [goods.unknown_code(code_ts)] if code_ts]
    found = goods.legal_units(row, tariff)
    goods.fill_legal_units(row, tariff)
    for unit_field in ("first_unit", "second_unit"):
        row[unit_field] = row.get(unit_field) or ""
    if row.get("g_model"):
        found += goods.elements(row["g_model"], tariff, ie_flag)
        for finding in goods.element_rules(row["g_model"], tariff, ie_flag):
            if finding.level != goods.WARNING:
                found.append(finding)
            elif warnings is not None:
                warnings.append((finding.path, finding.message))
    ciq = goods.ciq_code(row, tariff, ie_flag)
    if not ciq and row.get("ciq_code") and not row.get("ciq_name"):
        row["ciq_name"] = goods.ciq_name(code_ts, row["ciq_code"])
    return [(f.path, f.message) for f in found + ciq]


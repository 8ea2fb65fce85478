"""Checking a library row against the tariff, as a declaration goods item is checked.

``check_goods`` applies the declaration rules' tariff facts (``guanwu.declarations.rules``: the
申报要素 split, 品牌类型 and 出口享惠情况 values) and the parameter service (HS code, legal
units, 申报要素 count, CIQ codes of the HS code) to one row of the library. It is the public
face the library needs of rules that are private to the declaration checks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from guanwu.declarations import rules
from guanwu.params import services as params

FIELD_LABELS = {
    "code_ts": "商品编号", "ciq_code": "检验检疫编码", "g_name": "商品名称", "g_model": "规格型号",
    "g_unit": "申报计量单位", "first_unit": "法定第一计量单位", "second_unit": "法定第二计量单位",
}


def check_goods(row: dict[str, Any], ie_flag: str = "", *,
                tariff_of: Callable[[str], Any] = params.tariff_item) -> list[tuple[str, str]]:
    """``(field, Chinese message)`` for what the tariff refuses in ``row``; fills the legal units.

    ``row`` has the item field names (``code_ts``, ``g_model``, ``first_unit`` ...).
    ``tariff_of`` finds the tariff item of a code (an import passes one that remembers them).
    """
    errors: list[tuple[str, str]] = []
    code_ts = (row.get("code_ts") or "").strip()
    tariff = tariff_of(code_ts) if code_ts else None
    if tariff is None:
        if code_ts:
            errors.append(("code_ts", f"商品编号{code_ts}在税则中不存在"))
        return errors
    for unit_field, tariff_unit in (("first_unit", tariff.first_unit), ("second_unit", tariff.second_unit)):
        given = row.get(unit_field) or ""
        if given and given != (tariff_unit or ""):
            expected = f"{tariff_unit}({params.code_name('units', tariff_unit)})" if tariff_unit else "空"
            errors.append((unit_field, f"{FIELD_LABELS[unit_field]}由税则确定, 应为{expected}"))
        else:
            row[unit_field] = tariff_unit or ""
    g_model = row.get("g_model") or ""
    if g_model:
        errors.extend(check_elements(tariff, g_model, ie_flag))
    ciq = row.get("ciq_code") or ""
    if ciq:
        names = dict(params.ciq_names(code_ts))
        if names and ciq not in names:
            errors.append(("ciq_code", f"检验检疫编码{ciq}不属于商品编号{code_ts}"))
        elif names and not row.get("ciq_name"):
            row["ciq_name"] = names[ciq][:50]
    return errors


# the 申报要素 with fixed values, checked by position (see ``_checked``)
_FIXED = ("品牌类型", "出口享惠情况")
_CHECKED: dict[tuple[str, ...], list[tuple[int, str]]] = {}


def _checked(names) -> list[tuple[int, str]]:
    """(position, name) of the 申报要素 with fixed values among ``names``; once per tariff list."""
    key = tuple(names)
    found = _CHECKED.get(key)
    if found is None:
        found = _CHECKED[key] = [(i, name) for i, name in enumerate(key) if name in _FIXED]
    return found


def check_elements(tariff, g_model: str, ie_flag: str = "") -> list[tuple[str, str]]:
    values = rules.split_model(g_model)
    names = tariff.elements
    if len(values) != len(names):
        return [("g_model", f"申报要素应有{len(names)}项(商品编号{tariff.code_ts}: {'、'.join(names)}), "
                            f"实际{len(values)}项; 各项之间以 | 分隔")]
    errors = []
    for position, name in _checked(names):
        value = values[position].strip()
        if name == "品牌类型" and value not in rules.BRAND_TYPES:
            errors.append(("g_model", f"申报要素“品牌类型”应为 0-4, 实际为“{value}”"))
        elif name == "出口享惠情况" and value and value not in rules.EXPORT_PREFERENCES.get(ie_flag, "0123"):
            expected = {"I": "3(不适用于进口报关单)", "E": "0、1 或 2"}.get(ie_flag, "0-3")
            errors.append(("g_model", f"申报要素“出口享惠情况”应为 {expected}, 实际为“{value}”"))
    return errors

"""The declaration rule of the licence library: a licence of this enterprise cited in the 随附单证
must be valid today and have a balance.

Expired, not yet valid or used-up licences are ``findings.rule`` (an error on 申报, a warning on
暂存, so a draft can still be saved); a goods item that would take more than the balance of its
line, or that the licence does not list although its HS code needs that 监管证件, is a warning.
Cited numbers that are not in the library are left alone: the library is a help, not the
authority (customs holds the real balance).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from guanwu.declarations.payload import DeclarationData
from guanwu.declarations.rules import Findings, register_check
from guanwu.params import services as params

from .models import Licence
from .services import best_line, item_quantity, licences_by_number, qty_text


def _item(row: dict[str, Any], index: int) -> SimpleNamespace:
    values = {name: row.get(name) for name in (
        "code_ts", "first_qty", "first_unit", "second_qty", "second_unit", "g_qty", "g_unit")}
    values["g_no"] = row.get("g_no") or index + 1
    for unit in ("first_unit", "second_unit", "g_unit"):
        values[unit] = values[unit] or ""
    return SimpleNamespace(**values)


@register_check
def check_cited_licences(data: DeclarationData, findings: Findings, enterprise: Any) -> None:
    if enterprise is None:
        return
    cited = [(i, row) for i, row in enumerate(data.licences) if (row.get("cert_code") or "").strip()]
    if not cited:
        return
    library = licences_by_number(enterprise, {row["cert_code"].strip() for _i, row in cited})
    today = timezone.localdate()
    for index, row in cited:
        licence = library.get(row["cert_code"].strip())
        if licence is None or (licence.docu_code and row.get("docu_code") and licence.docu_code != row["docu_code"]):
            continue
        path = f"licences[{index}].cert_code"
        prefix = f"随附单证第{index + 1}行 许可证{licence.licence_no}"
        if licence.valid_to < today:
            findings.rule(path, f"{prefix}已于{licence.valid_to:%Y-%m-%d}过期, 不能使用")
            continue
        if licence.valid_from > today:
            findings.rule(path, f"{prefix}自{licence.valid_from:%Y-%m-%d}起生效, 目前尚不能使用")
            continue
        if licence.is_exhausted:
            findings.rule(path, f"{prefix}的许可数量已全部核销, 余量为 0")
            continue
        _check_balance(data, findings, licence, path, prefix)


def _name(licence: Licence) -> str:
    return f"许可证{licence.licence_no}"


def _check_balance(data: DeclarationData, findings: Findings, licence: Licence, path: str, prefix: str) -> None:
    lines = list(licence.lines.all())
    if not lines:
        return
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    by_line = {line.pk: line for line in lines}
    first_index: dict[int, int] = {}
    for index, row in enumerate(data.items):
        code = row.get("code_ts") or ""
        line = best_line(lines, code)
        if line is None:
            tariff = params.tariff_item(code) if code else None
            if tariff is not None and licence.docu_code and licence.docu_code in tariff.licence_codes:
                findings.warn(
                    f"items[{index}].code_ts",
                    f"第{index + 1}项 商品编号{code}不在{_name(licence)}的商品范围内, 请核对",
                )
            continue
        qty, _note = item_quantity(_item(row, index), line.unit)
        first_index.setdefault(line.pk, index)
        if qty is not None:
            wanted[line.pk] += qty
    for line_pk, index in first_index.items():
        line = by_line[line_pk]
        if line.remaining <= 0:
            findings.rule(path, f"{prefix}第{line.line_no}行({line.code_ts} {line.g_name})余量已用完")
        elif wanted[line_pk] > line.remaining:
            findings.warn(
                f"items[{index}].code_ts",
                f"第{index + 1}项 本报关单数量 {qty_text(wanted[line_pk], line.unit)} 超出{_name(licence)}"
                f"第{line.line_no}行余量 {qty_text(line.remaining, line.unit)}",
            )

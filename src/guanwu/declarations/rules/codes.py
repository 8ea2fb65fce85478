"""Codes against their parameter tables, and the head fields with fixed values."""

from __future__ import annotations

import re

from guanwu.params import services as params

from ..payload import CHILD_CODES, CHILDREN, HEAD_CODES, DeclarationData, label
from .base import Findings, head_label, item_field_label, item_prefix

# 运费/保费/杂费 标记: 1 率, 2 单价, 3 总价 (保费 and 杂费 have no 单价) (填制规范 运费/保费/杂费).
MARKS = {"fee_mark": frozenset("123"), "insur_mark": frozenset("13"), "other_mark": frozenset("13")}
# 无其他包装 (NoOtherPack): dictionary note "勾选 0-未选，有其他包装": 1 ticked, 0 not.
FLAGS = {"no_other_pack": frozenset("01")}


def ie_flag_valid(data: DeclarationData, out: Findings) -> None:
    if data.head.get("ie_flag") and data.ie_flag not in ("I", "E"):
        out.error("ie_flag", "进出口标志应为 I(进口) 或 E(出口)")


def code_fields_exist(data: DeclarationData, out: Findings) -> None:
    """Every code field's value is in its parameter table (2019 tables, 关检融合 codes)."""
    ie = data.ie_flag
    for name, table in HEAD_CODES.items():
        value = data.head.get(name)
        if value and not params.code_exists(table, value):
            out.error(name, f"{head_label(name, ie)}代码不存在: {value}")
    for child in CHILDREN:
        codes = CHILD_CODES[child.key]
        for index, row in enumerate(data.rows(child.key)):
            prefix = item_prefix(row, index) if child.key == "items" else f"{child.label}第{index + 1}行"
            for name, table in codes.items():
                value = row.get(name)
                if value and not params.code_exists(table, value):
                    name_cn = item_field_label(name, ie) if child.key == "items" else label(child.model, name)
                    out.error(f"{child.key}[{index}].{name}", f"{prefix} {name_cn}代码不存在: {value}")


def fixed_values(data: DeclarationData, out: Findings) -> None:
    """标记 fields, 价格说明 and 无其他包装 take fixed values; 统一社会信用代码 are 18 characters."""
    for name, allowed in {**MARKS, **FLAGS}.items():
        value = data.head.get(name)
        if value and value not in allowed:
            out.error(name, f"{head_label(name)}应为 {'/'.join(sorted(allowed))} 之一")
    if data.head.get("promise_itmes") and not re.fullmatch(r"[019]{1,5}", data.head["promise_itmes"]):
        out.error("promise_itmes", "价格说明每位应为 1(是)、0(否) 或 9(空), 最多5位")
    for scc_field in ("trade_co_scc", "agent_code_scc", "owner_code_scc", "cop_code_scc"):
        value = data.head.get(scc_field)
        if value and len(value) != 18:
            out.error(scc_field, f"{head_label(scc_field)}应为18位统一社会信用代码")


def check_codes(data: DeclarationData, out: Findings) -> None:
    ie_flag_valid(data, out)
    code_fields_exist(data, out)
    fixed_values(data, out)

"""Required fields: the dictionary's 暂存/申报 flags, read per direction."""

from __future__ import annotations

from guanwu.messages.dec import fields as fielddefs
from guanwu.messages.dec.structure import MAX_ITEMS

from ..payload import CHILDREN, DeclarationData
from .base import Findings, filled, head_label, item_field_label, item_prefix

HEAD_ALWAYS_OPTIONAL = frozenset({"type"})  # 单据类型: empty for a general declaration
# The dictionary (cit_dec_message_fields.csv) has one set of flags for the 进口/出口报关单表头 and
# marks 启运港代码 (DespPortCode) and 存放地点 (GoodsPlace) 申报必填 without a direction. The
# 填制规范 (2019 No. 18) defines 启运港 as "进口货物在运抵我国关境前的第一个境外装运港" and
# 货物存放地点 as "货物进境后存放的场所或地点": import fields. The export form declares 指运港
# (DistinatePort) and 离境口岸 (EntyPortCode) instead. The sources disagree; the 填制规范 wins.
DIRECTION_ONLY: dict[str, str] = {"desp_port_code": "I", "goods_place": "I"}
# The dictionary marks OrgCode, InspOrgCode and VsaOrgCode "字段已废弃，不再使用": never required.
DEPRECATED = frozenset({"org_code", "insp_org_code", "vsa_org_code"})


def head_required(block: str, ie_flag: str, on_declare: bool) -> list[str]:
    """Head fields of ``block`` that 暂存 or 申报 requires for a declaration of ``ie_flag``."""
    return [
        f.field for f in fielddefs.required(block, on_declare=on_declare)
        if f.field not in HEAD_ALWAYS_OPTIONAL and f.field not in DEPRECATED and applies(f.field, ie_flag)
    ]


def applies(name: str, ie_flag: str) -> bool:
    """Whether a head field belongs to a declaration of this direction."""
    only = DIRECTION_ONLY.get(name)
    return not only or not ie_flag or only == ie_flag


def required_head_fields(data: DeclarationData, on_declare: bool, out: Findings) -> None:
    """The head fields the dictionary flags, for this direction."""
    ie = data.ie_flag
    for block in ("DecHead", "DecFreeTxt", "DecTpAccess"):
        for name in head_required(block, ie, on_declare):
            if name in data.head and not filled(data.head.get(name)):
                out.error(name, f"{head_label(name, ie)}不能为空")


def required_child_fields(data: DeclarationData, on_declare: bool, out: Findings) -> None:
    """The fields of each child row the dictionary flags (g_no is numbered by the platform;
    second_qty is required by the tariff's second unit, see goods.py)."""
    ie = data.ie_flag
    for child in CHILDREN:
        required = [
            f for f in fielddefs.required(child.block, on_declare=on_declare) if f.field not in ("g_no", "second_qty")
        ]
        for index, row in enumerate(data.rows(child.key)):
            prefix = item_prefix(row, index) if child.key == "items" else f"{child.label}第{index + 1}行"
            for f in required:
                if f.field in row and not filled(row.get(f.field)):
                    name = item_field_label(f.field, ie) if child.key == "items" else f.cn_name
                    out.error(f"{child.key}[{index}].{f.field}", f"{prefix} {name}不能为空")


def items_present(data: DeclarationData, on_declare: bool, out: Findings) -> None:
    """At least one item on 申报, at most MAX_ITEMS (50) always."""
    if on_declare and not data.items:
        out.error("items", "报关单至少需要一项商品")
    if len(data.items) > MAX_ITEMS:
        out.error("items", f"一份报关单最多{MAX_ITEMS}项商品, 当前{len(data.items)}项, 请拆分报关单")


def import_destination(data: DeclarationData, on_declare: bool, out: Findings) -> None:
    """境内目的地 (行政区划, DestCode) of each import item (填制规范 境内目的地: 进口货物在国内的
    消费、使用地或最终运抵地, with the 行政区划 code since 2018)."""
    if not on_declare or data.ie_flag != "I":
        return
    for index, row in enumerate(data.items):
        if not filled(row.get("dest_code")):
            out.error(f"items[{index}].dest_code",
                      f"{item_prefix(row, index)} {item_field_label('dest_code', 'I')}不能为空")


def check_required(data: DeclarationData, on_declare: bool, out: Findings) -> None:
    required_head_fields(data, on_declare, out)
    required_child_fields(data, on_declare, out)
    items_present(data, on_declare, out)
    import_destination(data, on_declare, out)

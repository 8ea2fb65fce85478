"""包装种类, 件数, 毛重, 净重 and 其他包装 (填制规范: the entries of the same names)."""

from __future__ import annotations

from decimal import Decimal

from guanwu.params import services as params

from ..payload import DeclarationData
from .base import Findings

ONE_KG = Decimal(1)


def package_count(data: DeclarationData, on_declare: bool, out: Findings) -> None:
    """件数 "不得填报为零, 裸装货物填报为“1”" (件数 entry)."""
    if on_declare and data.head.get("pack_no") == 0:
        out.error("pack_no", "件数不得为0; 裸装或散装货物件数填报1")


def weights(data: DeclarationData, out: Findings) -> None:
    """毛重/净重 in kg, "不足一千克的填报为“1”"; 净重 (毛重减去外包装) is at most 毛重."""
    h = data.head
    gross, net = h.get("gross_wet"), h.get("net_wt")
    for name, value, cn in (("gross_wet", gross, "毛重"), ("net_wt", net, "净重")):
        if value is not None and value < ONE_KG:
            out.rule(name, f"{cn}{value.normalize():f}千克不足1千克, 应填报为1")
    if gross is not None and net is not None:
        if net > gross:
            out.rule("net_wt", f"净重{net}不能大于毛重{gross}")
        elif net == gross and gross:
            out.warn("gross_wet", "毛重等于净重, 请确认是否包含包装重量")


def other_packaging(data: DeclarationData, on_declare: bool, out: Findings) -> None:
    """包装种类 covers the transport packaging (包装种类) and the other packaging (其他包装, with
    植物性铺垫材料): rows of 其他包装, or 无其他包装 ticked (1), never both; a row repeats neither
    the transport packaging nor another row."""
    wrap, flag = data.head.get("wrap_type") or "", data.head.get("no_other_pack") or ""
    rows = data.other_packs
    if flag == "1" and rows:
        out.rule("no_other_pack", "勾选了无其他包装, 不应再填写其他包装")
    if on_declare and flag != "1" and not rows:
        out.error("no_other_pack", "请填写其他包装, 或勾选无其他包装")
    seen: set[str] = set()
    for index, row in enumerate(rows):
        pack_type = row.get("pack_type") or ""
        if pack_type and pack_type == wrap:
            name = params.code_name("wrap-types", wrap) or wrap
            out.rule(f"other_packs[{index}].pack_type",
                     f"其他包装第{index + 1}行 {pack_type}({name})已作为包装种类(运输包装)申报, 不应重复填写")
        elif pack_type in seen:
            out.rule(f"other_packs[{index}].pack_type", f"其他包装第{index + 1}行 包装种类{pack_type}重复")
        seen.add(pack_type)


def check_packing(data: DeclarationData, on_declare: bool, out: Findings) -> None:
    package_count(data, on_declare, out)
    weights(data, out)
    other_packaging(data, on_declare, out)

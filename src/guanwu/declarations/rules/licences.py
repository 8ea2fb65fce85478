"""监管条件: licences in 许可证号, other documents in 随附单证, inspection goods' fields.

See ``guanwu.params.licence_conditions`` for the sources of which document goes where, and
``guanwu.params.goods`` for the inspection condition, the 检验检疫编码 and the 货物属性 groups.
"""

from __future__ import annotations

import re

from guanwu.params import goods
from guanwu.params import licence_conditions as conditions
from guanwu.params.index import Tariff

from ..payload import DeclarationData
from .base import Findings, add_item_findings, item_path, item_prefix

UN_NUMBER = re.compile(r"^(UN)?\d{4}$")


def licences_and_documents(data: DeclarationData, tariffs: dict[int, Tariff], out: Findings) -> None:
    """Each 监管条件 of an item needs its document: licences 1/2/3/4/5/G/x/y in 许可证号 (one per
    declaration), the other 监管证件 in 随附单证; x/y/v replace 4/7 by 监管方式."""
    ie, trade_mode = data.ie_flag, data.head.get("trade_mode") or ""
    docs = {row.get("docu_code") for row in data.licences if row.get("docu_code")}
    licence_no = (data.head.get("license_no") or "").strip()
    licences_needed: dict[str, list[int]] = {}
    for index, tariff in tariffs.items():
        row = data.items[index]
        for needed in conditions.documents_needed(tariff.licence_codes, ie, trade_mode):
            if needed.in_licence_no:
                licences_needed.setdefault(needed.code, []).append(index)
            elif needed.code not in docs:
                out.error(item_path(index, "code_ts"),
                          f"{item_prefix(row, index)} 商品编号{tariff.code_ts}的监管条件要求随附单证 "
                          f"{needed.code}({needed.name}), 请在随附单证中填写")
    names = {code: conditions.Needed(code, True).name for code in licences_needed}
    if len(licences_needed) > 1:
        listed = "、".join(f"{code}({name})" for code, name in names.items())
        out.error("license_no", f"商品需要不同的许可证({listed}), 一份报关单只允许填报一个许可证号, 请分单申报")
    elif licences_needed and not licence_no:
        (code, indexes), = licences_needed.items()
        items = "、".join(item_prefix(data.items[i], i) for i in indexes)
        out.error("license_no", f"{items}的监管条件要求许可证 {code}({names[code]}), 许可证号不能为空")
    for index, row in enumerate(data.licences):
        code = row.get("docu_code")
        if code in conditions.LICENCE_NO_CODES:
            out.rule(f"licences[{index}].docu_code",
                     f"随附单证第{index + 1}行 许可证 {code} 应填报在许可证号栏, 不作为随附单证")


def licence_rows_complete(data: DeclarationData, out: Findings) -> None:
    for index, row in enumerate(data.licences):
        if row.get("docu_code") and not row.get("cert_code"):
            out.error(f"licences[{index}].cert_code", f"随附单证第{index + 1}行 单证编号不能为空")
        if row.get("docu_code") in conditions.INSPECTION:
            out.warn(f"licences[{index}].docu_code",
                     f"随附单证第{index + 1}行 监管条件{row['docu_code']}自2018年关检融合后"
                     "在报关单内申报检验检疫, 无需单独单证")


def inspection_codes(data: DeclarationData, tariffs: dict[int, Tariff], out: Findings) -> None:
    """Goods with 监管条件 A (入境) / B (出境) carry their 检验检疫编码 (CiqCode) of the 商品编号."""
    for index, tariff in tariffs.items():
        add_item_findings(out, data, index, goods.ciq_code(data.items[index], tariff, data.ie_flag, required=True))


def goods_attributes(data: DeclarationData, tariffs: dict[int, Tariff], out: Findings) -> None:
    """货物属性: known codes, one per group, and the groups an inspected import must state."""
    for index, row in enumerate(data.items):
        found = goods.attributes(goods.attribute_codes(row.get("goods_attr")), tariffs.get(index), data.ie_flag)
        add_item_findings(out, data, index, found)


def import_purpose(data: DeclarationData, tariffs: dict[int, Tariff], out: Findings) -> None:
    """用途 of each inspected import item (填制规范 用途: 根据进境货物的使用范围或目的填报)."""
    if data.ie_flag != "I":
        return
    for index, tariff in tariffs.items():
        row = data.items[index]
        if goods.inspected(tariff, "I") and not row.get("purpose"):
            out.rule(item_path(index, "purpose"), f"{item_prefix(row, index)} 法定检验的进口商品须填写用途")


def dangerous_goods(data: DeclarationData, out: Findings) -> None:
    """危险货物信息: an item declared dangerous (UN编码 given, or 非危险化学品 = 0) states its UN
    编码 (4 digits), 危险货物名称 and 危包类别; 非危险化学品 = 1 carries none of them."""
    for index, row in enumerate(data.items):
        prefix = item_prefix(row, index)
        uncode, flag = (row.get("uncode") or "").strip(), row.get("no_dang_flag") or ""
        if flag and flag not in ("0", "1"):
            out.error(item_path(index, "no_dang_flag"), f"{prefix} 非危险化学品应为 1(是) 或 0(否)")
            continue
        dangerous = bool(uncode) or flag == "0"
        if flag == "1" and uncode:
            out.rule(item_path(index, "uncode"), f"{prefix} 已声明为非危险化学品, 不应填写UN编码")
            continue
        if not dangerous:
            continue
        if not uncode:
            out.rule(item_path(index, "uncode"), f"{prefix} 危险货物须填写UN编码")
        elif not UN_NUMBER.match(uncode.upper()):
            out.rule(item_path(index, "uncode"), f"{prefix} UN编码应为4位数字, 实际为{uncode}")
        for name, cn in (("dang_name", "危险货物名称"), ("dang_pack_type", "危包类别")):
            if not row.get(name):
                out.rule(item_path(index, name), f"{prefix} 危险货物须填写{cn}")


def check_licences(data: DeclarationData, tariffs: dict[int, Tariff], on_declare: bool, out: Findings) -> None:
    goods_attributes(data, tariffs, out)
    dangerous_goods(data, out)
    if not on_declare:
        return
    licence_rows_complete(data, out)
    licences_and_documents(data, tariffs, out)
    inspection_codes(data, tariffs, out)
    import_purpose(data, tariffs, out)

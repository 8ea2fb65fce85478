"""监管条件: licences in 许可证号, other documents in 随附单证, inspection goods' fields.

See ``guanwu.params.licence_conditions`` for the sources of which document goes where.
"""

from __future__ import annotations

import re

from guanwu.params import licence_conditions as conditions
from guanwu.params import services as params
from guanwu.params.index import Tariff

from ..payload import DeclarationData
from .base import Findings, item_path, item_prefix

# 货物属性 (GoodsAttr, several codes separated by ","): codes of one group exclude each other
# (货物属性代码表: 3C 11/12/13, 预包装 14/15, 转基因 16/17, 正常/废品/旧品 19/20/21, 带皮/不带皮
# 木材 23/24, 特殊物品 25-29).
ATTRIBUTE_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("3C认证", frozenset({"11", "12", "13"})),
    ("预包装", frozenset({"14", "15"})),
    ("转基因", frozenset({"16", "17"})),
    ("新旧状态", frozenset({"19", "20", "21"})),
    ("木材带皮", frozenset({"23", "24"})),
    ("特殊物品", frozenset({"25", "26", "27", "28", "29"})),
)
# Where the 填制规范 (货物属性 entry, as revised by 海关总署公告2018年第60号) obliges an import
# with inspection to state an attribute: 入境强制性产品认证产品 (3C 11/12/13), 食品、化妆品
# (预包装 14/15), 木材 (23/24). guanwu has no copy of the 3C catalogue: every inspected import
# of chapters 84/85 states 3C 目录内/目录外/无需办理 (12 目录外 is a valid answer). Foods are
# chapters 02-22 (except 05, 06, 13, 14 which are not food), cosmetics heading 3303-3307, wood
# 4403 and 4406-4409.
_FOOD_CHAPTERS = frozenset(f"{n:02d}" for n in range(2, 23)) - {"05", "06", "13", "14"}
_COSMETIC_HEADINGS = frozenset({"3303", "3304", "3305", "3306", "3307"})
_WOOD_HEADINGS = frozenset({"4403", "4406", "4407", "4408", "4409"})
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


def _inspected(tariff: Tariff, ie: str) -> str:
    """The inspection condition (A/B) that applies to an item of this direction, or ""."""
    return next((code for code, direction in conditions.INSPECTION.items()
                 if code in (tariff.licence_codes or "") and (not ie or ie == direction)), "")


def inspection_codes(data: DeclarationData, tariffs: dict[int, Tariff], out: Findings) -> None:
    """Goods with 监管条件 A (入境) / B (出境) carry their 检验检疫编码 (CiqCode) of the 商品编号."""
    ie = data.ie_flag
    for index, tariff in tariffs.items():
        row = data.items[index]
        code = _inspected(tariff, ie)
        if not code:
            continue
        prefix = item_prefix(row, index)
        if not row.get("ciq_code"):
            out.error(item_path(index, "ciq_code"), f"{prefix} 商品编号{tariff.code_ts}须"
                      f"{'入境' if code == 'A' else '出境'}检验检疫(监管条件{code}), 检验检疫编码不能为空")
        elif params.ciq_names(tariff.code_ts) and row["ciq_code"] not in dict(params.ciq_names(tariff.code_ts)):
            out.error(item_path(index, "ciq_code"),
                      f"{prefix} 检验检疫编码{row['ciq_code']}不属于商品编号{tariff.code_ts}")


def _attribute_group_needed(code_ts: str) -> tuple[str, frozenset[str]] | None:
    chapter, heading = code_ts[:2], code_ts[:4]
    if chapter in ("84", "85"):
        return ATTRIBUTE_GROUPS[0]
    if chapter in _FOOD_CHAPTERS or heading in _COSMETIC_HEADINGS:
        return ATTRIBUTE_GROUPS[1]
    if heading in _WOOD_HEADINGS:
        return ATTRIBUTE_GROUPS[4]
    return None


def goods_attributes(data: DeclarationData, tariffs: dict[int, Tariff], out: Findings) -> None:
    """货物属性: known codes, one per group, and the groups an inspected import must state."""
    ie = data.ie_flag
    for index, row in enumerate(data.items):
        prefix = item_prefix(row, index)
        path = item_path(index, "goods_attr")
        codes = [c.strip() for c in (row.get("goods_attr") or "").split(",") if c.strip()]
        for code in codes:
            if not params.code_exists("goods-attributes", code):
                out.error(path, f"{prefix} 货物属性代码不存在: {code}")
        for name, group in ATTRIBUTE_GROUPS:
            if len(group.intersection(codes)) > 1:
                out.rule(path, f"{prefix} 货物属性“{name}”只能选择一项: {','.join(sorted(group.intersection(codes)))}")
        tariff = tariffs.get(index)
        if tariff is None or ie != "I" or _inspected(tariff, ie) != "A":
            continue
        needed = _attribute_group_needed(tariff.code_ts)
        if needed and not needed[1].intersection(codes):
            name, group = needed
            choices = "、".join(f"{c}-{params.code_name('goods-attributes', c)}" for c in sorted(group))
            out.rule(path, f"{prefix} 法定检验的进口商品须申报货物属性“{name}”({choices})")


def import_purpose(data: DeclarationData, tariffs: dict[int, Tariff], out: Findings) -> None:
    """用途 of each inspected import item (填制规范 用途: 根据进境货物的使用范围或目的填报)."""
    if data.ie_flag != "I":
        return
    for index, tariff in tariffs.items():
        row = data.items[index]
        if _inspected(tariff, "I") and not row.get("purpose"):
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

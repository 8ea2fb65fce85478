"""What the tariff says about one goods line, for every module that keeps goods.

The declaration rules (``declarations/rules/goods.py``, ``licences.py``), the commodity library
(``datacenter/commodities/goods.py``) and 智能辅助申报's tax calculation read the same tariff
facts through this module: the 申报要素 of a 商品编号 and the fixed values two of them take
(品牌类型, 出口享惠情况), the legal units and quantities, the inspection condition (监管条件 A/B)
and the 检验检疫编码 of a code, the 货物属性 groups.

A goods line is a plain dict with the item field names (``code_ts``, ``g_model``,
``first_unit``, ``first_qty`` ...). Checks return :class:`Finding` s: the field, a Chinese
message without the item's 第N项 (the caller adds where the line stands), and a level:

* ``ERROR``: always refused (a unit the tariff does not give, a missing element on 申报);
* ``RULE``: refused on 申报, a warning on 暂存 (a half-keyed line may be saved);
* ``WARNING``: unusual but legal.

Sources: 《中华人民共和国海关进出口货物报关单填制规范》(海关总署公告2019年第18号 and later changes)
for 商品名称及规格型号, 数量及单位 and 货物属性; 《中华人民共和国海关进出口商品规范申报目录》
(海关总署公告2016年第20号 / 2017年第1号) for the 申报要素, 品牌类型 and 出口享惠情况; the tariff
(税则) as of the declaration date for legal units, elements and 监管条件; 海关总署公告2018年第60号
(关检融合) for inspection declared in the declaration itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import services as params
from .index import Tariff
from .licence_conditions import INSPECTION

ERROR, RULE, WARNING = "error", "rule", "warning"

# 品牌类型: 0 无品牌 1 境内自主品牌 2 境内收购品牌 3 境外品牌(贴牌生产) 4 境外品牌(其他)
# (规范申报目录, 海关总署公告2016年第20号 / 2017年第1号).
BRAND_TYPE_CHOICES = (
    ("0", "0-无品牌"), ("1", "1-境内自主品牌"), ("2", "2-境内收购品牌"),
    ("3", "3-境外品牌(贴牌生产)"), ("4", "4-境外品牌(其他)"),
)
BRAND_TYPES = frozenset(code for code, _ in BRAND_TYPE_CHOICES)
# 出口享惠情况: 0 出口货物在最终目的国(地区)不享受优惠关税 1 享受 2 不能确定 3 不适用于进口报关单
# (same sources): an export answers 0/1/2, an import 3.
EXPORT_PREFERENCE_CHOICES = (("0", "0-出口货物在最终目的国(地区)不享受优惠关税"),
                             ("1", "1-出口货物在最终目的国(地区)享受优惠关税"),
                             ("2", "2-出口货物不能确定在最终目的国(地区)享受优惠关税"),
                             ("3", "3-不适用于进口报关单"))
EXPORT_PREFERENCES = {"E": frozenset("012"), "I": frozenset("3")}
ANY_EXPORT_PREFERENCE = frozenset(code for code, _ in EXPORT_PREFERENCE_CHOICES)
FIXED_ELEMENTS = ("品牌类型", "出口享惠情况")  # the 申报要素 with fixed values
OPTIONAL_ELEMENTS = ("GTIN", "CAS", "其他")  # may stay empty (so may every 如... element)

# Legal units (计量单位代码表) the checks and the tax calculation name.
KG, LITRE, THOUSAND_STICKS = "035", "095", "143"  # 千克, 升, 千支
UNIT_FIELDS = (("first_unit", "first_qty"), ("second_unit", "second_qty"))

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

LABELS = {
    "code_ts": "商品编号", "ciq_code": "检验检疫编码", "g_name": "商品名称", "g_model": "规格型号",
    "g_unit": "申报计量单位", "first_unit": "法定第一计量单位", "second_unit": "法定第二计量单位",
    "first_qty": "法定第一数量", "second_qty": "法定第二数量",
}


@dataclass(frozen=True)
class Finding:
    path: str  # the field of the goods line (``g_model``, ``first_unit`` ...)
    message: str  # Chinese, without the line's 第N项
    level: str = RULE


Label = Callable[[str], str]


def _label(name: str) -> str:
    return LABELS.get(name, name)


def filled(value: Any) -> bool:
    return value not in (None, "")


# -- the tariff line ---------------------------------------------------------------------------


def unknown_code(code_ts: str, when: str = "") -> Finding:
    """The 商品编号 is not in the tariff (``when``: the date it was looked up for, if any)."""
    where = f"在{when}的税则中" if when else "在税则中"
    return Finding("code_ts", f"商品编号{code_ts}{where}不存在", ERROR)


# -- legal units and quantities (填制规范 数量及单位) ----------------------------------------------


def legal_units(row: dict[str, Any], tariff: Tariff, *, on_declare: bool = False,
                label: Label = _label) -> list[Finding]:
    """法定计量单位 come from the tariff and cannot be changed; a second unit needs its quantity
    on 申报, and a line without one carries no second quantity."""
    found: list[Finding] = []
    for unit_field, tariff_unit in (("first_unit", tariff.first_unit), ("second_unit", tariff.second_unit)):
        given = row.get(unit_field) or ""
        if given and given != (tariff_unit or ""):
            expected = f"{tariff_unit}({params.code_name('units', tariff_unit)})" if tariff_unit else "空"
            found.append(Finding(unit_field, f"{label(unit_field)}由税则确定, 应为{expected}, 不能修改", ERROR))
    if on_declare and tariff.second_unit and not filled(row.get("second_qty")):
        found.append(Finding("second_qty", f"商品编号{tariff.code_ts}有第二法定计量单位"
                                           f"({params.code_name('units', tariff.second_unit)}), 第二法定数量不能为空",
                             ERROR))
    if not tariff.second_unit and filled(row.get("second_qty")):
        found.append(Finding("second_qty", f"商品编号{tariff.code_ts}无第二法定计量单位, 不应填写第二法定数量"))
    return found


def fill_legal_units(row: dict[str, Any], tariff: Tariff) -> None:
    """The tariff's legal units where the line left them empty."""
    for unit_field, tariff_unit in (("first_unit", tariff.first_unit), ("second_unit", tariff.second_unit)):
        if not row.get(unit_field) and tariff_unit:
            row[unit_field] = tariff_unit


def legal_quantities_positive(row: dict[str, Any], tariff: Tariff, *, label: Label = _label) -> list[Finding]:
    """A legal quantity (法定第一/第二数量) is the quantity in the legal unit: never 0."""
    return [Finding(qty_field, f"{label(qty_field)}应大于0")
            for (_, qty_field), unit in zip(UNIT_FIELDS, (tariff.first_unit, tariff.second_unit), strict=True)
            if unit and row.get(qty_field) is not None and row[qty_field] <= 0]


def legal_quantity(tariff: Tariff, unit: str, first_qty: Decimal | None, second_qty: Decimal | None
                   ) -> Decimal | None:
    """The line's quantity in ``unit`` when it is one of its legal units (None otherwise). The
    quantity in 千克 is the net weight (填制规范 数量及单位: "以千克计的..., 填报净重")."""
    if tariff.first_unit == unit and first_qty is not None:
        return first_qty
    if tariff.second_unit == unit and second_qty is not None:
        return second_qty
    return None


# -- 申报要素 (规格型号) -------------------------------------------------------------------------


def split_elements(g_model: str) -> list[str]:
    """规格型号 carries the 申报要素 in the tariff's order, separated by ``|``."""
    return g_model.split("|") if g_model else []


_FIXED_POSITIONS: dict[tuple[str, ...], list[tuple[int, str]]] = {}


def _fixed_positions(names: tuple[str, ...]) -> list[tuple[int, str]]:
    """(position, name) of the elements with fixed values; worked out once per element list."""
    found = _FIXED_POSITIONS.get(names)
    if found is None:
        found = _FIXED_POSITIONS[names] = [(i, name) for i, name in enumerate(names) if name in FIXED_ELEMENTS]
    return found


def elements(g_model: str, tariff: Tariff, ie_flag: str = "", *, on_declare: bool = False) -> list[Finding]:
    """The 申报要素 in 规格型号 against the tariff: as many as it lists; 品牌类型 0-4; 出口享惠情况
    0/1/2 on an export, 3 on an import; on 申报 none empty but GTIN, CAS, 其他 and the 如...
    ones. An empty 规格型号 is the caller's business (required on 申报)."""
    values = split_elements(g_model)
    names = tariff.elements
    count = element_count(values, tariff)
    if count is not None:
        return [count]
    found: list[Finding] = []
    checked = enumerate(names) if on_declare else _fixed_positions(tuple(names))
    for position, name in checked:
        found.extend(element(name, values[position].strip(), ie_flag, on_declare=on_declare))
    return found


def element_count(values: list[str], tariff: Tariff) -> Finding | None:
    """规格型号 lists as many 申报要素 as the tariff names for the code (None when it does)."""
    names = tariff.elements
    if len(values) == len(names):
        return None
    return Finding("g_model", f"申报要素应有{len(names)}项(商品编号{tariff.code_ts}: {'、'.join(names)}), "
                              f"实际{len(values)}项; 各项之间以 | 分隔")


def element(name: str, value: str, ie_flag: str = "", *, on_declare: bool = False) -> list[Finding]:
    """One 申报要素 (its stripped ``value``): 品牌类型 0-4, 出口享惠情况 by direction, and on 申报
    not empty unless optional (GTIN, CAS, 其他, 如...)."""
    if name == "品牌类型":
        if value not in BRAND_TYPES:
            return [Finding("g_model", f"申报要素“品牌类型”应为 0-4, 实际为“{value}”")]
    elif name == "出口享惠情况":
        return _export_preference(value, ie_flag, on_declare)
    elif on_declare and not value and not optional_element(name):
        return [Finding("g_model", f"申报要素“{name}”不能为空", ERROR)]
    return []


def optional_element(name: str) -> bool:
    """GTIN, CAS, 其他 and the 如... elements may stay empty."""
    return name in OPTIONAL_ELEMENTS or name.startswith("如")


def _export_preference(value: str, ie_flag: str, on_declare: bool) -> list[Finding]:
    if not value:
        if not on_declare:
            return []
        hint = "(进口报关单填 3-不适用于进口报关单)" if ie_flag == "I" else ""
        return [Finding("g_model", f"申报要素“出口享惠情况”不能为空{hint}", ERROR)]
    if value in EXPORT_PREFERENCES.get(ie_flag, ANY_EXPORT_PREFERENCE):
        return []
    which = {"I": "进口报关单应为 3(不适用于进口报关单)", "E": "出口报关单应为 0、1 或 2"}.get(ie_flag, "应为 0-3")
    return [Finding("g_model", f"申报要素“出口享惠情况”{which}, 实际为“{value}”")]



# -- the 申报要素 checker (规范申报) ---------------------------------------------------------------
# ``elements`` above is what the 报关单填制规范 requires of 规格型号; the 规范申报 checker of
# ``guanwu.standards`` (rules per element name: 品牌 against 品牌类型, GTIN/CAS check digits,
# 成分含量, units, 型号/无型号 ...) registers itself here when its app is ready, so the
# declaration rules and the commodity library run it through this module like the other goods
# rules and never import it. Without it registered, ``element_rules`` finds nothing.

ElementRules = Callable[[Tariff, str, str], list[Finding]]
_ELEMENT_RULES: list[ElementRules] = []


def register_element_rules(func: ElementRules) -> ElementRules:
    """Add ``func(tariff, g_model, ie_flag) -> findings`` to ``element_rules`` (once)."""
    if func not in _ELEMENT_RULES:
        _ELEMENT_RULES.append(func)
    return func


def element_rules(g_model: str, tariff: Tariff, ie_flag: str = "") -> list[Finding]:
    """The registered 申报要素 rules' findings on ``g_model`` beyond ``elements`` (which a caller
    runs first: a wrong element count or an empty element is reported there, not here). Their
    errors come as ``RULE`` (refused on 申报, a warning on 暂存), their warnings as ``WARNING``."""
    if not g_model:
        return []
    found: list[Finding] = []
    for func in _ELEMENT_RULES:
        found.extend(func(tariff, g_model, ie_flag))
    return found

# -- inspection (监管条件 A/B) and 货物属性 ---------------------------------------------------------


def inspected(tariff: Tariff, ie_flag: str) -> str:
    """The inspection condition (A/B) that applies to a line of this direction, or ""."""
    return next((code for code, direction in INSPECTION.items()
                 if code in (tariff.licence_codes or "") and (not ie_flag or ie_flag == direction)), "")


def ciq_code(row: dict[str, Any], tariff: Tariff, ie_flag: str = "", *, required: bool = False) -> list[Finding]:
    """检验检疫编码 (CiqCode) belongs to the 商品编号. With ``required`` (申报) only a line under
    监管条件 A (入境) / B (出境) of its direction is looked at, and it must carry one."""
    code = row.get("ciq_code") or ""
    condition = inspected(tariff, ie_flag) if required else ""
    if required and not condition:
        return []
    if not code:
        if not condition:
            return []
        return [Finding("ciq_code", f"商品编号{tariff.code_ts}须{'入境' if condition == 'A' else '出境'}检验检疫"
                                    f"(监管条件{condition}), 检验检疫编码不能为空", ERROR)]
    names = params.ciq_names(tariff.code_ts)
    if names and code not in dict(names):
        return [Finding("ciq_code", f"检验检疫编码{code}不属于商品编号{tariff.code_ts}", ERROR)]
    return []


def ciq_name(code_ts: str, code: str) -> str:
    """The name of a 检验检疫编码 of the 商品编号 ("" when it has none)."""
    return dict(params.ciq_names(code_ts)).get(code, "")[:50] if code else ""


def attribute_codes(goods_attr: str | None) -> list[str]:
    return [c.strip() for c in (goods_attr or "").split(",") if c.strip()]


def attribute_group_needed(code_ts: str) -> tuple[str, frozenset[str]] | None:
    """The 货物属性 group an inspected import of this 商品编号 must state (see ATTRIBUTE_GROUPS)."""
    chapter, heading = code_ts[:2], code_ts[:4]
    if chapter in ("84", "85"):
        return ATTRIBUTE_GROUPS[0]
    if chapter in _FOOD_CHAPTERS or heading in _COSMETIC_HEADINGS:
        return ATTRIBUTE_GROUPS[1]
    if heading in _WOOD_HEADINGS:
        return ATTRIBUTE_GROUPS[4]
    return None


def attributes(codes: Iterable[str], tariff: Tariff | None, ie_flag: str) -> list[Finding]:
    """货物属性: known codes, one per group, and the group an inspected import must state."""
    codes = list(codes)
    found = [Finding("goods_attr", f"货物属性代码不存在: {code}", ERROR)
             for code in codes if not params.code_exists("goods-attributes", code)]
    for name, group in ATTRIBUTE_GROUPS:
        chosen = sorted(group.intersection(codes))
        if len(chosen) > 1:
            found.append(Finding("goods_attr", f"货物属性“{name}”只能选择一项: {','.join(chosen)}"))
    if tariff is None or ie_flag != "I" or inspected(tariff, ie_flag) != "A":
        return found
    needed = attribute_group_needed(tariff.code_ts)
    if needed and not needed[1].intersection(codes):
        name, group = needed
        choices = "、".join(f"{c}-{params.code_name('goods-attributes', c)}" for c in sorted(group))
        found.append(Finding("goods_attr", f"法定检验的进口商品须申报货物属性“{name}”({choices})"))
    return found

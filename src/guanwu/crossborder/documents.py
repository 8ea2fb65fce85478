"""The fields of each document as entered (JSON body, Excel template): labels from the CEB spec
202205 tables, lengths from the official XSD, which are required, which are codes.

One declaration serves the import columns (``imports.py``), the API bodies' checks and the
services' cleaning (:func:`clean`), so an order keyed in, posted or imported is refused alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from . import codes

STR, DECIMAL, INT, DATE = "str", "decimal", "int", "date"


@dataclass(frozen=True)
class F:
    name: str  # model field: the snake_case of the CEB element
    label: str  # Chinese header
    kind: str = STR
    max_length: int | None = None
    required: bool = False  # required in the file / body (defaults fill some XSD-required ones)
    code: str = ""  # codes.* table slug
    length: int | None = None  # exact length (C3, C4, ...)
    help: str = ""
    example: str = ""
    width: int = 14


def _f(name: str, label: str, max_length: int | None = None, **kwargs: Any) -> F:
    return F(name, label, max_length=max_length, **kwargs)


def _d(name: str, label: str, **kwargs: Any) -> F:
    return F(name, label, kind=DECIMAL, **kwargs)


# -- 9710 / 9810 orders (CEB303 OrderHead, OrderList) ------------------------------------------

def order_head_fields(order_type: str) -> list[F]:
    warehouse = order_type == "W"
    fields = [
        _f("order_no", "订仓单编号" if warehouse else "订单编号", 60, required=True, width=22,
           example="DC20240920001" if warehouse else "SO20240920001"),
        _f("ebp_code", "海外仓代码" if warehouse else "电商平台代码", 18, required=True, width=18,
           help="境外平台或海外仓无代码时填“无”" if warehouse else "电商平台的海关注册登记编号; 境外平台无代码填“无”",
           example="无" if warehouse else "6101960001"),
        _f("ebp_name", "海外仓名称" if warehouse else "电商平台名称", 100, required=True, width=24),
        _f("ebc_code", "电商企业代码", 18, help="空则为本企业海关编码"),
        _f("ebc_name", "电商企业名称", 100, width=24, help="空则为本企业名称"),
        _d("goods_value", "商品金额", help="空则为表体总价之和"),
        _d("freight", "运杂费", help="无则填0; 空则为0"),
        _f("currency", "币制", required=True, code=codes.CURRENCY, length=3, example="502 - 美元"),
        _f("note", "备注", 1000, width=20),
    ]
    if warehouse:
        fields[-1:-1] = [
            _f("warehouse_country", "海外仓所在国(地区)", code=codes.COUNTRY, length=3, example="502 - 美国"),
            _f("warehouse_address", "海外仓地址", 200, width=24),
        ]
    return fields


ORDER_LINE_FIELDS = [
    F("g_num", "序号", kind=INT, help="订单内商品序号, 空则按顺序 1、2、3", width=8),
    _f("item_no", "企业商品货号", 30, required=True),
    _f("item_name", "企业商品名称", 250, required=True, width=24),
    _f("item_describe", "企业商品描述", 1000, width=24),
    _f("bar_code", "条形码", 50),
    _f("unit", "计量单位", required=True, code=codes.UNIT, length=3, example="011 - 件"),
    _f("currency", "币制", code=codes.CURRENCY, length=3, help="空则同表头币制"),
    _d("qty", "数量", required=True),
    _d("price", "单价", required=True),
    _d("total_price", "总价", help="空则为数量×单价"),
    _f("note", "备注", 1000),
]

# -- export lists (CEB603 InventoryHead, InventoryList) ------------------------------------------

LIST_HEAD_FIELDS = [
    _f("order_no", "订单编号", 60, required=True, width=22, help="本企业已导入的9710订单或9810订仓单编号"),
    _f("logistics_no", "物流运单编号", 32, required=True, width=20),
    _f("logistics_code", "物流企业代码", 18, required=True),
    _f("logistics_name", "物流企业名称", 100, required=True, width=20),
    _f("cop_no", "企业唯一编号", 30, help="空则由平台生成"),
    _f("customs_code", "申报地海关代码", length=4, help="空则取跨境设置"),
    _f("port_code", "出口口岸代码", length=4, help="空则取跨境设置"),
    _f("ebp_code", "电商平台代码", 18, help="空则同订单"),
    _f("ebp_name", "电商平台名称", 100, help="空则同订单", width=20),
    _f("ebc_code", "收发货人代码", 18, help="空则同订单的电商企业"),
    _f("ebc_name", "收发货人名称", 100, width=20, help="空则同订单的电商企业"),
    _f("owner_code", "生产销售企业代码", 18, required=True),
    _f("owner_name", "生产销售企业名称", 100, required=True, width=20),
    _f("agent_code", "申报企业代码", 18, help="空则取跨境设置或本企业"),
    _f("agent_name", "申报企业名称", 100, width=20, help="空则取跨境设置或本企业"),
    _f("statistics_flag", "申报业务类型", length=1, help="A-简化申报 B-汇总申报, 空则为A", example="A", width=10),
    _f("traf_mode", "运输方式", required=True, code=codes.TRANSPORT, length=1, example="5 - 航空运输"),
    _f("traf_name", "运输工具名称", 100),
    _f("voyage_no", "航班航次号", 32),
    _f("bill_no", "提运单号", 37),
    _f("total_package_no", "总包号", 37),
    _f("loct_no", "监管场所代码", 10),
    _f("license_no", "许可证号", 19),
    _f("country", "运抵国(地区)", required=True, code=codes.COUNTRY, length=3, example="502 - 美国"),
    _f("pod", "指运港代码", 4, required=True, example="502"),
    _d("freight", "运费", required=True),
    _f("f_currency", "运费币制", required=True, code=codes.CURRENCY, length=3, example="142 - 人民币"),
    _d("insured_fee", "保费", help="空则为0"),
    _f("i_currency", "保费币制", code=codes.CURRENCY, length=3, help="空则同运费币制"),
    _f("wrap_type", "包装种类", required=True, code=codes.WRAP, length=1, example="1 - 木箱"),
    F("pack_no", "件数", kind=INT, required=True),
    _d("gross_weight", "毛重(kg)", required=True),
    _d("net_weight", "净重(kg)", required=True),
    _f("ems_no", "账册编号", 30),
    _f("iac_code", "区内企业代码", 18),
    _f("iac_name", "区内企业名称", 100),
    _f("note", "备注", 1000),
]

LIST_LINE_FIELDS = [
    F("g_num", "序号", kind=INT, help="空则按顺序 1、2、3", width=8),
    _f("item_no", "企业商品货号", 20, required=True),
    _f("item_record_no", "账册备案料号", 30),
    _f("item_name", "企业商品名称", 250, width=20),
    _f("g_code", "商品编码", length=10, required=True, example="6109100010", width=14),
    _f("g_name", "商品名称", 250, required=True, width=20),
    _f("g_model", "规格型号", 250, required=True, width=24),
    _f("bar_code", "条形码", 50, help="没有条形码填“无”, 空则为“无”"),
    _f("country", "目的国", required=True, code=codes.COUNTRY, length=3, example="502 - 美国"),
    _f("currency", "币制", required=True, code=codes.CURRENCY, length=3, example="502 - 美元"),
    _d("qty", "申报数量", required=True),
    _f("unit", "申报计量单位", required=True, code=codes.UNIT, length=3, example="011 - 件"),
    _d("qty1", "法定数量", required=True),
    _f("unit1", "法定计量单位", required=True, code=codes.UNIT, length=3, example="035 - 千克"),
    _d("qty2", "第二数量"),
    _f("unit2", "第二计量单位", code=codes.UNIT, length=3),
    _d("price", "单价", required=True),
    _d("total_price", "总价", help="空则为申报数量×单价"),
    _f("note", "备注", 1000),
]

# -- summary applications (CEB701 SummaryApplyHead, SummaryApplyList) -----------------------------

SUMMARY_HEAD_FIELDS = [
    _f("cop_no", "企业唯一编号", 30, help="空则由平台生成"),
    _f("customs_code", "申报地海关代码", length=4, help="空则取跨境设置"),
    _f("agent_code", "申报单位代码", 18, help="空则取跨境设置或本企业"),
    _f("agent_name", "申报单位名称", 100, width=20, help="空则取跨境设置或本企业"),
    _f("ebc_code", "收发货人代码", 18, help="空则为本企业海关编码"),
    _f("ebc_name", "收发货人名称", 100, width=20, help="空则为本企业名称"),
    _f("decl_agent_code", "报关单位代码", 18, help="空则为本企业海关编码"),
    _f("decl_agent_name", "报关单位名称", 100, width=20, help="空则为本企业名称"),
    _f("loct_no", "监管场所代码", 10),
    _f("summary_flag", "收发货人汇总标志", length=1, example="1",
       help="1-按收发货人单一汇总 2-按收发货人和生产销售单位汇总, 空则为1"),
    _f("item_name_flag", "按商品名汇总标志", length=1, help="1-按商品名称汇总 0-不按, 空则为0", example="0"),
    _f("note", "备注", 1000),
]

SUMMARY_LINE_FIELDS = [_f("invt_no", "清单编号", 20, required=True, width=22, help="海关清单编码(已放行的出口清单)")]

CHOICES = {
    "statistics_flag": {"A", "B"},
    "summary_flag": {"1", "2"},
    "item_name_flag": {"0", "1"},
}

MAX_DIGITS, MAX_PLACES = 19, 5


def _decimal_problem(value: Decimal) -> str:
    if not value.is_finite():
        return "应为数字"
    if value < 0:
        return "不能为负数"
    _sign, digits, exponent = value.normalize().as_tuple()
    places = max(0, -int(exponent))
    if places > MAX_PLACES:
        return f"最多{MAX_PLACES}位小数"
    if len(digits) - places > MAX_DIGITS - MAX_PLACES:
        return f"整数部分最多{MAX_DIGITS - MAX_PLACES}位"
    return ""


def clean_value(f: F, value: Any) -> tuple[Any, str]:
    """(the value to store, "") or (None, Chinese reason) for one field."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ("" if f.kind == STR else None), ("必填项不能为空" if f.required else "")
    if f.kind == DECIMAL:
        try:
            number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            return None, "应为数字"
        problem = _decimal_problem(number)
        return (None, problem) if problem else (number, "")
    if f.kind == INT:
        try:
            number = int(str(value).strip()) if not isinstance(value, int) else value
        except ValueError:
            return None, "应为整数"
        if number < 0 or number > 999_999_999:
            return None, "应为0-999999999的整数"
        return number, ""
    if f.kind == DATE:
        if isinstance(value, dt.date):
            return value, ""
        try:
            return dt.date.fromisoformat(str(value).strip()), ""
        except ValueError:
            return None, "应为日期(YYYY-MM-DD)"
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if f.code:
        code, problem = codes.problem(f.code, text)
        if problem:
            return None, problem
        text = code
    if f.name in CHOICES:
        text = text.upper()
        if text not in CHOICES[f.name]:
            return None, f"只能填{'、'.join(sorted(CHOICES[f.name]))}"
    if f.length and len(text) != f.length:
        return None, f"应为{f.length}位，实际{len(text)}位"
    if f.max_length and len(text) > f.max_length:
        return None, f"最长{f.max_length}位，实际{len(text)}位"
    if f.name == "g_code" and not text.isdigit():
        return None, "商品编码应为10位数字"
    return text, ""


def clean(fields: list[F], values: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Clean ``values`` in place (only the fields declared); ``[(path, message)]`` of what is wrong."""
    errors = []
    for f in fields:
        value, problem = clean_value(f, values.get(f.name))
        values[f.name] = value
        if problem:
            errors.append((f"{prefix}{f.name}", f"{f.label}：{problem}"))
    return errors


def label_of(fields: list[F], name: str) -> str:
    return next((f.label for f in fields if f.name == name), name)

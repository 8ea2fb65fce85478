"""运输方式 -> 运输工具名称, 航次号, 提运单号; containers.

Source: 《海关进出口货物报关单填制规范》(海关总署公告2019年第18号), the entries 运输方式,
运输工具名称及航次号, 提运单号 and 集装箱号/集装箱规格/商品项号关系.
"""

from __future__ import annotations

import datetime as dt
import re

from guanwu.params import services as params

from ..payload import DeclarationData
from .base import Findings

SEA, RAIL, ROAD, AIR, MAIL = "2", "3", "4", "5", "6"
# 运输方式 of goods without an actual crossing (运输方式 entry, 无实际进出境: 0 非保税区,
# 1 监管仓库, 7 保税区, 8 保税仓库, 9 其他运输 (境内流转), H 边境特殊海关作业区, T 综合实验区,
# W 物流中心, X 物流园区, Y 保税港区, Z 出口加工区): 运输工具名称, 航次号 and 提运单号 免予填报.
NO_CROSSING = frozenset("01789HTWXYZ")
FLIGHT_NO = re.compile(r"^[A-Z0-9]{2}\d{1,4}[A-Z]?$")
AWB = re.compile(r"^(\d{3})-?(\d{8})(?:_(.+))?$")
CONTAINER_NO = re.compile(r"^[A-Z]{4}\d{7}$")
BULK_WRAPS = frozenset({"00", "01"})  # 散装, 裸装


def awb_check_digit_ok(serial: str) -> bool:
    """IATA air waybill: the 8th digit of the serial is the first seven modulo 7."""
    return int(serial[:7]) % 7 == int(serial[7])


def _date_ok(text: str) -> bool:
    try:
        dt.datetime.strptime(text, "%Y%m%d")
    except ValueError:
        return False
    return True


def transport_documents(data: DeclarationData, on_declare: bool, out: Findings) -> None:
    """What each 运输方式 declares as 运输工具名称, 航次号 and 提运单号:
    水路: 船名或船舶编号, 航次号, 提单号 (分提单: 提单号*分提单号);
    航空: 航班号, 航次号免予填报, 总运单号 (分运单: 总运单号_分运单号);
    公路: (公路舱单) 运输工具名称/航次号免予填报, 总运单号; 航次号 if given is the 8-digit date;
    铁路/邮件: 车厢编号或交接单号 / 包裹单号, 进出境日期 (8 digits) as 航次号, 运单号;
    无实际进出境: all three 免予填报."""
    h = data.head
    traf = h.get("traf_mode") or ""
    traf_name, voy_no, bill_no = (h.get(n) or "" for n in ("traf_name", "voy_no", "bill_no"))
    mode = params.code_name("transport-modes", traf) or traf
    if traf in NO_CROSSING:
        for name, value, cn in (("traf_name", traf_name, "运输工具名称"), ("voy_no", voy_no, "航次号"),
                                ("bill_no", bill_no, "提运单号")):
            if value:
                out.rule(name, f"运输方式为{mode}(无实际进出境)的报关单{cn}免予填报")
        return
    needs = {SEA: ("traf_name", "voy_no", "bill_no"), AIR: ("traf_name", "bill_no"), ROAD: ("bill_no",),
             RAIL: ("traf_name", "voy_no", "bill_no"), MAIL: ("traf_name", "voy_no", "bill_no")}.get(traf, ())
    names = {"traf_name": "运输工具名称", "voy_no": "航次号", "bill_no": "提运单号"}
    if on_declare:
        for name in needs:
            if not h.get(name):
                out.error(name, f"运输方式为{mode}的报关单须填写{names[name]}")
    if traf == AIR:
        if voy_no:
            out.rule("voy_no", "航空运输的报关单航次号免予填报")
        if traf_name and not FLIGHT_NO.match(traf_name.upper()):
            out.rule("traf_name", f"航空运输的运输工具名称应为航班号(如 CA1043), 实际为{traf_name}")
        m = AWB.match(bill_no)
        if bill_no and not m:
            out.rule("bill_no", f"航空运输的提运单号应为总运单号(3位航空公司代码+8位序号), 有分运单的填报"
                                f"总运单号_分运单号, 实际为{bill_no}")
        elif m and not awb_check_digit_ok(m.group(2)):
            out.rule("bill_no", f"航空总运单号{m.group(1)}-{m.group(2)}的校验位不正确(前7位除以7的余数应为末位)")
    if traf in (RAIL, MAIL, ROAD) and voy_no and not _date_ok(voy_no):
        out.rule("voy_no", f"运输方式为{mode}的航次号填报8位进出境日期(如 20241104), 实际为{voy_no}")


def container_check_digit_ok(number: str) -> bool:
    """ISO 6346 check digit of an 11-character container number."""
    values = {}
    n = 10
    for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if n % 11 == 0:
            n += 1
        values[ch] = n
        n += 1
    values.update({str(d): d for d in range(10)})
    total = sum(values[ch] * (2**i) for i, ch in enumerate(number[:10]))
    return total % 11 % 10 == int(number[10])


def container_numbers(data: DeclarationData, out: Findings) -> None:
    """集装箱号: unique on the declaration, ISO 6346 form and check digit; 商品项号关系 names
    existing items."""
    g_nos = {row.get("g_no") for row in data.items}
    seen: set[str] = set()
    for index, row in enumerate(data.containers):
        prefix = f"集装箱第{index + 1}行"
        number = (row.get("container_id") or "").upper()
        if number in seen:
            out.error(f"containers[{index}].container_id", f"{prefix} 集装箱号{number}重复")
        seen.add(number)
        if number and (not CONTAINER_NO.match(number) or not container_check_digit_ok(number)):
            out.warn(f"containers[{index}].container_id", f"{prefix} 集装箱号{number}不符合ISO 6346校验规则, 请核对")
        for part in filter(None, (p.strip() for p in (row.get("goods_no") or "").split(","))):
            if not part.isdigit() or int(part) not in g_nos:
                out.rule(f"containers[{index}].goods_no", f"{prefix} 商品项号{part}在表体中不存在")


def containerised_cargo(data: DeclarationData, on_declare: bool, out: Findings) -> None:
    """Containerised goods: each item is loaded in a container named in 商品项号关系. Packed sea
    cargo without containers is questioned (break-bulk exists, so only a warning)."""
    if data.containers:
        loaded = {p.strip() for row in data.containers for p in (row.get("goods_no") or "").split(",")}
        for index, row in enumerate(data.items):
            g_no = str(row.get("g_no") or index + 1)
            if g_no not in loaded:
                out.rule(f"items[{index}].g_no", f"第{g_no}项 未出现在任何集装箱的商品项号关系中")
    elif on_declare and data.head.get("traf_mode") == SEA and data.head.get("wrap_type") not in BULK_WRAPS:
        out.warn("containers",
                 "水路运输的件杂货未填写集装箱信息; 集装箱装载的货物须逐箱填写集装箱号、规格和商品项号关系")


def check_transport(data: DeclarationData, on_declare: bool, out: Findings) -> None:
    transport_documents(data, on_declare, out)
    container_numbers(data, out)
    containerised_cargo(data, on_declare, out)

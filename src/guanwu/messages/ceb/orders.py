"""订单 CEB303 / 订单回执 CEB304, 收款单 CEB403 / 收款单回执 CEB404 (spec 202205 §2.1-2.4).

``orderType`` (202205 revision, 海关总署公告2021年第47号): E = B2C 出口订单, B = B2B 出口订单
(9710), W = 海外仓订仓单 (9810). For W, ``orderNo`` is the 海外仓订仓单编号 and ``ebpName`` the
海外仓名称; the revision adds no element for the overseas warehouse, it redefines these ones.
``ebpCode`` may be "无" for a foreign platform without a code. (The XSD's own documentation
string still reads "W-外综服订单"; the revision note and the spec tables say 海外仓订仓单.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .common import BaseSubscribe, BaseTransfer, Message
from .fields import child, children, decimal, guid, integer, signature, text, time14, time17


@dataclass(kw_only=True)
class OrderHead:
    """电子订单表头."""

    guid: str = guid()
    app_type: str = text("appType", "报送类型", default="1")
    app_time: dt.datetime | None = time14("appTime", "报送时间")
    app_status: str = text("appStatus", "报送状态", default="2")
    order_type: str = text("orderType", "订单类型")
    order_no: str = text("orderNo", "订单编号")
    ebp_code: str = text("ebpCode", "电商平台代码")
    ebp_name: str = text("ebpName", "电商平台/海外仓名称")
    ebc_code: str = text("ebcCode", "电商企业代码")
    ebc_name: str = text("ebcName", "电商企业名称")
    goods_value: Decimal | None = decimal("goodsValue", "商品金额")
    freight: Decimal | None = decimal("freight", "运杂费", default=Decimal(0))  # "无则填写0"
    currency: str = text("currency", "币制")
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class OrderList:
    """订单商品表体 (one goods line; ``gnum`` matches the list's goods line)."""

    g_num: int | None = integer("gnum", "序号")
    item_no: str = text("itemNo", "企业商品货号")
    item_name: str = text("itemName", "企业商品名称")
    item_describe: str = text("itemDescribe", "企业商品描述", optional=True)
    bar_code: str = text("barCode", "条形码", optional=True)
    unit: str = text("unit", "计量单位")
    currency: str = text("currency", "币制")
    qty: Decimal | None = decimal("qty", "数量")
    price: Decimal | None = decimal("price", "单价")
    total_price: Decimal | None = decimal("totalPrice", "总价")
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class Order:
    """电子订单数据实体: a head and 1-100 goods lines."""

    order_head: OrderHead = child("OrderHead", "订单表头", OrderHead)
    order_list: list[OrderList] = children("OrderList", "订单表体第{n}项", OrderList, max_occurs=100)


@dataclass(kw_only=True)
class CEB303Message(Message):
    """电子订单数据报文: 1-100 orders."""

    ROOT = "CEB303Message"
    TYPE = "CEB303"
    TITLE = "电子订单"

    order: list[Order] = children("Order", "订单第{n}条", Order, max_occurs=100)
    base_transfer: BaseTransfer = child("BaseTransfer", "基础报文传输实体", BaseTransfer)
    base_subscribe: list[BaseSubscribe] = children(
        "BaseSubscribe", "基础回执订阅实体第{n}条", BaseSubscribe, min_occurs=0, max_occurs=5
    )
    signature: str = signature()


@dataclass(kw_only=True)
class OrderReturn:
    """订单回执."""

    guid: str = guid()
    ebp_code: str = text("ebpCode", "电商平台代码")
    ebc_code: str = text("ebcCode", "电商企业代码")
    order_no: str = text("orderNo", "订单编号")
    return_status: str = text("returnStatus", "回执状态")
    return_time: dt.datetime | None = time17("returnTime", "回执时间")
    return_info: str = text("returnInfo", "回执信息")


@dataclass(kw_only=True)
class CEB304Message(Message):
    """电子订单回执报文."""

    ROOT = "CEB304Message"
    TYPE = "CEB304"
    TITLE = "电子订单回执"

    order_return: list[OrderReturn] = children("OrderReturn", "订单回执第{n}条", OrderReturn, max_occurs=100)


@dataclass(kw_only=True)
class Receipts:
    """收款单 (the payment received for an export order)."""

    guid: str = guid()
    app_type: str = text("appType", "报送类型", default="1")
    app_time: dt.datetime | None = time14("appTime", "报送时间")
    app_status: str = text("appStatus", "报送状态", default="2")
    ebp_code: str = text("ebpCode", "电商平台代码")
    ebp_name: str = text("ebpName", "电商平台/海外仓名称")
    ebc_code: str = text("ebcCode", "电商企业代码")
    ebc_name: str = text("ebcName", "电商企业名称")
    order_no: str = text("orderNo", "订单编号")
    pay_code: str = text("payCode", "支付企业代码", optional=True)
    pay_name: str = text("payName", "支付企业名称")
    pay_no: str = text("payNo", "支付交易编号", optional=True)
    charge: Decimal | None = decimal("charge", "收款金额")
    currency: str = text("currency", "币制")
    accounting_date: dt.datetime | None = time14("accountingDate", "到账时间")
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class CEB403Message(Message):
    """收款单数据报文."""

    ROOT = "CEB403Message"
    TYPE = "CEB403"
    TITLE = "收款单"

    receipts: list[Receipts] = children("Receipts", "收款单第{n}条", Receipts, max_occurs=100)
    base_transfer: BaseTransfer = child("BaseTransfer", "基础报文传输实体", BaseTransfer)
    base_subscribe: list[BaseSubscribe] = children(
        "BaseSubscribe", "基础回执订阅实体第{n}条", BaseSubscribe, min_occurs=0, max_occurs=5
    )
    signature: str = signature()


@dataclass(kw_only=True)
class ReceiptsReturn:
    """收款单回执."""

    guid: str = guid()
    ebc_code: str = text("ebcCode", "电商企业代码")
    order_no: str = text("orderNo", "订单编号")
    pay_no: str = text("payNo", "支付交易编号", optional=True)
    return_status: str = text("returnStatus", "回执状态")
    return_time: dt.datetime | None = time17("returnTime", "回执时间")
    return_info: str = text("returnInfo", "回执信息")


@dataclass(kw_only=True)
class CEB404Message(Message):
    """收款单回执报文."""

    ROOT = "CEB404Message"
    TYPE = "CEB404"
    TITLE = "收款单回执"

    receipts_return: list[ReceiptsReturn] = children(
        "ReceiptsReturn", "收款单回执第{n}条", ReceiptsReturn, max_occurs=100
    )

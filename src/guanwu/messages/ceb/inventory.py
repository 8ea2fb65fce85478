"""出口清单 CEB603 / 回执 CEB604, 撤销申请单 CEB605 / 回执 CEB606, 清单总分单 CEB607 / 回执
CEB608 (spec 202205 §2.11-2.16).

``tradeMode`` (202205 revision): 9610 一般出口, 1210 特殊区域出口, 9710 B2B 直接出口,
9810 出口海外仓 (the spec writes "出口海关仓"). ``invtNo`` is up to 20 characters (4 位关区 + 4 位年 +
1 位进出口标记 + 9 至 11 位流水号). The spec marks the Signature of CEB603 as required, the
XSD does not (minOccurs 0); the platform does not sign, the enterprise's signing device does.

Where spec table and XSD differ the XSD wins, since every message must validate against it:
InventoryList/gcode is ``xs:length 10`` in the XSD but C..10 in the table (a 简化申报 list
fills the first 4 digits by the tariff: the XSD still wants 10 characters); InventoryHead
fFlag/iFlag are ``fixed="3"`` (总价) in the XSD while the table lists 1-率, 2-单价, 3-总价.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .common import BaseSubscribe, BaseTransfer, Message
from .fields import child, children, date8, decimal, guid, integer, signature, text, time14, time17


@dataclass(kw_only=True)
class InventoryHead:
    """出口清单表头."""

    guid: str = guid()
    app_type: str = text("appType", "报送类型", default="1")
    app_time: dt.datetime | None = time14("appTime", "报送时间")
    app_status: str = text("appStatus", "报送状态", default="2")
    customs_code: str = text("customsCode", "申报地海关代码")
    ebp_code: str = text("ebpCode", "电商平台代码")
    ebp_name: str = text("ebpName", "电商平台/海外仓名称")
    order_no: str = text("orderNo", "订单编号")
    logistics_code: str = text("logisticsCode", "物流企业代码")
    logistics_name: str = text("logisticsName", "物流企业名称")
    logistics_no: str = text("logisticsNo", "物流运单编号")
    cop_no: str = text("copNo", "企业唯一编号")
    pre_no: str = text("preNo", "电子口岸编号", optional=True)
    invt_no: str = text("invtNo", "清单编号", optional=True)
    ie_flag: str = text("ieFlag", "进出口标记", default="E")
    port_code: str = text("portCode", "出口口岸代码")
    ie_date: dt.date | None = date8("ieDate", "出口日期")
    statistics_flag: str = text("statisticsFlag", "申报业务类型")
    agent_code: str = text("agentCode", "申报企业代码")
    agent_name: str = text("agentName", "申报企业名称")
    ebc_code: str = text("ebcCode", "收发货人代码")
    ebc_name: str = text("ebcName", "收发货人名称")
    owner_code: str = text("ownerCode", "生产销售企业代码")
    owner_name: str = text("ownerName", "生产销售企业名称")
    iac_code: str = text("iacCode", "区内企业代码", optional=True)
    iac_name: str = text("iacName", "区内企业名称", optional=True)
    ems_no: str = text("emsNo", "账册编号", optional=True)
    trade_mode: str = text("tradeMode", "贸易方式")
    traf_mode: str = text("trafMode", "运输方式")
    traf_name: str = text("trafName", "运输工具名称", optional=True)
    voyage_no: str = text("voyageNo", "航班航次号", optional=True)
    bill_no: str = text("billNo", "提运单号", optional=True)
    total_package_no: str = text("totalPackageNo", "总包号", optional=True)
    loct_no: str = text("loctNo", "监管场所代码", optional=True)
    license_no: str = text("licenseNo", "许可证号", optional=True)
    country: str = text("country", "运抵国（地区）")
    pod: str = text("POD", "指运港代码")
    freight: Decimal | None = decimal("freight", "运费")
    f_currency: str = text("fCurrency", "运费币制")
    f_flag: str = text("fFlag", "运费标志", default="3")  # XSD fixed="3" (总价); the table lists 1 率, 2 单价
    insured_fee: Decimal | None = decimal("insuredFee", "保费")
    i_currency: str = text("iCurrency", "保费币制")
    i_flag: str = text("iFlag", "保费标志", default="3")  # XSD fixed="3" (总价), as fFlag
    wrap_type: str = text("wrapType", "包装种类代码")
    pack_no: int | None = integer("packNo", "件数")
    gross_weight: Decimal | None = decimal("grossWeight", "毛重（公斤）")
    net_weight: Decimal | None = decimal("netWeight", "净重（公斤）")
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class InventoryList:
    """出口清单表体 (``gnum`` matches the order's goods line)."""

    g_num: int | None = integer("gnum", "商品序号")
    item_no: str = text("itemNo", "企业商品货号")
    item_record_no: str = text("itemRecordNo", "账册备案料号", optional=True)
    item_name: str = text("itemName", "企业商品名称", optional=True)
    g_code: str = text("gcode", "商品编码")
    g_name: str = text("gname", "商品名称")
    g_model: str = text("gmodel", "规格型号")
    bar_code: str = text("barCode", "条形码", default="无")  # "没有条形码填“无”"
    country: str = text("country", "目的国（地区）代码")
    currency: str = text("currency", "币制")
    qty: Decimal | None = decimal("qty", "申报数量")
    qty1: Decimal | None = decimal("qty1", "法定数量")
    qty2: Decimal | None = decimal("qty2", "第二数量", optional=True)
    unit: str = text("unit", "申报计量单位")
    unit1: str = text("unit1", "法定计量单位")
    unit2: str = text("unit2", "第二计量单位", optional=True)
    price: Decimal | None = decimal("price", "单价")
    total_price: Decimal | None = decimal("totalPrice", "总价")
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class Inventory:
    """出口清单: a head and 1-100 goods lines."""

    inventory_head: InventoryHead = child("InventoryHead", "清单表头", InventoryHead)
    inventory_list: list[InventoryList] = children(
        "InventoryList", "清单表体第{n}项", InventoryList, max_occurs=100
    )


@dataclass(kw_only=True)
class CEB603Message(Message):
    """申报清单数据报文 (出口清单)."""

    ROOT = "CEB603Message"
    TYPE = "CEB603"
    TITLE = "出口清单"

    inventory: list[Inventory] = children("Inventory", "清单第{n}条", Inventory, max_occurs=100)
    base_transfer: BaseTransfer = child("BaseTransfer", "基础报文传输实体", BaseTransfer)
    base_subscribe: list[BaseSubscribe] = children(
        "BaseSubscribe", "基础回执订阅实体第{n}条", BaseSubscribe, min_occurs=0, max_occurs=5
    )
    signature: str = signature()


@dataclass(kw_only=True)
class InventoryReturn:
    """出口清单回执 (120 海关入库, 300 人工审核, 399 海关审结, 800 放行, 899 结关, ...)."""

    guid: str = guid()
    agent_code: str = text("agentCode", "申报企业代码")
    cop_no: str = text("copNo", "企业唯一编号")
    pre_no: str = text("preNo", "电子口岸编号")
    invt_no: str = text("invtNo", "清单编号")
    ebc_code: str = text("ebcCode", "收发货人代码")
    ebp_code: str = text("ebpCode", "电商平台代码")
    order_no: str = text("orderNo", "订单编号")
    statistics_flag: str = text("statisticsFlag", "申报业务类型")
    return_status: str = text("returnStatus", "回执状态")
    return_time: dt.datetime | None = time17("returnTime", "回执时间")
    return_info: str = text("returnInfo", "回执信息")


@dataclass(kw_only=True)
class CEB604Message(Message):
    """申报清单数据回执."""

    ROOT = "CEB604Message"
    TYPE = "CEB604"
    TITLE = "出口清单回执"

    inventory_return: list[InventoryReturn] = children(
        "InventoryReturn", "清单回执第{n}条", InventoryReturn, max_occurs=100
    )


@dataclass(kw_only=True)
class InvtCancel:
    """撤销申请单 (withdraw a list that customs accepted)."""

    guid: str = guid()
    app_type: str = text("appType", "报送类型", default="1")
    app_time: dt.datetime | None = time14("appTime", "报送时间")
    app_status: str = text("appStatus", "报送状态", default="2")
    customs_code: str = text("customsCode", "申报地海关代码")
    cop_no: str = text("copNo", "企业唯一编号")
    pre_no: str = text("preNo", "电子口岸编号", optional=True)
    invt_no: str = text("invtNo", "原清单编号")
    reason: str = text("reason", "撤单原因")
    agent_code: str = text("agentCode", "申报企业代码")
    agent_name: str = text("agentName", "申报企业名称")
    ebc_code: str = text("ebcCode", "收发货人代码")
    ebc_name: str = text("ebcName", "收发货人名称")
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class CEB605Message(Message):
    """撤销申请单数据."""

    ROOT = "CEB605Message"
    TYPE = "CEB605"
    TITLE = "撤销申请单"

    invt_cancel: list[InvtCancel] = children("InvtCancel", "撤销申请单第{n}条", InvtCancel, max_occurs=100)
    base_transfer: BaseTransfer = child("BaseTransfer", "基础报文传输实体", BaseTransfer)
    base_subscribe: list[BaseSubscribe] = children(
        "BaseSubscribe", "基础回执订阅实体第{n}条", BaseSubscribe, min_occurs=0, max_occurs=5
    )
    signature: str = signature()


@dataclass(kw_only=True)
class InvtCancelReturn:
    """撤销申请单回执."""

    guid: str = guid()
    agent_code: str = text("agentCode", "申报企业代码")
    cop_no: str = text("copNo", "企业唯一编号")
    pre_no: str = text("preNo", "电子口岸编号")
    invt_no: str = text("invtNo", "原清单编号")
    return_status: str = text("returnStatus", "回执状态")
    return_time: dt.datetime | None = time17("returnTime", "回执时间")
    return_info: str = text("returnInfo", "回执信息")


@dataclass(kw_only=True)
class CEB606Message(Message):
    """撤销申请单回执."""

    ROOT = "CEB606Message"
    TYPE = "CEB606"
    TITLE = "撤销申请单回执"

    invt_cancel_return: list[InvtCancelReturn] = children(
        "InvtCancelReturn", "撤销申请单回执第{n}条", InvtCancelReturn, max_occurs=100
    )


@dataclass(kw_only=True)
class WayBillHead:
    """清单总分单表头 (the master bill that carries the lists' waybills)."""

    guid: str = guid()
    app_type: str = text("appType", "报送类型", default="1")
    app_time: dt.datetime | None = time14("appTime", "报送时间")
    app_status: str = text("appStatus", "报送状态", default="2")
    customs_code: str = text("customsCode", "申报地海关代码")
    cop_no: str = text("copNo", "企业唯一编号")
    pre_no: str = text("preNo", "电子口岸编号", optional=True)
    agent_code: str = text("agentCode", "申报企业代码")
    agent_name: str = text("agentName", "申报企业名称")
    loct_no: str = text("loctNo", "监管场所代码", optional=True)
    traf_mode: str = text("trafMode", "运输方式")
    traf_name: str = text("trafName", "运输工具名称")
    voyage_no: str = text("voyageNo", "航班航次号")
    bill_no: str = text("billNo", "提运单号")
    domestic_traf_no: str = text("domesticTrafNo", "境内运输工具编号", optional=True)
    gross_weight: Decimal | None = decimal("grossWeight", "毛重（公斤）")
    logistics_code: str = text("logisticsCode", "物流企业代码")
    logistics_name: str = text("logisticsName", "物流企业名称")
    msg_count: int | None = integer("msgCount", "报文总数", default=1)
    msg_seq_no: int | None = integer("msgSeqNo", "报文序号", default=1)
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class WayBillList:
    """清单总分单表体 (one waybill under the master bill)."""

    g_num: int | None = integer("gnum", "序号")
    total_package_no: str = text("totalPackageNo", "总包号", optional=True)
    logistics_no: str = text("logisticsNo", "物流运单编号")
    invt_no: str = text("invtNo", "出口清单编号", optional=True)
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class WayBill:
    """清单总分单."""

    way_bill_head: WayBillHead = child("WayBillHead", "总分单表头", WayBillHead)
    way_bill_list: list[WayBillList] = children("WayBillList", "总分单表体第{n}项", WayBillList, max_occurs=None)


@dataclass(kw_only=True)
class CEB607Message(Message):
    """清单总分单数据."""

    ROOT = "CEB607Message"
    TYPE = "CEB607"
    TITLE = "清单总分单"

    way_bill: list[WayBill] = children("WayBill", "总分单第{n}条", WayBill, max_occurs=100)
    base_transfer: BaseTransfer = child("BaseTransfer", "基础报文传输实体", BaseTransfer)
    base_subscribe: list[BaseSubscribe] = children(
        "BaseSubscribe", "基础回执订阅实体第{n}条", BaseSubscribe, min_occurs=0, max_occurs=5
    )
    signature: str = signature()


@dataclass(kw_only=True)
class WayBillReturn:
    """清单总分单回执."""

    guid: str = guid()
    agent_code: str = text("agentCode", "申报企业代码")
    logistics_code: str = text("logisticsCode", "物流企业代码")
    cop_no: str = text("copNo", "企业唯一编号")
    pre_no: str = text("preNo", "电子口岸编号")
    bill_no: str = text("billNo", "提运单号")
    msg_seq_no: int | None = integer("msgSeqNo", "报文序号", default=1)
    return_status: str = text("returnStatus", "回执状态")
    return_time: dt.datetime | None = time17("returnTime", "回执时间")
    return_info: str = text("returnInfo", "回执信息")


@dataclass(kw_only=True)
class CEB608Message(Message):
    """清单总分单回执."""

    ROOT = "CEB608Message"
    TYPE = "CEB608"
    TITLE = "清单总分单回执"

    way_bill_return: list[WayBillReturn] = children(
        "WayBillReturn", "总分单回执第{n}条", WayBillReturn, max_occurs=100
    )

"""Returns of exported goods (海关总署公告2020年第44号; spec 202205 §2.17-2.20): 退货申请单 CEB213 /
回执 CEB214, 理货明细单 (运抵) CEB215 / 回执 CEB216.

The goods come back, so ``ieFlag`` is I ("出口退货填写I").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .common import BaseSubscribe, BaseTransfer, Message
from .fields import child, children, decimal, guid, integer, signature, text, time14, time17


@dataclass(kw_only=True)
class InvtRefundHead:
    """退货申请单表头."""

    guid: str = guid()
    app_type: str = text("appType", "报送类型", default="1")
    app_time: dt.datetime | None = time14("appTime", "报送时间")
    app_status: str = text("appStatus", "报送状态", default="2")
    customs_code: str = text("customsCode", "申报地海关代码")
    loct_no: str = text("loctNo", "监管场所代码", optional=True)
    ebp_code: str = text("ebpCode", "电商平台代码")
    ebp_name: str = text("ebpName", "电商平台名称")
    ebc_code: str = text("ebcCode", "电商企业代码")
    ebc_name: str = text("ebcName", "电商企业名称")
    logistics_no: str = text("logisticsNo", "物流运单编号")
    logistics_code: str = text("logisticsCode", "物流企业代码")
    logistics_name: str = text("logisticsName", "物流企业名称")
    co_el_no: str = text("coElNo", "企业内部编号")
    pre_no: str = text("preNo", "预录入编号", optional=True)
    invt_no: str = text("invtNo", "原出口清单编号")
    trade_mode: str = text("tradeMode", "贸易方式", optional=True)
    agent_code: str = text("agentCode", "申报企业代码")
    agent_name: str = text("agentName", "申报企业名称")
    bill_no: str = text("billNo", "提运单号")
    ie_flag: str = text("ieFlag", "进出口标记", default="I")
    traf_mode: str = text("trafMode", "运输方式")
    traf_name: str = text("trafName", "运输工具名称")
    port_code: str = text("portCode", "进出境口岸")
    reason: str = text("reason", "退货原因")
    country: str = text("country", "起运国（地区）")
    voyage_no: str = text("voyageNo", "航班航次号")
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class InvtRefundList:
    """退货申请单商品表体 (a goods line of the original list)."""

    g_num: int | None = integer("gnum", "商品序号")
    g_code: str = text("gcode", "商品编码")
    g_name: str = text("gname", "商品名称")
    g_model: str = text("gmodel", "规格型号")
    qty: Decimal | None = decimal("qty", "申报数量")
    qty1: Decimal | None = decimal("qty1", "法定数量")
    unit: str = text("unit", "计量单位")
    unit1: str = text("unit1", "法定计量单位")
    qty2: Decimal | None = decimal("qty2", "第二数量", optional=True)
    unit2: str = text("unit2", "第二计量单位", optional=True)
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class InvtRefund:
    """退货申请单."""

    invt_refund_head: InvtRefundHead = child("InvtRefundHead", "退货申请单表头", InvtRefundHead)
    invt_refund_list: list[InvtRefundList] = children(
        "InvtRefundList", "退货申请单表体第{n}项", InvtRefundList, max_occurs=100
    )


@dataclass(kw_only=True)
class CEB213Message(Message):
    """退货申请单数据报文."""

    ROOT = "CEB213Message"
    TYPE = "CEB213"
    TITLE = "退货申请单"

    invt_refund: list[InvtRefund] = children("InvtRefund", "退货申请单第{n}条", InvtRefund, max_occurs=100)
    base_transfer: BaseTransfer = child("BaseTransfer", "基础报文传输实体", BaseTransfer)
    base_subscribe: list[BaseSubscribe] = children(
        "BaseSubscribe", "基础回执订阅实体第{n}条", BaseSubscribe, min_occurs=0, max_occurs=5
    )
    signature: str = signature()


@dataclass(kw_only=True)
class RefundReturn:
    """退货申请单回执."""

    guid: str = guid()
    ebp_code: str = text("ebpCode", "电商平台代码", optional=True)
    ebc_code: str = text("ebcCode", "电商企业代码", optional=True)
    agent_code: str = text("agentCode", "申报企业代码")
    co_el_no: str = text("coElNo", "企业内部编号")
    pre_no: str = text("preNo", "预录入编号", optional=True)
    invt_no: str = text("invtNo", "原出口清单编号")
    return_status: str = text("returnStatus", "回执状态")
    return_time: dt.datetime | None = time17("returnTime", "回执时间")
    return_info: str = text("returnInfo", "回执信息")


@dataclass(kw_only=True)
class CEB214Message(Message):
    """退货申请单回执."""

    ROOT = "CEB214Message"
    TYPE = "CEB214"
    TITLE = "退货申请单回执"

    refund_return: list[RefundReturn] = children("RefundReturn", "退货申请单回执第{n}条", RefundReturn, max_occurs=100)


@dataclass(kw_only=True)
class InvtRefundDetail:
    """理货明细单 (the returned goods arrived at the supervised site)."""

    guid: str = guid()
    app_type: str = text("appType", "报送类型", default="1")
    app_time: dt.datetime | None = time14("appTime", "报送时间")
    app_status: str = text("appStatus", "报送状态", default="2")
    customs_code: str = text("customsCode", "申报地海关代码")
    operator_code: str = text("operatorCode", "监管场所经营人代码")
    operator_name: str = text("operatorName", "监管场所经营人名称")
    logistics_code: str = text("logisticsCode", "物流企业代码")
    logistics_name: str = text("logisticsName", "物流企业名称")
    logistics_no: str = text("logisticsNo", "物流运单编号")
    invt_no: str = text("invtNo", "原出口清单编号", optional=True)
    co_el_no: str = text("coElNo", "企业内部编号")
    pre_no: str = text("preNo", "预录入编号", optional=True)
    bill_no: str = text("billNo", "提运单号")
    ie_flag: str = text("ieFlag", "进出口标记", default="I")
    traf_mode: str = text("trafMode", "运输方式")
    traf_name: str = text("trafName", "运输工具名称")
    voyage_no: str = text("voyageNo", "航班航次号")
    location: str = text("location", "仓储位置", optional=True)
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class CEB215Message(Message):
    """理货明细单（运抵）数据报文."""

    ROOT = "CEB215Message"
    TYPE = "CEB215"
    TITLE = "理货明细单"

    invt_refund_detail: list[InvtRefundDetail] = children(
        "InvtRefundDetail", "理货明细单第{n}条", InvtRefundDetail, max_occurs=100
    )
    base_transfer: BaseTransfer = child("BaseTransfer", "基础报文传输实体", BaseTransfer)
    base_subscribe: list[BaseSubscribe] = children(
        "BaseSubscribe", "基础回执订阅实体第{n}条", BaseSubscribe, min_occurs=0, max_occurs=5
    )
    signature: str = signature()


@dataclass(kw_only=True)
class InvtRefundDetailReturn:
    """理货明细单回执."""

    guid: str = guid()
    operator_code: str = text("operatorCode", "监管场所经营人代码")
    logistics_code: str = text("logisticsCode", "物流企业代码")
    logistics_no: str = text("logisticsNo", "物流运单编号")
    co_el_no: str = text("coElNo", "企业内部编号")
    pre_no: str = text("preNo", "预录入编号", optional=True)
    return_status: str = text("returnStatus", "回执状态")
    return_time: dt.datetime | None = time17("returnTime", "回执时间")
    return_info: str = text("returnInfo", "回执信息")


@dataclass(kw_only=True)
class CEB216Message(Message):
    """理货明细单回执."""

    ROOT = "CEB216Message"
    TYPE = "CEB216"
    TITLE = "理货明细单回执"

    invt_refund_detail_return: list[InvtRefundDetailReturn] = children(
        "InvtRefundDetailReturn", "理货明细单回执第{n}条", InvtRefundDetailReturn, max_occurs=100
    )

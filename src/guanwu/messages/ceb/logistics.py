"""The logistics side of an export list (spec 202205 §2.5-2.10): 运单 CEB505 / 回执 CEB506,
运抵单 CEB507 / 回执 CEB508, 离境单 CEB509 / 回执 CEB510.

A list is released only once its waybill is declared and the goods have arrived at the
supervised site (运抵); the departure (离境) closes it. ``msgCount`` / ``msgSeqNo`` default to 1:
the spec tables say "未拆分的填1" while the XSD documentation says "未拆分的不填", but the XSD
makes both elements required, so 1 is what validates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .common import BaseSubscribe, BaseTransfer, Message
from .fields import child, children, decimal, guid, integer, signature, text, time14, time17


@dataclass(kw_only=True)
class Logistics:
    """物流运单."""

    guid: str = guid()
    app_type: str = text("appType", "报送类型", default="1")
    app_time: dt.datetime | None = time14("appTime", "报送时间")
    app_status: str = text("appStatus", "报送状态", default="2")
    logistics_code: str = text("logisticsCode", "物流企业代码")
    logistics_name: str = text("logisticsName", "物流企业名称")
    logistics_no: str = text("logisticsNo", "物流运单编号")
    freight: Decimal | None = decimal("freight", "运费")
    insured_fee: Decimal | None = decimal("insuredFee", "保价费")
    currency: str = text("currency", "币制")
    gross_weight: Decimal | None = decimal("grossWeight", "毛重")
    pack_no: int | None = integer("packNo", "件数")
    goods_info: str = text("goodsInfo", "主要货物信息")
    ebc_code: str = text("ebcCode", "电商企业代码", optional=True)
    ebc_name: str = text("ebcName", "电商企业名称", optional=True)
    ebc_telephone: str = text("ebcTelephone", "电商企业电话", optional=True)
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class CEB505Message(Message):
    """物流运单数据报文."""

    ROOT = "CEB505Message"
    TYPE = "CEB505"
    TITLE = "物流运单"

    logistics: list[Logistics] = children("Logistics", "运单第{n}条", Logistics, max_occurs=100)
    base_transfer: BaseTransfer = child("BaseTransfer", "基础报文传输实体", BaseTransfer)
    base_subscribe: list[BaseSubscribe] = children(
        "BaseSubscribe", "基础回执订阅实体第{n}条", BaseSubscribe, min_occurs=0, max_occurs=5
    )
    signature: str = signature()


@dataclass(kw_only=True)
class LogisticsReturn:
    """物流运单回执."""

    guid: str = guid()
    logistics_code: str = text("logisticsCode", "物流企业代码")
    logistics_no: str = text("logisticsNo", "物流运单编号")
    return_status: str = text("returnStatus", "回执状态")
    return_time: dt.datetime | None = time17("returnTime", "回执时间")
    return_info: str = text("returnInfo", "回执信息")


@dataclass(kw_only=True)
class CEB506Message(Message):
    """物流运单回执报文."""

    ROOT = "CEB506Message"
    TYPE = "CEB506"
    TITLE = "物流运单回执"

    logistics_return: list[LogisticsReturn] = children(
        "LogisticsReturn", "运单回执第{n}条", LogisticsReturn, max_occurs=100
    )


@dataclass(kw_only=True)
class ArrivalHead:
    """物流运抵单表头."""

    guid: str = guid()
    app_type: str = text("appType", "报送类型", default="1")
    app_time: dt.datetime | None = time14("appTime", "报送时间")
    app_status: str = text("appStatus", "报送状态", default="2")
    customs_code: str = text("customsCode", "申报地海关代码")
    cop_no: str = text("copNo", "企业唯一编号")
    pre_no: str = text("preNo", "电子口岸编号", optional=True)
    operator_code: str = text("operatorCode", "监管场所经营人代码")
    operator_name: str = text("operatorName", "监管场所经营人名称")
    loct_no: str = text("loctNo", "监管场所代码", optional=True)
    ie_flag: str = text("ieFlag", "进出口标记", default="E")
    traf_mode: str = text("trafMode", "运输方式")
    bill_no: str = text("billNo", "提运单号", optional=True)
    domestic_traf_no: str = text("domesticTrafNo", "境内运输工具编号")
    logistics_code: str = text("logisticsCode", "物流企业代码")
    logistics_name: str = text("logisticsName", "物流企业名称")
    msg_count: int | None = integer("msgCount", "报文总数", default=1)
    msg_seq_no: int | None = integer("msgSeqNo", "报文序号", default=1)
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class ArrivalList:
    """物流运抵单表体 (one waybill arrived)."""

    g_num: int | None = integer("gnum", "序号")
    logistics_no: str = text("logisticsNo", "物流运单编号")
    total_package_no: str = text("totalPackageNo", "总包号", optional=True)
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class Arrival:
    """物流运抵单: a head and any number of waybills (the body may be empty)."""

    arrival_head: ArrivalHead = child("ArrivalHead", "运抵单表头", ArrivalHead)
    arrival_list: list[ArrivalList] = children(
        "ArrivalList", "运抵单表体第{n}项", ArrivalList, min_occurs=0, max_occurs=None
    )


@dataclass(kw_only=True)
class CEB507Message(Message):
    """物流运抵单数据报文."""

    ROOT = "CEB507Message"
    TYPE = "CEB507"
    TITLE = "物流运抵单"

    arrival: list[Arrival] = children("Arrival", "运抵单第{n}条", Arrival, max_occurs=100)
    base_transfer: BaseTransfer = child("BaseTransfer", "基础报文传输实体", BaseTransfer)
    base_subscribe: list[BaseSubscribe] = children(
        "BaseSubscribe", "基础回执订阅实体第{n}条", BaseSubscribe, min_occurs=0, max_occurs=5
    )
    signature: str = signature()


@dataclass(kw_only=True)
class ArrivalReturn:
    """物流运抵单回执."""

    guid: str = guid()
    operator_code: str = text("operatorCode", "监管场所经营人代码")
    logistics_code: str = text("logisticsCode", "物流企业代码")
    pre_no: str = text("preNo", "电子口岸编号")
    cop_no: str = text("copNo", "企业唯一编号")
    bill_no: str = text("billNo", "提运单号")
    msg_seq_no: int | None = integer("msgSeqNo", "报文序号", default=1)
    return_status: str = text("returnStatus", "回执状态")
    return_time: dt.datetime | None = time17("returnTime", "回执时间")
    return_info: str = text("returnInfo", "回执信息")


@dataclass(kw_only=True)
class CEB508Message(Message):
    """物流运抵单回执报文."""

    ROOT = "CEB508Message"
    TYPE = "CEB508"
    TITLE = "物流运抵单回执"

    arrival_return: list[ArrivalReturn] = children(
        "ArrivalReturn", "运抵单回执第{n}条", ArrivalReturn, max_occurs=100
    )


@dataclass(kw_only=True)
class DepartureHead:
    """物流离境单表头."""

    guid: str = guid()
    app_type: str = text("appType", "报送类型", default="1")
    app_time: dt.datetime | None = time14("appTime", "报送时间")
    app_status: str = text("appStatus", "报送状态", default="2")
    customs_code: str = text("customsCode", "申报地海关代码")
    cop_no: str = text("copNo", "企业唯一编号")
    pre_no: str = text("preNo", "电子口岸编号", optional=True)
    logistics_code: str = text("logisticsCode", "物流企业代码")
    logistics_name: str = text("logisticsName", "物流企业名称")
    traf_mode: str = text("trafMode", "运输方式")
    traf_name: str = text("trafName", "运输工具名称", optional=True)
    voyage_no: str = text("voyageNo", "航班航次号", optional=True)
    bill_no: str = text("billNo", "提运单号", optional=True)
    leave_time: dt.datetime | None = time14("leaveTime", "离境时间")
    msg_count: int | None = integer("msgCount", "报文总数", default=1)
    msg_seq_no: int | None = integer("msgSeqNo", "报文序号", default=1)
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class DepartureList:
    """物流离境单表体 (one waybill departed)."""

    g_num: int | None = integer("gnum", "序号")
    total_package_no: str = text("totalPackageNo", "总包号", optional=True)
    logistics_no: str = text("logisticsNo", "物流运单编号")
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class Departure:
    """物流离境单: a head and at least one waybill."""

    departure_head: DepartureHead = child("DepartureHead", "离境单表头", DepartureHead)
    departure_list: list[DepartureList] = children(
        "DepartureList", "离境单表体第{n}项", DepartureList, max_occurs=None
    )


@dataclass(kw_only=True)
class CEB509Message(Message):
    """物流离境单数据报文."""

    ROOT = "CEB509Message"
    TYPE = "CEB509"
    TITLE = "物流离境单"

    departure: list[Departure] = children("Departure", "离境单第{n}条", Departure, max_occurs=100)
    base_transfer: BaseTransfer = child("BaseTransfer", "基础报文传输实体", BaseTransfer)
    base_subscribe: list[BaseSubscribe] = children(
        "BaseSubscribe", "基础回执订阅实体第{n}条", BaseSubscribe, min_occurs=0, max_occurs=5
    )
    signature: str = signature()


@dataclass(kw_only=True)
class DepartureReturn:
    """物流离境单回执."""

    guid: str = guid()
    logistics_code: str = text("logisticsCode", "物流企业代码")
    cop_no: str = text("copNo", "企业唯一编号")
    pre_no: str = text("preNo", "电子口岸编号")
    msg_seq_no: int | None = integer("msgSeqNo", "报文序号", default=1)
    return_status: str = text("returnStatus", "回执状态")
    return_time: dt.datetime | None = time17("returnTime", "回执时间")
    return_info: str = text("returnInfo", "回执信息")


@dataclass(kw_only=True)
class CEB510Message(Message):
    """物流离境单回执报文."""

    ROOT = "CEB510Message"
    TYPE = "CEB510"
    TITLE = "物流离境单回执"

    departure_return: list[DepartureReturn] = children(
        "DepartureReturn", "离境单回执第{n}条", DepartureReturn, max_occurs=100
    )

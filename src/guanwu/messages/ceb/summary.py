"""汇总申请单 CEB701 / 回执 CEB702, 汇总结果单 CEB792 (spec 202205 §2.21-2.23).

A summary application gathers released lists (by ``invtNo``, or by a time range: when
``startTime``/``endTime`` are given the body is ignored) into one 报关单; the result CEB792
carries the customs-side numbers (汇总统一编号 ``declSeqNo``, later 报关单编号 ``entryId``) and
``decState``, whose values "由海关确定" (the spec lists none; the official sample has "A").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .common import BaseSubscribe, BaseTransfer, Message
from .fields import child, children, decimal, guid, integer, signature, text, time14, time17


@dataclass(kw_only=True)
class SummaryApplyHead:
    """汇总申请单表头."""

    guid: str = guid()
    app_type: str = text("appType", "报送类型", default="1")
    app_time: dt.datetime | None = time14("appTime", "报送时间")
    app_status: str = text("appStatus", "报送状态", default="2")
    customs_code: str = text("customsCode", "申报地海关代码")
    cop_no: str = text("copNo", "企业唯一编号")
    pre_no: str = text("preNo", "电子口岸编号", optional=True)
    sum_no: str = text("sumNo", "汇总申请编号", optional=True)
    agent_code: str = text("agentCode", "申报单位代码")
    agent_name: str = text("agentName", "申报单位名称")
    ebc_code: str = text("ebcCode", "收发货人代码")
    ebc_name: str = text("ebcName", "收发货人名称")
    decl_agent_code: str = text("declAgentCode", "报关单位代码")
    decl_agent_name: str = text("declAgentName", "报关单位名称")
    start_time: dt.datetime | None = time14("startTime", "汇总开始时间", optional=True)
    end_time: dt.datetime | None = time14("endTime", "汇总结束时间", optional=True)
    loct_no: str = text("loctNo", "监管场所代码", optional=True)
    summary_flag: str = text("summaryFlag", "收发货人汇总标志")
    item_name_flag: str = text("itemNameFlag", "按商品名汇总标志")
    msg_count: int | None = integer("msgCount", "报文总数", default=1)
    msg_seq_no: int | None = integer("msgSeqNo", "报文序号", default=1)
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class SummaryApplyList:
    """汇总申请单表体: one list to summarise."""

    invt_no: str = text("invtNo", "清单编号")


@dataclass(kw_only=True)
class SummaryApply:
    """汇总申请单."""

    summary_apply_head: SummaryApplyHead = child("SummaryApplyHead", "汇总申请单表头", SummaryApplyHead)
    summary_apply_list: list[SummaryApplyList] = children(
        "SummaryApplyList", "汇总申请单表体第{n}项", SummaryApplyList, min_occurs=0, max_occurs=None
    )


@dataclass(kw_only=True)
class CEB701Message(Message):
    """汇总申请单数据报文."""

    ROOT = "CEB701Message"
    TYPE = "CEB701"
    TITLE = "汇总申请单"

    summary_apply: list[SummaryApply] = children("SummaryApply", "汇总申请单第{n}条", SummaryApply, max_occurs=100)
    base_transfer: BaseTransfer = child("BaseTransfer", "基础报文传输实体", BaseTransfer)
    base_subscribe: list[BaseSubscribe] = children(
        "BaseSubscribe", "基础回执订阅实体第{n}条", BaseSubscribe, min_occurs=0, max_occurs=5
    )
    signature: str = signature()


@dataclass(kw_only=True)
class SummaryReturn:
    """汇总申请单回执."""

    guid: str = guid()
    agent_code: str = text("agentCode", "申报企业代码")
    ebc_code: str = text("ebcCode", "收发货人代码")
    cop_no: str = text("copNo", "企业唯一编号")
    pre_no: str = text("preNo", "电子口岸编号")
    sum_no: str = text("sumNo", "汇总申请编号", optional=True)
    msg_seq_no: int | None = integer("msgSeqNo", "报文序号", default=1)
    return_status: str = text("returnStatus", "回执状态")
    return_time: dt.datetime | None = time17("returnTime", "回执时间")
    return_info: str = text("returnInfo", "回执信息")


@dataclass(kw_only=True)
class CEB702Message(Message):
    """汇总申请单回执报文."""

    ROOT = "CEB702Message"
    TYPE = "CEB702"
    TITLE = "汇总申请单回执"

    summary_return: list[SummaryReturn] = children(
        "SummaryReturn", "汇总申请单回执第{n}条", SummaryReturn, max_occurs=100
    )


@dataclass(kw_only=True)
class SummaryResultHead:
    """汇总结果单表头."""

    guid: str = guid()
    customs_code: str = text("customsCode", "申报地海关代码")
    sum_no: str = text("sumNo", "汇总申请编号")
    op_date: dt.datetime | None = time17("opDate", "汇总处理时间")
    decl_seq_no: str = text("declSeqNo", "汇总统一编号")
    dec_tmp_no: str = text("decTmpNo", "电子口岸暂存编号", optional=True)
    dec_pre_no: str = text("decPreNo", "电子口岸预录入编号", optional=True)
    entry_id: str = text("entryId", "报关单编号", optional=True)
    dec_state: str = text("decState", "报关单状态")
    agent_code: str = text("agentCode", "申报企业代码")
    agent_name: str = text("agentName", "申报企业名称")
    ebc_code: str = text("ebcCode", "收发货人代码")
    ebc_name: str = text("ebcName", "收发货人名称")
    decl_agent_code: str = text("declAgentCode", "报关单位代码")
    decl_agent_name: str = text("declAgentName", "报关单位名称")
    gross_weight: Decimal | None = decimal("grossWeight", "毛重（公斤）")
    net_weight: Decimal | None = decimal("netWeight", "净重（公斤）")
    msg_count: int | None = integer("msgCount", "报文总数", default=1)
    msg_seq_no: int | None = integer("msgSeqNo", "报文序号", default=1)
    note: str = text("note", "备注", optional=True)


@dataclass(kw_only=True)
class SummaryResultList:
    """汇总结果单表体: one goods line of a summarised list."""

    invt_no: str = text("invtNo", "清单编号")
    logistics_no: str = text("logisticsNo", "物流运单编号")
    g_seq_no: int | None = integer("gseqno", "汇总结果单顺序号")
    g_num: int | None = integer("gnum", "清单商品项号")
    g_code: str = text("gcode", "清单商品编码")


@dataclass(kw_only=True)
class SummaryResult:
    """汇总结果单 (the body may be empty: "后续数据，则允许为空")."""

    summary_result_head: SummaryResultHead = child("SummaryResultHead", "汇总结果单表头", SummaryResultHead)
    summary_result_list: list[SummaryResultList] = children(
        "SummaryResultList", "汇总结果单表体第{n}项", SummaryResultList, min_occurs=0, max_occurs=None
    )


@dataclass(kw_only=True)
class CEB792Message(Message):
    """汇总结果单数据报文."""

    ROOT = "CEB792Message"
    TYPE = "CEB792"
    TITLE = "汇总结果单"

    summary_result: list[SummaryResult] = children(
        "SummaryResult", "汇总结果单第{n}条", SummaryResult, max_occurs=100
    )

"""Receipts as customs (the simulator's CEB family) writes them."""

from __future__ import annotations

import datetime as dt

from guanwu.messages.ceb import (
    ArrivalReturn,
    CEB304Message,
    CEB506Message,
    CEB508Message,
    CEB510Message,
    CEB604Message,
    CEB702Message,
    CEB792Message,
    DepartureReturn,
    InventoryReturn,
    LogisticsReturn,
    OrderReturn,
    SummaryResult,
    SummaryResultHead,
    SummaryResultList,
    SummaryReturn,
    build_ceb,
)
from guanwu.messages.ceb.fields import CHINA

_clock = [dt.datetime(2024, 9, 20, 10, 0, tzinfo=CHINA)]


def _now() -> dt.datetime:
    _clock[0] += dt.timedelta(seconds=1)
    return _clock[0]


def order_receipt(order, status: str, info: str = "") -> bytes:
    return build_ceb(CEB304Message(order_return=[OrderReturn(
        ebp_code=order.ebp_code, ebc_code=order.ebc_code, order_no=order.order_no, return_status=status,
        return_time=_now(), return_info=info or status)]))


def list_receipt(row, status: str, info: str = "", invt_no: str = "", pre_no: str = "") -> bytes:
    return build_ceb(CEB604Message(inventory_return=[InventoryReturn(
        agent_code=row.agent_code, cop_no=row.cop_no, pre_no=pre_no or row.pre_no or "B20240920000000001",
        invt_no=invt_no or row.invt_no, ebc_code=row.ebc_code, ebp_code=row.ebp_code, order_no=row.order_no,
        statistics_flag=row.statistics_flag, return_status=status, return_time=_now(), return_info=info or status)]))


def waybill_receipt(row, status: str = "120") -> bytes:
    return build_ceb(CEB506Message(logistics_return=[LogisticsReturn(
        logistics_code=row.logistics_code, logistics_no=row.logistics_no, return_status=status, return_time=_now(),
        return_info="运单新增申报成功")]))


def arrival_receipt(row, status: str = "399") -> bytes:
    return build_ceb(CEB508Message(arrival_return=[ArrivalReturn(
        operator_code="SIMSITE0001", logistics_code=row.logistics_code, pre_no="B20240920000000009",
        cop_no=f"ARR{row.invt_no}", bill_no=row.logistics_no, return_status=status, return_time=_now(),
        return_info="运抵")]))


def departure_receipt(row, status: str = "399") -> bytes:
    return build_ceb(CEB510Message(departure_return=[DepartureReturn(
        logistics_code=row.logistics_code, cop_no=f"DEP{row.invt_no}", pre_no="B20240920000000010",
        return_status=status, return_time=_now(), return_info="离境")]))


def summary_receipt(row, status: str, sum_no: str = "", info: str = "") -> bytes:
    return build_ceb(CEB702Message(summary_return=[SummaryReturn(
        agent_code=row.agent_code, ebc_code=row.ebc_code, cop_no=row.cop_no, pre_no="B20240920000000020",
        sum_no=sum_no or row.sum_no, return_status=status, return_time=_now(), return_info=info or status)]))


def summary_result(row, lists) -> bytes:
    return build_ceb(CEB792Message(summary_result=[SummaryResult(
        summary_result_head=SummaryResultHead(
            customs_code=row.customs_code, sum_no=row.sum_no, op_date=_now(), decl_seq_no="900120241000000001",
            dec_state="A", agent_code=row.agent_code, agent_name=row.agent_name, ebc_code=row.ebc_code,
            ebc_name=row.ebc_name, decl_agent_code=row.decl_agent_code, decl_agent_name=row.decl_agent_name,
            gross_weight=sum(x.gross_weight for x in lists), net_weight=sum(x.net_weight for x in lists)),
        summary_result_list=[SummaryResultList(invt_no=x.invt_no, logistics_no=x.logistics_no, g_seq_no=1, g_num=1,
                                               g_code="6109100010") for x in lists],
    )]))

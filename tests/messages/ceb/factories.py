"""Realistic CEB export messages: one 9710 batch of enterprise A through order, waybill, list,
arrival, departure and summary, a 9810 booking order, and the receipts the customs side sends.

Codes as the official 202205 samples write them: currency and country in the 3-digit
JGS-20 codes (142 人民币, 502 美元 / 美国), units 3 digits (011 件, 035 千克), customs 9002
咸阳机场 (西安关区), transport mode 5 (航空运输), wrap type 2 (纸箱).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from guanwu.messages.ceb import (
    Arrival,
    ArrivalHead,
    ArrivalList,
    ArrivalReturn,
    BaseTransfer,
    CEB213Message,
    CEB214Message,
    CEB215Message,
    CEB216Message,
    CEB303Message,
    CEB304Message,
    CEB403Message,
    CEB404Message,
    CEB505Message,
    CEB506Message,
    CEB507Message,
    CEB508Message,
    CEB509Message,
    CEB510Message,
    CEB603Message,
    CEB604Message,
    CEB605Message,
    CEB606Message,
    CEB607Message,
    CEB608Message,
    CEB701Message,
    CEB702Message,
    CEB792Message,
    Departure,
    DepartureHead,
    DepartureList,
    DepartureReturn,
    Inventory,
    InventoryHead,
    InventoryList,
    InventoryReturn,
    InvtCancel,
    InvtCancelReturn,
    InvtRefund,
    InvtRefundDetail,
    InvtRefundDetailReturn,
    InvtRefundHead,
    InvtRefundList,
    Logistics,
    LogisticsReturn,
    Message,
    Order,
    OrderHead,
    OrderList,
    OrderReturn,
    Receipts,
    ReceiptsReturn,
    RefundReturn,
    SummaryApply,
    SummaryApplyHead,
    SummaryApplyList,
    SummaryResult,
    SummaryResultHead,
    SummaryResultList,
    SummaryReturn,
    WayBill,
    WayBillHead,
    WayBillList,
    WayBillReturn,
)
from guanwu.messages.ceb.fields import CHINA

ENTERPRISE = ("6101930001", "演示进出口有限公司")
PLATFORM = ("6101930001", "演示进出口有限公司")  # B2B: the enterprise's own site as platform
LOGISTICS = ("6101980002", "西安速达国际物流有限公司")
SITE = ("6101980003", "西安咸阳机场监管作业场所有限公司")
CUSTOMS = "9002"
APP_TIME = dt.datetime(2024, 5, 6, 9, 30, 15, tzinfo=CHINA)
RETURN_TIME = dt.datetime(2024, 5, 6, 9, 31, 2, 345000, tzinfo=CHINA)
IE_DATE = dt.date(2024, 5, 7)
BATCH = "SD20240506YS01"  # 商品批次号: 物流简码 + 日期 + 企业简码 + 两位流水号

GOODS = [
    # item_no, name, hs code, model, unit, legal unit, qty, legal qty, price
    ("YS-LED-001", "LED台灯", "9405209000", "0|0|塑料及铝|书桌照明|无品牌|型号T1", "011", "011", "120", "120", "18.5"),
    ("YS-CUP-002", "不锈钢保温杯", "9617001100", "0|0|不锈钢|保温|无品牌|500ml", "011", "011", "300", "300", "6.8"),
    ("YS-BAG-003", "涤纶背包", "4202920000", "0|0|涤纶|日用|无品牌|BP-3", "011", "011", "80", "80", "12.25"),
]

_next_id = 0


def reset_guids() -> None:
    """Start the guid sequence again (snapshots build from a fresh sequence)."""
    global _next_id
    _next_id = 0


def guid() -> str:
    """Deterministic capitalised guids, so snapshots are stable."""
    global _next_id
    _next_id += 1
    return f"{_next_id:08X}-2A4C-4E6B-9C1D-5F7A3B9E{_next_id % 0x10000:04X}"


def base_transfer() -> BaseTransfer:
    return BaseTransfer(cop_code=ENTERPRISE[0], cop_name=ENTERPRISE[1], dxp_mode="DXP", dxp_id="DXPENT0000461530")


def goods(n: int) -> list[tuple[str, ...]]:
    """``n`` goods lines cycling through GOODS, item numbers made unique."""
    out = []
    for i in range(n):
        item_no, name, code, model, unit, unit1, qty, qty1, price = GOODS[i % len(GOODS)]
        out.append((f"{item_no}-{i + 1:02d}", name, code, model, unit, unit1, qty, qty1, price))
    return out


def order_9710(order_no: str = "YS202405060001", lines: int = 3, *, order_type: str = "B") -> Order:
    items = [
        OrderList(
            g_num=n, item_no=item_no, item_name=name, item_describe=f"{name}，外贸B2B出口", bar_code="6901234567892",
            unit=unit, currency="502", qty=Decimal(qty), price=Decimal(price),
            total_price=Decimal(qty) * Decimal(price),
        )
        for n, (item_no, name, _code, _model, unit, _unit1, qty, _qty1, price) in enumerate(goods(lines), 1)
    ]
    return Order(
        order_head=OrderHead(
            guid=guid(), app_time=APP_TIME, order_type=order_type, order_no=order_no,
            ebp_code=PLATFORM[0], ebp_name=PLATFORM[1], ebc_code=ENTERPRISE[0], ebc_name=ENTERPRISE[1],
            goods_value=sum((i.total_price for i in items), Decimal(0)), freight=Decimal("150"), currency="502",
            note=f"批次{BATCH}",
        ),
        order_list=items,
    )


def ceb303(orders: int = 1) -> CEB303Message:
    """9710 orders (orderType B)."""
    return CEB303Message(
        guid=guid(), order=[order_9710(f"YS20240506{n:04d}") for n in range(1, orders + 1)],
        base_transfer=base_transfer(),
    )


def ceb303_9810() -> CEB303Message:
    """A 9810 booking order: orderType W, orderNo = 海外仓订仓单编号, ebpName = 海外仓名称."""
    order = order_9710("HWC-LA-20240506-0007", 2, order_type="W")
    order.order_head.ebp_code = "无"  # a foreign warehouse without a customs code
    order.order_head.ebp_name = "美国洛杉矶演示海外仓"
    return CEB303Message(guid=guid(), order=[order], base_transfer=base_transfer())


def ceb304(status: str = "120", info: str = "海关入库成功") -> CEB304Message:
    return CEB304Message(guid=guid(), order_return=[OrderReturn(
        guid=guid(), ebp_code=PLATFORM[0], ebc_code=ENTERPRISE[0], order_no="YS202405060001",
        return_status=status, return_time=RETURN_TIME, return_info=info,
    )])


def ceb403() -> CEB403Message:
    return CEB403Message(guid=guid(), receipts=[Receipts(
        guid=guid(), app_time=APP_TIME, ebp_code=PLATFORM[0], ebp_name=PLATFORM[1], ebc_code=ENTERPRISE[0],
        ebc_name=ENTERPRISE[1], order_no="YS202405060001", pay_code="6101960004", pay_name="西安演示支付有限公司",
        pay_no="PAY20240506000123", charge=Decimal("6324.5"), currency="502",
        accounting_date=dt.datetime(2024, 5, 6, 14, 0, tzinfo=CHINA),
    )], base_transfer=base_transfer())


def ceb404() -> CEB404Message:
    return CEB404Message(guid=guid(), receipts_return=[ReceiptsReturn(
        guid=guid(), ebc_code=ENTERPRISE[0], order_no="YS202405060001", pay_no="PAY20240506000123",
        return_status="120", return_time=RETURN_TIME, return_info="海关入库成功",
    )])


def ceb505() -> CEB505Message:
    return CEB505Message(guid=guid(), logistics=[Logistics(
        guid=guid(), app_time=APP_TIME, logistics_code=LOGISTICS[0], logistics_name=LOGISTICS[1],
        logistics_no="SD2024050600012345", freight=Decimal("150"), insured_fee=Decimal("0"), currency="142",
        gross_weight=Decimal("86.4"), pack_no=6, goods_info="LED台灯、保温杯、背包",
        ebc_code=ENTERPRISE[0], ebc_name=ENTERPRISE[1], ebc_telephone="029-88886666",
    )], base_transfer=base_transfer())


def ceb506() -> CEB506Message:
    return CEB506Message(guid=guid(), logistics_return=[LogisticsReturn(
        guid=guid(), logistics_code=LOGISTICS[0], logistics_no="SD2024050600012345", return_status="120",
        return_time=RETURN_TIME, return_info="运单海关入库",
    )])


def ceb507() -> CEB507Message:
    return CEB507Message(guid=guid(), arrival=[Arrival(
        arrival_head=ArrivalHead(
            guid=guid(), app_time=APP_TIME, customs_code=CUSTOMS, cop_no="ARR20240506001",
            operator_code=SITE[0], operator_name=SITE[1], ie_flag="E", traf_mode="5", bill_no="781-20240506",
            domestic_traf_no="陕A12345", logistics_code=LOGISTICS[0], logistics_name=LOGISTICS[1],
        ),
        arrival_list=[ArrivalList(g_num=1, logistics_no="SD2024050600012345", total_package_no="P01")],
    )], base_transfer=base_transfer())


def ceb508() -> CEB508Message:
    return CEB508Message(guid=guid(), arrival_return=[ArrivalReturn(
        guid=guid(), operator_code=SITE[0], logistics_code=LOGISTICS[0], pre_no="A20240506000000001",
        cop_no="ARR20240506001", bill_no="781-20240506", return_status="120", return_time=RETURN_TIME,
        return_info="运抵成功",
    )])


def ceb509() -> CEB509Message:
    return CEB509Message(guid=guid(), departure=[Departure(
        departure_head=DepartureHead(
            guid=guid(), app_time=APP_TIME, customs_code=CUSTOMS, cop_no="DEP20240507001",
            logistics_code=LOGISTICS[0], logistics_name=LOGISTICS[1], traf_mode="5", traf_name="CA",
            voyage_no="CA983", bill_no="781-20240506", leave_time=dt.datetime(2024, 5, 7, 23, 45, tzinfo=CHINA),
        ),
        departure_list=[DepartureList(g_num=1, total_package_no="P01", logistics_no="SD2024050600012345")],
    )], base_transfer=base_transfer())


def ceb510() -> CEB510Message:
    return CEB510Message(guid=guid(), departure_return=[DepartureReturn(
        guid=guid(), logistics_code=LOGISTICS[0], cop_no="DEP20240507001", pre_no="D20240507000000001",
        return_status="399", return_time=RETURN_TIME, return_info="离境审结",
    )])


def inventory(order_no: str = "YS202405060001", lines: int = 3, *, trade_mode: str = "9710") -> Inventory:
    rows = goods(lines)
    items = [
        InventoryList(
            g_num=n, item_no=item_no, item_name=name, g_code=code, g_name=name, g_model=model,
            bar_code="6901234567892", country="502", currency="502", qty=Decimal(qty), qty1=Decimal(qty1),
            unit=unit, unit1=unit1, price=Decimal(price), total_price=Decimal(qty) * Decimal(price),
        )
        for n, (item_no, name, code, model, unit, unit1, qty, qty1, price) in enumerate(rows, 1)
    ]
    return Inventory(
        inventory_head=InventoryHead(
            guid=guid(), app_time=APP_TIME, customs_code=CUSTOMS, ebp_code=PLATFORM[0], ebp_name=PLATFORM[1],
            order_no=order_no, logistics_code=LOGISTICS[0], logistics_name=LOGISTICS[1],
            logistics_no="SD2024050600012345", cop_no=f"INV{order_no}", ie_flag="E", port_code=CUSTOMS,
            ie_date=IE_DATE, statistics_flag="B", agent_code=ENTERPRISE[0], agent_name=ENTERPRISE[1],
            ebc_code=ENTERPRISE[0], ebc_name=ENTERPRISE[1], owner_code=ENTERPRISE[0], owner_name=ENTERPRISE[1],
            trade_mode=trade_mode, traf_mode="5", traf_name="CA", voyage_no="CA983", bill_no="781-20240506",
            country="502", pod="3016", freight=Decimal("150"), f_currency="142", f_flag="3",
            insured_fee=Decimal("0"), i_currency="142", i_flag="3", wrap_type="2", pack_no=6,
            gross_weight=Decimal("86.4"), net_weight=Decimal("80.125"), note=f"批次{BATCH}",
        ),
        inventory_list=items,
    )


def ceb603(lists: int = 1, lines: int = 3, *, trade_mode: str = "9710") -> CEB603Message:
    return CEB603Message(
        guid=guid(),
        inventory=[inventory(f"YS20240506{n:04d}", lines, trade_mode=trade_mode) for n in range(1, lists + 1)],
        base_transfer=base_transfer(),
    )


def ceb604(status: str = "800", info: str = "放行") -> CEB604Message:
    return CEB604Message(guid=guid(), inventory_return=[InventoryReturn(
        guid=guid(), agent_code=ENTERPRISE[0], cop_no="INVYS202405060001", pre_no="B20240506000000001",
        invt_no="90022024E000000001", ebc_code=ENTERPRISE[0], ebp_code=PLATFORM[0], order_no="YS202405060001",
        statistics_flag="B", return_status=status, return_time=RETURN_TIME, return_info=info,
    )])


def ceb605() -> CEB605Message:
    return CEB605Message(guid=guid(), invt_cancel=[InvtCancel(
        guid=guid(), app_time=APP_TIME, customs_code=CUSTOMS, cop_no="CAN20240506001",
        invt_no="90022024E000000001", reason="客户取消订单", agent_code=ENTERPRISE[0], agent_name=ENTERPRISE[1],
        ebc_code=ENTERPRISE[0], ebc_name=ENTERPRISE[1],
    )], base_transfer=base_transfer())


def ceb606() -> CEB606Message:
    return CEB606Message(guid=guid(), invt_cancel_return=[InvtCancelReturn(
        guid=guid(), agent_code=ENTERPRISE[0], cop_no="CAN20240506001", pre_no="C20240506000000001",
        invt_no="90022024E000000001", return_status="120", return_time=RETURN_TIME, return_info="撤销申请入库",
    )])


def ceb607() -> CEB607Message:
    return CEB607Message(guid=guid(), way_bill=[WayBill(
        way_bill_head=WayBillHead(
            guid=guid(), app_time=APP_TIME, customs_code=CUSTOMS, cop_no="WB20240506001",
            agent_code=ENTERPRISE[0], agent_name=ENTERPRISE[1], traf_mode="5", traf_name="CA", voyage_no="CA983",
            bill_no="781-20240506", gross_weight=Decimal("86.4"), logistics_code=LOGISTICS[0],
            logistics_name=LOGISTICS[1],
        ),
        way_bill_list=[WayBillList(g_num=1, logistics_no="SD2024050600012345", invt_no="90022024E000000001")],
    )], base_transfer=base_transfer())


def ceb608() -> CEB608Message:
    return CEB608Message(guid=guid(), way_bill_return=[WayBillReturn(
        guid=guid(), agent_code=ENTERPRISE[0], logistics_code=LOGISTICS[0], cop_no="WB20240506001",
        pre_no="W20240506000000001", bill_no="781-20240506", return_status="120", return_time=RETURN_TIME,
        return_info="总分单入库",
    )])


def ceb701(invt_nos: tuple[str, ...] = ("90022024E000000001", "90022024E000000002")) -> CEB701Message:
    return CEB701Message(guid=guid(), summary_apply=[SummaryApply(
        summary_apply_head=SummaryApplyHead(
            guid=guid(), app_time=APP_TIME, customs_code=CUSTOMS, cop_no="SUM20240508001",
            agent_code=ENTERPRISE[0], agent_name=ENTERPRISE[1], ebc_code=ENTERPRISE[0], ebc_name=ENTERPRISE[1],
            decl_agent_code=ENTERPRISE[0], decl_agent_name=ENTERPRISE[1], summary_flag="1", item_name_flag="1",
        ),
        summary_apply_list=[SummaryApplyList(invt_no=no) for no in invt_nos],
    )], base_transfer=base_transfer())


def ceb702() -> CEB702Message:
    return CEB702Message(guid=guid(), summary_return=[SummaryReturn(
        guid=guid(), agent_code=ENTERPRISE[0], ebc_code=ENTERPRISE[0], cop_no="SUM20240508001",
        pre_no="S20240508000000001", sum_no="900220240000000001", return_status="120", return_time=RETURN_TIME,
        return_info="汇总申请入库",
    )])


def ceb792() -> CEB792Message:
    return CEB792Message(guid=guid(), summary_result=[SummaryResult(
        summary_result_head=SummaryResultHead(
            guid=guid(), customs_code=CUSTOMS, sum_no="900220240000000001",
            op_date=dt.datetime(2024, 5, 8, 10, 11, 12, 12000, tzinfo=CHINA), decl_seq_no="900020240000012345",
            dec_state="A", agent_code=ENTERPRISE[0], agent_name=ENTERPRISE[1], ebc_code=ENTERPRISE[0],
            ebc_name=ENTERPRISE[1], decl_agent_code=ENTERPRISE[0], decl_agent_name=ENTERPRISE[1],
            gross_weight=Decimal("172.8"), net_weight=Decimal("160.25"),
        ),
        summary_result_list=[
            SummaryResultList(invt_no="90022024E000000001", logistics_no="SD2024050600012345", g_seq_no=n, g_num=n,
                              g_code=code)
            for n, (_i, _n, code, *_rest) in enumerate(GOODS, 1)
        ],
    )])


def ceb213() -> CEB213Message:
    return CEB213Message(guid=guid(), invt_refund=[InvtRefund(
        invt_refund_head=InvtRefundHead(
            guid=guid(), app_time=APP_TIME, customs_code=CUSTOMS, ebp_code=PLATFORM[0], ebp_name=PLATFORM[1],
            ebc_code=ENTERPRISE[0], ebc_name=ENTERPRISE[1], logistics_no="SD2024052000054321",
            logistics_code=LOGISTICS[0], logistics_name=LOGISTICS[1], co_el_no="RET20240520001",
            invt_no="90022024E000000001", trade_mode="9710", agent_code=ENTERPRISE[0], agent_name=ENTERPRISE[1],
            bill_no="781-20240520", ie_flag="I", traf_mode="5", traf_name="CA", port_code=CUSTOMS,
            reason="质量问题退货", country="502", voyage_no="CA984",
        ),
        invt_refund_list=[InvtRefundList(
            g_num=1, g_code="9405209000", g_name="LED台灯", g_model="0|0|塑料及铝|书桌照明|无品牌|型号T1",
            qty=Decimal("10"), qty1=Decimal("10"), unit="011", unit1="011",
        )],
    )], base_transfer=base_transfer())


def ceb214() -> CEB214Message:
    return CEB214Message(guid=guid(), refund_return=[RefundReturn(
        guid=guid(), ebp_code=PLATFORM[0], ebc_code=ENTERPRISE[0], agent_code=ENTERPRISE[0],
        co_el_no="RET20240520001", pre_no="R20240520000000001", invt_no="90022024E000000001",
        return_status="120", return_time=RETURN_TIME, return_info="退货申请入库",
    )])


def ceb215() -> CEB215Message:
    return CEB215Message(guid=guid(), invt_refund_detail=[InvtRefundDetail(
        guid=guid(), app_time=APP_TIME, customs_code=CUSTOMS, operator_code=SITE[0], operator_name=SITE[1],
        logistics_code=LOGISTICS[0], logistics_name=LOGISTICS[1], logistics_no="SD2024052000054321",
        invt_no="90022024E000000001", co_el_no="TAL20240521001", bill_no="781-20240520", ie_flag="I",
        traf_mode="5", traf_name="CA", voyage_no="CA984", location="A区3排",
    )], base_transfer=base_transfer())


def ceb216() -> CEB216Message:
    return CEB216Message(guid=guid(), invt_refund_detail_return=[InvtRefundDetailReturn(
        guid=guid(), operator_code=SITE[0], logistics_code=LOGISTICS[0], logistics_no="SD2024052000054321",
        co_el_no="TAL20240521001", return_status="120", return_time=RETURN_TIME, return_info="理货入库",
    )])


# One realistic message of every export type, by message type.
MAKERS = {
    "CEB303": ceb303, "CEB304": ceb304, "CEB403": ceb403, "CEB404": ceb404,
    "CEB505": ceb505, "CEB506": ceb506, "CEB507": ceb507, "CEB508": ceb508, "CEB509": ceb509, "CEB510": ceb510,
    "CEB603": ceb603, "CEB604": ceb604, "CEB605": ceb605, "CEB606": ceb606, "CEB607": ceb607, "CEB608": ceb608,
    "CEB701": ceb701, "CEB702": ceb702, "CEB792": ceb792,
    "CEB213": ceb213, "CEB214": ceb214, "CEB215": ceb215, "CEB216": ceb216,
}


def realistic(message_type: str) -> Message:
    return MAKERS[message_type]()

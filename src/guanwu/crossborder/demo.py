"""Demo 跨境电商B2B出口 data for enterprise A (issue 16): a 9710 batch whose orders, lists and
summary customs (the simulator, with no delay) plays through to 放行 / 汇总完成, a 9810 booking
order taken by customs, and one order customs refused. Idempotent.

Everything goes through the services and the gateway exactly as a user's clicks do: import-like
creation, 提交海关, the simulator's answers (and the logistics side it plays: 运单, 运抵, 离境),
the receipts applied by the gateway.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from guanwu.core.demo import demo_actor, demo_step
from guanwu.core.errors import ServiceError
from guanwu.tenancy.context import Actor
from guanwu.tenancy.models import Enterprise

from . import services
from .models import CebStatus, CrossborderSettings, ExportList, LogisticsCompany, Order, Summary

SHORT_CODE = "YSJC"  # 演示进出口
LOGISTICS = (("SF", "4403180001", "顺丰速运有限公司"), ("EMS", "1101180002", "中国邮政速递物流股份有限公司"))
EBP = {"ebp_code": "6101960001", "ebp_name": "西安跨境B2B平台"}

# (订单编号, [(货号, 名称, HS, 规格型号, 数量, 单价 USD, 法定单位, 法定数量)])
ORDERS_9710 = (
    ("YS-B2B-2411-001", [
        ("TS-001", "男式棉制针织T恤", "6109100021", "针织|棉100%|男式|无品牌", 200, "3.20", "011", 200),
        ("TS-002", "女式棉制针织T恤", "6109100022", "针织|棉100%|女式|无品牌", 150, "3.50", "011", 150),
    ]),
    ("YS-B2B-2411-002", [
        ("SH-010", "橡胶底纺织面运动鞋", "6404110000", "运动鞋|纺织面|橡胶底|无品牌", 120, "8.80", "025", 120),
    ]),
    ("YS-B2B-2411-003", [("TY-100", "塑料积木玩具", "9503008900", "积木|塑料|无品牌", 300, "1.60", "035", 90)]),
)
REJECTED_ORDER = "YS-B2B-2411-009"


def _line(item_no: str, name: str, qty: int, price: str, unit: str = "011") -> dict[str, Any]:
    return {"item_no": item_no, "item_name": name, "unit": "011", "qty": Decimal(qty), "price": Decimal(price)}


def _play(say: Callable[[str], None]) -> None:
    """The outbox to customs, customs' answers to the end, the receipts applied."""
    from guanwu.gateway.customs import demo_customs
    from guanwu.gateway.services import flush_outbox, poll_once

    flush_outbox()  # the demo runs in one transaction: write the outbox now, not at commit
    customs = demo_customs()
    if customs is None:
        say("跨境电商: 未配置可驱动的海关模拟器, 单证停在已申报")
        return
    for _ in range(3):  # receipts may bring the platform's own next message (none today); bounded
        customs.answer_outbox()
        if not poll_once().get("applied", 1):
            break


def _set_up(actor: Actor, ent: Enterprise) -> None:
    CrossborderSettings.objects.update_or_create(
        enterprise=ent, defaults={"short_code": SHORT_CODE, "customs_code": "9001", "port_code": "9001", **EBP,
                                  "agent_code": ent.customs_code, "agent_name": ent.name,
                                  "dxp_id": "DXPENT0000000001"},
    )
    for short, code, name in LOGISTICS:
        LogisticsCompany.objects.get_or_create(enterprise=ent, short_code=short,
                                               defaults={"logistics_code": code, "logistics_name": name})


def _list_data(ent: Enterprise, batch_no: str, order_no: str, n: int, lines: list[tuple],
               day: dt.date) -> dict[str, Any]:
    total_qty = sum(line[7] for line in lines)
    return {
        "batch_no": batch_no, "ie_date": day, "order_no": order_no, "logistics_no": f"SF{day:%y%m%d}{n:06d}",
        "logistics_code": LOGISTICS[0][1], "logistics_name": LOGISTICS[0][2], "owner_code": ent.customs_code,
        "owner_name": ent.name, "traf_mode": "5", "country": "502",
        "pod": "502", "freight": Decimal("64.995"), "f_currency": "142", "insured_fee": Decimal(0),
        "i_currency": "142", "wrap_type": "2", "pack_no": len(lines), "gross_weight": Decimal(total_qty) / 4 + 1,
        "net_weight": Decimal(total_qty) / 4,
        "lines": [
            {"item_no": item_no, "g_code": hs, "g_name": name, "g_model": model, "bar_code": "无", "country": "502",
             "currency": "502", "qty": Decimal(qty), "unit": "011", "qty1": Decimal(legal), "unit1": unit,
             "price": Decimal(price)}
            for item_no, name, hs, model, qty, price, unit, legal in lines
        ],
    }


def create_demo_crossborder(actor: Actor, say: Callable[[str], None] = print) -> None:
    ent = actor.enterprise
    _set_up(actor, ent)
    today = timezone.localdate()
    batch_no = services.next_batch_no(actor, "SF", today)
    # 9710: orders -> 提交海关 -> 海关入库
    orders = [
        services.create_order(actor, {"batch_no": batch_no, "order_no": no, **EBP, "currency": "502",
                                      "lines": [_line(i, n, q, p) for i, n, _hs, _m, q, p, _u, _l in lines]})
        for no, lines in ORDERS_9710
    ]
    # the refused order: its number reached customs before from another system of the enterprise
    # (its ERP), so customs answers 已存在相同编号的订单 (-301010, spec 202205 table 7-2)
    refused = services.create_order(actor, {"batch_no": batch_no, "order_no": REJECTED_ORDER, **EBP, "currency": "502",
                                            "lines": [_line("TS-001", "男式棉制针织T恤", 50, "3.20")]})
    _declared_elsewhere(actor, refused)
    services.submit_orders(actor, [o.pk for o in orders])
    _play(say)
    services.submit_orders(actor, [refused.pk])
    # 9810: a booking order for the 海外仓
    booking_batch = services.next_batch_no(actor, "EMS", today)
    booking = services.create_order(actor, {
        "batch_no": booking_batch, "order_no": "YS-OW-2411-001", "ebp_code": "无", "ebp_name": "洛杉矶海外仓",
        "currency": "502", "warehouse_country": "502", "warehouse_address": "1200 E Carson St, Los Angeles, CA",
        "lines": [_line("TS-001", "男式棉制针织T恤", 1000, "3.00")],
    }, order_type="W")
    services.submit_orders(actor, [booking.pk])
    # the lists of the 9710 orders -> 提交海关 -> 放行 (the simulator plays 运单, 运抵, 离境)
    lists = [services.create_list(actor, _list_data(ent, batch_no, no, n, lines, today))
             for n, (no, lines) in enumerate(ORDERS_9710, start=1)]
    services.submit_lists(actor, [row.pk for row in lists])
    _play(say)
    # the summary of the released lists -> 提交海关 -> 汇总完成 (CEB792)
    released = list(ExportList.objects.for_enterprise(ent).filter(
        pk__in=[row.pk for row in lists], status__in=(CebStatus.RELEASED, CebStatus.CLOSED),
    ).values_list("pk", flat=True))
    if released:
        summary = services.create_summary_from_lists(actor, released)
        services.submit_summaries(actor, [summary.pk])
        _play(say)


def _declared_elsewhere(actor: Actor, order: Order) -> None:
    """The order's number sent to customs by another system of the enterprise (a CEB303 of its
    own guid, appType 1), before the platform declares it."""
    from guanwu.gateway.services import enqueue
    from guanwu.messages.ceb import CEB303Message, build_ceb, new_guid

    from .services.submit import base_transfer, order_record

    message = CEB303Message(order=[order_record(order, guid=new_guid(), app_time=timezone.now())],
                            base_transfer=base_transfer(actor))
    message.guid = new_guid()
    enqueue(message.ROOT, message.guid, build_ceb(message))


@demo_step
def demo_crossborder(enterprises: dict[str, Enterprise], users: dict[str, Any], say: Callable[[str], None]) -> None:
    ent = enterprises["a"]
    if Order.objects.for_enterprise(ent).exists():
        say("跨境电商: 演示数据已存在")
        return
    actor = demo_actor(ent, users["a_operator"])
    admin = demo_actor(ent, users["a_admin"])
    try:
        _set_up(admin, ent)
        create_demo_crossborder(actor, say)
    except ServiceError as exc:  # the demo never stops the other modules' demo data
        details = "; ".join(f"{e.field} {e.message}" for e in exc.errors[:5])
        say(f"跨境电商: 演示数据未能生成: {exc.message} {details}".strip())
        return
    counts = []
    for label, model in (("订单", Order), ("清单", ExportList), ("汇总申请单", Summary)):
        by_status: dict[str, int] = {}
        for status in model.objects.for_enterprise(ent).values_list("status", flat=True):
            name = CebStatus(status).label
            by_status[name] = by_status.get(name, 0) + 1
        counts.append(f"{label} " + "/".join(f"{k}{v}" for k, v in by_status.items()))
    say("跨境电商: " + ", ".join(counts))

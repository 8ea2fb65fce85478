"""Cross-border test data: an enterprise set up for 跨境 (企业简码, a logistics company), orders,
lists and summaries as the API takes them, and the receipts customs would send."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from guanwu.crossborder import services
from guanwu.crossborder.models import CrossborderSettings, LogisticsCompany
from guanwu.tenancy.context import Actor

SHORT_CODE = "XAYH"
LOGISTICS = "SF"
DAY = dt.date(2024, 9, 20)
BATCH_NO = f"{LOGISTICS}20240920{SHORT_CODE}01"


def set_up(actor: Actor, short_code: str = SHORT_CODE) -> None:
    CrossborderSettings.objects.update_or_create(
        enterprise=actor.enterprise,
        defaults={"short_code": short_code, "customs_code": "9001", "port_code": "9002", "dxp_id": "DXPENT0000000001"},
    )
    LogisticsCompany.objects.get_or_create(
        enterprise=actor.enterprise, short_code=LOGISTICS,
        defaults={"logistics_code": "4403180001", "logistics_name": "顺丰速运有限公司"},
    )


def order_data(order_no: str = "SO20240920001", *, lines: int = 2, batch_no: str = BATCH_NO, **head: Any) -> dict:
    return {
        "batch_no": batch_no, "order_no": order_no, "ebp_code": "6101960001", "ebp_name": "西安跨境B2B平台",
        "currency": "502", **head,
        "lines": [
            {"item_no": f"SKU{i}", "item_name": f"男式棉制针织T恤{i}", "unit": "011", "qty": Decimal(10),
             "price": Decimal("2.5")}
            for i in range(1, lines + 1)
        ],
    }


def list_data(order_no: str = "SO20240920001", logistics_no: str = "SF1000000001", *, batch_no: str = BATCH_NO,
              lines: int = 1, **head: Any) -> dict:
    return {
        "batch_no": batch_no, "ie_date": DAY, "order_no": order_no, "logistics_no": logistics_no,
        "logistics_code": "4403180001", "logistics_name": "顺丰速运有限公司",
        "owner_code": "6101930001", "owner_name": "甲企业", "traf_mode": "5", "country": "502", "pod": "502",
        "freight": Decimal("64.995"), "f_currency": "142", "wrap_type": "1", "pack_no": 1,
        "gross_weight": Decimal("1.18"), "net_weight": Decimal("1.13"), **head,
        "lines": [
            {"item_no": f"SKU{i}", "g_code": "6109100010", "g_name": "男式棉制针织T恤",
             "g_model": "0|0|针织|棉100%|男式|无品牌", "country": "502", "currency": "502", "qty": Decimal(1),
             "unit": "011", "qty1": Decimal(1),
             "unit1": "011", "price": Decimal(10)}
            for i in range(1, lines + 1)
        ],
    }


def make_order(actor: Actor, order_no: str = "SO20240920001", order_type: str = "B", **kwargs: Any):
    set_up(actor)
    return services.create_order(actor, order_data(order_no, **kwargs), order_type=order_type)


# -- the tenant-isolation walk (tests/tenant_objects.py) -----------------------------------------

def _walk_batch(enterprise, user):
    from guanwu.crossborder.models import Batch

    return Batch.objects.get_or_create(
        enterprise=enterprise, batch_no=f"SF20240920W{enterprise.pk}01",
        defaults={"logistics_short_code": "SF", "batch_date": DAY, "enterprise_short_code": f"W{enterprise.pk}",
                  "serial": 1, "created_by": user},
    )[0]


def walk_batch(enterprise, user):
    return _walk_batch(enterprise, user)


def walk_order(enterprise, user):
    from guanwu.crossborder.models import Order, OrderLine

    order = Order.objects.create(enterprise=enterprise, batch=_walk_batch(enterprise, user), order_no="WALK-SO-1",
                                 ebp_code="6101960001", ebp_name="平台", ebc_code=enterprise.customs_code,
                                 ebc_name=enterprise.name, currency="502", goods_value=Decimal(10), freight=0,
                                 created_by=user)
    OrderLine.objects.create(order=order, g_num=1, item_no="SKU", item_name="T恤", unit="011", currency="502",
                             qty=1, price=10, total_price=10)
    return order


def walk_waybill(enterprise, user):
    from guanwu.crossborder.models import Waybill

    return Waybill.objects.get_or_create(enterprise=enterprise, logistics_code="4403180001",
                                         logistics_no="WALK-SF-1", defaults={"logistics_name": "顺丰"})[0]


def walk_list(enterprise, user):
    from guanwu.crossborder.models import ExportList, ExportListLine, Order

    order = Order.objects.filter(enterprise=enterprise).first() or walk_order(enterprise, user)
    row = ExportList.objects.create(
        enterprise=enterprise, batch=order.batch, order=order, waybill=walk_waybill(enterprise, user),
        order_no=order.order_no, logistics_code="4403180001", logistics_name="顺丰", logistics_no="WALK-SF-1",
        cop_no=f"WALK{enterprise.pk}", customs_code="9001", port_code="9002", ie_date=DAY, trade_mode="9710",
        invt_no=f"90012024E{enterprise.pk:09d}", created_by=user,
    )
    ExportListLine.objects.create(export_list=row, g_num=1, item_no="SKU", g_code="6109100010", g_name="T恤",
                                  g_model="0|0", country="502", currency="502", qty=1, unit="011", qty1=1,
                                  unit1="011", price=10, total_price=10)
    return row


def walk_summary(enterprise, user):
    from guanwu.crossborder.models import ExportList, Summary

    row = ExportList.objects.filter(enterprise=enterprise).first() or walk_list(enterprise, user)
    summary = Summary.objects.create(enterprise=enterprise, batch=row.batch, cop_no=f"WALKSUM{enterprise.pk}",
                                     customs_code="9001", created_by=user)
    summary.lines.create(invt_no=row.invt_no, export_list=row)
    return summary


def walk_logistics_company(enterprise, user):
    return LogisticsCompany.objects.create(enterprise=enterprise, short_code="WALK", logistics_code="4403180009",
                                           logistics_name="走查物流")

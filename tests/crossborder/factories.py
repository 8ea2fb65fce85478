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

"""Demo data of the commodity library for enterprise A: the goods of its released declarations
(learned as the signals would, since the demo's own receipts commit only at its end) and the
bonded items of a processing-trade handbook E61019000001. Idempotent."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from guanwu.core.demo import demo_step
from guanwu.params import services as params
from guanwu.tenancy.models import Enterprise

from . import services
from .models import BondedItem

DEMO_EMS_NO = "E61019000001"
# 备案序号, 料号, 商品编号, 名称, 规格型号, 申报单位, 原产国, 单价 (USD)
BONDED = [
    (1, "IC-STM32F103", "8542319000", "微控制器集成电路",
     "4|0|用于电子产品控制|数据处理|已封装|ST|STM32F103C8T6|否|量产|无|无|无", "007", "MYS", "1.2500"),
    (2, "CAP-0402-104", "8532241000", "片式多层瓷介电容器", "4|0|多层片式|陶瓷|MURATA|GRM155R71C104KA88D|无|无|无",
     "007", "JPN", "0.0030"),
    (3, "PCB-4L-A01", "8534009000", "四层印刷电路板", "0|0|4层|否|无品牌|A01|无|无|无", "007", "CHN", "2.8000"),
    (4, "PC-LEXAN-141R", "3907400000", "聚碳酸酯颗粒",
     "4|0|颗粒状白色|聚碳酸酯100%|原生料|SABIC|LEXAN 141R|2024-03-01|无|无|无",
     "035", "SAU", "3.1000"),
    (5, "PSU-12V-2A", "8504401400", "直流稳压电源模块",
     "4|0|电子产品供电|直流稳压电源|24W|±1%|MEAN WELL|IRM-20-12|无|无|无",
     "007", "CHN", "4.6000"),
]


@demo_step
def demo_commodities(enterprises: dict[str, Enterprise], users: dict[str, Any], say: Callable[[str], None]) -> None:
    ent = enterprises["a"]
    learned = services.learn_released(ent)
    created = 0
    for item_no, part_no, code_ts, g_name, g_model, g_unit, country, price in BONDED:
        tariff = params.tariff_item(code_ts)
        _, made = BondedItem.objects.get_or_create(
            enterprise=ent, ems_no=DEMO_EMS_NO, item_no=item_no,
            defaults={
                "part_no": part_no, "code_ts": code_ts, "g_name": g_name, "g_model": g_model, "g_unit": g_unit,
                "first_unit": tariff.first_unit if tariff else "", "second_unit": tariff.second_unit if tariff else "",
                "origin_country": country, "decl_price": Decimal(price), "trade_curr": "USD",
            },
        )
        created += made
    say(f"商品数据库: 从放行报关单学习新商品 {learned} 个; 保税商品库: 备案号 {DEMO_EMS_NO} 新增 {created} 项")

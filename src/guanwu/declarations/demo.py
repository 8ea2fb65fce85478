"""Demo declarations for enterprise A: released imports and exports with real HS codes and
correct 申报要素, one 退单, and drafts to continue keying. Idempotent.

The demo plays customs at once (simulator with no delay, no random rejection) so a new user
opens a living system: receipts, seq_no and entry_id on the released declarations.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from guanwu.core.demo import demo_actor, demo_step
from guanwu.params import services as params
from guanwu.tenancy.models import Enterprise

from . import services
from .models import Declaration

# Exports declare 指运港 and 离境口岸, not 启运港/货物存放地点, and leave 出口日期 to customs;
# imports declare 启运港 and 货物存放地点 (填制规范 2019 No. 18). Both state 无其他包装.
EXPORT_HEAD = {
    "ie_flag": "E", "custom_master": "2248", "ie_port": "2248", "trade_mode": "0110", "cut_mode": "101",
    "traf_mode": "2", "traf_name": "MAERSK EDMONTON", "voy_no": "215W", "bill_no": "MSKU7788990011",
    "trans_mode": "3", "trade_country": "DEU", "trade_area_code": "DEU", "distinate_port": "DEU063",
    "enty_port_code": "311002", "wrap_type": "22", "no_other_pack": "1", "mark_no": "N/M",
    "overseas_consignee_ename": "TEXTIL HANDELS GMBH",
}
IMPORT_HEAD = {
    "ie_flag": "I", "custom_master": "2248", "ie_port": "2248", "trade_mode": "0110", "cut_mode": "101",
    "traf_mode": "2", "trans_mode": "1", "trade_area_code": "", "enty_port_code": "311002",
    "goods_place": "洋山深水港四期码头", "wrap_type": "22", "no_other_pack": "1", "mark_no": "N/M",
}


def _item(code_ts: str, g_name: str, g_model: str, qty: str, unit: str, price: str, *, curr: str = "USD",
          second: str = "", country: str = "", district: str = "61019", dest: str = "", ciq: bool = False,
          **extra: str) -> dict:
    total = format(float(qty) * float(price), ".2f")
    row = {
        "code_ts": code_ts, "g_name": g_name, "g_model": g_model, "g_qty": qty, "g_unit": unit,
        "first_qty": qty if params.tariff_item(code_ts).first_unit == unit else second, "decl_price": price,
        "decl_total": total, "trade_curr": curr, "origin_country": country, "destination_country": "CHN",
        "district_code": district, "duty_mode": "1",
    }
    tariff = params.tariff_item(code_ts)
    if tariff.second_unit:
        row["second_qty"] = second
    if dest:
        row["dest_code"] = dest
    if ciq:
        row["ciq_code"] = params.ciq_names(code_ts)[0][0]
    return row | extra


def demo_payloads(ent: Enterprise) -> list[tuple[str, dict[str, Any]]]:
    """(what to do with it, payload): ``release`` = declare and let customs release it."""
    trade = {"trade_code": ent.customs_code, "trade_name": ent.name, "trade_co_scc": ent.scc,
             "owner_code": ent.customs_code, "owner_name": ent.name, "owner_code_scc": ent.scc}
    tshirts = {
        **EXPORT_HEAD, **trade, "contr_no": "XA-DE-2411-01", "pack_no": 340, "gross_wet": "2890",
        "net_wt": "2650.5",
        "items": [
            _item("6109100010", "棉制针织T恤衫", "0|0|针织|T恤衫|圆领无扣无拉链|100%棉|无品牌|TS-240|无|无|无",
                  "3000", "011", "3.85", second="1650.5", country="DEU"),
            _item("6110200011", "棉制儿童针织套头衫", "0|0|针织起绒|套头衫|100%棉|无品牌|KJ-77|无|无|无",
                  "1200", "011", "6.2", second="1000", country="DEU"),
        ],
        "containers": [{"container_id": "MSKU1234565", "container_md": "11", "goods_no": "1,2", "lcl_flag": "0"}],
    }
    shoes = {
        **EXPORT_HEAD, **trade, "contr_no": "XA-DE-2411-02", "pack_no": 150, "gross_wet": "1650",
        "net_wt": "1500", "trans_mode": "1", "fee_mark": "3", "fee_rate": "1800", "fee_curr": "USD",
        "insur_mark": "1", "insur_rate": "0.3", "bill_no": "MSKU7788990022",
        "items": [
            _item("6403990090", "皮面休闲鞋", "0|0|未过踝|牛皮革|橡胶|27cm|无品牌|XJ-3021|无|无|无",
                  "1500", "025", "18.5", second="1500", country="DEU"),
        ],
        "containers": [{"container_id": "MSKU2234560", "container_md": "11", "goods_no": "1", "lcl_flag": "0"}],
    }
    coffee = {
        **IMPORT_HEAD, **trade, "traf_name": "COSCO SHIPPING ARIES", "voy_no": "062E", "bill_no": "COSU6201234560",
        "trade_country": "BRA", "trade_area_code": "BRA", "distinate_port": "CHN342", "desp_port_code": "BRA099",
        "contr_no": "BR-XA-2410-07", "pack_no": 320, "gross_wet": "12500.5", "net_wt": "12000",
        "overseas_consignor_ename": "CAFE BRASIL EXPORTADORA LTDA",
        "items": [
            _item("0901210000", "已焙炒咖啡豆", "0|3|豆|阿拉比卡|巴西米纳斯|无|无|无", "12000", "035", "8.2",
                  country="BRA", district="61019", dest="610100", ciq=True, purpose="12", goods_attr="15"),
        ],
        "containers": [{"container_id": "COSU1234560", "container_md": "11", "goods_no": "1", "lcl_flag": "0"}],
    }
    laptops = {
        **IMPORT_HEAD, **trade, "traf_name": "MSC OSCAR", "voy_no": "FE446W", "bill_no": "MEDUXY123456",
        "trade_country": "USA", "trade_area_code": "USA", "distinate_port": "CHN342", "desp_port_code": "USA264",
        "contr_no": "DL-US-2024-1103", "pack_no": 120, "gross_wet": "1520.5", "net_wt": "1380.25",
        "overseas_consignor_ename": "DELL GLOBAL B.V.",
        "items": [
            _item("8471309000", "笔记本电脑", "4|3|便携式|CPU+内存+硬盘+显示屏|DELL|Latitude 5440|无|无|无",
                  "200", "001", "650", second="460", country="USA", dest="610100", ciq=True, purpose="99",
                  goods_attr="11,19"),
            _item("8523511000", "U盘", "4|3|数据存储|未录制|SanDisk|CZ73|64GB|无|无|无",
                  "5000", "007", "4.125", second="50.25", country="USA", dest="610100"),
        ],
        "containers": [{"container_id": "MSKU3344556", "container_md": "11", "goods_no": "1,2", "lcl_flag": "0"}],
    }
    rejected = copy.deepcopy(tshirts)
    rejected.update(contr_no="XA-DE-2411-03", bill_no="OOLU2600000001")
    draft_ready = copy.deepcopy(shoes)
    draft_ready.update(contr_no="XA-DE-2411-04")
    draft_partial = {
        "ie_flag": "E", "custom_master": "2248", "trade_area_code": "USA", "trade_country": "USA", **trade,
        "items": [{"code_ts": "9503008900", "g_name": "塑料积木玩具"}],
    }
    return [
        ("release", tshirts), ("release", shoes), ("release", coffee), ("release", laptops),
        ("release", rejected), ("draft", draft_ready), ("draft", draft_partial),
    ]


@demo_step
def demo_declarations(enterprises: dict[str, Enterprise], users: dict[str, Any], say: Callable[[str], None]) -> None:
    ent = enterprises["a"]
    if Declaration.objects.for_enterprise(ent).exists():
        say("报关单: 演示数据已存在")
        return
    from guanwu.gateway.customs import demo_customs
    from guanwu.gateway.services import flush_outbox, poll_once

    actor = demo_actor(ent, users["a_operator"])
    sent = 0
    for what, payload in demo_payloads(ent):
        declaration = services.create_draft(actor, payload)
        if what == "release":
            services.declare(actor, declaration.pk)
            sent += 1
    flush_outbox()  # the demo runs in one transaction: write the outbox now, not at commit
    customs = demo_customs()
    if customs is not None:  # the simulator answers now, to the end
        customs.answer_outbox()
    poll_once()
    counts = {label: Declaration.objects.for_enterprise(ent).filter(status=status).count()
              for status, label in Declaration._meta.get_field("status").choices}
    say("报关单: " + ", ".join(f"{label} {n}" for label, n in counts.items() if n))

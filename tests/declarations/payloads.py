"""API/form payloads of declarations that pass every 申报 rule, to be broken one field at a time.

Both are correct declarations under the 填制规范 (2019 No. 18): the export declares 指运港 and
离境口岸 but no 启运港/货物存放地点 and leaves 出口日期 to customs; the import declares 出口享惠
情况 3, its inspected coffee's 用途 and 货物属性, and no deprecated 检验检疫受理机关; both state
their other packaging (无其他包装) and load every item in a container."""

from __future__ import annotations

import copy
from typing import Any

EXPORT: dict[str, Any] = {
    "ie_flag": "E",
    "custom_master": "5316",
    "ie_port": "5316",
    "trade_mode": "0110",
    "cut_mode": "101",
    "traf_mode": "2",
    "traf_name": "COSCO SHIPPING ARIES",
    "voy_no": "042W",
    "bill_no": "COSU6201234560",
    "trans_mode": "3",
    "trade_code": "6101930001",
    "trade_name": "演示进出口有限公司",
    "trade_co_scc": "91610100MA6U0001XA",
    "owner_code": "6101930001",
    "owner_name": "演示进出口有限公司",
    "owner_code_scc": "91610100MA6U0001XA",
    "trade_country": "DEU",
    "trade_area_code": "DEU",
    "distinate_port": "DEU063",
    "enty_port_code": "470601",
    "wrap_type": "22",
    "no_other_pack": "1",
    "pack_no": 340,
    "gross_wet": "2890",
    "net_wt": "2650.5",
    "contr_no": "SZ-DE-240915",
    "mark_no": "N/M",
    "items": [
        {
            "code_ts": "6109100010", "g_name": "棉制针织T恤衫",
            "g_model": "0|0|针织|T恤衫|圆领无扣无拉链|100%棉|无品牌|TS-240|无|无|无",
            "g_qty": "3000", "g_unit": "011", "first_qty": "3000", "second_qty": "1650.5",
            "decl_price": "3.85", "decl_total": "11550", "trade_curr": "USD",
            "origin_country": "DEU", "destination_country": "CHN", "district_code": "44031", "duty_mode": "1",
        },
        {
            "code_ts": "6110200011", "g_name": "棉制儿童针织套头衫",
            "g_model": "0|0|针织起绒|套头衫|100%棉|无品牌|KJ-77|无|无|无",
            "g_qty": "1200", "g_unit": "011", "first_qty": "1200", "second_qty": "600",
            "decl_price": "6.2", "decl_total": "7440", "trade_curr": "USD",
            "origin_country": "DEU", "destination_country": "CHN", "district_code": "44031", "duty_mode": "1",
        },
    ],
    "containers": [{"container_id": "CSNU6184271", "container_md": "11", "goods_no": "1,2", "lcl_flag": "0"}],
}

IMPORT: dict[str, Any] = {
    "ie_flag": "I",
    "custom_master": "2248",
    "ie_port": "2248",
    "trade_mode": "0110",
    "cut_mode": "101",
    "traf_mode": "2",
    "traf_name": "MSC OSCAR",
    "voy_no": "FE446W",
    "bill_no": "MSKU7788990011",
    "trans_mode": "1",
    "trade_code": "6101930001",
    "trade_name": "演示进出口有限公司",
    "trade_co_scc": "91610100MA6U0001XA",
    "owner_code": "6101930001",
    "owner_name": "演示进出口有限公司",
    "owner_code_scc": "91610100MA6U0001XA",
    "trade_country": "BRA",
    "trade_area_code": "BRA",
    "distinate_port": "CHN331",
    "desp_port_code": "BRA099",
    "enty_port_code": "311002",
    "goods_place": "洋山深水港四期码头",
    "wrap_type": "22",
    "no_other_pack": "1",
    "pack_no": 120,
    "gross_wet": "1520.5",
    "net_wt": "1380.25",
    "ie_date": "2024-11-04",
    "items": [
        {
            "code_ts": "0901210000", "ciq_code": "999", "g_name": "已焙炒咖啡豆",
            "g_model": "0|3|豆|阿拉比卡|巴西|无|无|无",
            "g_qty": "1380.25", "g_unit": "035", "first_qty": "1380.25",
            "decl_price": "8", "decl_total": "11042", "trade_curr": "USD",
            "origin_country": "BRA", "destination_country": "CHN", "district_code": "31222",
            "dest_code": "310115", "duty_mode": "1", "purpose": "12", "goods_attr": "14",
        },
    ],
    "containers": [{"container_id": "MSKU1234565", "container_md": "11", "goods_no": "1", "lcl_flag": "0"}],
}


def export_payload(**head: Any) -> dict[str, Any]:
    data = copy.deepcopy(EXPORT)
    data.update(head)
    return data


def import_payload(**head: Any) -> dict[str, Any]:
    data = copy.deepcopy(IMPORT)
    data.update(head)
    return data

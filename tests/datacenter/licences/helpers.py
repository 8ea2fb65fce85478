"""Licences and a crane import that cites them, for the licence tests."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.utils import timezone

from guanwu.datacenter.licences import services
from guanwu.datacenter.licences.models import Certificate, Licence
from guanwu.declarations import services as declarations
from guanwu.declarations.models import Declaration, DeclarationStatus


def today() -> dt.date:
    return timezone.localdate()


def licence_data(**changes: Any) -> dict[str, Any]:
    """自动进口许可证(新旧机电产品): 5 tower cranes and 3 wheeled cranes, valid for 4 more months."""
    data = {
        "licence_no": "24-O6-100231", "docu_code": "O", "holder_name": "甲企业", "holder_code": "6101930001",
        "issuer": "陕西省商务厅", "valid_from": (today() - dt.timedelta(days=30)).isoformat(),
        "valid_to": (today() + dt.timedelta(days=120)).isoformat(), "note": "",
        "lines": [
            {"code_ts": "8426200000", "g_name": "塔式起重机", "qty": "5", "unit": "001"},
            {"code_ts": "84264110", "g_name": "轮胎式起重机", "qty": "3", "unit": "001"},
        ],
    }
    data.update(changes)
    return data


def make_licence(actor, **changes: Any) -> Licence:
    return services.create_licence(actor, licence_data(**changes))


CRANE_IMPORT: dict[str, Any] = {
    "ie_flag": "I", "custom_master": "2248", "ie_port": "2248", "trade_mode": "0110", "cut_mode": "101",
    "traf_mode": "2", "traf_name": "BERLIN EXPRESS", "voy_no": "047E", "bill_no": "HLCUHAM2411027",
    "trans_mode": "1", "trade_country": "DEU", "trade_area_code": "DEU", "distinate_port": "CHN342",
    "desp_port_code": "DEU063", "enty_port_code": "311002", "goods_place": "洋山深水港四期码头",
    "wrap_type": "99", "no_other_pack": "1", "mark_no": "N/M", "contr_no": "LH-XA-2024-0915", "pack_no": 14,
    "gross_wet": "60000",
    "net_wt": "59000", "overseas_consignor_ename": "LIEBHERR-WERK BIBERACH GMBH",
    "trade_code": "6101930001", "trade_name": "甲企业", "trade_co_scc": "91610100MA6U0001XA",
    "owner_code": "6101930001", "owner_name": "甲企业", "owner_code_scc": "91610100MA6U0001XA",
    "items": [
        {
            "code_ts": "8426200000", "g_name": "塔式起重机",
            "g_model": "4|3|建筑工地物料吊装|平头塔式起重机|LIEBHERR|172 EC-B 8|无|无|无",
            "g_qty": "2", "g_unit": "001", "first_qty": "2", "second_qty": "47000", "decl_price": "185000",
            "decl_total": "370000", "trade_curr": "EUR", "origin_country": "DEU", "destination_country": "CHN",
            "district_code": "61019", "dest_code": "610100", "duty_mode": "1",
        },
        {
            "code_ts": "8426411000", "g_name": "轮胎式起重机",
            "g_model": "4|3|工程吊装|轮胎式|LIEBHERR|LTM 1090-4.2|无|无|无",
            "g_qty": "1", "g_unit": "001", "first_qty": "1", "second_qty": "12000", "decl_price": "420000",
            "decl_total": "420000", "trade_curr": "EUR", "origin_country": "DEU", "destination_country": "CHN",
            "district_code": "61019", "dest_code": "610100", "duty_mode": "1",
        },
    ],
    "licences": [{"docu_code": "O", "cert_code": "24-O6-100231"}],
}


def crane_import(**head: Any) -> dict[str, Any]:
    data = copy.deepcopy(CRANE_IMPORT)
    data.update(head)
    return data


def released(actor, raw: dict[str, Any] | None = None) -> Declaration:
    """A declaration as customs released it (status only: the tests send the signal themselves)."""
    declaration = declarations.create_draft(actor, raw or crane_import())
    Declaration.objects.filter(pk=declaration.pk).update(
        status=DeclarationStatus.RELEASED, entry_id="224820241000012345")
    declaration.refresh_from_db()
    return declaration


def make_certificate(actor, **changes: Any) -> Certificate:
    data = {
        "cert_type": "origin", "cert_no": "C246100012340001", "issuer": "中国国际贸易促进委员会陕西省分会",
        "issue_date": (today() - dt.timedelta(days=5)).isoformat(),
        "valid_to": (today() + dt.timedelta(days=200)).isoformat(),
        "goods": [{"code_ts": "6109100010", "g_name": "棉制针织T恤衫"}],
    }
    data.update(changes)
    return services.create_certificate(actor, data)

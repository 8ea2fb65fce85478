"""Demo licences and certificates for enterprise A. Idempotent.

- an 自动进口许可证(新旧机电产品) (O) for tower cranes, cited by an import of 2 cranes that the
  demo declares and lets customs release, so the licence shows a usage and a balance of 3;
- an 自动进口许可证 (7) for frozen beef that expires in 20 days (the dashboard warns);
- an expired 进口许可证 (1) for HCFC-22;
- a 原产地证书 with its PDF that expires soon, a 3C certificate and an expired 植物检疫证书.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.utils import override_settings
from django.utils import timezone

from guanwu.core.demo import demo_step
from guanwu.datacenter.bizdocs.pdf import simple_pdf
from guanwu.tenancy.context import Actor
from guanwu.tenancy.models import Enterprise, Membership

from . import services
from .models import Licence

CRANE_BILL = "HLCUHAM2411027"


def _crane_import(ent: Enterprise, licence_no: str) -> dict[str, Any]:
    return {
        "ie_flag": "I", "custom_master": "2248", "ie_port": "2248", "trade_mode": "0110", "cut_mode": "101",
        "traf_mode": "2", "traf_name": "BERLIN EXPRESS", "voy_no": "047E", "bill_no": CRANE_BILL,
        "trans_mode": "1", "trade_country": "DEU", "trade_area_code": "DEU", "distinate_port": "CHN342",
        "desp_port_code": "DEU063", "enty_port_code": "311002", "goods_place": "洋山深水港四期码头",
        "wrap_type": "99", "mark_no": "N/M", "contr_no": "LH-XA-2024-0915", "pack_no": 14, "gross_wet": "48000",
        "net_wt": "47000", "overseas_consignor_ename": "LIEBHERR-WERK BIBERACH GMBH",
        "trade_code": ent.customs_code, "trade_name": ent.name, "trade_co_scc": ent.scc,
        "owner_code": ent.customs_code, "owner_name": ent.name, "owner_code_scc": ent.scc,
        "items": [{
            "code_ts": "8426200000", "g_name": "塔式起重机",
            "g_model": "0|3|建筑工地物料吊装|平头塔式起重机|LIEBHERR|172 EC-B 8|无|无|无",
            "g_qty": "2", "g_unit": "001", "first_qty": "2", "second_qty": "47000", "decl_price": "185000",
            "decl_total": "370000", "trade_curr": "EUR", "origin_country": "DEU", "destination_country": "CHN",
            "district_code": "61019", "dest_code": "610100", "duty_mode": "1",
        }],
        "licences": [{"docu_code": "O", "cert_code": licence_no}],
    }


def _release(actor: Actor, raw: dict[str, Any]) -> Any:
    """Declare and let the simulator release at once, as the declarations demo does."""
    from guanwu.declarations import services as declarations
    from guanwu.gateway.services import flush_outbox, poll_once
    from guanwu.simulator.engine import run_until_idle
    from guanwu.simulator.models import ArrivalReport, Manifest

    Manifest.objects.update_or_create(bill_no=CRANE_BILL, defaults={
        "traf_mode": "2", "traf_name": "BERLIN EXPRESS", "voyage_no": "047E", "gross_wt": Decimal("48000"),
        "pack_no": 14, "i_e_flag": "I", "customs_code": "2248"})
    ArrivalReport.objects.get_or_create(bill_no=CRANE_BILL, defaults={
        "customs_code": "2248", "location": "洋山深水港四期码头", "arrived_at": timezone.now()})
    declaration = declarations.create_draft(actor, raw)
    declarations.declare(actor, declaration.pk)
    flush_outbox()
    with override_settings(GUANWU_SIMULATOR_DELAY_SECONDS=0, GUANWU_SIMULATOR_INSPECTION_RATE=0,
                           GUANWU_SIMULATOR_REJECTION_RATE=0):
        run_until_idle()
    poll_once()
    declaration.refresh_from_db()
    return declaration


@demo_step
def demo_licences(enterprises: dict[str, Enterprise], users: dict[str, Any], say: Callable[[str], None]) -> None:
    ent = enterprises["a"]
    if Licence.objects.for_enterprise(ent).exists():
        say("许可证与证书: 演示数据已存在")
        return
    actor = Actor.for_membership(Membership.objects.get(enterprise=ent, user=users["a_operator"]))
    today = timezone.localdate()
    yy = today.strftime("%y")
    holder = {"holder_name": ent.name, "holder_code": ent.customs_code}
    crane = services.create_licence(actor, {
        "licence_no": f"{yy}-O6-100231", "docu_code": "O", **holder, "issuer": "陕西省商务厅",
        "valid_from": today - dt.timedelta(days=60), "valid_to": today + dt.timedelta(days=120),
        "note": "新机电产品, 非一批一证",
        "lines": [{"code_ts": "8426200000", "g_name": "塔式起重机", "qty": "5", "unit": "001"}],
    })
    services.create_licence(actor, {
        "licence_no": f"{yy}-AA-300817", "docu_code": "7", **holder, "issuer": "商务部配额许可证事务局",
        "valid_from": today - dt.timedelta(days=160), "valid_to": today + dt.timedelta(days=20),
        "lines": [
            {"code_ts": "0202300090", "g_name": "冻去骨牛肉", "qty": "60000", "unit": "035"},
            {"code_ts": "0202200090", "g_name": "冻带骨牛肉", "qty": "20000", "unit": "035"},
        ],
    })
    services.create_licence(actor, {
        "licence_no": f"{int(yy) - 1:02d}-AA-100569", "docu_code": "1", **holder, "issuer": "商务部配额许可证事务局",
        "valid_from": today - dt.timedelta(days=400), "valid_to": today - dt.timedelta(days=35),
        "note": "消耗臭氧层物质, 一批一证",
        "lines": [{"code_ts": "2903710000", "g_name": "一氯二氟甲烷(HCFC-22)", "qty": "2000", "unit": "035"}],
    })
    origin_pdf = simple_pdf(["Certificate No.: C246100012340001", "Exporter: " + ent.customs_code,
                             "Goods: Cotton knitted T-shirts, HS 6109.10"], title="CERTIFICATE OF ORIGIN")
    services.create_certificate(actor, {
        "cert_type": "origin", "cert_no": "C246100012340001", "issuer": "中国国际贸易促进委员会陕西省分会",
        "issue_date": today - dt.timedelta(days=10), "valid_to": today + dt.timedelta(days=12),
        "goods": [{"code_ts": "6109100010", "g_name": "棉制针织T恤衫"}],
    }, SimpleUploadedFile("原产地证书_C246100012340001.pdf", origin_pdf, content_type="application/pdf"))
    services.create_certificate(actor, {
        "cert_type": "ccc", "cert_no": "2023010902541238", "issuer": "中国质量认证中心",
        "issue_date": dt.date(2023, 3, 15), "valid_to": dt.date(2028, 3, 14),
        "goods": [{"code_ts": "8471309000", "g_name": "笔记本电脑"}],
    })
    services.create_certificate(actor, {
        "cert_type": "phytosanitary", "cert_no": "BR-MAPA-2024-0098812", "issuer": "巴西农业部(MAPA)",
        "issue_date": today - dt.timedelta(days=50), "valid_to": today - dt.timedelta(days=20),
        "goods": [{"code_ts": "0901210000", "g_name": "已焙炒咖啡豆"}],
    })
    declaration = _release(actor, _crane_import(ent, crane.licence_no))
    services.consume_declaration(declaration)  # the release signal does it again after commit: a no-op
    crane.refresh_from_db()
    line = crane.lines.get()
    say(f"许可证与证书: 许可证 3 个, 证书 3 个; 塔式起重机进口报关单{declaration.get_status_display()}, "
        f"许可证 {crane.licence_no} 余量 {services.fmt_qty(line.remaining)} 台")

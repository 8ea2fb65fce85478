"""Demo licences and certificates for enterprise A. Idempotent.

- an 自动进口许可证(新旧机电产品) (O) for tower cranes: cite it in the 随附单证 of an import
  (docu_code O) and its balance goes down when customs releases the declaration;
- an 自动进口许可证 (7) for frozen beef that expires in 20 days (the dashboard warns);
- an expired 进口许可证 (1) for HCFC-22;
- a 原产地证书 with its PDF that expires soon, a 3C certificate and an expired 植物检疫证书.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guanwu.core.demo import demo_actor, demo_step
from guanwu.datacenter.bizdocs.pdf import simple_pdf
from guanwu.tenancy.models import Enterprise

from . import services
from .models import Licence


@demo_step
def demo_licences(enterprises: dict[str, Enterprise], users: dict[str, Any], say: Callable[[str], None]) -> None:
    ent = enterprises["a"]
    if Licence.objects.for_enterprise(ent).exists():
        say("许可证与证书: 演示数据已存在")
        return
    actor = demo_actor(ent, users["a_operator"])
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
    say(f"许可证与证书: 许可证 3 个 ({crane.licence_no} 等), 证书 3 个")

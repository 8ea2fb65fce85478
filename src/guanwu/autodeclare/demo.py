"""Demo of 智能辅助申报 for enterprise A: enabled, two profiles, marked drafts and the manifests
they need, so that 开始申报 in a fresh ``make run`` shows, in its first batch:

* 申报成功(自动): an export whose manifest matches and has arrived; an import for a client
  company (the agreement is generated automatically);
* 待申报: an export not arrived yet (``guanwu simulator arrival add --bill-no MSKU8810000022``
  lets it go in the next batch), and a 自报自缴 import waiting for its 税费确认;
* 申报失败: a manifest that disagrees (gross weight, pieces), a bill with no manifest, and an
  import the 申报 rules refuse (存放地点 missing).

Idempotent: nothing is added when enterprise A already has profiles. Demo exchange rates are
labelled as demo rates.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from guanwu.core.demo import demo_actor, demo_step
from guanwu.gateway.customs import ArrivalInfo, ManifestInfo, demo_customs
from guanwu.tenancy.models import Enterprise
from guanwu.tenancy.validators import uscc_check_char

from .models import ExchangeRate, Profile

# Demo monthly rates (CNY per unit), close to 2024 figures; not customs' published rates.
DEMO_RATES = {"USD": "7.1000", "EUR": "7.7500", "JPY": "0.0475", "HKD": "0.9100", "GBP": "9.0500",
              "AUD": "4.7000", "CAD": "5.2000", "KRW": "0.0052", "SGD": "5.3000", "CHF": "8.0000"}

# bill_no, ie, gross, pieces, arrived
MANIFESTS = (
    ("MSKU8810000011", "E", "2890", 340, True),
    ("MSKU8810000022", "E", "1650", 150, False),
    ("MSKU8810000033", "E", "2400", 300, True),
    ("COSU8820000011", "I", "12500.5", 320, True),
    ("COSU8820000022", "I", "1520.5", 120, True),
    ("COSU8820000033", "I", "1520.5", 120, True),
)
CLIENT = ("6101910099", "91610131MA6TX0099", "西安丝路客户贸易有限公司")


def demo_rates() -> int:
    month = timezone.localdate().replace(day=1)
    months = [month, (month - dt.timedelta(days=1)).replace(day=1)]
    created = 0
    for m in months:
        for currency, rate in DEMO_RATES.items():
            _, new = ExchangeRate.objects.get_or_create(
                month=m, currency=currency,
                defaults={"rate": Decimal(rate), "is_demo": True, "note": "演示汇率, 非海关公布汇率"})
            created += new
    return created


def demo_manifests() -> None:
    """The demo bills' manifests and arrivals, recorded by the customs side when it is one the
    demo may drive (the simulator, through the gateway's customs port)."""
    customs = demo_customs()
    if customs is None:
        return
    for bill_no, ie, gross, pieces, arrived in MANIFESTS:
        sea = bill_no.startswith(("MSKU", "COSU"))
        customs.record_manifest(ManifestInfo(
            bill_no=bill_no, ie_flag=ie, traf_mode="2" if sea else "5",
            traf_name="MAERSK EDMONTON" if ie == "E" else "COSCO SHIPPING ARIES",
            voyage_no="216W" if ie == "E" else "063E", gross_wt=Decimal(gross), pack_no=pieces, customs_code="2248"))
        if arrived:
            customs.record_arrival(ArrivalInfo(bill_no=bill_no, arrived_at=timezone.now(), customs_code="2248",
                                               location="洋山深水港四期码头"))
        else:
            customs.forget_arrival(bill_no)


def demo_drafts(ent: Enterprise) -> list[tuple[dict[str, Any], bool]]:
    """(payload, 自报自缴) of the marked drafts."""
    from guanwu.declarations.demo import demo_payloads

    payloads = dict((p.get("contr_no"), p) for _what, p in demo_payloads(ent))
    tshirts, shoes = payloads["XA-DE-2411-01"], payloads["XA-DE-2411-02"]
    coffee, laptops = payloads["BR-XA-2410-07"], payloads["DL-US-2024-1103"]

    def variant(base: dict[str, Any], **head: Any) -> dict[str, Any]:
        out = copy.deepcopy(base)
        out.update(head)
        return out

    scc = CLIENT[1] + uscc_check_char(CLIENT[1])
    client = {"trade_code": CLIENT[0], "trade_co_scc": scc, "trade_name": CLIENT[2],
              "owner_code": CLIENT[0], "owner_code_scc": scc, "owner_name": CLIENT[2]}
    no_place = variant(laptops, bill_no="COSU8820000033", contr_no="AD-IM-03")
    no_place.pop("goods_place", None)
    return [
        (variant(tshirts, bill_no="MSKU8810000011", contr_no="AD-EX-01"), False),
        (variant(shoes, bill_no="MSKU8810000022", contr_no="AD-EX-02"), False),
        (variant(tshirts, bill_no="MSKU8810000033", contr_no="AD-EX-03"), False),
        (variant(tshirts, bill_no="MSKU8810000099", contr_no="AD-EX-04"), False),
        (variant(coffee, bill_no="COSU8820000011", contr_no="AD-IM-01"), True),
        (variant(laptops, bill_no="COSU8820000022", contr_no="AD-IM-02", **client), False),
        (no_place, False),
    ]


@demo_step
def demo_autodeclare(enterprises: dict[str, Enterprise], users: dict[str, Any], say: Callable[[str], None]) -> None:
    from guanwu.declarations import services as declarations

    from . import services

    ent = enterprises["a"]
    rates = demo_rates()
    if Profile.objects.for_enterprise(ent).exists():
        say("智能辅助申报: 演示数据已存在")
        return
    admin = demo_actor(ent, users["a_admin"])
    operator = demo_actor(ent, users["a_operator"])
    services.enable(admin, accept_notice=True, accept_promise=True)
    options = {"enabled": True, "scope": "enterprise", "agent_code": ent.customs_code, "trade_code": "",
               "auto_confirm": True, "auto_agreement": True, "batch_wait_seconds": 30}
    services.create_profile(admin, {**options, "name": "出口 · 运抵比对后申报", "ie_flag": "E",
                                    "manifest_required": True, "arrival_required": True, "compare_required": True})
    services.create_profile(admin, {**options, "name": "进口 · 有舱单运抵后申报", "ie_flag": "I",
                                    "manifest_required": True, "arrival_required": True})
    demo_manifests()
    ids = [declarations.create_draft(operator, {**payload, "self_tax": self_tax}).pk
           for payload, self_tax in demo_drafts(ent)]
    services.mark(operator, ids)
    say(f"智能辅助申报: 已启用, 预配置 2 条, 带标记的暂存报关单 {len(ids)} 票, 演示舱单 {len(MANIFESTS)} 票, "
        f"演示汇率 {rates} 条 — 在「智能辅助申报 › 执行」点击开始申报")

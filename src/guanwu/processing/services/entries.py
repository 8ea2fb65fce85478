"""INV202 -> 报关单草稿: when a list says a declaration follows (报关标志 1) and customs answers
that it generated one, the platform creates the 报关单 draft from the list — head from the list
head, one goods item per line with units, quantities, 备案号 (``manual_no``) and 备案序号
(``contr_item``) — through ``declarations.services.create_draft``, for the user to complete and
declare. The list stores 币制/国别 as the params codes the 报关单 uses (USD, CHN; ``common.CODE_TABLES``),
so they pass as they are; a numeric 金二 code from older rows is mapped by ``from_jin2``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from guanwu.core.errors import ServiceError
from guanwu.declarations import services as declarations
from guanwu.declarations.models import Declaration
from guanwu.declarations.payload import countries_by_meaning
from guanwu.tenancy.context import Actor
from guanwu.tenancy.models import Membership, Role

from ..models import Inventory, InventoryItem
from .common import CODE_TABLES, from_jin2

HEAD_MAP = {  # 报关单 field <- 核注清单 field
    "ie_flag": "impexp_markcd", "manual_no": "putrec_no", "trade_mode": "supv_modecd", "traf_mode": "trsp_modecd",
    "ie_port": "impexp_portcd", "custom_master": "dcl_plc_cuscd", "trade_code": "bizop_etpsno",
    "trade_name": "bizop_etps_nm", "trade_co_scc": "bizop_etps_sccd", "owner_code": "rcvgd_etpsno",
    "owner_name": "rcvgd_etps_nm", "owner_code_scc": "rvsngd_etps_sccd", "trade_country": "stship_trsarv_natcd",
}
ITEM_MAP = {
    "contr_item": "putrec_seqno", "exg_no": "gds_mtno", "code_ts": "gdecd", "g_name": "gds_nm",
    "g_model": "gds_spcf_model_desc", "g_unit": "dcl_unitcd", "g_qty": "dcl_qty", "first_unit": "lawf_unitcd",
    "first_qty": "lawf_qty", "second_unit": "secd_lawf_unitcd", "second_qty": "secd_lawf_qty",
    "decl_price": "dcl_uprc_amt", "decl_total": "dcl_total_amt", "trade_curr": "dcl_currcd",
    "origin_country": "natcd", "destination_country": "destination_natcd", "duty_mode": "lvyrlf_modecd",
}
PLACES = {"decl_price": Decimal("0.0001"), "decl_total": Decimal("0.0001")}
_ITEM_FIELD = re.compile(r"^items\[(\d+)\]\.(\w+)$")
MAX_TRIES = 4


def actor_for(inventory: Inventory) -> Actor:
    """Who the draft is made for: the list's author in its enterprise, else an administrator."""
    qs = Membership.objects.select_related("user", "enterprise").filter(enterprise_id=inventory.enterprise_id,
                                                                        is_active=True)
    membership = qs.filter(user_id=inventory.created_by_id).first() or qs.filter(role=Role.ADMIN).first()
    if membership is None:
        raise ServiceError("核注清单所属企业没有有效成员, 无法生成报关单草稿")
    return Actor.for_membership(membership)


def declaration_payload(inventory: Inventory) -> dict[str, Any]:
    head: dict[str, Any] = {name: from_jin2(source, getattr(inventory, source)) for name, source in HEAD_MAP.items()
                            if getattr(inventory, source) not in (None, "")}
    head["note_s"] = f"由核注清单{inventory.bond_invt_no or inventory.etps_inner_invt_no}生成"[:255]
    items = []
    for line in InventoryItem.objects.filter(inventory=inventory).order_by("gds_seqno"):
        row: dict[str, Any] = {}
        for name, source in ITEM_MAP.items():
            value = getattr(line, source)
            if value in (None, ""):
                continue
            if source in CODE_TABLES:
                value = from_jin2(source, value)
            if name in PLACES:
                value = Decimal(value).quantize(PLACES[name])
            row[name] = str(value) if isinstance(value, Decimal) else value
        if line.ucns_verno.isdigit():
            row["exg_version"] = int(line.ucns_verno)
        items.append(countries_by_meaning(row, inventory.impexp_markcd))
    head["items"] = items
    return head


def create_declaration_draft(inventory: Inventory, actor: Actor | None = None) -> Declaration:
    """The 报关单 draft of a list (``declarations.services.create_draft``). A value 暂存 refuses (a
    code the 报关单 tables do not know) is left empty for the user to fill, never a lost draft."""
    actor = actor or actor_for(inventory)
    raw = declaration_payload(inventory)
    for _ in range(MAX_TRIES):
        try:
            return declarations.create_draft(actor, raw)
        except ServiceError as exc:
            if not exc.errors or not _drop(raw, [e.field for e in exc.errors]):
                raise
    return declarations.create_draft(actor, raw)


def _drop(raw: dict[str, Any], fields: list[str]) -> bool:
    dropped = False
    for name in fields:
        m = _ITEM_FIELD.match(name or "")
        if m:
            index, field = int(m.group(1)), m.group(2)
            if index < len(raw["items"]) and field in raw["items"][index]:
                del raw["items"][index][field]
                dropped = True
        elif name in raw and name not in ("items", "ie_flag"):
            del raw[name]
            dropped = True
    return dropped

"""From a summary customs answered with its 汇总结果单 (CEB792): the 报关单 export draft.

A 9710/9810 summary ends in one export 报关单 (海关总署公告2020年第75号: 跨境电商B2B出口 "可按照
汇总申报方式 ... 向海关申报报关单"; spec 202205 §2.21-2.23 汇总申请单 -> 汇总结果单). The platform
prepares it as a 暂存 draft through ``declarations.services.create_draft`` for the user to
complete and declare in the usual flow:

- 监管方式 9710 or 9810 (the lists'), 申报地海关 the summary's, 出境关别 the lists' 出口口岸,
  境内发货人 the summary's 收发货人, 生产销售单位 the lists' (when they share one), 运输方式 /
  运抵国 / 包装种类 the lists' (when they share one), 件数 / 毛重 / 净重 their sums (毛重 and 净重 of
  the 汇总结果单 when it gives them), 企业内部编号 the 汇总申请编号 (so the same summary is not
  drafted twice);
- goods items grouped from the lists' goods lines by 商品编码, 商品名称, 申报计量单位, 币制 and
  目的国 (quantities and totals summed; 单价 = 总价 / 数量; 规格型号 the first line's);
- 随附单据 10000004 跨境B2B出口单证 numbered by the 汇总申请编号.

The CEB messages carry the old numeric codes (142, 502, 011); the declaration carries the
current ones (CNY, USA): ``params.services.normalise`` converts them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from guanwu.audit import services as audit
from guanwu.core.errors import ServiceError
from guanwu.params import services as params
from guanwu.tenancy.context import Actor

from ..models import CebStatus, ExportListLine, Summary
from .summaries import get_summary

CROSS_BORDER_B2B_DOCUMENT = "10000004"  # 随附单据类别: 跨境B2B出口单证 (filled by hand in the code table)
PLACES = Decimal("0.0001")


def _current(table: str, code: str) -> str:
    return (params.normalise(table, code) or code) if code else ""


def _shared(values: list[Any]) -> Any:
    """The value every list has, else None."""
    distinct = {v for v in values if v not in (None, "")}
    return next(iter(distinct)) if len(distinct) == 1 else None


def _total(values: list[Any]) -> Decimal | None:
    numbers = [v for v in values if v is not None]
    return sum(numbers, Decimal(0)) if numbers else None


def declaration_data(summary: Summary) -> dict[str, Any]:
    """The create_draft payload of a summary (its lists and their goods lines loaded here)."""
    lists = [line.export_list for line in summary.lines.select_related("export_list") if line.export_list_id]
    if not lists:
        raise ServiceError("汇总申请单没有本企业的清单，无法生成报关单")
    trade_mode = _shared([x.trade_mode for x in lists])
    if trade_mode is None:
        raise ServiceError("汇总的清单贸易方式不一致，无法生成一份报关单")
    head: dict[str, Any] = {
        "ie_flag": "E",
        "trade_mode": trade_mode,
        "custom_master": summary.customs_code,
        "ie_port": _shared([x.port_code for x in lists]) or "",
        "trade_code": summary.ebc_code,
        "trade_name": summary.ebc_name,
        "owner_code": _shared([x.owner_code for x in lists]) or "",
        "owner_name": _shared([x.owner_name for x in lists]) or "",
        "traf_mode": _current("transport-modes", _shared([x.traf_mode for x in lists]) or ""),
        "trade_country": _current("countries", _shared([x.country for x in lists]) or ""),
        "wrap_type": _current("wrap-types", _shared([x.wrap_type for x in lists]) or ""),
        "bill_no": _shared([x.bill_no for x in lists]) or "",
        "pack_no": sum(x.pack_no or 0 for x in lists) or None,
        "gross_wet": summary.result_gross_weight or _total([x.gross_weight for x in lists]),
        "net_wt": summary.result_net_weight or _total([x.net_weight for x in lists]),
        "internal_no": summary.sum_no or summary.cop_no,
        "note_s": f"跨境电商B2B出口汇总申报 汇总申请编号{summary.sum_no} 汇总统一编号{summary.decl_seq_no}"[:255],
    }
    groups: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
    lines = ExportListLine.objects.filter(export_list__in=lists).order_by("export_list_id", "g_num", "id")
    for x in lines:
        key = (x.g_code, x.g_name, x.unit, x.currency, x.country)
        item = groups.get(key)
        if item is None:
            item = groups[key] = {
                "code_ts": x.g_code, "g_name": x.g_name, "g_model": x.g_model,
                "g_unit": _current("units", x.unit), "trade_curr": _current("currencies", x.currency),
                "destination_country": _current("countries", x.country), "origin_country": "CHN",
                "first_unit": _current("units", x.unit1), "second_unit": _current("units", x.unit2),
                "g_qty": Decimal(0), "first_qty": Decimal(0), "second_qty": None, "decl_total": Decimal(0),
            }
        item["g_qty"] += x.qty or 0
        item["first_qty"] += x.qty1 or 0
        if x.qty2 is not None:
            item["second_qty"] = (item["second_qty"] or Decimal(0)) + x.qty2
        item["decl_total"] += x.total_price or 0
    items = []
    for item in groups.values():
        if item["g_qty"]:
            item["decl_price"] = (item["decl_total"] / item["g_qty"]).quantize(PLACES)
        items.append({k: v for k, v in item.items() if v not in (None, "")})
    documents = [{"edoc_code": CROSS_BORDER_B2B_DOCUMENT, "edoc_id": (summary.sum_no or summary.cop_no)[:64],
                  "edoc_fomat_type": "US"}]  # US: 非结构化 (as datacenter.bizdocs attaches files)
    return {**{k: v for k, v in head.items() if v not in (None, "")}, "items": items, "documents": documents}


@transaction.atomic
def prepare_declaration(actor: Actor, summary_id: int | str):
    """暂存 the export declaration of a summary customs answered with its 汇总结果单 (汇总完成);
    the summary keeps a link to it, and a second call returns the same draft. ServiceError 409
    for a summary not yet 汇总完成; 422 with the 暂存 errors of the draft otherwise."""
    from guanwu.declarations import services as declarations
    from guanwu.declarations.models import Declaration

    summary = get_summary(actor, summary_id, for_update=True)
    if summary.declaration_id:
        existing = Declaration.objects.for_enterprise(actor.enterprise).filter(pk=summary.declaration_id).first()
        if existing is not None:
            return existing
    if summary.status != CebStatus.SUMMARIZED:
        raise ServiceError(
            f"汇总申请单{summary}状态为“{summary.get_status_display()}”，收到汇总结果单后才能生成报关单", status=409
        )
    try:
        declaration = declarations.create_draft(actor, declaration_data(summary))
    except ServiceError as exc:
        details = "；".join(e.message for e in exc.errors[:5])
        raise ServiceError(f"生成报关单草稿未通过：{details or exc.message}", errors=exc.errors,
                           status=exc.status) from None
    summary.declaration = declaration
    summary.save(update_fields=["declaration", "updated_at"])
    audit.record(actor, summary, "生成报关单草稿", after=summary.get_status_display(),
                 changes={"报关单": [None, declaration.pk]})
    return declaration

"""Pages of 跨境电商B2B出口 (seed 003): the imports, the read-only details, the summary's actions
and the batch dashboard. Thin over ``services``: a GET only reads, a POST calls one service.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from guanwu.core.downloads import inline_xml
from guanwu.core.errors import ServiceError
from guanwu.imports import services as imports
from guanwu.imports.spec import get_spec
from guanwu.tenancy.context import Actor
from guanwu.ui.responses import actor_required

from . import codes, services
from .models import SUBMITTABLE, CebStatus, ExportList, Order, OrderType, Summary
from .views_lists import SECTION, STATUS_STYLE, status_badge

# -- 导入: 商品批次号 (with the next free 流水号 proposed) + the file, through the shared pipeline ----


IMPORTS = {
    "9710": ("crossborder-orders-9710", "9710出口订单管理", "导入订单", "crossborder:order-9710-declare", "订单申报"),
    "9810": ("crossborder-orders-9810", "9810出口订仓单管理", "导入订单", "crossborder:order-9810-declare", "订单申报"),
    "lists": ("crossborder-lists", "出口清单管理", "清单导入", "crossborder:list-declare", "清单申报"),
    "summaries": ("crossborder-summaries", "汇总申请单", "导入", "crossborder:summary-list", "汇总申请单查询"),
}


def _proposal(actor: Actor, logistics: str, day: dt.date) -> tuple[str, str]:
    """(proposed 商品批次号, "") or ("", why none can be proposed)."""
    if not logistics:
        return "", "请先在跨境设置中添加物流企业(物流简码)"
    try:
        return services.next_batch_no(actor, logistics, day), ""
    except ServiceError as exc:
        return "", exc.message


def _import_page(request: HttpRequest, which: str) -> HttpResponse:
    actor: Actor = request.actor
    key, section, title, next_url_name, next_label = IMPORTS[which]
    spec = get_spec(key)
    if spec is None:  # the import is not registered (never in a complete install)
        raise Http404("导入类型不存在")
    companies = list(services.list_logistics_companies(actor, active_only=True))
    logistics = companies[0].short_code if companies else ""
    today = timezone.localdate()
    proposed, problem = _proposal(actor, logistics, today)
    job = None
    job_id = request.GET.get("job") or ""
    if job_id.isdigit():
        from guanwu.core.errors import NotFound
        from guanwu.jobs import services as jobs

        try:
            job = jobs.get(actor, int(job_id))
        except NotFound:
            raise Http404 from None
    return render(request, "crossborder/import.html", {
        "page_title": f"{section} · {title}", "breadcrumbs": [(SECTION, None), (section, None), (title, None)],
        "spec": spec, "modes": imports.modes_for(spec), "mode": "all_or_nothing",
        "values": {"batch_no": proposed, "ie_date": today.isoformat()},
        "companies": companies, "logistics": logistics, "today": today, "problem": problem,
        "short_code": services.get_settings(actor).short_code, "job": job,
        "next_url": reverse(next_url_name), "next_label": next_label, "which": which,
    })


@actor_required
@require_GET
def order_import(request: HttpRequest, kind: str) -> HttpResponse:
    return _import_page(request, kind)


@actor_required
@require_GET
def list_import(request: HttpRequest) -> HttpResponse:
    return _import_page(request, "lists")


@actor_required
@require_GET
def summary_import(request: HttpRequest) -> HttpResponse:
    return _import_page(request, "summaries")


@actor_required
@require_GET
def batch_no_proposal(request: HttpRequest) -> HttpResponse:
    """The 商品批次号 input with the next free 流水号 of the 物流简码 and day asked (htmx)."""
    logistics = (request.GET.get("logistics") or "").strip().upper()
    try:
        day = dt.date.fromisoformat(request.GET.get("day") or "")
    except ValueError:
        day = timezone.localdate()
    proposed, problem = _proposal(request.actor, logistics, day)
    return render(request, "crossborder/_batch_no.html", {"proposed": proposed, "problem": problem})


# -- read-only details -------------------------------------------------------------------------


def _money(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)
    return text


def _receipts(document: Any) -> list[Any]:
    return list(document.receipts.all().order_by("received_at", "id"))


@actor_required
@require_GET
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """订单详情: read-only, as the seed's 查看订单详情 (no edit, no delete)."""
    order: Order = services.get_order(request.actor, pk)
    warehouse = order.order_type == OrderType.WAREHOUSE
    noun = "订仓单" if warehouse else "订单"
    section = "9810出口订仓单管理" if warehouse else "9710出口订单管理"
    query_url = reverse("crossborder:order-9810-list" if warehouse else "crossborder:order-9710-list")
    head = [
        ("商品批次号", order.batch.batch_no if order.batch else ""),
        (f"{noun}编号", order.order_no),
        ("订单类型", order.get_order_type_display()),
        ("海外仓代码" if warehouse else "电商平台代码", order.ebp_code),
        ("海外仓名称" if warehouse else "电商平台名称", order.ebp_name),
        ("电商企业代码", order.ebc_code),
        ("电商企业名称", order.ebc_name),
        ("商品金额", _money(order.goods_value)),
        ("运杂费", _money(order.freight)),
        ("币制", codes.display(codes.CURRENCY, order.currency)),
    ]
    if warehouse:
        head += [("海外仓所在国(地区)", codes.display(codes.COUNTRY, order.warehouse_country)),
                 ("海外仓地址", order.warehouse_address)]
    head += [("系统唯一序号", order.guid), ("申报时间", _time(order.sent_at)), ("备注", order.note)]
    lines = [
        {"g_num": line.g_num, "item_no": line.item_no, "item_name": line.item_name,
         "item_describe": line.item_describe, "bar_code": line.bar_code,
         "unit": codes.display(codes.UNIT, line.unit), "currency": codes.display(codes.CURRENCY, line.currency),
         "qty": _money(line.qty), "price": _money(line.price), "total_price": _money(line.total_price),
         "note": line.note}
        for line in order.lines.all()
    ]
    return render(request, "crossborder/order_detail.html", {
        "page_title": f"查看{noun}详情 {order.order_no}",
        "breadcrumbs": [(SECTION, None), (section, None), ("订单查询", query_url), (order.order_no, None)],
        "obj": order, "head": head, "lines": lines, "receipts": _receipts(order), "status": status_badge(order),
        "export_lists": list(order.export_lists.all()), "query_url": query_url,
        "message_url": reverse("crossborder:order-message", args=[order.pk]),
    })


def _time(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")


F_FLAGS = {"1": "率", "2": "单价", "3": "总价"}


def _flag(value: str) -> str:
    """运费标志 / 保费标志 as the seed shows a code: ``总价[3]``; 请选择 when none (as the seed)."""
    return f"{F_FLAGS[value]}[{value}]" if value in F_FLAGS else "请选择"


def list_head(row: ExportList, total: Decimal | None) -> list[tuple[str, str]]:
    """The seed's 查看清单信息详情 · 表头详情, field by field in its order (seed 003 三, step 9):
    codes as ``名称[代码]`` where the seed shows them so (运输方式, 运抵国, 包装种类, 币制,
    申报业务类型)."""
    return [
        ("商品批次号", row.batch.batch_no if row.batch else ""),
        ("订单编号", row.order_no),
        ("物流运单编号", row.logistics_no),
        ("企业唯一编号", row.cop_no),
        ("电子口岸编码", row.pre_no),
        ("海关清单编码", row.invt_no),
        ("申报地海关代码", row.customs_code),
        ("出口口岸代码", row.port_code),
        ("电商平台代码", row.ebp_code),
        ("电商平台名称", row.ebp_name),
        ("收发货人代码", row.ebc_code),
        ("收发货人名称", row.ebc_name),
        ("物流企业代码", row.logistics_code),
        ("物流企业名称", row.logistics_name),
        ("生产销售企业代码", row.owner_code),
        ("生产销售企业名称", row.owner_name),
        ("运输方式", codes.display(codes.TRANSPORT, row.traf_mode)),
        ("运抵国(地区)", codes.display(codes.COUNTRY, row.country)),
        ("指运港代码", row.pod),
        ("包装种类", codes.display(codes.WRAP, row.wrap_type)),
        ("运费", _money(row.freight)),
        ("运费币制", codes.display(codes.CURRENCY, row.f_currency)),
        ("运费标志", _flag(row.f_flag)),
        ("毛重(kg)", _money(row.gross_weight)),
        ("保费", _money(row.insured_fee)),
        ("保费币制", codes.display(codes.CURRENCY, row.i_currency)),
        ("保费标志", _flag(row.i_flag)),
        ("净重(kg)", _money(row.net_weight)),
        ("监管场所代码", row.loct_no),
        ("申报业务类型", f"{row.get_statistics_flag_display()}[{row.statistics_flag}]" if row.statistics_flag else ""),
        ("件数", "" if row.pack_no is None else str(row.pack_no)),
        ("总价(合计)", _money(total)),
        ("备注", row.note),
    ]


LIST_LINE_HEADERS = ["序号", "企业商品货号", "商品名称", "商品编码", "规格型号", "条形码", "目的国", "币制", "申报数量",
                     "计量单位", "法定数量", "法定计量单位", "第二数量", "第二计量单位"]


def list_lines(row: ExportList) -> list[list[str]]:
    """The seed's 表体详情 (序号 ... 申报数量) and the legal quantities after them."""
    out = []
    for line in row.lines.all():
        out.append([
            "" if line.g_num is None else str(line.g_num), line.item_no, line.g_name, line.g_code, line.g_model,
            line.bar_code, codes.display(codes.COUNTRY, line.country), codes.display(codes.CURRENCY, line.currency),
            _money(line.qty), codes.display(codes.UNIT, line.unit), _money(line.qty1),
            codes.display(codes.UNIT, line.unit1), _money(line.qty2), codes.display(codes.UNIT, line.unit2),
        ])
    return out


@actor_required
@require_GET
def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """查看清单信息详情: read-only (seed 003 三, step 9)."""
    row: ExportList = services.get_list(request.actor, pk)
    lines = list(row.lines.all())
    prices = [line.total_price for line in lines if line.total_price is not None]
    total = sum(prices, Decimal(0)) if prices else None
    head = list_head(row, total)
    query_url = reverse("crossborder:list-list")
    return render(request, "crossborder/list_detail.html", {
        "page_title": f"查看清单信息详情 {row.order_no}",
        "breadcrumbs": [(SECTION, None), ("出口清单管理", None), ("清单查询", query_url), (row.order_no, None)],
        "obj": row, "head_rows": [head[i:i + 4] for i in range(0, len(head) - 1, 4)], "note": head[-1],
        "line_headers": LIST_LINE_HEADERS, "lines": list_lines(row), "receipts": _receipts(row),
        "status": status_badge(row), "waybill": row.waybill, "query_url": query_url,
        "order_url": reverse("crossborder:order-detail", args=[row.order_id]) if row.order_id else "",
        "message_url": reverse("crossborder:list-message", args=[row.pk]),
        "summaries": [line.summary for line in row.summary_lines.select_related("summary")],
    })


@actor_required
@require_GET
def summary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """汇总申请单详情: its lists, its receipts, the CEB792 汇总结果单 and 生成报关单."""
    actor: Actor = request.actor
    summary: Summary = services.get_summary(actor, pk)
    head = [
        ("商品批次号", summary.batch.batch_no if summary.batch else ""),
        ("企业唯一编号", summary.cop_no), ("电子口岸编号", summary.pre_no), ("汇总申请编号", summary.sum_no),
        ("申报地海关代码", summary.customs_code), ("监管场所代码", summary.loct_no),
        ("申报单位代码", summary.agent_code), ("申报单位名称", summary.agent_name),
        ("收发货人代码", summary.ebc_code), ("收发货人名称", summary.ebc_name),
        ("报关单位代码", summary.decl_agent_code), ("报关单位名称", summary.decl_agent_name),
        ("收发货人汇总标志", summary.get_summary_flag_display() if summary.summary_flag else ""),
        ("按商品名汇总标志", {"1": "按商品名称汇总", "0": "不按商品名称汇总"}.get(summary.item_name_flag, "")),
        ("汇总开始时间", _time(summary.start_time)), ("汇总结束时间", _time(summary.end_time)),
        ("申报时间", _time(summary.sent_at)), ("备注", summary.note),
    ]
    result = [
        ("汇总统一编号", summary.decl_seq_no), ("电子口岸暂存编号", summary.dec_tmp_no),
        ("电子口岸预录入编号", summary.dec_pre_no), ("报关单编号", summary.entry_id),
        ("报关单状态", summary.dec_state), ("汇总处理时间", _time(summary.op_date)),
        ("汇总毛重(公斤)", _money(summary.result_gross_weight)), ("汇总净重(公斤)", _money(summary.result_net_weight)),
    ]
    lines = list(summary.lines.select_related("export_list"))
    can_declare = summary.status == CebStatus.SUMMARIZED and summary.declaration_id is None
    return render(request, "crossborder/summary_detail.html", {
        "page_title": f"汇总申请单详情 {summary.cop_no}",
        "breadcrumbs": [(SECTION, None), ("汇总申请单", None), ("查询", reverse("crossborder:summary-list")),
                        (summary.cop_no, None)],
        "obj": summary, "head": head, "result": result, "has_result": any(v for _, v in result),
        "lines": lines, "receipts": _receipts(summary), "status": status_badge(summary),
        "can_submit": summary.status in SUBMITTABLE, "can_declare": can_declare,
        "declaration_url": reverse("declarations:detail", args=[summary.declaration_id])
        if summary.declaration_id else "",
        "message_url": reverse("crossborder:summary-message", args=[summary.pk]),
    })


@actor_required
@require_POST
def summary_submit(request: HttpRequest, pk: int) -> HttpResponse:
    back = reverse("crossborder:summary-detail", args=[pk])
    try:
        outcome = services.submit_summaries(request.actor, [pk])
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return redirect(back)
    if outcome.sent:
        messages.success(request, "汇总申请单已提交海关")
    else:
        messages.info(request, "汇总申请单已申报, 未重复发送")
    return redirect(back)


@actor_required
@require_POST
def summary_declaration(request: HttpRequest, pk: int) -> HttpResponse:
    """生成报关单: the export declaration draft of the summarised lists, then its entry page."""
    try:
        declaration = services.prepare_declaration(request.actor, pk)
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return redirect("crossborder:summary-detail", pk=pk)
    messages.success(request, "已生成出口报关单草稿 (监管方式9710/9810, 随附单据10000004), 请补全后申报")
    return redirect("declarations:detail", pk=declaration.pk)


# -- the messages ----------------------------------------------------------------------------------


@actor_required
@require_GET
def message(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """报文: the CEB303 / CEB603 / CEB701 file of an order, list or summary (``kind``, from the URL)."""
    return inline_xml(*services.message_file(request.actor, kind, pk))


# -- 批次看板 --------------------------------------------------------------------------------------

KINDS = (("orders", "9710/9810订单"), ("lists", "出口清单"), ("summaries", "汇总申请单"))
CHART_KINDS = (("orders_9710", "9710订单"), ("orders_9810", "9810订仓单"), ("lists", "出口清单"),
               ("summaries", "汇总申请单"))
# what "done" is for each kind: an order is done when customs took it (入库), a list when released,
# a summary when customs answered with its 汇总结果单
DONE = {
    "orders_9710": (CebStatus.ACCEPTED,), "orders_9810": (CebStatus.ACCEPTED,),
    "lists": (CebStatus.RELEASED, CebStatus.CLOSED), "summaries": (CebStatus.SUMMARIZED,),
}
CHART_COLORS = {
    CebStatus.DRAFT: "#adb5bd", CebStatus.SENT: "#0dcaf0", CebStatus.ACCEPTED: "#0d6efd", CebStatus.HELD: "#ffc107",
    CebStatus.RELEASED: "#198754", CebStatus.CLOSED: "#146c43", CebStatus.SUMMARIZED: "#20c997",
    CebStatus.REJECTED: "#dc3545", CebStatus.FAILED: "#b02a37", CebStatus.RETURNED: "#212529",
}


def dashboard_chart(counts: dict[str, dict[str, int]]) -> dict[str, Any]:
    """ECharts data: one stacked bar per kind of document, one series per status present."""
    present = [s for s in CebStatus if any(counts[k].get(s) for k, _ in CHART_KINDS)]
    return {
        "categories": [label for _, label in CHART_KINDS],
        "series": [
            {"name": status.label, "color": CHART_COLORS[status],
             "data": [counts[k].get(status, 0) for k, _ in CHART_KINDS]}
            for status in present
        ],
    }


@actor_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """批次看板: each batch's orders, lists and summaries by status, and a chart of them all."""
    actor: Actor = request.actor
    q = (request.GET.get("q") or "").strip()
    batches = list(services.list_batches(actor, q=q)[:50])
    per_batch = services.batch_counts(actor, [b.pk for b in batches])
    counts = services.status_counts(actor)
    rows = []
    for batch in batches:
        found = per_batch.get(batch.pk, {"orders": {}, "lists": {}, "summaries": {}})
        rows.append({
            "batch": batch,
            "kinds": [
                {"key": key, "total": sum(found[key].values()),
                 "statuses": [{"label": CebStatus(s).label, "count": n, "style": STATUS_STYLE.get(s, "secondary")}
                              for s, n in sorted(found[key].items(), key=lambda kv: list(CebStatus).index(kv[0]))]}
                for key, _ in KINDS
            ],
        })
    totals = [{"label": label, "total": sum(counts[key].values()),
               "released": sum(counts[key].get(s, 0) for s in DONE[key]),
               "rejected": sum(counts[key].get(s, 0) for s in (CebStatus.REJECTED, CebStatus.FAILED)),
               "draft": counts[key].get(CebStatus.DRAFT, 0)}
              for key, label in CHART_KINDS]
    return render(request, "crossborder/dashboard.html", {
        "page_title": "批次看板", "breadcrumbs": [(SECTION, None), ("批次看板", None)],
        "rows": rows, "kinds": KINDS, "totals": totals, "chart": dashboard_chart(counts), "q": q,
    })

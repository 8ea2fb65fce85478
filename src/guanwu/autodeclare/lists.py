"""The module's lists on the shared ListPage: 标记操作, 查询, 税费确认查询, 智能申报台 batches.

Filters follow the seed: 报关单类型, 企业类型, 进出口标志, 申报地海关, 标记/状态, 统一编号,
境内收发货人, 提运单号, 运输方式, 操作员, and 最近操作时间 with 当天/本周/本月/三个月.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.html import format_html

from guanwu.declarations.models import Declaration, DeclarationStatus
from guanwu.params import services as params
from guanwu.params.enums import IEFlag
from guanwu.tenancy.context import Actor
from guanwu.ui.lists import (
    BoundFilter,
    BulkAction,
    ChoiceFilter,
    Column,
    DateRangeFilter,
    PickerFilter,
    TextFilter,
    format_value,
)

from . import services
from .models import AutoDeclaration, AutoStatus, Batch, EnterpriseType, TaxStatus
from .services.common import enterprise_type_q
from .services.tax import tax_status_label

AUTO_STYLE = {
    AutoStatus.WAITING: "secondary",
    AutoStatus.DECLARING: "info",
    AutoStatus.SUCCEEDED: "success",
    AutoStatus.FAILED: "danger",
    AutoStatus.MANUAL: "light",
    AutoStatus.UNMARKED: "light",
}
# 海关状态 beside the auto status: what customs did with what was sent.
CUSTOMS_STYLE = {
    DeclarationStatus.DECLARED: "info",
    DeclarationStatus.ACCEPTED: "primary",
    DeclarationStatus.RELEASED: "success",
    DeclarationStatus.CLOSED: "success",
    DeclarationStatus.REJECTED: "danger",
    DeclarationStatus.FAILED: "danger",
}


@dataclass(frozen=True)
class QuickDateRangeFilter(DateRangeFilter):
    """A date range with 当天 / 本周 / 本月 / 三个月 buttons (autodeclare.js fills the dates)."""

    quick: tuple[tuple[str, str], ...] = (("today", "当天"), ("week", "本周"), ("month", "本月"), ("3months", "三个月"))
    template_name: str = "autodeclare/filters/quickrange.html"


@dataclass(frozen=True)
class EnterpriseTypeFilter(ChoiceFilter):
    """企业类型: the current enterprise as 申报单位 or as 境内收发货人 (applied by the list, which knows it)."""

    prefix: str = ""
    choices: tuple = (("agent", "报关申报单位"), ("trade", "境内收发货人"))


@dataclass(frozen=True)
class DeclarationTypeFilter(ChoiceFilter):
    """报关单类型: 一般报关单 (DecHead Type empty) or the special kinds (备案清单, 转关 ...)."""

    prefix: str = ""
    choices: tuple = (("general", "一般报关单"), ("other", "备案清单/其他"))

    def apply(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        if not bound.value:
            return qs
        general = Q(**{f"{self.prefix}type": ""}) & Q(**{f"{self.prefix}bill_type": ""})
        return qs.filter(general) if bound.value == "general" else qs.exclude(general)


@dataclass(frozen=True)
class MarkFilter(ChoiceFilter):
    choices: tuple = (("1", "有标记"), ("0", "无标记"))

    def apply(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        if bound.value == "1":
            return qs.filter(auto__marked=True)
        if bound.value == "0":
            return qs.filter(Q(auto__isnull=True) | Q(auto__marked=False))
        return qs


@dataclass(frozen=True)
class TaxStatusFilter(ChoiceFilter):
    choices: tuple = tuple(TaxStatus.choices)

    def apply(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        if bound.value == TaxStatus.CONFIRMED:
            return qs.filter(tax_assessment__status=TaxStatus.CONFIRMED)
        if bound.value == TaxStatus.UNCONFIRMED:
            return qs.filter(Q(tax_assessment__isnull=True) | ~Q(tax_assessment__status=TaxStatus.CONFIRMED))
        return qs


def apply_actor_filter(actor: Actor, qs: QuerySet, bound: BoundFilter) -> QuerySet | None:
    """Filters that need the current enterprise; None when ``bound`` is not one of them."""
    if isinstance(bound.filter, EnterpriseTypeFilter):
        if not bound.value:
            return qs
        return qs.filter(enterprise_type_q(actor.enterprise, bound.value, prefix=bound.filter.prefix))
    return None


# -- cell values ---------------------------------------------------------------------------------


def number(declaration: Declaration) -> str:
    """统一编号/海关编号 as the seed lists it; a draft (no 统一编号 yet) shows its row id."""
    if declaration.entry_id or declaration.seq_no:
        return declaration.entry_id or declaration.seq_no
    if declaration.status == DeclarationStatus.DRAFT or not declaration.client_seq_no:
        return f"暂存-{declaration.pk}"
    return declaration.client_seq_no


def customs_name(code: str) -> str:
    if not code:
        return "-"
    return params.code_name("customs-offices", code) or code


def transport_name(code: str) -> str:
    if not code:
        return "-"
    return params.code_name("transport-modes", code) or code


def trade_mode_name(code: str) -> str:
    if not code:
        return "-"
    return params.code_name("trade-modes", code) or code


def auto_of(declaration: Declaration):
    try:
        return declaration.auto
    except Declaration.auto.RelatedObjectDoesNotExist:
        return None


def mark_label(declaration: Declaration) -> str:
    auto = auto_of(declaration)
    return "有标记" if auto is not None and auto.marked else "无标记"


def auto_badge(auto) -> str:
    if auto is None:
        return "-"
    return format_html('<span class="badge text-bg-{} gw-auto-status" data-auto-status="{}">{}</span>',
                       AUTO_STYLE.get(auto.auto_status, "secondary"), auto.auto_status, auto.get_auto_status_display())


def customs_badge(declaration: Declaration) -> str:
    """海关状态: "-" until sent; 已申报, 海关已接收, 放行, 结关, or 退单 / 导入失败 in red."""
    if declaration.status == DeclarationStatus.DRAFT:
        return "-"
    return format_html('<span class="badge text-bg-{} gw-customs-status" data-customs-status="{}">{}</span>',
                       CUSTOMS_STYLE.get(declaration.status, "secondary"), declaration.status,
                       declaration.get_status_display())


def customs_label(declaration: Declaration) -> str:
    return "-" if declaration.status == DeclarationStatus.DRAFT else declaration.get_status_display()


def customs_rejected(auto) -> bool:
    """Sent by the engine (申报成功(自动)) and then 退单 or 导入失败 by customs."""
    return auto.auto_status == AutoStatus.SUCCEEDED and auto.declaration.status in (
        DeclarationStatus.REJECTED, DeclarationStatus.FAILED)


def records_label(auto) -> str:
    return {AutoStatus.FAILED: "失败", AutoStatus.SUCCEEDED: "成功"}.get(auto.auto_status, "查看")


def operator_label(declaration: Declaration) -> str:
    if declaration.typist_no and declaration.inputer_name:
        return f"{declaration.typist_no} ({declaration.inputer_name})"
    return declaration.typist_no or declaration.inputer_name or "-"


def records_link(declaration_id: int) -> str:
    return reverse("autodeclare:records", args=[declaration_id])


def batch_link(auto) -> str | None:
    return reverse("autodeclare:desk-batch", args=[auto.batch_id]) if auto.batch_id else None


# -- the lists ----------------------------------------------------------------------------------


def mark_actions() -> tuple[BulkAction, ...]:
    def add(actor: Actor, ids: list[Any]) -> str:
        return services.mark(actor, ids).message

    def cancel(actor: Actor, ids: list[Any]) -> str:
        return services.unmark_message(services.unmark(actor, ids))

    return (
        BulkAction("mark", "添加智能辅助申报", add, confirm="是否确认添加选中数据?", style="primary",
                   icon="bi-bookmark-plus"),
        BulkAction("unmark", "取消智能辅助申报", cancel, confirm="是否确认取消智能辅助申报?",
                   style="outline-danger", icon="bi-bookmark-x"),
    )


MARK_FILTERS = (
    DeclarationTypeFilter("decl_type", "报关单类型"),
    EnterpriseTypeFilter("ent_type", "企业类型"),
    ChoiceFilter("ie_flag", "进出口标志", field="ie_flag", choices=IEFlag.choices),
    PickerFilter("custom_master", "申报地海关", field="custom_master", table="customs-offices"),
    MarkFilter("mark", "智能辅助申报标记"),
    ChoiceFilter("status", "报关单状态", field="status", choices=DeclarationStatus.choices),
    TextFilter("no", "统一编号/报关编号", fields=("seq_no", "entry_id", "client_seq_no")),
    TextFilter("trade", "境内收发货人", fields=("trade_code", "trade_co_scc", "trade_name"),
               placeholder="海关10位编码或18位社会信用代码"),
    TextFilter("bill_no", "提运单号", fields=("bill_no",)),
    PickerFilter("traf_mode", "运输方式", field="traf_mode", table="transport-modes"),
    TextFilter("operator", "操作员卡号", fields=("typist_no", "inputer_name")),
    QuickDateRangeFilter("updated", "最近操作时间", field="updated_at"),
)

MARK_COLUMNS = (
    Column("seq_no", "统一编号/海关编号", value=number, css_class="text-nowrap font-monospace",
           link="declarations:detail", width=22),
    Column("bill_no", "提运单号", sortable=True, css_class="text-nowrap", format=lambda v: v or "-"),
    Column("custom_master", "申报地海关", sortable=True, value=lambda d: customs_name(d.custom_master)),
    Column("ie_flag", "进出口标志", sortable=True),
    Column("trade_name", "境内收发货人", sortable=True, format=lambda v: v or "-", width=30),
    Column("status", "报关单状态", sortable=True),
    Column("traf_mode", "运输方式", value=lambda d: transport_name(d.traf_mode)),
    Column("auto__marked", "智能辅助申报标记", value=mark_label, sortable=True),
    Column("auto__auto_status", "智能申报状态", value=lambda d: auto_badge(auto_of(d))),
    Column("updated_at", "最近操作时间", sortable=True, css_class="text-nowrap", width=18),
    Column("typist_no", "操作员卡号", value=operator_label),
)

QUERY_FILTERS = (
    DeclarationTypeFilter("decl_type", "报关单类型", prefix="declaration__"),
    EnterpriseTypeFilter("ent_type", "企业类型", prefix="declaration__"),
    ChoiceFilter("ie_flag", "进出口标志", field="declaration__ie_flag", choices=IEFlag.choices),
    PickerFilter("custom_master", "申报地海关", field="declaration__custom_master", table="customs-offices"),
    ChoiceFilter("status", "智能申报状态", field="auto_status", choices=AutoStatus.choices),
    TextFilter("trade", "境内收发货人", fields=("declaration__trade_code", "declaration__trade_co_scc",
                                               "declaration__trade_name"),
               placeholder="海关10位编码或18位社会信用代码"),
    TextFilter("no", "统一编号/海关编号", fields=("declaration__seq_no", "declaration__entry_id",
                                                 "declaration__client_seq_no")),
    TextFilter("bill_no", "提运单号", fields=("declaration__bill_no",)),
    TextFilter("batch_no", "批次号", fields=("batch_no",)),
    TextFilter("profile", "配置名称", fields=("profile__name",)),
    QuickDateRangeFilter("updated", "最近操作时间", field="updated_at"),
)

QUERY_COLUMNS = (
    Column("declaration__seq_no", "统一编号/海关编号", value=lambda a: number(a.declaration),
           css_class="text-nowrap font-monospace", link=lambda a: records_link(a.declaration_id), width=22),
    Column("declaration__bill_no", "提运单号", sortable=True, format=lambda v: v or "-", css_class="text-nowrap"),
    Column("declaration__custom_master", "申报地海关", value=lambda a: customs_name(a.declaration.custom_master)),
    Column("declaration__ie_flag", "进出口标志", sortable=True),
    Column("declaration__trade_name", "境内收发货人", sortable=True, format=lambda v: v or "-", width=30),
    Column("batch_no", "批次号", sortable=True, format=lambda v: v or "-", link=batch_link,
           css_class="text-nowrap font-monospace", width=22),
    Column("auto_status", "智能申报状态", sortable=True),
    Column("declaration__status", "海关状态", sortable=True, value=lambda a: customs_label(a.declaration)),
    Column("reason", "原因", format=lambda v: (v[:80] + "…") if len(v or "") > 80 else (v or "")),
    Column("profile__name", "配置名称", format=lambda v: v or "-"),
    Column("updated_at", "最近操作时间", sortable=True, css_class="text-nowrap", width=18),
)

TAX_FILTERS = (
    DeclarationTypeFilter("decl_type", "报关单类型"),
    EnterpriseTypeFilter("ent_type", "企业类型"),
    TextFilter("trade", "境内收发货人", fields=("trade_code", "trade_co_scc", "trade_name"),
               placeholder="海关10位编码或18位社会信用代码"),
    PickerFilter("custom_master", "申报地海关", field="custom_master", table="customs-offices"),
    TextFilter("no", "统一编号/海关编号", fields=("seq_no", "entry_id", "client_seq_no")),
    TextFilter("bill_no", "提运单号", fields=("bill_no",)),
    TaxStatusFilter("tax_status", "税费确认状态"),
    QuickDateRangeFilter("updated", "最近操作时间", field="updated_at",
                         quick=(("today", "当天"), ("week", "本周"), ("month", "本月"))),
)

TAX_COLUMNS = (
    Column("seq_no", "统一编号/海关编号", value=number, css_class="text-nowrap font-monospace",
           link="autodeclare:tax-detail", width=22),
    Column("custom_master", "申报地海关", value=lambda d: customs_name(d.custom_master)),
    Column("trade_name", "境内收发货人", sortable=True, format=lambda v: v or "-", width=30),
    Column("trade_co_scc", "境内收发货人18位", css_class="font-monospace", format=lambda v: v or "-", width=20),
    Column("bill_no", "提运单号", sortable=True, format=lambda v: v or "-"),
    Column("updated_at", "最近操作时间", sortable=True, css_class="text-nowrap", width=18),
    Column("tax_assessment__status", "税费确认状态", value=tax_status_label),
    Column("tax_assessment__total", "税费合计(元)",
           value=lambda d: d.tax_assessment.total if _has_assessment(d) else "-"),
)


def _has_assessment(declaration: Declaration) -> bool:
    try:
        declaration.tax_assessment  # noqa: B018
    except Declaration.tax_assessment.RelatedObjectDoesNotExist:
        return False
    return True


def batch_counts_for(batch: Batch) -> dict[str, int]:
    """成功, 失败, 待申报, 已手动申报, 退回申报池 and 退单 of a batch, as every page shows them (read once
    per batch object: a running batch counts its outcome lines, a finished one has them stored;
    退单 come later, from ``rejected_count`` when the list annotated it)."""
    cached = getattr(batch, "_gw_counts", None)
    if cached is not None:
        return cached
    from .services.counts import batch_counts, handled, rejected_in

    if batch.finished_at is None:
        counts = batch_counts(batch)
        still = AutoDeclaration.objects.filter(queued_batch=batch).count()
        counts["returned"] = max(0, batch.total - handled(counts) - still)
    else:
        rejected = getattr(batch, "rejected_count", None)
        counts = {"succeeded": batch.succeeded, "failed": batch.failed, "waited": batch.waited, "manual": batch.manual,
                  "returned": batch.returned,
                  "rejected": rejected if rejected is not None else rejected_in(pk=batch.pk)}
    batch._gw_counts = counts
    return counts


BATCH_FILTERS = (
    TextFilter("batch_no", "批次号", fields=("batch_no",)),
    QuickDateRangeFilter("started", "执行时间", field="started_at"),
)

BATCH_COLUMNS = (
    Column("batch_no", "批次号", sortable=True, link="autodeclare:desk-batch", css_class="font-monospace text-nowrap",
           width=22),
    Column("run_id", "执行", value=lambda b: f"#{b.run_id} 第{b.seq}批"),
    Column("started_at", "开始时间", sortable=True, css_class="text-nowrap"),
    Column("finished_at", "结束时间", sortable=True, css_class="text-nowrap",
           format=lambda v: format_value(v) if v else "执行中"),
    Column("total", "报关单数", sortable=True),
    Column("succeeded", "成功", value=lambda b: batch_counts_for(b)["succeeded"], css_class="text-success"),
    Column("rejected", "其中退单", value=lambda b: batch_counts_for(b)["rejected"], css_class="text-danger"),
    Column("failed", "失败", value=lambda b: batch_counts_for(b)["failed"], css_class="text-danger"),
    Column("waited", "待申报", value=lambda b: batch_counts_for(b)["waited"]),
    Column("manual", "已手动申报", value=lambda b: batch_counts_for(b)["manual"]),
    Column("returned", "退回申报池", value=lambda b: batch_counts_for(b)["returned"]),
)

__all__ = [
    "AUTO_STYLE",
    "BATCH_COLUMNS",
    "BATCH_FILTERS",
    "MARK_COLUMNS",
    "MARK_FILTERS",
    "QUERY_COLUMNS",
    "QUERY_FILTERS",
    "TAX_COLUMNS",
    "TAX_FILTERS",
    "EnterpriseType",
    "apply_actor_filter",
    "auto_badge",
    "mark_actions",
    "number",
]

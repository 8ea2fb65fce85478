"""The list pages of 规范申报企业专属库 (seed 002) on the shared ListPage.

企业库查询 (5.2): 标记类型, 监管方式, 商品编码, 进出口标志, 企业类别, 申报日期 and 关键字; the mark
per row; 申报要素详情 in a dialog; 导出本页数据; 设为自选 on 系统匹配数据; 设置数据公开状态.
公共库查询 (5.3): the 规范 rows enterprises left public, with no party field at all.
企业信息 (5.4): 未读/已读 and the push time; 标记已读.
海关审核数据 (seed 3, platform staff): the uploads, their rule reports, export.

Until the enterprise confirmed the authorisation (5.1) every page of the module shows the seed's
prompt and nothing else. Reads go through the services' querysets; every write is a service call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views import View

from guanwu.core.errors import ServiceError
from guanwu.params import services as params
from guanwu.tenancy.context import Actor
from guanwu.ui.lists import (
    BoundFilter,
    BulkAction,
    ChoiceFilter,
    Column,
    DateRangeFilter,
    ListPage,
    PickerFilter,
    RowAction,
    TextFilter,
    datetime_seconds,
    xlsx_response,
)
from guanwu.ui.responses import service_error_response

from .gate import gate, require_staff_page
from .models import LibraryEntry, Mark, MonthlyMessage, UploadSource, UploadStatus
from .services import library, public, reviews
from .services import messages as notices

SECTION = ("规范申报", None)
MARK_STYLE = {Mark.STANDARD: "success", Mark.NONSTANDARD: "danger", Mark.MATCHED: "secondary",
              Mark.OWN_CHOICE: "info"}
IE_FLAGS = (("I", "进口"), ("E", "出口"))
ROLES = tuple(library.ROLES.items())


class PublicRow:
    """A public library row (a dict of ``public.PUBLIC_FIELDS``) read like a model by the list."""

    __slots__ = ("code_ts", "decl_date", "g_model", "g_name", "ie_flag", "pk", "trade_mode")

    def __init__(self, values: dict[str, Any]) -> None:
        for name in self.__slots__:
            setattr(self, name, values["id" if name == "pk" else name])


def mark_badge(entry: LibraryEntry) -> str:
    style = MARK_STYLE.get(entry.mark, "secondary")
    return format_html('<span class="badge text-bg-{} gw-std-mark" data-mark="{}">{}</span>', style, entry.mark,
                       entry.get_mark_display())


def trade_mode_text(code: str) -> str:
    if not code:
        return ""
    name = params.code_name("trade-modes", code)
    return f"{name}[{code}]" if name else code


def ie_text(flag: str) -> str:
    return dict(IE_FLAGS).get(flag, flag or "")


def role_text(entry: LibraryEntry) -> str:
    return "、".join(label for flag, label in ((entry.as_agent, "申报单位"), (entry.as_owner, "收发货人")) if flag)


def reasons_text(entry: Any) -> str:
    return "; ".join(f"{e}: {r}" if e else r for e, r in (entry.reasons or []))


def public_text(entry: LibraryEntry) -> str:
    if entry.mark != Mark.STANDARD:
        return "-"
    return "公开" if entry.is_public else "不公开"


def elements_link(url_name: str):
    """The 申报要素 cell: the text, a link that opens 申报要素详情 in the dialog (standards.js; a page of its
    own without script)."""

    def html(entry: Any) -> str:
        url = reverse(url_name, args=[entry.pk])
        return format_html('<a href="{}" class="gw-std-elements text-reset" data-std-elements title="{}">{}</a>',
                           url, "申报要素详情", entry.g_model or "(无)")

    return html


# -- filters: the seed's query conditions, applied by the service ------------------------------------------


@dataclass(frozen=True)
class ConditionFilter(ChoiceFilter):
    """A coded query condition of ``library.filter_entries`` (``condition`` names its keyword)."""

    condition: str = ""

    def apply(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        return library.filter_entries(qs, **{self.condition: bound.value}) if bound.value else qs


@dataclass(frozen=True)
class ConditionTextFilter(TextFilter):
    condition: str = ""

    def apply(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        if not bound.value:
            return qs
        try:
            return library.filter_entries(qs, **{self.condition: bound.value})
        except ServiceError:
            return qs.none()  # 商品编码 with letters: nothing matches


def library_filters(with_party: bool) -> tuple:
    out = [
        ConditionFilter("mark", "标记类型", condition="mark", choices=tuple(Mark.choices))
        if with_party else None,
        PickerFilter("trade_mode", "监管方式", field="trade_mode", table="trade-modes"),
        ConditionTextFilter("code_ts", "商品编码", condition="code_ts", placeholder="可输入前几位"),
        ChoiceFilter("ie_flag", "进出口标志", field="ie_flag", choices=IE_FLAGS),
        ConditionFilter("role", "企业类别", condition="role", choices=ROLES) if with_party else None,
        DateRangeFilter("decl_date", "申报日期", field="decl_date"),
        ConditionTextFilter("q", "关键字", condition="q", placeholder="商品名称/申报要素"),
    ]
    return tuple(f for f in out if f is not None)


class GatedListPage(ListPage):
    """A list of the module: the seed's prompt until the enterprise confirmed the authorisation."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return gate(request, self.title) or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return gate(request, self.title) or super().post(request, *args, **kwargs)


class LibraryBase(GatedListPage):
    template_name = "standards/library_list.html"
    export_page_label = "导出本页数据"
    with_party = True

    @property
    def filters(self):  # type: ignore[override]
        return library_filters(self.with_party)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["breadcrumbs"] = [SECTION, (self.title, None)]
        return context

    def apply_filter(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        if bound.name == "q":  # the keyword index of the enterprise's scope, or the public library's
            scope = library.keyword_scope(self.actor if self.with_party else None)
            return library.filter_entries(qs, q=bound.value, scope=scope) if bound.value else qs
        return super().apply_filter(qs, bound)


def _each(actor: Actor, ids: list[Any], func, verb: str) -> str:
    """A bulk action over single-row services: each in its own transaction; refusals are counted."""
    done, refused = 0, []
    for pk in ids:
        try:
            func(actor, pk)
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            refused.append(exc.message)
        else:
            done += 1
    message = f"{verb} {done} 条"
    if refused:
        message += f"; {len(refused)} 条未处理: {refused[0]}"
    return message


def own_choice_selected(actor: Actor, ids: list[Any]) -> str:
    return _each(actor, ids, library.set_own_choice, "已设为企业自选数据")


def close_public_selected(actor: Actor, ids: list[Any]) -> str:
    return _each(actor, ids, lambda a, pk: library.set_visibility(a, pk, False), "已关闭公开")


def open_public_selected(actor: Actor, ids: list[Any]) -> str:
    return _each(actor, ids, lambda a, pk: library.set_visibility(a, pk, True), "已设为公开")


class LibraryList(LibraryBase):
    """企业库查询 (seed 5.2)."""

    title = "企业库查询"
    export_name = "企业库"
    ordering = ("-decl_date", "-id")

    columns = (
        Column("mark", "标记类型", sortable=True, html=mark_badge, css_class="text-nowrap"),
        Column("code_ts", "商品编码", sortable=True, css_class="text-nowrap font-monospace", width=12),
        Column("g_name", "商品名称", sortable=True, width=24),
        Column("g_model", "申报要素", html=elements_link("standards:library-elements"),
               css_class="small text-wrap gw-std-gmodel", width=60),
        Column("trade_mode", "监管方式", format=trade_mode_text, css_class="text-nowrap"),
        Column("ie_flag", "进出口标志", format=ie_text, css_class="text-nowrap"),
        Column("as_agent", "企业类别", value=role_text, css_class="text-nowrap"),
        Column("decl_date", "申报日期", sortable=True, css_class="text-nowrap"),
        Column("is_public", "公开状态", value=public_text, css_class="text-nowrap"),
        Column("reasons", "不规范原因", value=reasons_text, css_class="small text-wrap text-danger", width=40),
    )
    row_actions = (
        RowAction("要素详情", "standards:library-elements", method="get"),
        RowAction("设为自选", "standards:library-own-choice", condition=lambda e, _a: e.mark == Mark.MATCHED,
                  style="outline-primary"),
        RowAction("关闭公开", "standards:library-visibility", data={"public": "0"},
                  condition=lambda e, _a: e.mark == Mark.STANDARD and e.is_public,
                  confirm="关闭后该规范数据不再在公共库中显示, 确定关闭公开?", style="outline-danger"),
        RowAction("设为公开", "standards:library-visibility", data={"public": "1"},
                  condition=lambda e, _a: e.mark == Mark.STANDARD and not e.is_public, style="outline-success"),
    )
    bulk_actions = (
        BulkAction("own_choice", "设为自选", own_choice_selected, icon="bi-bookmark-check",
                   confirm="将所选系统匹配数据设为企业自选数据?"),
        BulkAction("close_public", "关闭公开", close_public_selected, icon="bi-eye-slash",
                   confirm="关闭后所选规范数据不再在公共库中显示, 确定关闭公开?"),
        BulkAction("open_public", "设为公开", open_public_selected, icon="bi-eye"),
    )

    def queryset(self, actor: Actor) -> QuerySet:
        return library.query(actor)

    def row_class(self, obj: Any) -> str:
        return "table-danger" if obj.mark == Mark.NONSTANDARD else ""


class PublicList(LibraryBase):
    """公共库查询 (seed 5.3): across enterprises, without any party field."""

    title = "公共库查询"
    export_name = "公共库"
    tenant_field = None  # the one deliberate cross-tenant view: public.query() reads only public 规范 rows
    export_all = False  # 导出本页数据 only
    with_party = False
    ordering = ("-decl_date", "-id")
    columns = (
        Column("code_ts", "商品编码", sortable=True, css_class="text-nowrap font-monospace", width=12),
        Column("g_name", "商品名称", sortable=True, width=24),
        Column("g_model", "申报要素", html=elements_link("standards:public-elements"),
               css_class="small text-wrap gw-std-gmodel", width=60),
        Column("trade_mode", "监管方式", format=trade_mode_text, css_class="text-nowrap"),
        Column("ie_flag", "进出口标志", format=ie_text, css_class="text-nowrap"),
        Column("decl_date", "申报日期", sortable=True, css_class="text-nowrap"),
    )
    row_actions = (RowAction("要素详情", "standards:public-elements", method="get"),)

    def queryset(self, actor: Actor) -> QuerySet:
        return public.query(actor)  # dicts of public.PUBLIC_FIELDS: nothing else is even read

    def rows(self, objects, back):
        return super().rows([PublicRow(o) for o in objects], back)

    def export(self, request: HttpRequest, qs: QuerySet, which: str, per_page: int) -> HttpResponse:
        page = Paginator(qs, per_page).get_page(request.GET.get("page"))
        return xlsx_response(self.export_name, [c for c in self.columns if c.export],
                             [PublicRow(o) for o in page.object_list], "本页")


# -- 企业信息 ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadFilter(ChoiceFilter):
    """标记类别: 未读 / 已读 (seed 5.4)."""

    choices: tuple = (("0", "未读"), ("1", "已读"))

    def apply(self, qs: QuerySet, bound: BoundFilter) -> QuerySet:
        if not bound.value:
            return qs
        return qs.filter(read_at__isnull=bound.value == "0")


def read_badge(message: MonthlyMessage) -> str:
    if message.read_at is None:
        return mark_safe('<span class="badge text-bg-danger" data-read="0">未读</span>')
    return mark_safe('<span class="badge text-bg-light text-muted border" data-read="1">已读</span>')


def mark_read_selected(actor: Actor, ids: list[Any]) -> str:
    return _each(actor, ids, notices.mark_read, "已标记为已读")


class MessageList(GatedListPage):
    """企业信息 (seed 5.4): 标记类别 (未读/已读) and 推送时间 (起止); 标记已读."""

    title = "企业信息"
    export_name = "企业信息"
    ordering = ("-pushed_at", "-id")
    filters = (
        ReadFilter("read", "标记类别"),
        DateRangeFilter("pushed", "推送时间", field="pushed_at"),
    )
    columns = (
        Column("read_at", "状态", value=lambda m: "已读" if m.read_at else "未读", html=read_badge,
               css_class="text-nowrap"),
        Column("title", "消息", sortable=True, link="standards:message-detail"),
        Column("period", "审核期间", sortable=True, css_class="text-nowrap"),
        Column("as_agent_count", "作为申报单位", css_class="text-end"),
        Column("as_owner_count", "作为收发货人", css_class="text-end"),
        Column("nonstandard_count", "不规范数据", css_class="text-end"),
        Column("pushed_at", "推送时间", sortable=True, format=datetime_seconds, css_class="text-nowrap"),
    )
    row_actions = (
        RowAction("查看", "standards:message-detail", method="get"),
        RowAction("标记已读", "standards:message-read", condition=lambda m, _a: m.read_at is None),
    )
    bulk_actions = (BulkAction("read", "标记已读", mark_read_selected, icon="bi-envelope-open"),)

    def queryset(self, actor: Actor) -> QuerySet:
        return notices.query(actor)

    def row_class(self, obj: Any) -> str:
        return "fw-semibold" if obj.read_at is None else ""

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["breadcrumbs"] = [SECTION, (self.title, None)]
        return context


# -- 海关审核数据 (platform staff) -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffActor:
    """What the shared list page needs of an actor, for platform staff (no enterprise)."""

    user: Any
    enterprise: None = None
    role: str = "staff"

    @property
    def is_admin(self) -> bool:
        return True


class ReviewUploadList(ListPage):
    """海关审核数据 (seed 3): upload a reviewed file (checked by the rules, with a report of the rows
    that break them); query and export the uploaded files. Platform staff only (others: 404)."""

    title = "海关审核数据"
    breadcrumbs = (("平台管理", None), ("海关审核数据", None))
    tenant_field = None
    template_name = "standards/reviews.html"
    export_name = "海关审核数据文件"
    ordering = ("-created_at", "-id")
    filters = (
        TextFilter("q", "文件名/审核期间", fields=("file_name", "period")),
        ChoiceFilter("status", "状态", field="status", choices=tuple(UploadStatus.choices)),
        ChoiceFilter("source", "来源", field="source", choices=tuple(UploadSource.choices)),
        DateRangeFilter("created", "上传时间", field="created_at"),
    )
    columns = (
        Column("created_at", "上传时间", sortable=True, format=datetime_seconds, css_class="text-nowrap"),
        Column("file_name", "文件名", sortable=True, link="standards:review-detail", width=36),
        Column("source", "来源", css_class="text-nowrap"),
        Column("period", "审核期间", sortable=True, css_class="text-nowrap"),
        Column("status", "状态", sortable=True, css_class="text-nowrap"),
        Column("row_count", "数据行数", css_class="text-end"),
        Column("standard_count", "规范", css_class="text-end"),
        Column("nonstandard_count", "不规范", css_class="text-end"),
        Column("rejected_count", "不符合规则", css_class="text-end"),
        Column("uploaded_by__username", "上传人", css_class="text-nowrap"),
    )
    row_actions = (
        RowAction("查看", "standards:review-detail", method="get"),
        RowAction("导出", "standards:review-export", method="get"),
    )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_staff_page(request)
        self.actor = StaffActor(user=request.user)
        return View.dispatch(self, request, *args, **kwargs)

    def queryset(self, actor: Any) -> QuerySet:
        return reviews.list_uploads(actor.user)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return review_upload(request)

    def row_class(self, obj: Any) -> str:
        return "table-danger" if obj.status == UploadStatus.REJECTED else ""

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["required_columns"] = [c.label for c in reviews.COLUMNS if c.required]
        context["optional_columns"] = [c.label for c in reviews.COLUMNS if not c.required]
        return context


def review_upload(request: HttpRequest) -> HttpResponse:
    """POST of the 海关审核数据 page: the file is checked by the rules before anything is written."""
    require_staff_page(request)
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, "请选择要上传的审核数据文件 (.xlsx)")
        return redirect("standards:reviews")
    if not file.name.lower().endswith(".xlsx"):
        messages.error(request, "审核数据文件应为 Excel (.xlsx) 文件, 请使用模板")
        return redirect("standards:reviews")
    try:
        upload = reviews.upload(request.user, file.name, file.read())
    except ServiceError as exc:
        return service_error_response(request, exc, fallback_url=reverse("standards:reviews"))
    if upload.status == UploadStatus.REJECTED:
        messages.error(request, f"{upload.file_name}: {upload.rejected_count} 行不符合导入规则, 未导入任何数据; "
                                "请按校验报告修正后重新上传")
    else:
        messages.success(request, f"{upload.file_name}: 已导入 {upload.row_count} 行 (规范 {upload.standard_count} 行, "
                                  f"不规范 {upload.nonstandard_count} 行), 已推送企业消息并更新企业库")
    return redirect("standards:review-detail", upload.pk)

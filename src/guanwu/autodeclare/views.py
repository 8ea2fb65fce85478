"""智能辅助申报 pages: thin over services. Until the enterprise enables the service, every page
explains how to enable it (object pages answer 404 for another enterprise's ids first)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from guanwu.core.errors import ServiceError
from guanwu.declarations.models import Declaration
from guanwu.declarations.services import get_declaration
from guanwu.params.enums import IEFlag
from guanwu.tenancy.context import Actor
from guanwu.ui.lists import (
    BooleanFilter,
    BulkAction,
    ChoiceFilter,
    Column,
    ListPage,
    RowAction,
    TextFilter,
    safe_next,
    yes_no,
)
from guanwu.ui.responses import actor_required, apply_service_errors, service_error_response

from . import lists, notice, services
from .forms import SCOPE_HELP, EnableForm, NotificationSettingsForm, ProfileForm, RunForm
from .models import (
    AgencyAgreement,
    AutoDeclaration,
    AutoStatus,
    Batch,
    DeliveryStatus,
    EnterpriseType,
    NotifyEvent,
    Profile,
    ProfileScope,
    TaxStatus,
    WebhookDelivery,
)
from .services import notifications, queries
from .services.tax import blocking_problems, general_rate_origins, tax_status_label

SECTION = ("智能辅助申报", None)


def not_enabled(request: HttpRequest, title: str = "智能辅助申报") -> HttpResponse:
    return render(request, "autodeclare/not_enabled.html", {
        "page_title": title, "breadcrumbs": [SECTION, (title, None)], "enable_url": reverse("autodeclare:enable"),
    })


def gate(request: HttpRequest, title: str = "智能辅助申报") -> HttpResponse | None:
    """The explanation page while the service is not enabled, else None."""
    if services.is_enabled(request.actor.enterprise):
        return None
    return not_enabled(request, title)


class EnabledListPage(ListPage):
    """A list of this module: explains enablement first; shares the module's list template."""

    template_name = "autodeclare/list.html"
    notice_template = ""

    def get(self, request, *args, **kwargs):
        return gate(request, self.title) or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return gate(request, self.title) or super().post(request, *args, **kwargs)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["notice_template"] = self.notice_template
        return context


# -- 启用 -------------------------------------------------------------------------------------


@actor_required
def enable_page(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor
    form = EnableForm(request.POST or None)
    if request.method == "POST":
        actor.require_admin("启用智能辅助申报")
        if form.is_valid():
            try:
                services.enable(actor, **form.cleaned_data)
            except ServiceError as exc:
                if exc.status != 422:
                    raise
                apply_service_errors(form, exc)
            else:
                messages.success(request, "智能辅助申报已启用。下一步: 新增预配置规则")
                return redirect("autodeclare:profile-list")
    return render(request, "autodeclare/enable.html", {
        "page_title": "智能辅助申报启用", "breadcrumbs": [SECTION, ("启用", None)],
        "form": form, "enabled": services.is_enabled(actor.enterprise), "enablement": services.enablement(actor),
        "notice": notice, "can_enable": actor.is_admin,
    }, status=422 if form.errors else 200)


@require_POST
@actor_required
def disable_view(request: HttpRequest) -> HttpResponse:
    services.disable(request.actor)
    messages.success(request, "智能辅助申报已停用, 正在执行的智能辅助申报已停止")
    return redirect("autodeclare:enable")


# -- 预配置 -----------------------------------------------------------------------------------


def _can_manage(obj: Any, actor: Actor) -> bool:
    return services.can_manage_profiles(actor)


def _delete_profiles(actor: Actor, ids: list[Any]) -> str:
    return f"已删除 {services.delete_profiles(actor, ids)} 条预配置"


def _users(profile: Profile) -> str:
    return "、".join(u.get_full_name() or u.get_username() for u in profile.users.all())


class ProfileList(EnabledListPage):
    title = "智能辅助申报预配置"
    breadcrumbs = (SECTION, ("预配置", None))
    prefetch_related = ("users",)
    notice_template = "autodeclare/_profile_notice.html"
    filters = (
        TextFilter("name", "配置名称", fields=("name",)),
        ChoiceFilter("ie_flag", "进出口标志", field="ie_flag", choices=IEFlag.choices),
        BooleanFilter("enabled", "启用标志", field="enabled", yes="启用", no="停用"),
        ChoiceFilter("scope", "生效方式", field="scope", choices=ProfileScope.choices),
        TextFilter("code", "申报单位/境内收发货人", fields=("agent_code", "trade_code"),
                   placeholder="海关10位编码或18位社会信用代码"),
    )
    columns = (
        Column("name", "配置名称", sortable=True, link="autodeclare:profile-edit"),
        Column("ie_flag", "进出口标志", sortable=True),
        Column("enabled", "启用标志", sortable=True, format=yes_no("启用", "停用")),
        Column("scope", "生效方式", sortable=True),
        Column("agent_code", "申报单位", css_class="font-monospace"),
        Column("trade_code", "境内收发货人", css_class="font-monospace"),
        Column("users", "生效用户", value=_users),
        Column("options", "配置内容", value=lambda p: "、".join(p.options) or "-"),
        Column("batch_wait_seconds", "统计时配置(秒)", sortable=True),
        Column("updated_at", "最近操作时间", sortable=True, css_class="text-nowrap"),
    )
    ordering = ("-updated_at", "-id")
    row_actions = (
        RowAction("修改", "autodeclare:profile-edit", method="get", condition=_can_manage, style="outline-primary"),
        RowAction("删除", "autodeclare:profile-delete", condition=_can_manage,
                  confirm="确定删除该预配置? 使用它的智能辅助申报执行将不再匹配它。", style="outline-danger"),
    )
    bulk_actions = (
        BulkAction("delete", "删除", _delete_profiles, confirm="确定删除所选预配置?", style="outline-danger",
                    icon="bi-trash"),
    )
    export_name = "智能辅助申报预配置"

    def queryset(self, actor: Actor):
        return services.list_profiles(actor)

    def _visible_bulk_actions(self):
        return list(self.bulk_actions) if services.can_manage_profiles(self.actor) else []

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context = super().get_context_data(**context)
        if services.can_manage_profiles(self.actor):
            context["page_actions"] = [{"label": "新增", "url": reverse("autodeclare:profile-create"),
                                        "icon": "bi-plus-lg", "style": "primary"}]
        return context


def _profile_page(request: HttpRequest, form: ProfileForm, profile: Profile | None, can_edit: bool) -> HttpResponse:
    title = "新增预配置" if profile is None else f"预配置: {profile.name}"
    return render(request, "autodeclare/profile_form.html", {
        "page_title": title,
        "breadcrumbs": [SECTION, ("预配置", reverse("autodeclare:profile-list")), (title, None)],
        "form": form, "profile": profile, "can_edit": can_edit, "scope_help": SCOPE_HELP,
        "enterprise": request.actor.enterprise, "notice": notice,
    }, status=422 if form.errors else 200)


def _save_profile(request: HttpRequest, form: ProfileForm, profile: Profile | None) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        if profile is None:
            saved = services.create_profile(request.actor, form.payload())
        else:
            saved = services.update_profile(request.actor, profile.pk, form.payload())
    except ServiceError as exc:
        if exc.status != 422:
            raise
        apply_service_errors(form, exc)
        return None
    messages.success(request, f"预配置「{saved.name}」已保存")
    return redirect("autodeclare:profile-list")


@actor_required
def profile_create(request: HttpRequest) -> HttpResponse:
    if (response := gate(request, "新增预配置")) is not None:
        return response
    actor: Actor = request.actor
    if not services.can_manage_profiles(actor):
        services.create_profile(actor, {})  # raises the Forbidden with its explanation
    form = ProfileForm(request.POST or None, enterprise=actor.enterprise)
    if request.method == "POST" and (done := _save_profile(request, form, None)) is not None:
        return done
    return _profile_page(request, form, None, True)


@actor_required
def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor: Actor = request.actor
    profile = services.get_profile(actor, pk)
    if (response := gate(request, "预配置")) is not None:
        return response
    can_edit = services.can_manage_profiles(actor)
    if request.method == "POST" and not can_edit:
        services.update_profile(actor, pk, {})  # raises the Forbidden
    form = ProfileForm.for_profile(profile, request.POST if request.method == "POST" else None)
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and (done := _save_profile(request, form, profile)) is not None:
        return done
    return _profile_page(request, form, profile, can_edit)


@require_POST
@actor_required
def profile_delete(request: HttpRequest, pk: int) -> HttpResponse:
    profile = services.get_profile(request.actor, pk)
    if (response := gate(request, "预配置")) is not None:
        return response
    back = safe_next(request, reverse("autodeclare:profile-list"))
    try:
        services.delete_profiles(request.actor, [profile.pk])
    except ServiceError as exc:
        return service_error_response(request, exc, fallback_url=back)
    messages.success(request, f"已删除预配置「{profile.name}」")
    return redirect(back)


class ActorFilterMixin:
    """Applies the filters that need the current enterprise (企业类型)."""

    def apply_filter(self, qs, bound):
        applied = lists.apply_actor_filter(self.actor, qs, bound)
        return applied if applied is not None else super().apply_filter(qs, bound)


# -- 标记操作 ---------------------------------------------------------------------------------


class MarkList(ActorFilterMixin, EnabledListPage):
    title = "智能辅助申报标记操作"
    breadcrumbs = (SECTION, ("标记操作", None))
    select_related = ("auto",)
    notice_template = "autodeclare/_marks_notice.html"
    filters = lists.MARK_FILTERS
    columns = lists.MARK_COLUMNS
    ordering = ("-updated_at", "-id")
    bulk_actions = lists.mark_actions()
    export_name = "智能辅助申报标记"

    AUTO_COLUMN = 8

    def queryset(self, actor: Actor):
        return Declaration.objects.all()

    def rows(self, objects, back):
        rows = super().rows(objects, back)
        for row in rows:
            row.cells[self.AUTO_COLUMN].text = lists.auto_badge(lists.auto_of(row.obj))
        return rows


# -- 查询 -------------------------------------------------------------------------------------


def _requeue(actor: Actor, ids: list[Any]) -> str:
    declaration_ids = list(AutoDeclaration.objects.filter(pk__in=ids).values_list("declaration_id", flat=True))
    return f"已重新加入智能辅助申报池 {services.requeue(actor, declaration_ids)} 条"


class QueryList(ActorFilterMixin, EnabledListPage):
    title = "智能辅助申报查询"
    breadcrumbs = (SECTION, ("查询", None))
    select_related = ("declaration", "profile")
    notice_template = "autodeclare/_query_notice.html"
    filters = lists.QUERY_FILTERS
    columns = lists.QUERY_COLUMNS
    ordering = ("-updated_at", "-id")
    bulk_actions = (
        BulkAction("requeue", "继续智能辅助申报", _requeue,
                   confirm="将所选申报失败的报关单, 及已修改的退单报关单, 重新加入智能辅助申报池?",
                   style="primary", icon="bi-arrow-repeat"),
    )
    row_actions = (RowAction("申报记录", "autodeclare:records-by-auto", method="get", style="outline-primary"),)
    export_name = "智能辅助申报查询"

    STATUS_COLUMN, CUSTOMS_COLUMN = 6, 7

    def queryset(self, actor: Actor):
        return AutoDeclaration.objects.all()

    def rows(self, objects, back):
        rows = super().rows(objects, back)
        for row in rows:
            row.cells[self.STATUS_COLUMN].text = lists.auto_badge(row.obj)
            row.cells[self.CUSTOMS_COLUMN].text = lists.customs_badge(row.obj.declaration)
        return rows

    def row_class(self, obj: AutoDeclaration) -> str:
        return "table-danger" if lists.customs_rejected(obj) else ""

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context = super().get_context_data(**context)
        context["counts"] = queries.status_counts(self.actor)
        context["page_actions"] = [{"label": "智能辅助申报台", "url": reverse("autodeclare:desk"),
                                    "icon": "bi-speedometer", "style": "primary"}]
        return context


@actor_required
def records_by_auto(request: HttpRequest, pk: int) -> HttpResponse:
    auto = AutoDeclaration.objects.for_enterprise(request.actor.enterprise).filter(pk=pk).first()
    if auto is None:
        raise Http404("记录不存在或无权访问")
    return redirect("autodeclare:records", pk=auto.declaration_id)


@actor_required
def records(request: HttpRequest, pk: int) -> HttpResponse:
    """申报记录 of one declaration (by the declaration's id)."""
    auto = services.get_auto(request.actor, pk)
    if (response := gate(request, "申报记录")) is not None:
        return response
    declaration = auto.declaration
    from .services.agreements import needs_agreement

    agreement = AgencyAgreement.objects.filter(declaration=declaration).first()
    return render(request, "autodeclare/records.html", {
        "page_title": f"申报记录: {lists.number(declaration)}",
        "breadcrumbs": [SECTION, ("查询", reverse("autodeclare:query")), ("申报记录", None)],
        "auto": auto, "declaration": declaration, "records": services.records(auto),
        "badge": lists.auto_badge(auto), "number": lists.number(declaration),
        "customs": lists.customs_name(declaration.custom_master),
        "needs_agreement": needs_agreement(declaration), "agreement": agreement,
        "tax_status": tax_status_label(declaration), "customs_badge": lists.customs_badge(declaration),
        "can_requeue": services.requeueable(auto, declaration),
        "can_unmark": services.cancellable(auto, declaration),
    })


@require_POST
@actor_required
def requeue_view(request: HttpRequest) -> HttpResponse:
    """继续智能辅助申报 from the records page and the desk (declaration ids)."""
    back = safe_next(request, reverse("autodeclare:query"))
    if (response := gate(request)) is not None:
        return response
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
    try:
        count = services.requeue(request.actor, ids)
    except ServiceError as exc:
        return service_error_response(request, exc, fallback_url=back)
    messages.success(request, f"已重新加入智能辅助申报池 {count} 条")
    return redirect(back)


@require_POST
@actor_required
def unmark_view(request: HttpRequest) -> HttpResponse:
    back = safe_next(request, reverse("autodeclare:marks"))
    if (response := gate(request)) is not None:
        return response
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
    try:
        count = services.unmark(request.actor, ids)
    except ServiceError as exc:
        return service_error_response(request, exc, fallback_url=back)
    messages.success(request, services.unmark_message(count))
    return redirect(back)


# -- 执行 -------------------------------------------------------------------------------------


def _tax_pending(auto: AutoDeclaration) -> bool:
    d = auto.declaration
    return d.self_tax and d.status in ("draft", "rejected", "failed") and tax_status_label(d) != "已确认"


def _run_context(request: HttpRequest, form: RunForm | None = None) -> dict[str, Any]:
    """The run panel: the run (active, else the last one), its counters, the countdown, and the
    start form with the profiles of the chosen 生效企业类型."""
    actor: Actor = request.actor
    run = services.active_run(actor) or services.latest_run(actor)
    view = services.run_view(run) if run else None
    enterprise_type = (request.POST.get("enterprise_type") or request.GET.get("type") or EnterpriseType.AGENT)
    if enterprise_type not in EnterpriseType.values:
        enterprise_type = EnterpriseType.AGENT
    profiles = list(services.selectable_profiles(actor, enterprise_type))
    if form is None:
        form = RunForm(profiles=profiles, initial={"enterprise_type": enterprise_type})
    checked = {int(v) for v in request.POST.getlist("profile_ids") if v.isdigit()}
    if not checked and run is not None:
        checked = set(run.profiles.values_list("pk", flat=True))
    return {
        "run": run, "run_view": view, "active": bool(run and run.is_active),
        "countdown_ms": int(run.next_batch_at.timestamp() * 1000) if run and run.next_batch_at else None,
        "profile_names": "、".join(run.profiles.values_list("name", flat=True)) if run else "",
        "counts": queries.status_counts(actor), "waiting_reasons": queries.waiting_reasons(actor),
        "form": form, "profiles": profiles, "checked_ids": checked,
    }


class RunList(EnabledListPage):
    """执行: 开始申报 / 停止申报, the counters and countdown (the panel, polled every 2 s), and the
    declarations of the pool and their results, paged (the list, refreshed with the panel)."""

    title = "智能辅助申报执行"
    breadcrumbs = (SECTION, ("执行", None))
    template_name = "autodeclare/run.html"
    select_related = ("declaration", "declaration__tax_assessment")
    columns = (
        Column("declaration__seq_no", "统一编号/海关编号", value=lambda a: lists.number(a.declaration),
               css_class="text-nowrap font-monospace", width=22),
        Column("declaration__bill_no", "提运单号", format=lambda v: v or "-"),
        Column("declaration__custom_master", "申报地海关",
               value=lambda a: lists.customs_name(a.declaration.custom_master)),
        Column("declaration__ie_flag", "进出口标志"),
        Column("declaration__trade_mode", "监管方式", value=lambda a: lists.trade_mode_name(a.declaration.trade_mode)),
        Column("batch_no", "批次号", format=lambda v: v or "-", link=lists.batch_link,
               css_class="text-nowrap font-monospace", width=22),
        Column("auto_status", "智能申报状态", sortable=True),
        Column("declaration__status", "海关状态", sortable=True, value=lambda a: lists.customs_label(a.declaration)),
        Column("reason", "申报记录", value=lists.records_label, link=lambda a: lists.records_link(a.declaration_id)),
        Column("declaration__tax_assessment__status", "税费确认状态", value=lambda a: tax_status_label(a.declaration)),
        Column("updated_at", "最近操作时间", sortable=True, css_class="text-nowrap", width=18),
    )
    ordering = ("-updated_at", "-id")
    page_sizes = (10, 20, 50, 100)
    default_page_size = 20
    row_actions = (RowAction("税费确认", "autodeclare:tax-detail", method="get", style="outline-warning",
                             condition=lambda a, actor: _tax_pending(a)),)
    export_name = "智能辅助申报执行"
    empty_text = "没有带智能辅助申报标记的报关单, 请先在「标记操作」中添加标记"

    AUTO_COLUMN, CUSTOMS_COLUMN = 6, 7

    def queryset(self, actor: Actor):
        return AutoDeclaration.objects.exclude(auto_status=AutoStatus.UNMARKED)

    def row_class(self, obj: AutoDeclaration) -> str:
        return "table-warning" if _tax_pending(obj) else ""

    def rows(self, objects, back):
        rows = super().rows(objects, back)
        for row in rows:
            row.cells[self.AUTO_COLUMN].text = lists.auto_badge(row.obj)
            row.cells[self.CUSTOMS_COLUMN].text = lists.customs_badge(row.obj.declaration)
        return rows

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context = super().get_context_data(**context)
        context.update(_run_context(self.request, getattr(self, "run_form", None)))
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """开始申报 (the start form; the list has no bulk actions)."""
        if (response := gate(request, self.title)) is not None:
            return response
        actor: Actor = request.actor
        enterprise_type = request.POST.get("enterprise_type") or EnterpriseType.AGENT
        profiles = services.selectable_profiles(actor,
                                                enterprise_type if enterprise_type in EnterpriseType.values else "")
        form = RunForm(request.POST, profiles=profiles, initial={"enterprise_type": enterprise_type})
        if form.is_valid():
            try:
                services.start_run(actor, form.cleaned_data["profile_ids"], form.cleaned_data["enterprise_type"])
            except ServiceError as exc:
                if exc.status == 409:
                    # another tab (or user) started one meanwhile: say so above the run it shows
                    messages.error(request, exc.message)
                    return redirect("autodeclare:run")
                if exc.status != 422:
                    raise
                apply_service_errors(form, exc)
            else:
                messages.success(request, "智能辅助申报已开始, 系统将按预配置规则分批次自动申报")
                return redirect("autodeclare:run")
        self.run_form = form
        response = super().get(request, *args, **kwargs)
        response.status_code = 422
        return response


@actor_required
def run_panel(request: HttpRequest) -> HttpResponse:
    """The counters, progress and countdown: polled by the run page (htmx, every 2 s)."""
    if (response := gate(request)) is not None:
        return response
    return render(request, "autodeclare/_run_panel.html", _run_context(request))


@require_POST
@actor_required
def run_stop(request: HttpRequest, pk: int) -> HttpResponse:
    run = services.get_run(request.actor, pk)
    services.stop_run(request.actor, run.pk)
    if request.headers.get("HX-Request") == "true":
        return render(request, "autodeclare/_run_panel.html", _run_context(request))
    messages.success(request, "已停止申报")
    return redirect("autodeclare:run")


# -- 智能申报台 -------------------------------------------------------------------------------


class DeskList(EnabledListPage):
    title = "智能辅助申报台"
    breadcrumbs = (SECTION, ("智能申报台", None))
    notice_template = "autodeclare/_desk_charts.html"
    filters = lists.BATCH_FILTERS
    columns = lists.BATCH_COLUMNS
    ordering = ("-started_at", "-id")
    export_name = "智能辅助申报批次"

    def queryset(self, actor: Actor):
        from .services.runs import with_rejected

        return with_rejected(Batch.objects.all())

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context = super().get_context_data(**context)
        series = queries.batch_series(self.actor)
        reasons = queries.top_failure_reasons(self.actor)
        context["batch_chart"] = json.dumps({
            "labels": [s["batch_no"] for s in series], "succeeded": [s["succeeded"] for s in series],
            "failed": [s["failed"] for s in series], "waited": [s["waited"] for s in series]}, ensure_ascii=False)
        context["reason_chart"] = json.dumps({
            "labels": [r["label"] for r in reasons], "counts": [r["count"] for r in reasons]}, ensure_ascii=False)
        context["reasons"] = reasons
        context["counts"] = queries.status_counts(self.actor)
        context["page_actions"] = [
            {"label": "智能辅助申报查询", "url": reverse("autodeclare:query"), "icon": "bi-search",
             "style": "outline-primary"},
            {"label": "申报失败的报关单", "url": reverse("autodeclare:query") + "?status=failed",
             "icon": "bi-arrow-repeat", "style": "outline-danger"},
        ]
        return context


@actor_required
def desk_batch(request: HttpRequest, pk: int) -> HttpResponse:
    batch = services.get_batch(request.actor, pk)
    if (response := gate(request, "智能辅助申报台")) is not None:
        return response
    outcomes = list(queries.batch_outcomes(batch))
    reasons = queries.top_failure_reasons(request.actor, batch)
    rows = []
    for record in outcomes:
        d = record.auto.declaration
        latest = record.auto.batch_id == batch.pk  # what this batch did is still the declaration's state
        rows.append({"record": record, "declaration": d, "number": lists.number(d),
                     "customs": lists.customs_name(d.custom_master), "customs_badge": lists.customs_badge(d),
                     "rejected": latest and record.level == "success" and lists.customs_rejected(record.auto),
                     "requeue": latest and services.requeueable(record.auto, d)})
    counts = lists.batch_counts_for(batch)
    return render(request, "autodeclare/desk_batch.html", {
        "page_title": f"批次 {batch.batch_no}",
        "breadcrumbs": [SECTION, ("智能申报台", reverse("autodeclare:desk")), (batch.batch_no, None)],
        "batch": batch, "rows": rows, "counts": counts, "reasons": reasons,
        "reason_chart": json.dumps({"labels": [r["label"] for r in reasons], "counts": [r["count"] for r in reasons]},
                                   ensure_ascii=False),
        "failed_ids": [r["declaration"].pk for r in rows if r["requeue"]],
    })


# -- 税费确认 ---------------------------------------------------------------------------------


class TaxList(ActorFilterMixin, EnabledListPage):
    title = "税费确认查询"
    breadcrumbs = (SECTION, ("税费确认", None))
    select_related = ("tax_assessment",)
    notice_template = "autodeclare/_tax_notice.html"
    filters = lists.TAX_FILTERS
    columns = lists.TAX_COLUMNS
    ordering = ("-updated_at", "-id")
    row_actions = (RowAction("税费确认", "autodeclare:tax-detail", method="get", style="outline-primary"),)
    export_name = "税费确认查询"

    def queryset(self, actor: Actor):
        return Declaration.objects.filter(self_tax=True, auto__isnull=False)


@actor_required
def tax_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """税费计算确认明细, and 确认 (POST)."""
    actor: Actor = request.actor
    declaration = get_declaration(actor, pk)
    if (response := gate(request, "税费计算确认明细")) is not None:
        return response
    if request.method == "POST":
        try:
            services.confirm_tax(actor, pk)
        except ServiceError as exc:
            return service_error_response(request, exc, fallback_url=request.path)
        messages.success(request, "税费已确认, 该报关单将在下一批次智能辅助申报")
        return redirect("autodeclare:tax-detail", pk=pk)
    try:
        assessment = services.get_assessment(actor, pk)
    except ServiceError as exc:
        return service_error_response(request, exc, fallback_url=reverse("autodeclare:tax-list"))
    declaration.refresh_from_db()
    return render(request, "autodeclare/tax_detail.html", {
        "page_title": "税费计算确认明细",
        "breadcrumbs": [SECTION, ("税费确认", reverse("autodeclare:tax-list")), ("税费计算确认明细", None)],
        "declaration": declaration, "assessment": assessment, "number": lists.number(declaration),
        "customs": lists.customs_name(declaration.custom_master),
        "problems": blocking_problems(assessment),
        "notes": [p.removeprefix("说明: ") for p in assessment.problems if p.startswith("说明: ")],
        "can_confirm": assessment.status != TaxStatus.CONFIRMED and not blocking_problems(assessment)
        and declaration.status in ("draft", "rejected", "failed"),
        "general_origins": "、".join(sorted(general_rate_origins())),
    })


# -- 代理报关委托协议 --------------------------------------------------------------------------


@actor_required
def agreement_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement document (printable HTML; the browser saves it as PDF)."""
    agreement = services.get_agreement(request.actor, pk)
    if request.GET.get("format") == "docx":
        from .documents import agreement_docx

        response = HttpResponse(
            agreement_docx(agreement.agreement_no, agreement.data, automatic=agreement.automatic),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        response["Content-Disposition"] = f'attachment; filename="{agreement.agreement_no}.docx"'
        return response
    from .documents import goods_quantity, goods_total

    goods = [{**g, "quantity": goods_quantity(g), "amount": goods_total(g)} for g in agreement.data.get("goods", [])]
    return render(request, "autodeclare/agreement.html", {
        "agreement": agreement, "data": agreement.data, "goods": goods,
        "page_title": f"代理报关委托协议 {agreement.agreement_no}",
    })


@require_POST
@actor_required
def agreement_generate(request: HttpRequest, pk: int) -> HttpResponse:
    back = reverse("autodeclare:records", args=[pk])
    try:
        agreement = services.generate(request.actor, pk)
    except ServiceError as exc:
        return service_error_response(request, exc, fallback_url=back)
    messages.success(request, f"已生成代理报关委托协议 {agreement.agreement_no}")
    return redirect(safe_next(request, back))


# -- 回执推送: notification centre, settings, delivery log ----------------------------------------


def _mark_read(actor: Actor, ids: list[Any]) -> str:
    return f"已标为已读 {notifications.mark_read(actor, [int(i) for i in ids])} 条"


class NotificationList(ListPage):
    title = "通知中心"
    breadcrumbs = (SECTION, ("通知中心", None))
    template_name = "autodeclare/list.html"
    filters = (
        ChoiceFilter("event", "事件", field="event", choices=NotifyEvent.choices),
        BooleanFilter("unread", "状态", field="read_at__isnull", yes="未读", no="已读"),
        TextFilter("q", "内容", fields=("title", "body")),
    )
    columns = (
        Column("created_at", "时间", sortable=True, css_class="text-nowrap", width=18),
        Column("event", "事件", sortable=True),
        Column("title", "标题", link=lambda n: reverse("autodeclare:notification-open", args=[n.pk])),
        Column("body", "内容"),
        Column("read_at", "已读", format=lambda v: "已读" if v else "未读"),
    )
    ordering = ("-created_at", "-id")
    bulk_actions = (BulkAction("read", "标为已读", _mark_read, icon="bi-envelope-open"),)
    export_name = "通知"

    def queryset(self, actor: Actor):
        return notifications.notifications(actor)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["notice_template"] = "autodeclare/_notification_notice.html"
        context["unread"] = notifications.unread_count(self.actor)
        return context


@actor_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    row = notifications.get_notification(request.actor, pk)
    notifications.mark_read(request.actor, [row.pk])
    return redirect(row.url or reverse("autodeclare:notifications"))


@require_POST
@actor_required
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications.mark_read(request.actor)
    messages.success(request, f"已将 {count} 条通知标为已读")
    return redirect(safe_next(request, reverse("autodeclare:notifications")))


@actor_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    actor: Actor = request.actor
    row = notifications.settings_for(actor.enterprise)
    form = NotificationSettingsForm(request.POST or None, row=row)
    if not actor.is_admin:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST":
        actor.require_admin("修改回执推送设置")
        action = request.POST.get("action", "save")
        try:
            if action == "secret":
                notifications.regenerate_secret(actor)
                messages.success(request, "已更换签名密钥, 请同步更新接收端")
                return redirect("autodeclare:notification-settings")
            if action == "test":
                notifications.send_test(actor)
                messages.success(request, "已发送测试推送, 结果见投递记录")
                return redirect("autodeclare:deliveries")
            if form.is_valid():
                notifications.update_settings(actor, form.payload())
                messages.success(request, "回执推送设置已保存")
                return redirect("autodeclare:notification-settings")
        except ServiceError as exc:
            if exc.status != 422:
                raise
            apply_service_errors(form, exc)
    return render(request, "autodeclare/notification_settings.html", {
        "page_title": "回执推送设置", "breadcrumbs": [SECTION, ("通知中心", reverse("autodeclare:notifications")),
                                                  ("回执推送设置", None)],
        "form": form, "row": row, "matrix": notifications.event_matrix(row), "can_edit": actor.is_admin,
        "signature_doc": notifications.__doc__.split("Signature:")[1].split("Events are")[0].strip(),
    }, status=422 if form.errors else 200)


class DeliveryList(ListPage):
    title = "Webhook 投递记录"
    breadcrumbs = (SECTION, ("通知中心", "/autodeclare/notifications/"), ("投递记录", None))
    template_name = "autodeclare/list.html"
    filters = (
        ChoiceFilter("status", "状态", field="status", choices=DeliveryStatus.choices),
        ChoiceFilter("event", "事件", field="event", choices=NotifyEvent.choices),
    )
    columns = (
        Column("created_at", "时间", sortable=True, css_class="text-nowrap", width=18),
        Column("event", "事件", sortable=True),
        Column("url", "地址"),
        Column("status", "状态", sortable=True),
        Column("attempts", "尝试次数"),
        Column("last_status_code", "响应码"),
        Column("last_error", "错误"),
        Column("next_attempt_at", "下次尝试", css_class="text-nowrap"),
        Column("delivered_at", "送达时间", css_class="text-nowrap"),
    )
    ordering = ("-created_at", "-id")
    row_actions = (RowAction("重新投递", "autodeclare:delivery-retry", admin_only=True,
                             condition=lambda d, a: d.status != DeliveryStatus.SUCCEEDED),)
    export_name = "Webhook投递记录"

    def queryset(self, actor: Actor):
        return WebhookDelivery.objects.all()


@require_POST
@actor_required
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    back = safe_next(request, reverse("autodeclare:deliveries"))
    try:
        notifications.redeliver(request.actor, pk)
    except ServiceError as exc:
        return service_error_response(request, exc, fallback_url=back)
    messages.success(request, "已重新投递")
    return redirect(back)

"""设置: the enterprise's 企业简码 (and message defaults) and its logistics companies' 物流简码,
the two parts of a 商品批次号 the platform cannot guess (seed 003, 9710 出口订单管理 step 4 注)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from guanwu.core.errors import ServiceError
from guanwu.tenancy.context import Actor
from guanwu.ui.lists import BooleanFilter, Column, ListPage, PageAction, RowAction, TextFilter, yes_no
from guanwu.ui.responses import actor_required, apply_service_errors

from . import services
from .models import CrossborderSettings, LogisticsCompany
from .views_lists import SECTION

SETTINGS_CRUMBS = [(SECTION, None), ("设置", None)]


class SettingsForm(forms.ModelForm):
    class Meta:
        model = CrossborderSettings
        fields = ["short_code", "customs_code", "port_code", "ebp_code", "ebp_name", "agent_code", "agent_name",
                  "dxp_id"]


class LogisticsForm(forms.ModelForm):
    class Meta:
        model = LogisticsCompany
        fields = ["short_code", "logistics_code", "logistics_name", "is_active"]


def _bootstrap(form: forms.ModelForm) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.CheckboxInput):
            field.widget.attrs.setdefault("class", "form-check-input")
        else:
            field.widget.attrs.setdefault("class", "form-control form-control-sm")


def _no_unique_checks(form: forms.ModelForm) -> None:
    """The service checks uniqueness and says it in its own words; the form only reads."""
    form.validate_unique = lambda: None  # type: ignore[method-assign]
    _bootstrap(form)


@actor_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """企业简码 and the defaults of the messages; anyone reads, the admin changes (the service says)."""
    actor: Actor = request.actor
    current = services.get_settings(actor)
    form = SettingsForm(request.POST or None, instance=current)
    _no_unique_checks(form)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_settings(actor, {name: form.cleaned_data[name] for name in SettingsForm.Meta.fields})
            except ServiceError as exc:
                if exc.status != 422:
                    raise
                apply_service_errors(form, exc)
            else:
                messages.success(request, "跨境设置已保存")
                return redirect("crossborder:settings")
        status = 422
    return render(request, "crossborder/settings.html", {
        "page_title": "企业简码", "breadcrumbs": [*SETTINGS_CRUMBS, ("企业简码", None)], "form": form,
        "can_edit": actor.is_admin, "companies": list(services.list_logistics_companies(actor)),
    }, status=status)


class LogisticsList(ListPage):
    title = "物流简码"
    breadcrumbs = (*SETTINGS_CRUMBS, ("物流简码", None))
    ordering = ("short_code",)
    filters = (
        TextFilter("q", "物流简码/企业代码/名称", fields=("short_code", "logistics_code", "logistics_name")),
        BooleanFilter("active", "启用", field="is_active", yes="启用", no="停用"),
    )
    columns = (
        Column("short_code", "物流简码", sortable=True, link="crossborder:logistics-edit"),
        Column("logistics_code", "物流企业代码", sortable=True),
        Column("logistics_name", "物流企业名称", sortable=True),
        Column("is_active", "状态", format=yes_no("启用", "停用")),
        Column("created_at", "添加时间", sortable=True),
    )
    page_actions = (PageAction("添加物流企业", "crossborder:logistics-create", icon="bi-plus-lg"),)
    row_actions = (RowAction("删除", "crossborder:logistics-delete", confirm="确定删除此物流企业?",
                             style="outline-danger"),)

    def queryset(self, actor: Actor) -> QuerySet:
        return services.list_logistics_companies(actor)


@actor_required
def logistics_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor: Actor = request.actor
    instance = services.get_logistics_company(actor, pk) if pk is not None else LogisticsCompany(
        enterprise=actor.enterprise)
    form = LogisticsForm(request.POST or None, instance=instance)
    _no_unique_checks(form)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_logistics_company(actor, dict(form.cleaned_data), pk)
            except ServiceError as exc:
                if exc.status != 422:
                    raise
                apply_service_errors(form, exc)
            else:
                messages.success(request, "物流企业已保存")
                return redirect("crossborder:logistics-list")
        status = 422
    title = "添加物流企业" if pk is None else f"物流企业 {instance.short_code}"
    return render(request, "crossborder/logistics_form.html", {
        "page_title": title,
        "breadcrumbs": [*SETTINGS_CRUMBS, ("物流简码", reverse("crossborder:logistics-list")), (title, None)],
        "form": form, "obj": instance if pk is not None else None,
    }, status=status)


@actor_required
@require_POST
def logistics_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.delete_logistics_company(request.actor, pk)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, "物流企业已删除")
    return redirect("crossborder:logistics-list")

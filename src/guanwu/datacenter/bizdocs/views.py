"""业务单据管理: the enterprise's declarations with their document counts (ListPage), a document
panel per declaration (upload, list, download, delete), 导出 = zip of the checked declarations'
documents, 导出列表 = the list as Excel (the ListPage export)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from guanwu.core import uploads
from guanwu.core.errors import ServiceError
from guanwu.declarations.lists import status_badge
from guanwu.declarations.models import DeclarationStatus
from guanwu.params import services as params
from guanwu.params.enums import IEFlag
from guanwu.tenancy.context import Actor
from guanwu.ui.crud import errors_by_field
from guanwu.ui.lists import (
    BooleanFilter,
    BulkAction,
    ChoiceFilter,
    Column,
    DateRangeFilter,
    ListPage,
    RowAction,
    TextFilter,
    safe_next,
)
from guanwu.ui.responses import actor_required

from . import services

ZIP_LIMIT = 200  # declarations per zip


def zip_response(actor: Actor, ids: list[Any]) -> StreamingHttpResponse:
    entries = services.zip_entries(actor, ids)
    response = StreamingHttpResponse(services.stream_zip(entries), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, services.zip_filename(len(set(ids))))
    return response


def _trade_mode(declaration) -> str:
    code = declaration.trade_mode
    return f"{code} {params.code_name('trade-modes', code) or ''}".strip() if code else ""


class HasDocumentsFilter(BooleanFilter):
    def apply(self, qs, bound):
        if not bound.value:
            return qs
        return qs.filter(doc_count__gt=0) if bound.value == "1" else qs.filter(doc_count=0)


def _export_zip(actor: Actor, ids: list[Any]) -> str:  # pragma: no cover - DocumentList.post answers it
    return ""


class DocumentList(ListPage):
    title = "业务单据管理"
    breadcrumbs = (("资料中心", None), ("业务单据管理", None))
    filters = (
        ChoiceFilter("ie_flag", "进出口", field="ie_flag", choices=IEFlag.choices),
        ChoiceFilter("status", "状态", field="status", choices=DeclarationStatus.choices),
        TextFilter("no", "统一编号/海关编号", fields=("seq_no", "entry_id", "client_seq_no")),
        TextFilter("trade", "境内收发货人", fields=("trade_name", "trade_code", "trade_co_scc")),
        TextFilter("bill_no", "提运单号/合同号", fields=("bill_no", "contr_no")),
        HasDocumentsFilter("has_docs", "单据", yes="已上传", no="未上传"),
        DateRangeFilter("created", "录入日期", field="created_at"),
    )
    columns = (
        Column("seq_no", "统一编号", sortable=True, css_class="text-nowrap font-monospace", width=22),
        Column("entry_id", "海关编号", sortable=True, css_class="text-nowrap font-monospace", width=22),
        Column("ie_flag", "进出口", sortable=True, css_class="text-nowrap"),
        Column("status", "状态", sortable=True, css_class="text-nowrap", html=status_badge),
        Column("trade_name", "境内收发货人", sortable=True, width=30),
        Column("trade_mode", "监管方式", value=lambda d: _trade_mode(d), css_class="text-nowrap"),
        Column("bill_no", "提运单号", sortable=True, css_class="text-nowrap"),
        Column("contr_no", "合同号", sortable=True, css_class="text-nowrap"),
        Column("doc_count", "单据数", sortable=True, css_class="text-end", link="datacenter:document-detail"),
        Column("created_at", "录入时间", sortable=True, css_class="text-nowrap", width=18),
    )
    ordering = ("-created_at", "-id")
    row_actions = (
        RowAction("上传", "datacenter:document-detail", method="get", style="outline-primary"),
        RowAction("下载", "datacenter:document-zip", method="get", condition=lambda d, a: d.doc_count > 0),
    )
    bulk_actions = (
        BulkAction("export_zip", "导出", _export_zip, style="outline-primary", icon="bi-file-earmark-zip"),
    )
    export_name = "业务单据报关单列表"

    def queryset(self, actor: Actor):
        return services.declarations_with_counts(actor)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["page_actions"] = [
            {"label": "导出列表", "url": context["export_all_url"], "icon": "bi-file-earmark-spreadsheet",
             "style": "outline-success"},
            *context.get("page_actions", []),
        ]
        return context

    def post(self, request, *args, **kwargs):
        """导出 streams the zip of the checked declarations' documents; other actions as usual."""
        if request.POST.get("action") != "export_zip":
            return super().post(request, *args, **kwargs)
        wanted = [int(v) for v in request.POST.getlist("ids") if v.isdigit()]
        ids = sorted(self.get_queryset(self.actor).filter(pk__in=wanted).values_list("pk", flat=True))
        if not ids:
            return super().post(request, *args, **kwargs)  # the base class explains
        if len(ids) > ZIP_LIMIT:
            messages.error(request, f"一次最多导出 {ZIP_LIMIT} 份报关单的单据")
            return redirect(request.get_full_path())
        return zip_response(self.actor, ids)


document_list = DocumentList.as_view()


def _panel_context(request: HttpRequest, pk: int, errors: dict[str, list[str]] | None = None,
                   values: dict[str, str] | None = None) -> dict[str, Any]:
    actor: Actor = request.actor
    declaration, docs = services.documents(actor, pk)
    rows = [{
        "doc": doc,
        "type_name": services.type_name(doc.edoc_code),
        "name": services.display_name(doc),
        "size": uploads.human_size(int(doc.edoc_size)) if doc.edoc_size.isdigit() else "",
        "uploaded": f"{doc.sign_time[:4]}-{doc.sign_time[4:6]}-{doc.sign_time[6:8]} {doc.sign_time[9:14]}"
        if len(doc.sign_time) >= 14 else doc.sign_time,
    } for doc in docs]
    can_delete = declaration.status in services.FREELY_DELETABLE or actor.is_admin
    values = values or {}
    return {
        "page_title": f"业务单据 · {declaration}",
        "breadcrumbs": [("资料中心", None), ("业务单据管理", reverse("datacenter:document-list")),
                        (str(declaration), None)],
        "declaration": declaration, "badge": status_badge(declaration), "rows": rows, "can_delete": can_delete,
        "errors": errors or {}, "values": values, "edoc_name": services.type_name(values.get("edoc_code", "")),
        "max_size": uploads.human_size(uploads.max_document_bytes()),
        "accept": ",".join(f".{ext}" for kind in uploads.KINDS.values() for ext in kind.extensions),
        "item_count": declaration.items.count(),
    }


@actor_required
@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "bizdocs/panel.html", _panel_context(request, pk))


@actor_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    actor: Actor = request.actor
    services.get_declaration(actor, pk)  # another enterprise's declaration: 404 before the body is read
    values = {"edoc_code": "", "g_no_str": ""}
    try:
        too_large = uploads.request_too_large(request.META.get("CONTENT_LENGTH"))
        if too_large:
            raise too_large
        values = {"edoc_code": request.POST.get("edoc_code", ""), "g_no_str": request.POST.get("g_no_str", "")}
        document = services.upload_document(actor, pk, edoc_code=values["edoc_code"],
                                            uploaded=request.FILES.get("file"), g_no_str=values["g_no_str"])
    except ServiceError as exc:
        if exc.status != 422:
            raise
        return render(request, "bizdocs/panel.html", _panel_context(request, pk, errors_by_field(exc, "file"), values),
                      status=422)
    messages.success(request, f"已上传{services.type_name(document.edoc_code)}: {document.edoc_cop_id}")
    return redirect("datacenter:document-detail", pk)


@actor_required
@require_GET
def document_download(request: HttpRequest, pk: int, doc_id: int) -> HttpResponse:
    opened = services.open_document(request.actor, pk, doc_id)
    inline = request.GET.get("inline") == "1" and opened.content_type in ("application/pdf", "image/jpeg",
                                                                          "image/png")
    return FileResponse(opened.handle, as_attachment=not inline, filename=opened.name,
                        content_type=opened.content_type)


@actor_required
@require_POST
def document_delete(request: HttpRequest, pk: int, doc_id: int) -> HttpResponse:
    document = services.get_document(request.actor, pk, doc_id)
    name = services.display_name(document)
    services.delete_document(request.actor, pk, doc_id)
    messages.success(request, f"已删除单据: {name}")
    return redirect(safe_next(request, reverse("datacenter:document-detail", args=[pk])))


@actor_required
@require_GET
def document_zip(request: HttpRequest, pk: int) -> HttpResponse:
    services.get_declaration(request.actor, pk)
    return zip_response(request.actor, [pk])

"""Pages of 加工贸易账册 (seed 001 section 四): 企业资质申请, 加工贸易账册, 保税核注清单(进口/出口),
数据查询 加工贸易账册查询 with the 回执 box, and the 核销 view of a book.

Views are thin: every read goes through ``processing.services`` (tenant lookups: another
enterprise's id is a 404) and every write is one service call. The body grids are the shared row
grid (``ui/static/ui/grid.js``, endpoints in ``views_grid``); the lists are ``ui.lists.ListPage``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanwu.core.errors import FieldError, ServiceError
from guanwu.messages.sas import codes as sas_codes
from guanwu.params import services as params
from guanwu.tenancy.context import Actor
from guanwu.ui.lists import Column, write_xlsx
from guanwu.ui.responses import actor_required

from . import services, views_grid
from .models import Book, Inventory, QualificationApplication, Status

# ------------------------------------------------------------------------------ head fields


@dataclass(frozen=True)
class HeadField:
    """One field of a head form: kind text | date | decimal | choice | code (params table)."""

    name: str
    label: str = ""
    required: bool = False  # the seed's red star
    kind: str = "str"
    table: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    readonly: bool = False  # filled by the Single Window / customs
    cols: int = 3


def _codes(name: str) -> tuple[tuple[str, str], ...]:
    return tuple((c.code, f"{c.code}-{c.text}") for c in sas_codes.table(name).values())


YES_NO = (("0", "0-否"), ("1", "1-是"))

# 资质数据明细 (seed 001 四(四) step 5), in the seed's order and with its red stars.
QUALIFICATION_HEAD = (
    HeadField("seq_no", readonly=True),
    HeadField("netwk_etps_arcrp_no", readonly=True),
    HeadField("bizop_etpsno", required=True),
    HeadField("bizop_etps_sccd"),
    HeadField("rcvgd_etpsno", required=True),
    HeadField("rvsngd_etps_sccd"),
    HeadField("dcl_etpsno", required=True),
    HeadField("dcl_etps_sccd"),
    HeadField("dcl_etps_typecd", choices=(("1", "1-企业"), ("2", "2-代理公司"), ("3", "3-报关行"))),
    HeadField("conc_addr"),
    HeadField("dcl_typecd", choices=_codes("dcl_typecd")),
    HeadField("finish_valid_date", required=True, kind="date"),
    HeadField("prcs_prdc_ablt_amt", required=True, kind="decimal"),
    HeadField("master_cuscd", required=True, kind="code", table="customs-offices"),
    HeadField("input_etps_typecd"),
    HeadField("input_etps_sccd"),
    HeadField("putrec_appr_time", readonly=True),
    HeadField("chg_appr_time", readonly=True),
    HeadField("input_time", kind="date"),
    HeadField("risk_assure_markcd", choices=YES_NO),
    HeadField("chg_tms_cnt", readonly=True),
    HeadField("qua_typecd", required=True, choices=_codes("qua_typecd")),
    HeadField("rmk", cols=12),
)

BOOK_HEAD = (
    HeadField("seq_no", readonly=True),
    HeadField("ems_no", readonly=True),
    HeadField("etps_preent_no"),
    HeadField("master_cuscd", required=True, kind="code", table="customs-offices"),
    HeadField("bizop_etpsno", required=True),
    HeadField("bizop_etps_sccd"),
    HeadField("bizop_etps_nm", cols=6),
    HeadField("rcvgd_etpsno", required=True),
    HeadField("rvsngd_etps_sccd"),
    HeadField("rcvgd_etps_nm", cols=6),
    HeadField("dcl_etpsno", required=True),
    HeadField("dcl_etps_sccd"),
    HeadField("dcl_etps_nm", cols=6),
    HeadField("dcl_etps_typecd", choices=(("1", "1-企业"), ("2", "2-代理公司"), ("3", "3-报关行"))),
    HeadField("ems_typecd", choices=(("1", "1-E账册"), ("2", "2-H账册"), ("3", "3-耗料"), ("4", "4-工单"))),
    HeadField("usage_typecd", choices=(("1", "1-一般纳税人"), ("2", "2-特殊行业"))),
    HeadField("ucns_dcl_segcd", choices=_codes("ucns_dcl_segcd")),
    HeadField("finish_valid_date", kind="date"),
    HeadField("max_tovr_amt", kind="decimal"),
    HeadField("imp_max_account", kind="decimal"),
    HeadField("vclr_prid_val", kind="decimal"),
    HeadField("apcret_no"),
    HeadField("netwk_etps_arcrp_no"),
    HeadField("input_etps_typecd"),
    HeadField("input_etps_sccd"),
    HeadField("input_time", kind="date"),
    HeadField("chg_tms_cnt", readonly=True),
    HeadField("putrec_appr_time", readonly=True),
    HeadField("chg_appr_time", readonly=True),
    HeadField("rmk", cols=12),
)

INVENTORY_HEAD = (
    HeadField("seq_no", readonly=True),
    HeadField("bond_invt_no", readonly=True),
    HeadField("putrec_no", required=True),
    HeadField("etps_inner_invt_no"),
    HeadField("impexp_markcd", required=True, choices=_codes("impexp_markcd")),
    HeadField("mtpck_endprd_markcd", required=True, choices=_codes("mtpck_endprd_markcd")),
    HeadField("supv_modecd", required=True, kind="code", table="trade-modes"),
    HeadField("trsp_modecd", required=True, kind="code", table="transport-modes"),
    HeadField("impexp_portcd", required=True, kind="code", table="customs-offices"),
    HeadField("dcl_plc_cuscd", required=True, kind="code", table="customs-offices"),
    HeadField("dclcus_flag", required=True, choices=_codes("dclcus_flag")),
    HeadField("dclcus_typecd", choices=_codes("dclcus_typecd")),
    HeadField("invt_type", required=True, choices=_codes("invt_type")),
    HeadField("dec_type", choices=_codes("dec_type")),
    HeadField("stship_trsarv_natcd", kind="code", table="countries"),
    HeadField("list_type", choices=_codes("list_type")),
    HeadField("bizop_etpsno", required=True),
    HeadField("bizop_etps_sccd"),
    HeadField("bizop_etps_nm", cols=6),
    HeadField("rcvgd_etpsno", required=True),
    HeadField("rvsngd_etps_sccd"),
    HeadField("rcvgd_etps_nm", cols=6),
    HeadField("dcl_etpsno", required=True),
    HeadField("dcl_etps_sccd"),
    HeadField("dcl_etps_nm", cols=6),
    HeadField("corr_entry_dcl_etps_no"),
    HeadField("corr_entry_dcl_etps_sccd"),
    HeadField("corr_entry_dcl_etps_nm", cols=6),
    HeadField("entry_no", readonly=True),
    HeadField("invt_dcl_time", readonly=True),
    HeadField("rmk", cols=12),
)

STATUS_STYLE = {
    Status.DRAFT: "secondary",
    Status.SENT: "info",
    Status.DECLARED: "info",
    Status.ACCEPTED: "primary",
    Status.MANUAL_REVIEW: "warning",
    Status.APPROVED: "success",
    Status.PRE_VERIFIED: "primary",
    Status.VERIFIED: "success",
    Status.WRITTEN_OFF: "dark",
    Status.REJECTED: "danger",
    Status.FAILED: "warning",
    Status.DELETED: "dark",
}


def status_badge(obj: Any) -> str:
    return format_html(
        '<span class="badge text-bg-{} gw-status" data-status="{}">{}</span>',
        STATUS_STYLE.get(obj.status, "secondary"),
        obj.status,
        obj.get_status_display(),
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def widgets(
    model: type[models.Model],
    spec: tuple[HeadField, ...],
    values: dict[str, Any],
    errors: list[FieldError],
    *,
    readonly: bool = False,
) -> list[dict[str, Any]]:
    """The head as ``ui/_field.html`` widgets."""
    by_field: dict[str, list[str]] = {}
    for e in errors:
        by_field.setdefault(e.field, []).append(e.message)
    out = []
    for f in spec:
        field = model._meta.get_field(f.name)
        value = values.get(f.name)
        text = _text(value)
        kind = "choice" if f.choices else f.kind
        attrs: list[tuple[str, str]] = []
        if f.readonly or readonly:
            attrs.append(("readonly", "readonly"))
            if kind in ("choice", "code"):
                kind = "str"
                if f.choices:
                    text = dict(f.choices).get(text, text)
                elif f.table and text:
                    text = f"{text} - {params.code_name(f.table, text) or ''}".rstrip(" -")
        out.append(
            {
                "name": f.name if not f.readonly else "",
                "id": f"id_{f.name}",
                "label": f.label or field.verbose_name,
                "required": f.required,
                "kind": kind,
                "choices": list(f.choices),
                "value": text,
                "table": f.table,
                "value_text": f"{text} - {params.code_name(f.table, text) or ''}" if f.table and text else text,
                "errors": by_field.get(f.name, []),
                "cols": f.cols,
                "attrs": attrs,
                "maxlength": getattr(field, "max_length", None) if kind == "str" else None,
            }
        )
    return out


def head_values(obj: models.Model | None, spec: tuple[HeadField, ...], defaults: dict[str, Any]) -> dict[str, Any]:
    if obj is None:
        return dict(defaults)
    return {f.name: getattr(obj, f.name) for f in spec}


def posted_head(request: HttpRequest, spec: tuple[HeadField, ...]) -> dict[str, Any]:
    """The head fields of the form as posted (what is not editable is not taken)."""
    return {f.name: request.POST.get(f.name, "") for f in spec if not f.readonly and f.name in request.POST}


def _other_errors(errors: list[FieldError], spec: tuple[HeadField, ...]) -> list[str]:
    names = {f.name for f in spec}
    return [e.message for e in errors if e.field not in names]


def _grid_errors(exc: ServiceError, grids: dict[str, list[int]]) -> tuple[dict[str, dict[int, str]], list[str]]:
    """Errors of ``items.<i>.<field>`` (or ``materials.`` …) onto the grid rows (by position in the
    service's order) and the texts to list."""
    on_rows: dict[str, dict[int, str]] = {}
    for e in exc.errors:
        parts = e.field.split(".")
        if len(parts) >= 2 and parts[0] in grids and parts[1].isdigit():
            ids = grids[parts[0]]
            index = int(parts[1])
            if index < len(ids):
                on_rows.setdefault(parts[0], {})[ids[index]] = e.message
    return on_rows, [e.message for e in exc.errors] or [exc.message]


def _grid(label: str, config: dict[str, Any]) -> dict[str, Any]:
    return {"label": label, "config": config, "script_id": f"{config['id']}-config", "tab": config["id"]}


# ------------------------------------------------------------------------------ the entry pages


def _entry_context(
    request: HttpRequest,
    obj: Any,
    model: type[models.Model],
    spec: tuple[HeadField, ...],
    values: dict[str, Any],
    errors: list[FieldError],
    *,
    title: str,
    list_url: str,
    target: str,
    kinds: tuple[tuple[str, str], ...],
    readonly: bool,
    row_errors: dict[int, str] | None = None,
) -> dict[str, Any]:
    """What every entry page shows: the head as widgets (read-only unless the document is editable
    and not viewed), the errors not on a head field, the body grids of ``target`` (``kinds``:
    (kind, tab label), once the document exists), the title and breadcrumbs."""
    editable = obj is None or (obj.editable and not readonly)
    grids = []
    if obj is not None:
        for kind, label in kinds:
            config = views_grid.grid_config(request.actor, target, obj.pk, kind, editable=editable, errors=row_errors)
            grids.append(_grid(label, config))
    return {
        "page_title": ("查看" if readonly else "") + (title if obj is None else f"{title} {obj}"),
        "breadcrumbs": [("加工贸易账册", None), (title, list_url), ("新增" if obj is None else str(obj), None)],
        "obj": obj,
        "badge": status_badge(obj) if obj else "",
        "editable": editable,
        "readonly": readonly,
        "widgets": widgets(model, spec, values, errors, readonly=not editable),
        "other_errors": _other_errors(errors, spec),
        "grids": grids,
    }


@dataclass(frozen=True)
class HeadEntry:
    """A document's entry page (企业资质申请, 账册, 核注清单): the head form over the body grids.
    新增 opens with the defaults and its 暂存 creates the document; the document's page saves the
    head with 暂存 and is read-only when it is not editable or with ``?view=1`` (查看明细)."""

    spec: tuple[HeadField, ...]
    template: str
    detail: str  # URL name of the document's page
    get: Callable[[Actor, Any], Any]
    create: Callable[[Actor, dict[str, Any]], Any]
    update: Callable[[Actor, int, dict[str, Any]], Any]
    # (request, obj, values, errors, *, readonly=, declare_errors=, ...) -> the template's context
    context: Callable[..., dict[str, Any]]
    created: str  # the message once 新增's 暂存 created the document

    def page(self, request: HttpRequest, obj: Any, errors: list[FieldError], status: int = 200,
             **extra: Any) -> HttpResponse:
        """The document as stored, with ``errors`` (a refused 申报 ...)."""
        ctx = self.context(request, obj, head_values(obj, self.spec, {}), errors, **extra)
        return render(request, self.template, ctx, status=status)

    def new(self, request: HttpRequest, defaults: Callable[[], dict[str, Any]], **extra: Any) -> HttpResponse:
        if request.method == "POST":
            return self._save(request, None, extra)
        return render(request, self.template, self.context(request, None, defaults(), [], **extra))

    def show(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get(request.actor, pk)
        if request.method == "POST":
            return self._save(request, obj, {})
        return self.page(request, obj, [], readonly=request.GET.get("view") == "1")

    def _save(self, request: HttpRequest, obj: Any, extra: dict[str, Any]) -> HttpResponse:
        """暂存: create (``obj`` None) or update the head; refused, the form again with the errors."""
        actor: Actor = request.actor
        head = posted_head(request, self.spec)
        try:
            saved = self.create(actor, head) if obj is None else self.update(actor, obj.pk, head)
        except ServiceError as exc:
            values = {**head_values(obj, self.spec, {}), **head}
            ctx = self.context(request, obj, values, exc.errors or [FieldError("", exc.message)], **extra)
            return render(request, self.template, ctx, status=422)
        messages.success(request, self.created if obj is None else "暂存成功")
        return redirect(self.detail, saved.pk)


# ------------------------------------------------------------------------------ 企业资质申请


def _qualification_context(
    request: HttpRequest,
    app: QualificationApplication | None,
    values: dict[str, Any],
    errors: list[FieldError],
    *,
    readonly: bool = False,
    declare_errors: list[str] | None = None,
) -> dict[str, Any]:
    ctx = _entry_context(
        request, app, QualificationApplication, QUALIFICATION_HEAD, values, errors, title="企业资质申请",
        list_url=reverse("processing:qualification-list"), target="qualifications",
        kinds=(("I", "料件"), ("E", "成品")), readonly=readonly,
    )
    return {
        **ctx,
        "other_errors": ctx["other_errors"] + (declare_errors or []),
        "documents": list(app.documents.all()) if app else [],
        "doc_owner": "qualifications",
        "can_change": bool(app and app.approved_once and app.status == Status.APPROVED and not readonly),
        "urls": _qualification_urls(app),
        "receipt_kind": "qualification",
    }


def _qualification_urls(app: QualificationApplication | None) -> dict[str, str]:
    if app is None:
        return {
            "new": reverse("processing:qualification-new"),
            "save": reverse("processing:qualification-new"),
            "list": reverse("processing:qualification-list"),
        }
    return {
        "new": reverse("processing:qualification-new"),
        "save": reverse("processing:qualification-detail", args=[app.pk]),
        "send": reverse("processing:qualification-send", args=[app.pk]),
        "declare": reverse("processing:qualification-declare", args=[app.pk]),
        "change": reverse("processing:qualification-change", args=[app.pk]),
        "receipt": reverse("processing:receipt", args=["qualification", app.pk]),
        "list": reverse("processing:qualification-list"),
    }


QUALIFICATION = HeadEntry(
    spec=QUALIFICATION_HEAD,
    template="processing/qualification_entry.html",
    detail="processing:qualification-detail",
    get=services.get_application,
    create=services.create_application,
    update=services.update_application,
    context=_qualification_context,
    created="暂存成功, 请录入料件、成品",
)


@require_http_methods(["GET", "POST"])
@actor_required
def qualification_new(request: HttpRequest) -> HttpResponse:
    """新增: an empty head with the enterprise's defaults; 暂存 creates it (then the body tabs open)."""
    return QUALIFICATION.new(request, lambda: services.application_defaults(request.actor))


def _submit(request: HttpRequest, pk: int, action: Any, detail: str, label: str, render_failure: Any) -> HttpResponse:
    actor: Actor = request.actor
    try:
        obj = action(actor, pk)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        return render_failure(exc)
    messages.success(request, f"{label}成功, 数据状态: {obj.get_status_display()}")
    return redirect(detail, obj.pk)


@require_POST
@actor_required
def qualification_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _qualification_submit(request, pk, services.send_application, "发送")


@require_POST
@actor_required
def qualification_declare(request: HttpRequest, pk: int) -> HttpResponse:
    return _qualification_submit(request, pk, services.declare_application, "申报")


@require_POST
@actor_required
def qualification_change(request: HttpRequest, pk: int) -> HttpResponse:
    """修改 of an approved application (数据查询's 修改 opens it): a 变更 — the head and grids become
    editable; 申报 sends it with 申报类型 2-变更 and the next 变更次数."""
    return _qualification_submit(request, pk, services.start_application_change, "变更")


def _qualification_submit(request: HttpRequest, pk: int, action: Any, label: str) -> HttpResponse:
    def failure(exc: ServiceError) -> HttpResponse:
        app = services.get_application(request.actor, pk)
        return QUALIFICATION.page(request, app, exc.errors, exc.status, declare_errors=[f"{label}失败: {exc.message}"])

    return _submit(request, pk, action, QUALIFICATION.detail, label, failure)


# ------------------------------------------------------------------------------ 加工贸易账册


def _book_context(
    request: HttpRequest,
    book: Book | None,
    values: dict[str, Any],
    errors: list[FieldError],
    *,
    readonly: bool = False,
    declare_errors: list[str] | None = None,
) -> dict[str, Any]:
    ctx = _entry_context(
        request, book, Book, BOOK_HEAD, values, errors, title="加工贸易账册",
        list_url=reverse("processing:book-list"), target="books",
        kinds=(("materials", "料件"), ("products", "成品"), ("boms", "单损耗")), readonly=readonly,
    )
    versions = list(services.book_versions(request.actor, book.pk)) if book is not None else []
    urls = {"new": reverse("processing:book-new"), "list": reverse("processing:book-list")}
    if book is None:
        urls["save"] = reverse("processing:book-new")
    else:
        urls.update(
            save=reverse("processing:book-detail", args=[book.pk]),
            send=reverse("processing:book-send", args=[book.pk]),
            declare=reverse("processing:book-declare", args=[book.pk]),
            change=reverse("processing:book-change", args=[book.pk]),
            delete=reverse("processing:book-delete", args=[book.pk]),
            writeoff=reverse("processing:book-writeoff", args=[book.pk]),
            receipt=reverse("processing:receipt", args=["book", book.pk]),
        )
    return {
        **ctx,
        "other_errors": ctx["other_errors"] + (declare_errors or []),
        "versions": versions,
        "documents": list(book.documents.all()) if book else [],
        "doc_owner": "books",
        "urls": urls,
        "can_change": bool(book and book.approved_once and not book.editable),
        "can_delete": bool(book and not book.approved_once and book.status in (Status.DRAFT, Status.FAILED)),
    }


BOOK = HeadEntry(
    spec=BOOK_HEAD,
    template="processing/book_entry.html",
    detail="processing:book-detail",
    get=services.get_book,
    create=services.create_book,
    update=services.update_book,
    context=_book_context,
    created="暂存成功, 请录入料件、成品、单损耗",
)


@require_http_methods(["GET", "POST"])
@actor_required
def book_new(request: HttpRequest) -> HttpResponse:
    return BOOK.new(request, lambda: services.book_defaults(request.actor))


def _book_submit(request: HttpRequest, pk: int, action: Any, label: str) -> HttpResponse:
    def failure(exc: ServiceError) -> HttpResponse:
        book = services.get_book(request.actor, pk)
        return BOOK.page(
            request,
            book,
            [e for e in exc.errors if "." not in e.field],
            exc.status,
            declare_errors=[f"{label}失败: {exc.message}", *(e.message for e in exc.errors if "." in e.field)],
        )

    return _submit(request, pk, action, BOOK.detail, label, failure)


@require_POST
@actor_required
def book_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _book_submit(request, pk, services.send_book, "发送")


@require_POST
@actor_required
def book_declare(request: HttpRequest, pk: int) -> HttpResponse:
    return _book_submit(request, pk, services.declare_book, "申报")


@require_POST
@actor_required
def book_change(request: HttpRequest, pk: int) -> HttpResponse:
    """修改 an approved book: opens a 变更 (the grids become editable; 申报 sends the 变更)."""
    return _book_submit(request, pk, services.start_change, "变更")


@require_POST
@actor_required
def book_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor: Actor = request.actor
    try:
        services.delete_books(actor, [pk])
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return redirect("processing:book-detail", pk)
    messages.success(request, "账册已删除")
    return redirect("processing:book-list")


@require_GET
@actor_required
def book_lines(request: HttpRequest, pk: int, kind: str) -> JsonResponse:
    """Picker source of a book's 料件/成品 (备案序号 of 单损耗 and 核注清单): ``{"items": [{code, name}]}``,
    matching 序号, 料号, 商品编码 and 名称."""
    actor: Actor = request.actor
    book = services.get_book(actor, pk)
    model = views_grid.BOOK_MODELS.get(kind)
    if model is None or kind == "boms":
        raise Http404
    qs = model.objects.filter(book=book).exclude(modf_markcd="2").order_by("gds_seqno")
    q = (request.GET.get("q") or "").strip()
    if q:
        cond = models.Q(gds_mtno__icontains=q) | models.Q(gdecd__startswith=q) | models.Q(gds_nm__icontains=q)
        if q.isdigit():
            cond |= models.Q(gds_seqno=int(q))
        qs = qs.filter(cond)
    try:
        limit = max(1, min(int(request.GET.get("limit", 30)), 200))
    except ValueError:
        limit = 30
    items = [{"code": str(r.gds_seqno), "name": f"{r.gds_mtno} {r.gds_nm}".strip()} for r in qs[:limit]]
    return JsonResponse({"items": items})


@require_GET
@actor_required
def writeoff_index(request: HttpRequest) -> HttpResponse:
    """核销: the books with a number, each opening its 核销 view."""
    actor: Actor = request.actor
    return render(
        request,
        "processing/writeoff_index.html",
        {
            "page_title": "核销",
            "breadcrumbs": [("加工贸易账册", None), ("核销", None)],
            "books": _books_for_lists(actor),
        },
    )


@require_GET
@actor_required
def book_writeoff(request: HttpRequest, pk: int) -> HttpResponse:
    """核销: per 料件 imported vs consumed vs balance, a chart, and the Excel export (``?export=xlsx``)."""
    actor: Actor = request.actor
    book = services.get_book(actor, pk)
    summary = services.writeoff_summary(actor, pk)
    rows = summary["rows"]
    if request.GET.get("export") == "xlsx":
        return _writeoff_export(book, rows)
    top = sorted(rows, key=lambda r: r.imported, reverse=True)[:30]
    chart = {
        "names": [f"{r.gds_seqno} {r.g_name}" for r in top],
        "imported": [float(r.imported) for r in top],
        "consumed": [float(r.consumed) for r in top],
        "balance": [float(r.balance) for r in top],
        "totals": {k: float(v) for k, v in summary["totals"].items()},
    }
    try:
        page = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page = 1
    per_page = 200
    shown = rows[(page - 1) * per_page : page * per_page]
    return render(
        request,
        "processing/writeoff.html",
        {
            "page_title": f"核销 {book}",
            "breadcrumbs": [
                ("加工贸易账册", None),
                ("加工贸易账册", reverse("processing:book-list")),
                (str(book), reverse("processing:book-detail", args=[book.pk])),
                ("核销", None),
            ],
            "book": book,
            "rows": shown,
            "totals": summary["totals"],
            "chart": chart,
            "count": len(rows),
            "page": page,
            "pages": max(1, (len(rows) + per_page - 1) // per_page),
            "unit_names": {r.unit: params.code_name("units", r.unit) or r.unit for r in shown},
        },
    )


WRITEOFF_COLUMNS = (
    Column("gds_seqno", "料件序号", width=10),
    Column("gds_mtno", "料号", width=16),
    Column("code_ts", "商品编码", width=12),
    Column("g_name", "商品名称", width=24),
    Column("unit", "计量单位", width=8),
    Column("imported", "进口数量", width=14),
    Column("consumed", "耗用数量", width=14),
    Column("returned", "退运数量", width=14),
    Column("domestic_sold", "内销数量", width=14),
    Column("reserved", "预占数量", width=14),
    Column("balance", "余额", width=14),
)


def _writeoff_export(book: Book, rows: list[Any]) -> HttpResponse:
    from django.http import FileResponse

    handle = write_xlsx("核销", WRITEOFF_COLUMNS, rows)
    return FileResponse(handle, as_attachment=True, filename=f"核销_{book.ems_no or book.pk}.xlsx")


# ------------------------------------------------------------------------------ 保税核注清单


IE_LABEL = {"I": "进口", "E": "出口"}


def _books_for_lists(actor: Actor) -> list[Book]:
    return [b for b in services.list_books(actor) if b.ems_no]


def _ie_of(inventory: Inventory) -> str:
    return inventory.impexp_markcd if inventory.impexp_markcd in IE_LABEL else "I"


def _inventory_context(
    request: HttpRequest,
    inventory: Inventory | None,
    values: dict[str, Any],
    errors: list[FieldError],
    *,
    ie: str = "",
    readonly: bool = False,
    declare_errors: list[str] | None = None,
    row_errors: dict[int, str] | None = None,
) -> dict[str, Any]:
    actor: Actor = request.actor
    if inventory is not None:
        ie = _ie_of(inventory)
    list_url = reverse("processing:inventory-list", args=[ie])
    urls = {"new": reverse("processing:inventory-new", args=[ie]), "list": list_url}
    if inventory is None:
        urls["save"] = urls["new"]
    else:
        urls.update(
            save=reverse("processing:inventory-detail", args=[inventory.pk]),
            declare=reverse("processing:inventory-declare", args=[inventory.pk]),
            send=reverse("processing:inventory-send", args=[inventory.pk]),
            delete=reverse("processing:inventory-delete", args=[inventory.pk]),
            receipt=reverse("processing:receipt", args=["inventory", inventory.pk]),
        )
    label = f"保税核注清单({IE_LABEL[ie]})"
    ctx = _entry_context(
        request, inventory, Inventory, INVENTORY_HEAD, values, errors, title=label, list_url=list_url,
        target="inventories", kinds=(("items", "表体"),), readonly=readonly, row_errors=row_errors,
    )
    if ctx["editable"]:  # 备案编号: one of the enterprise's books with a number
        for w in ctx["widgets"]:
            if w["name"] == "putrec_no":
                w.update(
                    kind="choice",
                    choices=[(b.ems_no, f"{b.ems_no} {b.bizop_etps_nm}") for b in _books_for_lists(actor)],
                    maxlength=None,
                )
    return {
        **ctx,
        "page_title": label if inventory is None else f"{label} {inventory}",
        "ie": ie,
        "label": label,
        "declare_errors": declare_errors or [],
        "urls": urls,
        "declaration_url": (
            reverse("declarations:detail", args=[inventory.declaration_id])
            if inventory is not None and inventory.declaration_id
            else ""
        ),
    }


def _ie(value: str) -> str:
    if value not in IE_LABEL:
        raise Http404
    return value


INVENTORY = HeadEntry(
    spec=INVENTORY_HEAD,
    template="processing/inventory_entry.html",
    detail="processing:inventory-detail",
    get=services.get_inventory,
    create=lambda actor, head: services.create_inventory(actor, {**head, "items": []}),
    update=services.update_inventory,
    context=_inventory_context,
    created="暂存成功, 请录入表体",
)


@require_http_methods(["GET", "POST"])
@actor_required
def inventory_new(request: HttpRequest, ie: str) -> HttpResponse:
    ie = _ie(ie)
    book = request.GET.get("book") or None
    return INVENTORY.new(request, lambda: services.inventory_defaults(request.actor, ie, book), ie=ie)


@require_POST
@actor_required
def inventory_declare(request: HttpRequest, pk: int) -> HttpResponse:
    """申报: the balance check refuses an overdrawing list with one error per line, shown on the line."""
    return _inventory_submit(request, pk, "1")


@require_POST
@actor_required
def inventory_send(request: HttpRequest, pk: int) -> HttpResponse:
    """发送: to the Single Window as a temporary record (DelcareFlag 0), after the same checks."""
    return _inventory_submit(request, pk, "0")


def _inventory_submit(request: HttpRequest, pk: int, flag: str) -> HttpResponse:
    actor: Actor = request.actor
    label = "申报" if flag == "1" else "发送"
    try:
        inventory = services.declare_inventory(actor, pk, delcare_flag=flag)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        inventory = services.get_inventory(actor, pk)
        ids = list(inventory.items.order_by("gds_seqno", "id").values_list("pk", flat=True))
        on_rows, texts = _grid_errors(exc, {"items": ids})
        return INVENTORY.page(
            request,
            inventory,
            [e for e in exc.errors if "." not in e.field],
            exc.status,
            declare_errors=[f"{label}失败: {exc.message}", *texts],
            row_errors=on_rows.get("items"),
        )
    messages.success(request, f"{label}成功, 数据状态: {inventory.get_status_display()}")
    return redirect("processing:inventory-detail", inventory.pk)


@require_POST
@actor_required
def inventory_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor: Actor = request.actor
    inventory = services.get_inventory(actor, pk)
    try:
        services.delete_inventories(actor, [pk])
    except ServiceError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return redirect("processing:inventory-detail", pk)
    messages.success(request, "核注清单已删除")
    return redirect("processing:inventory-list", _ie_of(inventory))


# ------------------------------------------------------------------------------ 数据查询, 回执


DOC_KINDS = {"qualification": "企业资质申请", "book": "加工贸易账册"}


def queryable_enterprises(actor: Actor) -> list[tuple[str, str]]:
    """选择可查询企业: the enterprise itself and, for a broker, the approved clients it declares for
    (customers with a 海关编码); the documents are always the enterprise's own, filtered by 经营单位."""
    from guanwu.datacenter.customers import services as customers

    ent = actor.enterprise
    out = [(ent.customs_code, f"{ent.customs_code} {ent.name}")]
    seen = {ent.customs_code}
    for c in customers.search(actor, status="approved").exclude(customs_code="").order_by("name")[:500]:
        if c.customs_code not in seen:
            seen.add(c.customs_code)
            out.append((c.customs_code, f"{c.customs_code} {c.name}"))
    return out


ENTRIES: dict[str, HeadEntry] = {"qualification": QUALIFICATION, "book": BOOK, "inventory": INVENTORY}


def _get_doc(actor: Actor, kind: str, pk: Any) -> QualificationApplication | Book | Inventory:
    if kind not in ENTRIES:
        raise Http404
    return ENTRIES[kind].get(actor, pk)


@require_http_methods(["GET", "POST"])
@actor_required
def detail(request: HttpRequest, pk: int, doc: str) -> HttpResponse:
    """The page of a 企业资质申请, 账册 or 核注清单 (``doc``, from the URL): editable while 暂存/退单,
    read-only otherwise or with ``?view=1`` (查看明细)."""
    return ENTRIES[doc].show(request, pk)


@require_GET
@actor_required
def query(request: HttpRequest) -> HttpResponse:
    """加工贸易账册查询 (seed 四(四)): 选择可查询企业 is required, the other conditions optional; tick a
    row, then 查看明细 (read-only), 修改 (a 变更 once approved) or 查看回执 (the latest receipt)."""
    actor: Actor = request.actor
    enterprises = queryable_enterprises(actor)
    g = request.GET
    doc = g.get("doc") if g.get("doc") in DOC_KINDS else "qualification"
    chosen = g.get("enterprise", "")
    searched = "enterprise" in g
    error = ""
    results: list[Any] = []
    if searched:
        if not chosen:
            error = "请选择可查询企业"
        elif chosen not in dict(enterprises):
            error = "只能查询本企业及本企业代理申报的客户"
        else:
            qs = (
                services.list_applications(actor, status=g.get("status", ""))
                if doc == "qualification"
                else services.list_books(actor, status=g.get("status", ""))
            )
            qs = qs.filter(bizop_etpsno=chosen)
            if g.get("seq_no"):
                qs = qs.filter(seq_no__icontains=g["seq_no"].strip())
            if g.get("no"):
                no = g["no"].strip()
                qs = qs.filter(
                    models.Q(etps_preent_no__icontains=no)
                    | (models.Q(ems_no__icontains=no) if doc == "book" else models.Q(netwk_etps_arcrp_no__icontains=no))
                )
            for key, lookup in (("from", "gte"), ("to", "lte")):
                try:
                    day = dt.date.fromisoformat(g.get(key, ""))
                except ValueError:
                    continue
                qs = qs.filter(**{f"input_time__{lookup}": day})
            results = list(qs[:200])
    receipt = None
    selected = g.get("selected", "")
    if selected and g.get("show") == "receipt":
        obj = _get_doc(actor, doc, selected)
        receipt = services.receipt_box(actor, obj)
    return render(
        request,
        "processing/query.html",
        {
            "page_title": "加工贸易账册查询",
            "breadcrumbs": [("加工贸易账册", None), ("数据查询", None), ("加工贸易账册查询", None)],
            "enterprises": enterprises,
            "doc": doc,
            "docs": DOC_KINDS,
            "chosen": chosen,
            "error": error,
            "searched": searched,
            "results": results,
            "receipt": receipt,
            "selected": selected,
            "statuses": Status.choices,
            "q": g,
            "rows": [
                {
                    "obj": o,
                    "badge": status_badge(o),
                    "no": getattr(o, "ems_no", "") or getattr(o, "netwk_etps_arcrp_no", ""),
                }
                for o in results
            ],
        },
    )


@require_GET
@actor_required
def query_open(request: HttpRequest) -> HttpResponse:
    """The query's buttons on the ticked row: 查看明细, 修改, 查看回执 (all reads: nothing changes here;
    修改 of an approved book is offered as 变更 on the page it opens)."""
    actor: Actor = request.actor
    doc = request.GET.get("doc", "")
    if doc not in DOC_KINDS:
        raise Http404
    selected = request.GET.get("selected", "")
    action = request.GET.get("action", "")
    back = request.GET.copy()
    back.pop("action", None)
    if not selected:
        messages.error(request, "请先勾选一条数据")
        back.pop("selected", None)
        return redirect(f"{reverse('processing:query')}?{back.urlencode()}")
    obj = _get_doc(actor, doc, selected)
    if action == "receipt":
        back["show"] = "receipt"
        return redirect(f"{reverse('processing:query')}?{back.urlencode()}")
    url = reverse(ENTRIES[doc].detail, args=[obj.pk])
    return redirect(url + ("?view=1" if action == "detail" else ""))


@require_GET
@actor_required
def receipt(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """查看回执: the latest receipt in the seed's box (a fragment for htmx, else a page)."""
    actor: Actor = request.actor
    obj = _get_doc(actor, kind, pk)
    box = services.receipt_box(actor, obj)
    template = "processing/_receipt_box.html" if request.headers.get("HX-Request") else "processing/receipt.html"
    return render(
        request,
        template,
        {
            "receipt": box,
            "obj": obj,
            "page_title": f"回执 {obj}",
            "breadcrumbs": [("加工贸易账册", None), ("回执", None)],
        },
    )

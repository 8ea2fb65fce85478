"""Pages of 许可证管理 and 证书管理: lists on the shared ListPage, the 许可证新增 / 证书信息 forms,
detail pages with balances, usage history and the operation log. Logic lives in services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

from guanwu.core.errors import FieldError, ServiceError
from guanwu.datacenter.bizdocs import files
from guanwu.params import services as params
from guanwu.tenancy.context import Actor
from guanwu.ui.lists import (
    BulkAction,
    ChoiceFilter,
    Column,
    DateRangeFilter,
    ListPage,
    PageAction,
    RowAction,
    TextFilter,
)
from guanwu.ui.responses import actor_required

from . import services
from .models import EXPIRY_WARNING_DAYS, Certificate, CertificateType, Licence, ValidityStatus

STATUS_STYLE = {
    ValidityStatus.VALID: "success",
    ValidityStatus.EXPIRING: "warning",
    ValidityStatus.EXPIRED: "danger",
    ValidityStatus.EXHAUSTED: "secondary",
    ValidityStatus.NOT_YET: "info",
}
LICENCE_STATUS_CHOICES = [(s.value, s.label) for s in (
    ValidityStatus.VALID, ValidityStatus.EXPIRING, ValidityStatus.EXPIRED, ValidityStatus.EXHAUSTED,
    ValidityStatus.NOT_YET)]
CERTIFICATE_STATUS_CHOICES = [(s.value, s.label) for s in (
    ValidityStatus.VALID, ValidityStatus.EXPIRING, ValidityStatus.EXPIRED)]


def status_badge(status: str):
    return format_html('<span class="badge text-bg-{} gw-status" data-status="{}">{}</span>',
                       STATUS_STYLE.get(status, "secondary"), status, ValidityStatus(status).label)


def code_text(table: str, code: str) -> str:
    if not code:
        return ""
    return f"{code} - {params.code_name(table, code) or ''}".strip(" -")


class LicenceStatusFilter(ChoiceFilter):
    def apply(self, qs, bound):
        return services.filter_licence_status(qs, bound.value) if bound.value else qs


class CertificateStatusFilter(ChoiceFilter):
    def apply(self, qs, bound):
        return services.filter_certificate_status(qs, bound.value) if bound.value else qs


class HsCodeFilter(TextFilter):
    def apply(self, qs, bound):
        if not bound.value:
            return qs
        return qs.filter(**{f"{self.fields[0]}__startswith": bound.value.strip()}).distinct()


def _licence_docs_choices(actor: Actor) -> list[tuple[str, str]]:
    used = (
        Licence.objects.for_enterprise(actor.enterprise).exclude(docu_code="")
        .order_by("docu_code").values_list("docu_code", flat=True).distinct()
    )
    return [(code, code_text("licence-docs", code)) for code in used]


def _balance(licence: Licence) -> str:
    parts = []
    for line in licence.lines.all():
        parts.append(f"{line.code_ts} {services.fmt_qty(line.remaining)}/{services.fmt_qty(line.qty)}"
                     f"{services.unit_name(line.unit)}")
    return "; ".join(parts)


# ============================================================================= licences


def _delete_licences(actor: Actor, ids: list[Any]) -> str:
    return f"已删除 {services.delete_licences(actor, ids)} 个许可证"


class LicenceList(ListPage):
    title = "许可证管理"
    breadcrumbs = (("资料中心", None), ("许可证管理", None))
    prefetch_related = ("lines",)
    filters = (
        TextFilter("q", "许可证编号/持证单位/商品名称",
                   fields=("licence_no", "holder_name", "issuer", "lines__g_name")),
        ChoiceFilter("docu_code", "监管证件", field="docu_code", choices=_licence_docs_choices),
        HsCodeFilter("code_ts", "商品编号", fields=("lines__code_ts",), placeholder="前几位即可"),
        LicenceStatusFilter("status", "状态", choices=LICENCE_STATUS_CHOICES),
        DateRangeFilter("valid_to", "有效期止", field="valid_to"),
    )
    columns = (
        Column("licence_no", "许可证编号", sortable=True, link="datacenter:licence-detail",
               css_class="text-nowrap font-monospace", width=22),
        Column("docu_code", "监管证件", value=lambda o: code_text("licence-docs", o.docu_code), sortable=True,
               width=24),
        Column("licence_type", "许可证类别", value=lambda o: code_text("licence-types", o.licence_type), width=24),
        Column("holder_name", "持证单位", sortable=True, width=28),
        Column("issuer", "发证机关", width=20),
        Column("valid_from", "有效期起", sortable=True, css_class="text-nowrap"),
        Column("valid_to", "有效期止", sortable=True, css_class="text-nowrap"),
        Column("status", "状态", value=lambda o: o.status_label(), css_class="text-nowrap"),
        Column("balance", "余量/许可数量", value=_balance, width=40),
        Column("created_at", "创建时间", sortable=True, css_class="text-nowrap", width=18),
    )
    ordering = ("valid_to", "-id")
    page_actions = (PageAction("新增", "datacenter:licence-create", icon="bi-plus-lg"),)
    row_actions = (
        RowAction("修改", "datacenter:licence-edit", method="get", style="outline-primary"),
    )
    bulk_actions = (
        BulkAction("delete", "删除", _delete_licences, confirm="确定删除所选许可证? 已有核销记录的不能删除",
                   style="outline-danger", icon="bi-trash"),
    )
    import_spec = "licences"
    import_label = "导入"
    export_name = "许可证"
    template_name = "licences/licence_list.html"
    STATUS_COLUMN = 7

    def queryset(self, actor: Actor):
        return services.licences(actor)

    def rows(self, objects, back):
        rows = super().rows(objects, back)
        for row in rows:
            row.cells[self.STATUS_COLUMN].text = status_badge(row.obj.status())
        return rows

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["expiring"] = services.expiring(self.actor.enterprise)
        context["warning_days"] = EXPIRY_WARNING_DAYS
        return context


licence_list = LicenceList.as_view()


def _licence_form_values(licence: Licence | None, actor: Actor) -> dict[str, Any]:
    if licence is None:
        ent = actor.enterprise
        today = timezone.localdate()
        return {"licence_no": "", "docu_code": "", "licence_type": "", "holder_name": ent.name,
                "holder_code": ent.customs_code, "issuer": "", "valid_from": today.isoformat(),
                "valid_to": "", "note": "", "lines": [{}]}
    values = {name: getattr(licence, name) for name in services.LICENCE_FIELDS}
    for name in ("valid_from", "valid_to"):
        values[name] = values[name].isoformat() if values[name] else ""
    values["lines"] = [
        {"id": line.pk, "code_ts": line.code_ts, "g_name": line.g_name, "qty": services.fmt_qty(line.qty),
         "unit": line.unit, "used_qty": services.fmt_qty(line.used_qty), "used": bool(line.used_qty)}
        for line in licence.lines.all()
    ]
    return values


def _posted_licence(request: HttpRequest) -> dict[str, Any]:
    post = request.POST
    data: dict[str, Any] = {name: post.get(name, "") for name in services.LICENCE_FIELDS}
    columns = {name: post.getlist(f"line_{name}") for name in ("id", "code_ts", "g_name", "qty", "unit")}
    count = max((len(v) for v in columns.values()), default=0)
    lines = []
    for i in range(count):
        row = {name: (values[i] if i < len(values) else "").strip() for name, values in columns.items()}
        if not any(row[k] for k in ("code_ts", "g_name", "qty")) and not row["id"]:
            continue
        lines.append(row)
    data["lines"] = lines
    return data


def _errors_by_field(exc: ServiceError) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for error in exc.errors:
        out.setdefault(error.field or "__all__", []).append(error.message)
    return out


def _line_errors(errors: dict[str, list[str]], count: int) -> list[dict[str, list[str]]]:
    rows: list[dict[str, list[str]]] = [{} for _ in range(count)]
    for key, msgs in errors.items():
        if key.startswith("lines[") and "]" in key:
            index = int(key[6:key.index("]")])
            name = key[key.index("]") + 2:] if "." in key else "__row__"
            if index < count:
                rows[index].setdefault(name, []).extend(msgs)
    return rows


def _licence_form(request: HttpRequest, licence: Licence | None) -> HttpResponse:
    actor: Actor = request.actor
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data = _posted_licence(request)
        try:
            if licence is None:
                saved = services.create_licence(actor, data)
                messages.success(request, f"已新增{saved}")
            else:
                saved = services.update_licence(actor, licence.pk, data)
                messages.success(request, f"已保存{saved}")
        except ServiceError as exc:
            if exc.status != 422:
                raise
            errors = _errors_by_field(exc)
            values = {**data, "lines": data["lines"] or [{}]}
            if licence is not None:  # keep the used quantities beside the posted lines
                used = {str(line.pk): line for line in licence.lines.all()}
                for row in values["lines"]:
                    line = used.get(str(row.get("id") or ""))
                    if line is not None:
                        row["used_qty"] = services.fmt_qty(line.used_qty)
                        row["used"] = bool(line.used_qty)
        else:
            if "add_another" in request.POST:
                return redirect("datacenter:licence-create")
            return redirect("datacenter:licence-detail", saved.pk)
    else:
        values = _licence_form_values(licence, actor)
    line_errors = _line_errors(errors, len(values["lines"]))
    lines = [
        {**row, "errors": line_errors[i], "unit_name": services.unit_name(row["unit"]) if row.get("unit") else ""}
        for i, row in enumerate(values["lines"])
    ]
    title = "许可证新增" if licence is None else "许可证修改"
    crumbs = [("资料中心", None), ("许可证管理", reverse("datacenter:licence-list"))]
    if licence is not None:
        crumbs.append((licence.licence_no, reverse("datacenter:licence-detail", args=[licence.pk])))
    crumbs.append((title, None))
    return render(request, "licences/licence_form.html", {
        "page_title": title, "breadcrumbs": crumbs, "licence": licence, "values": values, "lines": lines,
        "errors": errors, "names": {
            "docu_code": params.code_name("licence-docs", values.get("docu_code")) or "",
            "licence_type": params.code_name("licence-types", values.get("licence_type")) or "",
        },
        "line_error_list": [m for k, msgs in errors.items() if k == "lines" for m in msgs],
        "other_errors": [m for k, msgs in errors.items() if k == "__all__" for m in msgs],
    }, status=422 if errors else 200)


@actor_required
def licence_create(request: HttpRequest) -> HttpResponse:
    return _licence_form(request, None)


@actor_required
def licence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _licence_form(request, services.get_licence(request.actor, pk))


@actor_required
@require_GET
def licence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    licence = services.get_licence(request.actor, pk)
    lines = list(licence.lines.all())
    for line in lines:
        line.qty_text, line.used_text = services.fmt_qty(line.qty), services.fmt_qty(line.used_qty)
        line.remaining_text, line.unit_text = services.fmt_qty(line.remaining), services.unit_name(line.unit)
    history = list(services.usages(licence).order_by("-created_at", "-id")[:200])
    for usage in history:
        usage.qty_text = f"{services.fmt_qty(usage.qty)}{services.unit_name(usage.line.unit)}"
    today = timezone.localdate()
    return render(request, "licences/licence_detail.html", {
        "page_title": str(licence),
        "breadcrumbs": [("资料中心", None), ("许可证管理", reverse("datacenter:licence-list")),
                        (licence.licence_no, None)],
        "licence": licence, "lines": lines, "history": history,
        "status": status_badge(licence.status(today)),
        "days_left": (licence.valid_to - today).days,
        "docu": code_text("licence-docs", licence.docu_code),
        "licence_type": code_text("licence-types", licence.licence_type),
    })


@actor_required
@require_POST
def licence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    licence = services.get_licence(request.actor, pk)
    try:
        services.delete_licence(request.actor, licence.pk)
    except ServiceError as exc:
        if exc.status != 422:
            raise
        messages.error(request, exc.message)
        return redirect("datacenter:licence-detail", licence.pk)
    messages.success(request, f"已删除{licence}")
    return redirect("datacenter:licence-list")


# ============================================================================= certificates


def _delete_certificates(actor: Actor, ids: list[Any]) -> str:
    return f"已删除 {services.delete_certificates(actor, ids)} 个证书"


def _goods_text(cert: Certificate) -> str:
    return "; ".join(str(g) for g in cert.goods.all())


class CertificateList(ListPage):
    title = "证书管理"
    breadcrumbs = (("资料中心", None), ("证书管理", None))
    prefetch_related = ("goods",)
    filters = (
        TextFilter("q", "证书编号/签发机构/商品名称", fields=("cert_no", "issuer", "goods__g_name")),
        ChoiceFilter("cert_type", "证书类型", field="cert_type", choices=CertificateType.choices),
        HsCodeFilter("code_ts", "商品编号", fields=("goods__code_ts",), placeholder="前几位即可"),
        CertificateStatusFilter("status", "状态", choices=CERTIFICATE_STATUS_CHOICES),
        DateRangeFilter("valid_to", "有效期至", field="valid_to"),
    )
    columns = (
        Column("cert_no", "证书编号", sortable=True, link="datacenter:certificate-detail",
               css_class="text-nowrap font-monospace", width=24),
        Column("cert_type", "证书类型", sortable=True, css_class="text-nowrap", width=16),
        Column("issuer", "签发机构", sortable=True, width=24),
        Column("issue_date", "签发日期", sortable=True, css_class="text-nowrap"),
        Column("valid_to", "有效期至", sortable=True, css_class="text-nowrap"),
        Column("status", "状态", value=lambda o: o.status_label(), css_class="text-nowrap"),
        Column("goods", "相关商品", value=_goods_text, width=40),
        Column("attachment_name", "附件", width=24),
        Column("created_at", "创建时间", sortable=True, css_class="text-nowrap", width=18),
    )
    ordering = ("-created_at", "-id")
    page_actions = (PageAction("新增", "datacenter:certificate-create", icon="bi-plus-lg"),)
    row_actions = (RowAction("修改", "datacenter:certificate-edit", method="get", style="outline-primary"),)
    bulk_actions = (
        BulkAction("delete", "删除", _delete_certificates, confirm="确定删除所选证书?", style="outline-danger",
                   icon="bi-trash"),
    )
    export_name = "证书"
    template_name = "licences/certificate_list.html"
    STATUS_COLUMN = 5

    def queryset(self, actor: Actor):
        return services.certificates(actor)

    def rows(self, objects, back):
        rows = super().rows(objects, back)
        for row in rows:
            row.cells[self.STATUS_COLUMN].text = status_badge(row.obj.status())
        return rows

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["expiring"] = [e for e in services.expiring(self.actor.enterprise) if e.kind == "certificate"]
        context["warning_days"] = EXPIRY_WARNING_DAYS
        return context


certificate_list = CertificateList.as_view()


def _certificate_values(cert: Certificate | None) -> dict[str, Any]:
    if cert is None:
        return {"cert_type": "", "cert_no": "", "issuer": "", "issue_date": "", "valid_to": "", "note": "",
                "goods": [{}]}
    values = {name: getattr(cert, name) for name in services.CERTIFICATE_FIELDS}
    for name in ("issue_date", "valid_to"):
        values[name] = values[name].isoformat() if values[name] else ""
    values["goods"] = [{"code_ts": g.code_ts, "g_name": g.g_name} for g in cert.goods.all()] or [{}]
    return values


def _posted_certificate(request: HttpRequest) -> dict[str, Any]:
    post = request.POST
    data: dict[str, Any] = {name: post.get(name, "") for name in services.CERTIFICATE_FIELDS}
    codes, names = post.getlist("goods_code_ts"), post.getlist("goods_g_name")
    data["goods"] = [
        {"code_ts": (codes[i] if i < len(codes) else "").strip(),
         "g_name": (names[i] if i < len(names) else "").strip()}
        for i in range(max(len(codes), len(names)))
    ]
    return data


def _certificate_form(request: HttpRequest, cert: Certificate | None) -> HttpResponse:
    actor: Actor = request.actor
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        too_large = files.request_too_large(request.META.get("CONTENT_LENGTH"))
        data = _posted_certificate(request) if too_large is None else {
            **_certificate_values(cert), "goods": []}
        upload = request.FILES.get("attachment") if too_large is None else None
        try:
            if too_large is not None:
                raise ServiceError.fields([FieldError("attachment", too_large.message)], too_large.message)
            if cert is None:
                saved = services.create_certificate(actor, data, upload)
                messages.success(request, f"已新增{saved}")
            else:
                saved = services.update_certificate(actor, cert.pk, data, upload,
                                                    remove_attachment=request.POST.get("remove_attachment") == "1")
                messages.success(request, f"已保存{saved}")
        except ServiceError as exc:
            if exc.status != 422:
                raise
            errors = _errors_by_field(exc)
            values = {**data, "goods": [g for g in data["goods"] if g["code_ts"] or g["g_name"]] or [{}]}
        else:
            if "add_another" in request.POST:
                return redirect("datacenter:certificate-create")
            return redirect("datacenter:certificate-detail", saved.pk)
    else:
        values = _certificate_values(cert)
    title = "证书信息" + ("(新增)" if cert is None else "(修改)")
    crumbs = [("资料中心", None), ("证书管理", reverse("datacenter:certificate-list"))]
    if cert is not None:
        crumbs.append((cert.cert_no, reverse("datacenter:certificate-detail", args=[cert.pk])))
    crumbs.append(("新增" if cert is None else "修改", None))
    goods_errors: list[dict[str, list[str]]] = [{} for _ in values["goods"]]
    for key, msgs in errors.items():
        if key.startswith("goods[") and "]" in key:
            index = int(key[6:key.index("]")])
            if index < len(goods_errors):
                goods_errors[index].setdefault(key.rsplit(".", 1)[-1], []).extend(msgs)
    return render(request, "licences/certificate_form.html", {
        "page_title": title, "breadcrumbs": crumbs, "cert": cert, "values": values, "errors": errors,
        "goods": [{**g, "errors": goods_errors[i]} for i, g in enumerate(values["goods"])],
        "types": CertificateType.choices, "max_size": files.human_size(files.max_document_bytes()),
        "accept": ",".join(f".{ext}" for key in services.ATTACHMENT_KINDS for ext in files.KINDS[key].extensions),
        "other_errors": [m for k, msgs in errors.items() if k in ("__all__", "goods") for m in msgs],
    }, status=422 if errors else 200)


@actor_required
def certificate_create(request: HttpRequest) -> HttpResponse:
    return _certificate_form(request, None)


@actor_required
def certificate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _certificate_form(request, services.get_certificate(request.actor, pk))


@actor_required
@require_GET
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cert = services.get_certificate(request.actor, pk)
    today = timezone.localdate()
    return render(request, "licences/certificate_detail.html", {
        "page_title": str(cert),
        "breadcrumbs": [("资料中心", None), ("证书管理", reverse("datacenter:certificate-list")), (cert.cert_no, None)],
        "cert": cert, "goods": list(cert.goods.all()), "status": status_badge(cert.status(today)),
        "days_left": (cert.valid_to - today).days if cert.valid_to else None,
        "size": files.human_size(cert.attachment_size),
    })


@actor_required
@require_GET
def certificate_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    cert = services.get_certificate(request.actor, pk)
    if not cert.attachment:
        raise Http404("该证书没有附件")
    kind = files.KINDS.get(files.extension(cert.attachment.name)) or files.KINDS.get("pdf")
    try:
        handle = cert.attachment.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件不存在") from None
    inline = request.GET.get("inline") == "1"
    return FileResponse(handle, as_attachment=not inline, filename=cert.attachment_name or cert.attachment.name,
                        content_type=kind.content_type if kind else "application/octet-stream")


@actor_required
@require_POST
def certificate_delete(request: HttpRequest, pk: int) -> HttpResponse:
    cert = services.get_certificate(request.actor, pk)
    services.delete_certificate(request.actor, cert.pk)
    messages.success(request, f"已删除{cert}")
    return redirect("datacenter:certificate-list")


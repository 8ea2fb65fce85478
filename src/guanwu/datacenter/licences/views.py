"""许可证管理 and 证书管理 as declared CRUD modules (``ui.crud``; their goods rows are the services'
``RowsSpec``): their lists, the detail pages with balances and usage history. Logic lives in services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html

from guanwu.tenancy.context import Actor
from guanwu.ui.crud import CrudModule
from guanwu.ui.lists import ChoiceFilter, Column, DateRangeFilter, ListPage, TextFilter

from . import services
from .models import EXPIRY_WARNING_DAYS, Certificate, CertificateType, Licence, ValidityStatus

STATUS_STYLE = {
    ValidityStatus.VALID: "success",
    ValidityStatus.EXPIRING: "warning",
    ValidityStatus.EXPIRED: "danger",
    ValidityStatus.EXHAUSTED: "secondary",
    ValidityStatus.NOT_YET: "info",
}
CERTIFICATE_STATUS_CHOICES = [(s.value, s.label) for s in (
    ValidityStatus.VALID, ValidityStatus.EXPIRING, ValidityStatus.EXPIRED)]
LICENCE_STATUS_CHOICES = [*CERTIFICATE_STATUS_CHOICES, *((s.value, s.label) for s in (
    ValidityStatus.EXHAUSTED, ValidityStatus.NOT_YET))]


def status_badge(status: str):
    return format_html('<span class="badge text-bg-{} gw-status" data-status="{}">{}</span>',
                       STATUS_STYLE.get(status, "secondary"), status, ValidityStatus(status).label)


DOCU, LICENCE_TYPE = services.LICENCE_SPEC["docu_code"].display, services.LICENCE_SPEC["licence_type"].display


class StatusFilter(ChoiceFilter):
    def apply(self, qs, bound):
        return services.filter_status(qs, bound.value)


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
    return [(code, DOCU(code)) for code in used]


def _balance(licence: Licence) -> str:
    return "; ".join(f"{line.code_ts} {services.fmt_qty(line.remaining)}/{services.qty_text(line.qty, line.unit)}"
                     for line in licence.lines.all())


# ============================================================================= lists


class ValidityList(ListPage):
    """A list with the expiring records above it."""

    expiring_kinds: tuple[str, ...] = ("licence", "certificate")

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        context["expiring"] = [e for e in services.expiring(self.actor.enterprise) if e.kind in self.expiring_kinds]
        context["warning_days"] = EXPIRY_WARNING_DAYS
        return context


class LicenceList(ValidityList):
    title = "许可证管理"
    breadcrumbs = (("资料中心", None), ("许可证管理", None))
    prefetch_related = ("lines",)
    filters = (
        TextFilter("q", "许可证编号/持证单位/商品名称",
                   fields=services.LICENCES.search_fields),
        ChoiceFilter("docu_code", "监管证件", field="docu_code", choices=_licence_docs_choices),
        HsCodeFilter("code_ts", "商品编号", fields=("lines__code_ts",), placeholder="前几位即可"),
        StatusFilter("status", "状态", choices=LICENCE_STATUS_CHOICES),
        DateRangeFilter("valid_to", "有效期止", field="valid_to"),
    )
    columns = (
        Column("licence_no", "许可证编号", sortable=True, link="datacenter:licence-detail",
               css_class="text-nowrap font-monospace", width=22),
        Column("docu_code", "监管证件", value=lambda o: DOCU(o.docu_code), sortable=True,
               width=24),
        Column("licence_type", "许可证类别", value=lambda o: LICENCE_TYPE(o.licence_type), width=24),
        Column("holder_name", "持证单位", sortable=True, width=28),
        Column("issuer", "发证机关", width=20),
        Column("valid_from", "有效期起", sortable=True, css_class="text-nowrap"),
        Column("valid_to", "有效期止", sortable=True, css_class="text-nowrap"),
        Column("status", "状态", value=lambda o: o.status_label(), css_class="text-nowrap",
               html=lambda o: status_badge(o.status())),
        Column("balance", "余量/许可数量", value=_balance, width=40),
        Column("created_at", "创建时间", sortable=True, css_class="text-nowrap", width=18),
    )
    ordering = ("valid_to", "-id")
    import_spec = "licences"
    import_label = "导入"
    template_name = "licences/licence_list.html"


def _goods_text(cert: Certificate) -> str:
    return "; ".join(str(g) for g in cert.goods.all())


class CertificateList(ValidityList):
    title = "证书管理"
    breadcrumbs = (("资料中心", None), ("证书管理", None))
    prefetch_related = ("goods",)
    filters = (
        TextFilter("q", "证书编号/签发机构/商品名称", fields=services.CERTIFICATES.search_fields),
        ChoiceFilter("cert_type", "证书类型", field="cert_type", choices=CertificateType.choices),
        HsCodeFilter("code_ts", "商品编号", fields=("goods__code_ts",), placeholder="前几位即可"),
        StatusFilter("status", "状态", choices=CERTIFICATE_STATUS_CHOICES),
        DateRangeFilter("valid_to", "有效期至", field="valid_to"),
    )
    columns = (
        Column("cert_no", "证书编号", sortable=True, link="datacenter:certificate-detail",
               css_class="text-nowrap font-monospace", width=24),
        Column("cert_type", "证书类型", sortable=True, css_class="text-nowrap", width=16),
        Column("issuer", "签发机构", sortable=True, width=24),
        Column("issue_date", "签发日期", sortable=True, css_class="text-nowrap"),
        Column("valid_to", "有效期至", sortable=True, css_class="text-nowrap"),
        Column("status", "状态", value=lambda o: o.status_label(), css_class="text-nowrap",
               html=lambda o: status_badge(o.status())),
        Column("goods", "相关商品", value=_goods_text, width=40),
        Column("attachment_name", "附件", width=24),
        Column("created_at", "创建时间", sortable=True, css_class="text-nowrap", width=18),
    )
    ordering = ("-created_at", "-id")
    template_name = "licences/certificate_list.html"
    expiring_kinds = ("certificate",)


# ============================================================================= forms and pages


class LicenceModule(CrudModule):
    key, path, title = "licence", "licences", "许可证管理"
    services = services.LICENCES
    list_class = LicenceList
    delete_confirm = "确定删除所选许可证? 已有核销记录的不能删除"
    importable = False  # the two-sheet import of imports.py
    detail_template = "licences/licence_detail.html"

    def label_of(self, obj: Licence) -> str:
        return obj.licence_no

    def form_title(self, obj: Licence | None) -> str:
        return "许可证新增" if obj is None else "许可证修改"

    def initial(self, actor: Actor) -> dict[str, Any]:
        ent = actor.enterprise
        return {"holder_name": ent.name, "holder_code": ent.customs_code, "valid_from": timezone.localdate()}

    def detail_context(self, request: HttpRequest, obj: Licence) -> dict[str, Any]:
        lines = list(obj.lines.all())
        for line in lines:
            line.qty_text, line.used_text = services.fmt_qty(line.qty), services.fmt_qty(line.used_qty)
            line.remaining_text, line.unit_text = services.fmt_qty(line.remaining), services.unit_name(line.unit)
        history = list(services.usages(obj).order_by("-created_at", "-id")[:200])
        for usage in history:
            usage.qty_text = services.qty_text(usage.qty, usage.line.unit)
        today = timezone.localdate()
        return {
            "page_title": str(obj), "licence": obj, "lines": lines, "history": history,
            "status": status_badge(obj.status(today)), "days_left": (obj.valid_to - today).days,
            "docu": DOCU(obj.docu_code),
            "licence_type": LICENCE_TYPE(obj.licence_type),
        }


class CertificateModule(CrudModule):
    key, path, title = "certificate", "certificates", "证书管理"
    services = services.CERTIFICATES
    list_class = CertificateList
    detail_template = "licences/certificate_detail.html"
    sections = (("证书信息", ("cert_type", "cert_no", "issuer", "issue_date", "valid_to", "note")),)

    def label_of(self, obj: Certificate) -> str:
        return obj.cert_no

    def form_title(self, obj: Certificate | None) -> str:
        return "证书信息" + ("(新增)" if obj is None else "(修改)")

    def detail_context(self, request: HttpRequest, obj: Certificate) -> dict[str, Any]:
        days_left = (obj.valid_to - timezone.localdate()).days if obj.valid_to else None
        return {"page_title": str(obj), "cert": obj, "goods": list(obj.goods.all()), "days_left": days_left,
                "status_badge": status_badge(obj.status())}


LICENCES = LicenceModule()
CERTIFICATES = CertificateModule()

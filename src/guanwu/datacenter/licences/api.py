"""``/api/v1/licences`` and ``/api/v1/certificates``: list with filters, create, read, update,
delete; certificate attachments as multipart upload and download. Thin over services.

Bodies are optional in the signatures so that another enterprise's id answers 404 whatever was
sent; the services say what is missing or wrong (422 with ``errors[].field``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Router, Schema
from pydantic import Field

from guanwu.apikit.params import Id, IsoDate, Limit, Offset, page
from guanwu.core.fields import FieldSpec
from guanwu.params import services as params

from . import services
from .models import Certificate, CertificateGoods, Licence, LicenceLine, LicenceUsage
from .views import CERTIFICATES, LICENCES

router = Router(tags=["许可证与证书"])

PAGE_LIMIT = 200


# ------------------------------------------------------------------------------ schemas


LicenceLineIn = services.LINE_SPEC.schema_in("LicenceLineIn", id=(Id | None, Field(None, title="商品行ID")))
LicenceIn = services.LICENCE_SPEC.schema_in(
    "LicenceIn", lines=(list[LicenceLineIn] | None, Field(None, title="商品信息", description="给出时整体替换商品行")))


class LicenceLineOut(Schema):
    id: int
    line_no: int
    code_ts: str
    g_name: str
    qty: Decimal
    unit: str
    unit_name: str
    used_qty: Decimal
    remaining: Decimal


class UsageOut(Schema):
    id: int
    line_id: int
    line_no: int
    code_ts: str
    declaration_id: int
    entry_id: str
    seq_no: str
    qty: Decimal
    g_nos: str
    note: str
    created_at: dt.datetime


class LicenceOut(Schema):
    id: int
    licence_no: str
    docu_code: str
    docu_name: str
    licence_type: str
    licence_type_name: str
    holder_name: str
    holder_code: str
    issuer: str
    valid_from: dt.date
    valid_to: dt.date
    note: str
    status: str
    status_display: str
    lines: list[LicenceLineOut]
    usages: list[UsageOut] | None = None
    created_at: dt.datetime
    updated_at: dt.datetime


class LicenceList(Schema):
    count: int
    offset: int
    limit: int
    results: list[LicenceOut]


CertificateGoodsIn = FieldSpec.from_model(CertificateGoods, ["code_ts", "g_name"]).schema_in("CertificateGoodsIn")
CertificateIn = services.CERTIFICATE_SPEC.schema_in(
    "CertificateIn", goods=(list[CertificateGoodsIn] | None, Field(None, title="相关商品")))


class CertificateGoodsOut(Schema):
    code_ts: str
    g_name: str


class CertificateOut(Schema):
    id: int
    cert_type: str
    cert_type_display: str
    cert_no: str
    issuer: str
    issue_date: dt.date | None
    valid_to: dt.date | None
    note: str
    status: str
    status_display: str
    goods: list[CertificateGoodsOut]
    attachment_name: str
    attachment_size: int | None
    attachment_url: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class CertificateList(Schema):
    count: int
    offset: int
    limit: int
    results: list[CertificateOut]


# ------------------------------------------------------------------------------ output


def _line_out(line: LicenceLine) -> dict[str, Any]:
    return {
        "id": line.pk, "line_no": line.line_no, "code_ts": line.code_ts, "g_name": line.g_name, "qty": line.qty,
        "unit": line.unit, "unit_name": params.code_name("units", line.unit) or "", "used_qty": line.used_qty,
        "remaining": line.remaining,
    }


def _usage_out(usage: LicenceUsage) -> dict[str, Any]:
    return {
        "id": usage.pk, "line_id": usage.line_id, "line_no": usage.line.line_no, "code_ts": usage.line.code_ts,
        "declaration_id": usage.declaration_id, "entry_id": usage.declaration.entry_id,
        "seq_no": usage.declaration.seq_no, "qty": usage.qty, "g_nos": usage.g_nos, "note": usage.note,
        "created_at": usage.created_at,
    }


def licence_out(licence: Licence, *, with_usages: bool = False) -> dict[str, Any]:
    status = licence.status()
    out = {
        "id": licence.pk,
        **{name: getattr(licence, name) for name in services.LICENCE_FIELDS},
        "docu_name": params.code_name("licence-docs", licence.docu_code) or "",
        "licence_type_name": params.code_name("licence-types", licence.licence_type) or "",
        "status": status,
        "status_display": licence.status_label(),
        "lines": [_line_out(line) for line in licence.lines.all()],
        "created_at": licence.created_at,
        "updated_at": licence.updated_at,
    }
    if with_usages:
        out["usages"] = [_usage_out(u) for u in services.usages(licence)]
    return out


def certificate_out(cert: Certificate) -> dict[str, Any]:
    return {
        "id": cert.pk,
        **{name: getattr(cert, name) for name in services.CERTIFICATE_FIELDS},
        "cert_type_display": cert.get_cert_type_display(),
        "status": cert.status(),
        "status_display": cert.status_label(),
        "goods": [{"code_ts": g.code_ts, "g_name": g.g_name} for g in cert.goods.all()],
        "attachment_name": cert.attachment_name,
        "attachment_size": cert.attachment_size,
        "attachment_url": f"/api/v1/certificates/{cert.pk}/attachment" if cert.attachment else None,
        "created_at": cert.created_at,
        "updated_at": cert.updated_at,
    }


# ------------------------------------------------------------------------------ licences


@router.get("/licences", response=LicenceList, summary="许可证列表")
def list_licences(request, q: str = "", docu_code: str = "", status: str = "", code_ts: str = "",
                  expires_before: IsoDate | None = None, offset: Offset = 0, limit: Limit = 50):
    """``status``: valid 有效 / expiring 即将到期 / expired 已过期 / exhausted 已用完 / not_yet 未生效 /
    usable 今日可用; ``code_ts`` matches goods lines by prefix."""
    qs = services.search_licences(request.auth, q=q, docu_code=docu_code, status=status, code_ts=code_ts,
                                  expires_before=expires_before).order_by("valid_to", "id")
    p = page(qs.prefetch_related("lines"), offset, limit, max_limit=PAGE_LIMIT)
    return {"count": p.count, "offset": p.offset, "limit": p.limit, "results": [licence_out(r) for r in p.rows]}


def _licence_detail(licence: Licence) -> dict[str, Any]:
    return licence_out(licence, with_usages=True)


LICENCES.router(router, schema_in=LicenceIn, schema_out=LicenceOut, out=_licence_detail,
                pages=("create", "get", "update", "delete"))


# ------------------------------------------------------------------------------ certificates


@router.get("/certificates", response=CertificateList, summary="证书列表")
def list_certificates(request, q: str = "", cert_type: str = "", status: str = "", code_ts: str = "",
                      offset: Offset = 0, limit: Limit = 50):
    """``status``: valid 有效 / expiring 即将到期 / expired 已过期."""
    qs = services.search_certificates(request.auth, q=q, cert_type=cert_type, status=status,
                                      code_ts=code_ts).order_by("-created_at", "-id")
    p = page(qs.prefetch_related("goods"), offset, limit, max_limit=PAGE_LIMIT)
    return {"count": p.count, "offset": p.offset, "limit": p.limit, "results": [certificate_out(r) for r in p.rows]}


CERTIFICATES.router(router, schema_in=CertificateIn, schema_out=CertificateOut, out=certificate_out,
                    pages=("create", "get", "update", "delete"))

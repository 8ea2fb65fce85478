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

from guanwu.apikit.params import IsoDate, Limit, Offset, page_schema, paged
from guanwu.params import services as params

from . import services
from .models import Certificate, Licence, LicenceLine, LicenceUsage
from .views import CERTIFICATES, LICENCES

router = Router(tags=["许可证与证书"])

PAGE_LIMIT = 200


# ------------------------------------------------------------------------------ schemas


LicenceIn = services.LICENCE_SPEC.schema_in("LicenceIn", lines=services.LINES.schema_field(
    "LicenceLineIn", "给出时整体替换商品行"))


LicenceLineOut = services.LINE_SPEC.schema_out(
    "LicenceLineOut", displays=False, line_no=(int, Field(title="序号")), qty=(Decimal, Field(title="许可数量")),
    unit_name=(str, Field(title="计量单位名称")), used_qty=(Decimal, Field(title="已核销数量")),
    remaining=(Decimal, Field(title="余量")))


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


STAMPS = {"created_at": (dt.datetime, Field(title="创建时间")),
          "updated_at": (dt.datetime, Field(title="最近修改时间"))}
STATUS = {"status": (str, Field(title="状态代码")), "status_display": (str, Field(title="状态"))}
LicenceOut = services.LICENCE_SPEC.schema_out(
    "LicenceOut", displays=False, valid_from=(dt.date, Field(title="有效期起")),
    valid_to=(dt.date, Field(title="有效期止")), docu_name=(str, Field(title="监管证件名称")),
    licence_type_name=(str, Field(title="许可证类别名称")), **STATUS,
    lines=(list[LicenceLineOut], Field(title="商品信息")),
    usages=(list[UsageOut] | None, Field(None, title="核销记录")), **STAMPS,
)
LicenceList = page_schema("LicenceList", LicenceOut)


CertificateIn = services.CERTIFICATE_SPEC.schema_in(
    "CertificateIn", goods=services.GOODS.schema_field("CertificateGoodsIn"))


class CertificateGoodsOut(Schema):
    code_ts: str
    g_name: str


CertificateOut = services.CERTIFICATE_SPEC.schema_out(
    "CertificateOut", **STATUS, goods=(list[CertificateGoodsOut], Field(title="相关商品")),
    attachment_name=(str, Field(title="附件文件名")), attachment_size=(int | None, Field(title="附件大小")),
    attachment_url=(str | None, Field(title="附件下载地址")), **STAMPS,
)
CertificateList = page_schema("CertificateList", CertificateOut)


# ------------------------------------------------------------------------------ output


def _line_out(line: LicenceLine) -> dict[str, Any]:
    return {**services.LINE_SPEC.out(line), "line_no": line.line_no, "used_qty": line.used_qty,
            "unit_name": params.code_name("units", line.unit) or "", "remaining": line.remaining}


def _usage_out(usage: LicenceUsage) -> dict[str, Any]:
    return {
        "id": usage.pk, "line_id": usage.line_id, "line_no": usage.line.line_no, "code_ts": usage.line.code_ts,
        "declaration_id": usage.declaration_id, "entry_id": usage.declaration.entry_id,
        "seq_no": usage.declaration.seq_no, "qty": usage.qty, "g_nos": usage.g_nos, "note": usage.note,
        "created_at": usage.created_at,
    }


def licence_out(licence: Licence, *, with_usages: bool = False) -> dict[str, Any]:
    out = {
        **LICENCES.api_out(licence), "status": licence.status(),
        "docu_name": params.code_name("licence-docs", licence.docu_code) or "",
        "licence_type_name": params.code_name("licence-types", licence.licence_type) or "",
        "lines": [_line_out(line) for line in licence.lines.all()],
    }
    if with_usages:
        out["usages"] = [_usage_out(u) for u in services.usages(licence)]
    return out


def certificate_out(cert: Certificate) -> dict[str, Any]:
    return {**CERTIFICATES.api_out(cert), "status": cert.status(), "attachment_size": cert.attachment_size,
            "goods": [{"code_ts": g.code_ts, "g_name": g.g_name} for g in cert.goods.all()]}


# ------------------------------------------------------------------------------ licences


@router.get("/licences", response=LicenceList, summary="许可证列表")
def list_licences(request, q: str = "", docu_code: str = "", status: str = "", code_ts: str = "",
                  expires_before: IsoDate | None = None, offset: Offset = 0, limit: Limit = 50):
    """``status``: valid 有效 / expiring 即将到期 / expired 已过期 / exhausted 已用完 / not_yet 未生效 /
    usable 今日可用; ``code_ts`` matches goods lines by prefix."""
    qs = services.search_licences(request.auth, q=q, docu_code=docu_code, status=status, code_ts=code_ts,
                                  expires_before=expires_before).order_by("valid_to", "id")
    return paged(qs.prefetch_related("lines"), offset, limit, licence_out, max_limit=PAGE_LIMIT)


LICENCES.router(router, schema_in=LicenceIn, schema_out=LicenceOut, out=lambda lic: licence_out(lic, with_usages=True),
                pages=("create", "get", "update", "delete"))


# ------------------------------------------------------------------------------ certificates


@router.get("/certificates", response=CertificateList, summary="证书列表")
def list_certificates(request, q: str = "", cert_type: str = "", status: str = "", code_ts: str = "",
                      offset: Offset = 0, limit: Limit = 50):
    """``status``: valid 有效 / expiring 即将到期 / expired 已过期."""
    qs = services.search_certificates(request.auth, q=q, cert_type=cert_type, status=status,
                                      code_ts=code_ts).order_by("-created_at", "-id")
    return paged(qs.prefetch_related("goods"), offset, limit, certificate_out, max_limit=PAGE_LIMIT)


CERTIFICATES.router(router, schema_in=CertificateIn, schema_out=CertificateOut, out=certificate_out,
                    pages=("create", "get", "update", "delete"))

"""代理报关委托协议: the agreement between the 境内收发货人 (委托方) and the 申报单位 (被委托方),
generated from the declaration when the two differ."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import ServiceError
from guanwu.declarations.models import Declaration
from guanwu.declarations.services import get_declaration
from guanwu.params import services as params
from guanwu.tenancy.context import Actor

from ..documents import agreement_docx, plain_number
from ..models import AgencyAgreement, Counter

VALID_DAYS = 90
log = logging.getLogger(__name__)


def needs_agreement(declaration: Declaration) -> bool:
    """An agent declares for someone else: the 申报单位 is not the 境内收发货人."""
    pairs = ((declaration.agent_code, declaration.trade_code), (declaration.agent_code_scc, declaration.trade_co_scc))
    known = [(a.strip().upper(), t.strip().upper()) for a, t in pairs if a and t]
    if not known:
        return False
    return not any(a == t for a, t in known)


def _name(slug: str, code: str) -> str:
    if not code:
        return ""
    try:
        name = params.code_name(slug, code)
    except ServiceError:
        name = None
    return f"{code} {name}" if name else code


def agreement_data(declaration: Declaration) -> dict[str, Any]:
    items = list(declaration.items.order_by("g_no"))
    totals: dict[str, Decimal] = {}
    for item in items:
        totals[item.trade_curr or ""] = totals.get(item.trade_curr or "", Decimal("0")) + (item.decl_total or 0)
    today = timezone.localdate()
    return {
        "principal": {"name": declaration.trade_name, "code": declaration.trade_code, "scc": declaration.trade_co_scc},
        "agent": {"name": declaration.agent_name, "code": declaration.agent_code, "scc": declaration.agent_code_scc},
        "ie_flag": declaration.ie_flag,
        "ie_label": "进口" if declaration.ie_flag == "I" else "出口",
        "goods": [{"g_no": i.g_no, "g_name": i.g_name, "code_ts": i.code_ts, "qty": plain_number(i.g_qty),
                   "unit": params.code_name("units", i.g_unit) or i.g_unit if i.g_unit else "",
                   "total": plain_number(i.decl_total, places=2), "currency": i.trade_curr}
                  for i in items],
        "goods_summary": "、".join(i.g_name for i in items[:3]) + (f" 等{len(items)}项" if len(items) > 3 else ""),
        "code_ts": items[0].code_ts if items else "",
        "value": "; ".join(f"{curr} {total:.2f}" for curr, total in totals.items()),
        "trade_mode": _name("trade-modes", declaration.trade_mode),
        "ie_port": _name("customs-offices", declaration.ie_port),
        "bill_no": declaration.bill_no,
        "contr_no": declaration.contr_no,
        "ie_date": declaration.ie_date.isoformat() if declaration.ie_date else "",
        "sign_date": today.isoformat(),
        "valid_until": (today + dt.timedelta(days=VALID_DAYS)).isoformat(),
        "declaration_id": declaration.pk,
    }


def ensure_agreement(actor: Actor, declaration: Declaration, *, automatic: bool) -> tuple[AgencyAgreement, bool]:
    """The declaration's agreement, generated now when it has none; (agreement, created)."""
    existing = AgencyAgreement.objects.filter(declaration=declaration).first()
    if existing is not None:
        return existing, False
    number = f"WT{timezone.localdate():%Y%m%d}{Counter.next('agreement'):08d}"
    agreement = AgencyAgreement.objects.create(
        enterprise_id=declaration.enterprise_id, declaration=declaration, agreement_no=number,
        data=agreement_data(declaration), automatic=automatic, created_by=actor.user,
    )
    audit.record(actor, declaration, "生成代理报关委托协议", after=number,
                 opinion="智能辅助申报自动生成" if automatic else "")
    attach_document(actor, agreement)
    return agreement, True


AGREEMENT_EDOC_CODE = "10000001"  # 随附单据类别: 代理报关委托协议（电子）


def attach_document(actor: Actor, agreement: AgencyAgreement) -> None:
    """List the agreement among the declaration's 随附单据, as a .docx (data center's documents).

    A failure here (storage, a refused file) is logged and leaves the agreement without its
    document; it never fails the declaration."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from guanwu.datacenter.bizdocs import services as bizdocs

    content = agreement_docx(agreement.agreement_no, agreement.data, automatic=agreement.automatic)
    upload = SimpleUploadedFile(
        f"{agreement.agreement_no}.docx", content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    try:
        with transaction.atomic():
            bizdocs.upload_document(actor, agreement.declaration_id, edoc_code=AGREEMENT_EDOC_CODE, uploaded=upload)
    except ServiceError as exc:
        log.warning("agency agreement %s not attached: %s", agreement.agreement_no, exc.message)


@transaction.atomic
def generate(actor: Actor, declaration_id: int | str) -> AgencyAgreement:
    """手动生成 from the records page, for profiles without 自动生成."""
    declaration = get_declaration(actor, declaration_id, for_update=True)
    if not needs_agreement(declaration):
        raise ServiceError("申报单位与境内收发货人相同, 无需代理报关委托协议")
    agreement, _ = ensure_agreement(actor, declaration, automatic=False)
    return agreement


def get_agreement(actor: Actor, declaration_id: int | str) -> AgencyAgreement:
    from guanwu.core.errors import NotFound

    declaration = get_declaration(actor, declaration_id)
    agreement = AgencyAgreement.objects.filter(declaration=declaration).first()
    if agreement is None:
        raise NotFound("该报关单尚未生成代理报关委托协议")
    return agreement

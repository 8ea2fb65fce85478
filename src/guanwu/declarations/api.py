"""``/api/v1/declarations``: create, read, change, declare. JSON names are the model field names."""

from __future__ import annotations

from typing import Any

from ninja import Router, Status

from guanwu.apikit.openapi import file_answer
from guanwu.apikit.params import Limit, Offset, paged
from guanwu.core.downloads import inline_xml

from . import payload, services
from .decmessage import build_message
from .models import Declaration, Receipt
from .schemas import CheckOut, DeclarationIn, DeclarationOut, DeclarationPage, DeclarationSummary, PartyOut

router = Router(tags=["报关单"])

PAGE_LIMIT = 200


def receipt_out(r: Receipt) -> dict[str, Any]:
    return {
        "time": (r.notice_date or r.received_at).isoformat(),
        "kind": r.kind,
        "channel": r.channel,
        "text": r.channel_text,
        "note": r.note,
        "status": r.implied_status,
    }


def summary_out(d: Declaration) -> dict[str, Any]:
    return {
        "id": d.pk,
        "status": d.status,
        "status_label": d.get_status_display(),
        "ie_flag": d.ie_flag,
        "client_seq_no": d.client_seq_no or "",
        "seq_no": d.seq_no,
        "entry_id": d.entry_id,
        "trade_name": d.trade_name,
        "trade_mode": d.trade_mode,
        "bill_no": d.bill_no,
        "version": d.version,
        "created_at": d.created_at.isoformat(),
        "declared_at": d.declared_at.isoformat() if d.declared_at else None,
    }


def declaration_out(d: Declaration) -> dict[str, Any]:
    out = payload.to_payload(payload.from_instance(d))
    out.update(summary_out(d))
    out["reject_reason"] = d.reject_reason
    out["fail_reason"] = d.fail_reason
    out["receipts"] = [receipt_out(r) for r in d.receipts.order_by("received_at", "id")]
    warnings = getattr(d, "save_warnings", None)  # set by 暂存/修改
    if warnings is not None:
        out["warnings"] = [w.as_dict() for w in warnings]
    return out


@router.get("", response=DeclarationPage, exclude_unset=True, summary="报关单列表")
def list_declarations(request, status: str = "", ie_flag: str = "", q: str = "", offset: Offset = 0, limit: Limit = 50):
    return paged(services.list_declarations(request.auth, status=status, ie_flag=ie_flag, q=q), offset, limit,
                 summary_out, max_limit=PAGE_LIMIT)


@router.post("", response={201: DeclarationOut}, exclude_unset=True, summary="新建报关单(暂存)")
def create_declaration(request, data: DeclarationIn):
    declaration = services.create_draft(request.auth, data.raw())
    return Status(201, declaration_out(declaration))


@router.get("/parties/{code}", response=PartyOut, exclude_unset=True,
            summary="按海关编码或社会信用代码查企业(收发货人/申报单位)")
def find_party(request, code: str):
    return services.find_party(request.auth, code).as_dict()


@router.get("/{declaration_id}", response=DeclarationOut, exclude_unset=True, summary="报关单详情")
def get_declaration(request, declaration_id: int):
    return declaration_out(services.get_declaration(request.auth, declaration_id))


@router.put("/{declaration_id}", response=DeclarationOut, exclude_unset=True, summary="修改报关单")
def update_declaration(request, declaration_id: int, data: DeclarationIn | None = None):
    # The body is optional so that another enterprise's id answers 404 whatever was sent.
    return declaration_out(services.update_draft(request.auth, declaration_id, data.raw() if data else None))


@router.delete("/{declaration_id}", response={204: None}, summary="删除报关单")
def delete_declaration(request, declaration_id: int):
    services.delete_declarations(request.auth, [declaration_id])
    return Status(204, None)


@router.post("/{declaration_id}/check", response=CheckOut, exclude_unset=True, summary="申报前检查")
def check_declaration(request, declaration_id: int):
    findings = services.check_declaration(request.auth, declaration_id)
    return {"ok": findings.ok, "errors": [e.as_dict() for e in findings.errors],
            "warnings": [w.as_dict() for w in findings.warnings]}


@router.post("/{declaration_id}/declare", response={202: DeclarationSummary}, exclude_unset=True, summary="申报")
def declare(request, declaration_id: int):
    declaration = services.declare(request.auth, declaration_id)
    return Status(202, summary_out(declaration))


@router.post("/{declaration_id}/copy", response={201: DeclarationOut}, exclude_unset=True, summary="复制报关单")
def copy_declaration(request, declaration_id: int):
    return Status(201, declaration_out(services.copy_declaration(request.auth, declaration_id)))


@router.get("/{declaration_id}/message.xml", summary="报关单报文 DecMessage",
            openapi_extra=file_answer("application/xml", "DecMessage 报文 (XML)"))
def message_xml(request, declaration_id: int):
    declaration = services.get_declaration(request.auth, declaration_id)
    return inline_xml(build_message(declaration), f"DecMessage_{declaration.client_seq_no or declaration.pk}")

"""Receipts of the processing-trade family, applied once (the sha256 of the file is the receipt's
unique key: a file read twice is recorded once).

The gateway routes by the document root's local name (``gateway.registry``): the client's
``CommonResponeMessage`` and the customs receipts' ``Package`` (XML-DSig namespace; INV201,
INV202, INV211, EMS201, EMS211 inside, ``messages/sas/identify.py``).

Which document a receipt is about:

- CommonResponeMessage: the document whose 预录入统一编号 it carries, else the one sent and not
  yet answered whose 企业内部编号 (``etps_preent_no`` / INV101 ``etps_inner_invt_no``) it echoes;
- EMS201 (企业资质) / EMS211 (账册): ``HdeApprResult.etpsPreentNo`` = 预录入统一编号, else
  businessId = 档案库编号 / 账册编号;
- INV201 / INV211: the 预录入统一编号 (invtPreentNo / etpsPreentNo), else 清单编号; INV202: the
  核注清单预录入统一编号, else 清单编号.

What a receipt changes: only a document with customs (已发送/已申报/入库成功/转人工, and for a list
the states after approval for INV202/INV211) moves; a receipt of a document in any other state is
recorded and changes nothing (a late receipt never moves a status back). A list's balance state
follows (``services.balances``): customs passing it posts its quantities, 退单 or 导入失败
releases them; the book's balances are recomputed in the same transaction.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.messages import sas
from guanwu.messages.sas.receipts import ReceiptError
from guanwu.tenancy.context import Actor

from ..models import (
    BalanceState,
    Book,
    BookVersion,
    Inventory,
    ProcessingReceipt,
    QualificationApplication,
    QualificationVersion,
    Status,
)
from .balances import apply_list

# Roots the gateway sniffs for this family.
ROOT_TAGS = ("CommonResponeMessage", "Package")
WITH_CUSTOMS = frozenset({Status.SENT, Status.DECLARED, Status.ACCEPTED, Status.MANUAL_REVIEW})
# After approval a list still receives INV202 (报关单) and INV211 (核扣).
LIST_AFTER = frozenset({Status.APPROVED, Status.PRE_VERIFIED, Status.VERIFIED})
RANK = {Status.SENT: 1, Status.DECLARED: 1, Status.ACCEPTED: 2, Status.MANUAL_REVIEW: 3, Status.APPROVED: 4,
        Status.PRE_VERIFIED: 5, Status.VERIFIED: 6, Status.WRITTEN_OFF: 7}
ENDS = frozenset({Status.REJECTED, Status.FAILED, Status.DELETED})
POSTING = frozenset({Status.APPROVED, Status.PRE_VERIFIED, Status.VERIFIED, Status.WRITTEN_OFF})
RELEASING = frozenset({Status.REJECTED, Status.FAILED, Status.DELETED})


def dedupe_key(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def register() -> None:
    """Register the handlers with the gateway (``AppConfig.ready``)."""
    from guanwu.gateway.registry import register_handler

    for tag in ROOT_TAGS:
        register_handler(tag, apply_sas_receipt)


@transaction.atomic
def apply_sas_receipt(content: bytes, file_name: str = "") -> ProcessingReceipt | None:
    """The gateway's handler: parse, find the document, record the receipt, apply it. None when
    the file was applied before. Raises ReceiptError (Chinese) for a file that cannot be read or
    names no document of ours (the gateway quarantines it)."""
    key = dedupe_key(content)
    if ProcessingReceipt.objects.filter(dedupe_key=key).exists():
        return None
    receipt = sas.parse_sas_receipt(content)
    if isinstance(receipt, sas.CommonResponse):
        return _common(receipt, content, file_name, key)
    if isinstance(receipt, sas.EmsReceipt):
        return _ems(receipt, content, file_name, key)
    if isinstance(receipt, sas.Inv201Receipt):
        return _inv201(receipt, content, file_name, key)
    if isinstance(receipt, sas.Inv202Receipt):
        return _inv202(receipt, content, file_name, key)
    return _inv211(receipt, content, file_name, key)


# ----------------------------------------------------------------------------- recording


def _check_infos(receipt: Any) -> list[dict[str, Any]]:
    out = []
    for n, info in enumerate(getattr(receipt, "check_infos", ()), 1):
        line = sas.parse_check_line(info.note)
        out.append({"seqno": n, "note": info.note, "code": line.code, "text": line.text, "effect": line.effect})
    return out


def _record(obj: models.Model, receipt: Any, content: bytes, file_name: str, key: str, *, manage_result: str = "",
            text: str = "", implied: str | None = "", seq_no: str = "", business_id: str = "", rmk: str = "",
            when: Any = None) -> ProcessingReceipt:
    target = {QualificationApplication: "application", Book: "book", Inventory: "inventory"}[type(obj)]
    row = ProcessingReceipt(
        enterprise_id=obj.enterprise_id, message_type=receipt.kind, manage_result=manage_result[:8],
        manage_result_text=text[:100], implied_status=implied or "", seq_no=seq_no[:18], business_id=business_id[:64],
        rmk=rmk, check_infos=_check_infos(receipt), notice_date=when, file_name=file_name[:255],
        raw_xml=content.decode("utf-8", errors="replace"), dedupe_key=key, **{target: obj},
    )
    row.save(force_insert=True)
    return row


def _moves(obj: Any, implied: str | None, allowed: frozenset[str] = WITH_CUSTOMS) -> bool:
    """Whether the receipt moves the document: it is with customs and the new status is not behind."""
    if not implied or obj.status not in allowed:
        return False
    if implied in ENDS:
        return True
    return RANK.get(Status(implied), 0) >= RANK.get(Status(obj.status), 0)


def _log(obj: Any, receipt: ProcessingReceipt, before: str) -> None:
    audit.record(None, obj, f"回执{receipt.message_type}", before=before, after=obj.get_status_display(),
                 opinion=(receipt.manage_result_text or receipt.rmk)[:1000], enterprise=obj.enterprise_id)


# --------------------------------------------------------------------------------- finding

MODELS: tuple[tuple[type[models.Model], str], ...] = (
    (QualificationApplication, "etps_preent_no"), (Book, "etps_preent_no"), (Inventory, "etps_inner_invt_no"),
)


def _by_seq_no(seq_no: str, models_: tuple[type[models.Model], ...] | None = None) -> Any:
    if not seq_no:
        return None
    for model, _inner in MODELS:
        if models_ and model not in models_:
            continue
        obj = model.objects.select_for_update().filter(seq_no=seq_no).first()
        if obj is not None:
            return obj
    return None


def _common(receipt: sas.CommonResponse, content: bytes, file_name: str, key: str) -> ProcessingReceipt:
    obj = _by_seq_no(receipt.seq_no) if receipt.seq_no else None
    if obj is None and receipt.etps_preent_no:
        found = []
        for model, inner in MODELS:
            found += list(model.objects.select_for_update().filter(
                **{inner: receipt.etps_preent_no}, status__in=[Status.SENT, Status.DECLARED]).filter(seq_no=""))
        if len(found) > 1:
            raise ReceiptError(f"企业内部编号{receipt.etps_preent_no}对应多份待回执的单据, 无法确定回执所属")
        obj = found[0] if found else None
    if obj is None:
        raise ReceiptError(f"找不到回执对应的单据: 预录入统一编号{receipt.seq_no or '(空)'}, "
                           f"企业内部编号{receipt.etps_preent_no or '(空)'}")
    implied = receipt.implied_status
    record = _record(obj, receipt, content, file_name, key, manage_result=receipt.deal_flag, text=receipt.text,
                     implied=implied, seq_no=receipt.seq_no, rmk=receipt.check_info)
    before = obj.get_status_display()
    if obj.status in (Status.SENT, Status.DECLARED):
        if receipt.ok:
            if receipt.seq_no and not obj.seq_no:
                obj.seq_no = receipt.seq_no
        else:
            obj.status = Status.FAILED
        obj.save()
        if isinstance(obj, Inventory) and not receipt.ok:
            _release(obj)
    _log(obj, record, before)
    return record


def _ems(receipt: sas.EmsReceipt, content: bytes, file_name: str, key: str) -> ProcessingReceipt:
    result = receipt.result
    model: type[models.Model] = QualificationApplication if receipt.kind == "EMS201" else Book
    number_field = "netwk_etps_arcrp_no" if model is QualificationApplication else "ems_no"
    obj = _by_seq_no(result.etps_preent_no, (model,))
    if obj is None and result.business_id:
        obj = model.objects.select_for_update().filter(**{number_field: result.business_id}).order_by("-pk").first()
    if obj is None:
        raise ReceiptError(f"找不到{receipt.kind}回执对应的{model._meta.verbose_name}: "
                           f"预录入统一编号{result.etps_preent_no or '(空)'}, 业务编号{result.business_id or '(空)'}")
    implied = receipt.implied_status
    record = _record(obj, receipt, content, file_name, key, manage_result=result.manage_result,
                     text=receipt.manage_result_text, implied=implied, seq_no=result.etps_preent_no,
                     business_id=result.business_id, rmk=result.rmk, when=result.manage_date)
    before = obj.get_status_display()
    if _moves(obj, implied):
        if result.etps_preent_no and not obj.seq_no:
            obj.seq_no = result.etps_preent_no
        if implied == Status.APPROVED:
            if isinstance(obj, Book):
                from .books import approve

                approve(obj, result.business_id, result.manage_date)
            else:
                obj.status = Status.APPROVED
                obj.approved_at = timezone.now()
                obj.change_pending = False
                if result.business_id:
                    obj.netwk_etps_arcrp_no = result.business_id
                if obj.chg_tms_cnt:
                    obj.chg_appr_time = result.manage_date or obj.approved_at
                else:
                    obj.putrec_appr_time = result.manage_date or obj.approved_at
                obj.save()
                QualificationVersion.objects.filter(application=obj, chg_tms_cnt=obj.chg_tms_cnt or 0).update(
                    status=Status.APPROVED, approved_at=obj.approved_at)
        else:
            obj.status = implied
            obj.save()
            if isinstance(obj, Book) and implied in (Status.REJECTED, Status.FAILED):
                BookVersion.objects.filter(book=obj, chg_tms_cnt=obj.chg_tms_cnt).update(status=implied)
            elif implied in (Status.REJECTED, Status.FAILED):
                QualificationVersion.objects.filter(application=obj, chg_tms_cnt=obj.chg_tms_cnt or 0).update(
                    status=implied)
    _log(obj, record, before)
    return record


def _inventory(seq_no: str, bond_invt_no: str, what: str) -> Inventory:
    obj = _by_seq_no(seq_no, (Inventory,))
    if obj is None and bond_invt_no:
        obj = Inventory.objects.select_for_update().filter(bond_invt_no=bond_invt_no).order_by("-pk").first()
    if obj is None:
        raise ReceiptError(f"找不到{what}回执对应的核注清单: 预录入统一编号{seq_no or '(空)'}, "
                           f"清单编号{bond_invt_no or '(空)'}")
    return obj


def _post(inventory: Inventory) -> None:
    if inventory.balance_state == BalanceState.RESERVED:
        inventory.balance_state = BalanceState.POSTED
        inventory.save(update_fields=["balance_state", "updated_at"])
        apply_list(inventory, BalanceState.RESERVED, BalanceState.POSTED)


def _release(inventory: Inventory) -> None:
    if inventory.balance_state in (BalanceState.RESERVED, BalanceState.POSTED):
        old_state = inventory.balance_state
        inventory.balance_state = BalanceState.RELEASED
        inventory.save(update_fields=["balance_state", "updated_at"])
        apply_list(inventory, old_state, BalanceState.RELEASED)


def _inv201(receipt: sas.Inv201Receipt, content: bytes, file_name: str, key: str) -> ProcessingReceipt:
    inventory = _inventory(receipt.seq_no, receipt.bond_invt_no, "INV201")
    implied = receipt.implied_status
    result = receipt.result
    record = _record(inventory, receipt, content, file_name, key, manage_result=result.manage_result,
                     text=receipt.manage_result_text, implied=implied, seq_no=receipt.seq_no,
                     business_id=receipt.bond_invt_no, rmk=result.rmk, when=result.manage_date)
    before = inventory.get_status_display()
    if _moves(inventory, implied, WITH_CUSTOMS | LIST_AFTER):
        if receipt.seq_no and not inventory.seq_no:
            inventory.seq_no = receipt.seq_no
        if receipt.bond_invt_no:
            inventory.bond_invt_no = receipt.bond_invt_no
        if receipt.head is not None:
            inventory.vrfded_markcd = receipt.head.vrfded_markcd or inventory.vrfded_markcd
            inventory.list_stat = receipt.head.invt_stucd or inventory.list_stat
        inventory.status = implied
        if implied in POSTING:
            inventory.approved_at = inventory.approved_at or timezone.now()
        inventory.save()
        if implied in POSTING:
            _post(inventory)
        elif implied in RELEASING:
            _release(inventory)
    _log(inventory, record, before)
    return record


def _inv202(receipt: sas.Inv202Receipt, content: bytes, file_name: str, key: str) -> ProcessingReceipt:
    result = receipt.result
    inventory = _inventory(result.inv_preent_no, result.business_id, "INV202")
    record = _record(inventory, receipt, content, file_name, key, manage_result=result.manage_result,
                     text=receipt.manage_result_text, implied=receipt.implied_status, seq_no=result.inv_preent_no,
                     business_id=result.business_id, rmk=result.reason, when=result.create_date)
    before = inventory.get_status_display()
    if receipt.ok:
        if result.entry_seq_no:
            inventory.entry_seq_no = result.entry_seq_no
        if inventory.declaration_id is None and inventory.dclcus_flag == "1":
            from .entries import create_declaration_draft

            inventory.declaration = create_declaration_draft(inventory)
        inventory.save()
    _log(inventory, record, before)
    return record


def _inv211(receipt: sas.Inv211Receipt, content: bytes, file_name: str, key: str) -> ProcessingReceipt:
    head = receipt.head
    inventory = _inventory(head.invt_preent_no, head.bond_invt_no, "INV211")
    implied = receipt.implied_status
    record = _record(inventory, receipt, content, file_name, key, manage_result=head.vrfded_markcd,
                     text=sas.code_text("vrfded_markcd", head.vrfded_markcd), implied=implied,
                     seq_no=head.invt_preent_no, business_id=head.bond_invt_no, rmk=head.rmk)
    before = inventory.get_status_display()
    if _moves(inventory, implied, WITH_CUSTOMS | LIST_AFTER):
        if head.bond_invt_no:
            inventory.bond_invt_no = head.bond_invt_no
        inventory.vrfded_markcd = head.vrfded_markcd
        inventory.status = implied
        inventory.save()
        if implied in POSTING:
            _post(inventory)
    _log(inventory, record, before)
    return record


# ------------------------------------------------------------------------------- reading


def latest_receipt(obj: models.Model) -> ProcessingReceipt | None:
    return obj.receipts.order_by("-received_at", "-id").first()  # type: ignore[attr-defined]


def receipt_box(actor: Actor, obj: models.Model) -> dict[str, Any]:
    """查看回执, as the seed's 回执 box: 预录入统一编号, 业务编号, 数据状态, 审批日期, 备注, 回执明细
    (序号, 检查信息) of the latest receipt (empty values when none came yet)."""
    if getattr(obj, "enterprise_id", None) != actor.enterprise.pk:
        from guanwu.core.errors import NotFound

        raise NotFound()
    last = latest_receipt(obj)
    number = getattr(obj, "ems_no", "") or getattr(obj, "netwk_etps_arcrp_no", "") or getattr(obj, "bond_invt_no", "")
    return {
        "seq_no": getattr(obj, "seq_no", ""),
        "business_id": (last.business_id if last else "") or number,
        "status": obj.get_status_display(),  # type: ignore[attr-defined]
        "approved_at": (last.notice_date if last and last.notice_date else getattr(obj, "approved_at", None)),
        "rmk": last.rmk if last else "",
        "check_infos": [{"seqno": c["seqno"], "note": c["note"]} for c in (last.check_infos if last else [])],
        "message_type": last.message_type if last else "",
        "manage_result_text": last.manage_result_text if last else "",
    }

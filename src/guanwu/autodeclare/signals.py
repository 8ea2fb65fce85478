"""What the declarations module tells this one, in the same transaction:

* receipts of auto-declared declarations become 申报记录 lines (and notifications, see
  notifications.py); a 退单/导入失败 of what a batch sent is counted against that batch;
* 修改 of a taxable field drops a tax confirmation (``services.tax.declaration_changed``);
* 申报 by hand takes a declaration out of the pool (``services.marks.declared_by_hand``).
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from guanwu.declarations.models import DeclarationStatus
from guanwu.declarations.signals import declaration_declared, draft_updated, receipts_applied

from .models import AutoDeclaration, AutoRecord, AutoStatus, RecordLevel

REJECTIONS = (DeclarationStatus.REJECTED, DeclarationStatus.FAILED)


@receiver(receipts_applied, dispatch_uid="autodeclare-receipt-record")
def receipt_records(sender: Any, receipts: list, **kwargs: Any) -> None:
    """One 申报记录 line per receipt of an auto-declared declaration, in the receipts' transaction;
    a 退单 or 导入失败 of a declaration a batch sent adds a ``rejected`` line in that batch, which
    the desk, the run and the API count (the declaration stays 申报成功(自动): the batch did send it)."""
    autos = {row["declaration_id"]: row for row in AutoDeclaration.objects.filter(
        declaration_id__in={r.declaration_id for r in receipts}).values("declaration_id", "pk", "auto_status",
                                                                          "batch_id")}
    mine = [r for r in receipts if r.declaration_id in autos]
    if not mine:
        return
    counted = set(AutoRecord.objects.filter(auto_id__in=[a["pk"] for a in autos.values()],
                                            level=RecordLevel.REJECTED).values_list("auto_id", "batch_id"))
    records = []
    for receipt in mine:
        auto = autos[receipt.declaration_id]
        text = receipt.channel_text or receipt.channel
        note = f": {receipt.note}" if receipt.note else ""
        records.append(AutoRecord(enterprise_id=receipt.enterprise_id, auto_id=auto["pk"],
                                  level=RecordLevel.INFO, message=f"回执 {text}{note}"[:4000], user_name="海关"))
        implied = receipt.implied_status
        if (implied in REJECTIONS and receipt.declaration.status == implied
                and auto["auto_status"] == AutoStatus.SUCCEEDED and auto["batch_id"]
                and (auto["pk"], auto["batch_id"]) not in counted):
            counted.add((auto["pk"], auto["batch_id"]))
            label = "退单" if implied == DeclarationStatus.REJECTED else "导入失败"
            records.append(AutoRecord(
                enterprise_id=receipt.enterprise_id, auto_id=auto["pk"], batch_id=auto["batch_id"],
                level=RecordLevel.REJECTED, reason_code=implied,
                message=f"海关{label}: {receipt.note or text}, 请修改后继续智能辅助申报"[:4000], user_name="海关"))
    AutoRecord.objects.bulk_create(records)
    from .services import notifications

    for receipt in mine:
        notifications.receipt_applied(receipt)


@receiver(draft_updated, dispatch_uid="autodeclare-tax-invalidation")
def tax_invalidation(sender: Any, declaration: Any, before: Any, after: Any, actor: Any, **kwargs: Any) -> None:
    from .services import tax

    tax.declaration_changed(actor, declaration, before, after)


@receiver(declaration_declared, dispatch_uid="autodeclare-declared-by-hand")
def declared_by_hand(sender: Any, declaration: Any, actor: Any, automatic: bool = False, **kwargs: Any) -> None:
    if automatic:
        return
    from .services import marks

    marks.declared_by_hand(actor, declaration)

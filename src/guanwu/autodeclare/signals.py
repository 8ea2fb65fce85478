"""Receipts of auto-declared declarations become 申报记录 lines (and notifications, see notifications.py)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from guanwu.declarations.signals import receipts_applied

from .models import AutoDeclaration, AutoRecord, RecordLevel


@receiver(receipts_applied, dispatch_uid="autodeclare-receipt-record")
def receipt_records(sender: Any, receipts: list, **kwargs: Any) -> None:
    """One 申报记录 line per receipt of an auto-declared declaration, in the receipts' transaction."""
    autos = dict(AutoDeclaration.objects.filter(declaration_id__in={r.declaration_id for r in receipts})
                 .values_list("declaration_id", "pk"))
    mine = [r for r in receipts if r.declaration_id in autos]
    if not mine:
        return
    records = []
    for receipt in mine:
        text = receipt.channel_text or receipt.channel
        note = f": {receipt.note}" if receipt.note else ""
        records.append(AutoRecord(enterprise_id=receipt.enterprise_id, auto_id=autos[receipt.declaration_id],
                                  level=RecordLevel.INFO, message=f"回执 {text}{note}"[:4000], user_name="海关"))
    AutoRecord.objects.bulk_create(records)
    from . import notifications

    for receipt in mine:
        notifications.receipt_applied(receipt)

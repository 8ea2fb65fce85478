"""Receipts of auto-declared declarations become 申报记录 lines (and notifications, see notifications.py)."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from guanwu.declarations.models import Receipt

from .models import AutoDeclaration, AutoRecord, RecordLevel


@receiver(post_save, sender=Receipt, dispatch_uid="autodeclare-receipt-record")
def receipt_record(sender, instance: Receipt, created: bool, **kwargs) -> None:
    if not created or kwargs.get("raw"):
        return
    auto = AutoDeclaration.objects.filter(declaration_id=instance.declaration_id).only("pk", "enterprise_id").first()
    if auto is None:
        return
    text = instance.channel_text or instance.channel
    note = f": {instance.note}" if instance.note else ""
    AutoRecord.objects.create(enterprise_id=auto.enterprise_id, auto=auto, level=RecordLevel.INFO,
                              message=f"回执 {text}{note}"[:4000], user_name="海关")
    from . import notifications

    notifications.receipt_applied(instance)

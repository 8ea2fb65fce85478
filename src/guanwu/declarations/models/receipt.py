"""回执: what the single window / customs answered about a declaration."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from guanwu.tenancy.models import TenantModel

from .declaration import Declaration, DeclarationStatus


class ReceiptKind(models.TextChoices):
    RESPONSE = "response", "导入回执"  # DecImportResponse: the single window took the file or not
    RESULT = "result", "业务回执"  # DEC_RESULT: customs processing (CHANNEL code)


class Receipt(TenantModel):
    """One receipt, applied once: ``dedupe_key`` (sha256 of the raw message) is unique, so a
    receipt file read twice is recognised and skipped."""

    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="receipts", verbose_name="报关单"
    )
    kind = models.CharField("回执种类", max_length=16, choices=ReceiptKind.choices)
    channel = models.CharField("回执类型", max_length=8, help_text="DEC_RESULT/CHANNEL, or ResponseCode")
    channel_text = models.CharField("回执类型说明", max_length=100, blank=True)
    note = models.TextField("回执内容", blank=True)
    client_seq_no = models.CharField("客户端报关单编号", max_length=18, blank=True)
    seq_no = models.CharField("统一编号", max_length=18, blank=True)
    entry_id = models.CharField("海关编号", max_length=18, blank=True)
    notice_date = models.DateTimeField("回执时间", null=True, blank=True)
    received_at = models.DateTimeField("接收时间", default=timezone.now)
    implied_status = models.CharField(
        "对应报关单状态", max_length=16, choices=DeclarationStatus.choices, blank=True
    )
    file_name = models.CharField("回执文件名", max_length=255, blank=True)
    raw_xml = models.TextField("回执报文", blank=True)
    dedupe_key = models.CharField("去重键", max_length=64, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "回执"
        ordering = ["declaration_id", "received_at", "id"]
        indexes = [
            models.Index(fields=["declaration", "received_at"], name="receipt_decl_received"),
            # a late receipt of an earlier sending is found through these (services/receipts.py)
            models.Index(fields=["seq_no"], name="receipt_seq_no"),
            models.Index(fields=["client_seq_no"], name="receipt_client_seq_no"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.channel} {self.channel_text}"

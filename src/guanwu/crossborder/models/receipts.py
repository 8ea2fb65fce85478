"""回执: every return row received for a CEB document (CEB304/604/702/792, the logistics ones)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from guanwu.tenancy.models import TenantModel

from .lists import ExportList, Waybill
from .orders import Order
from .summaries import Summary


class CebReceipt(TenantModel):
    """One return row of a receipt file, applied once: a file whose ``file_hash`` (sha256) is
    recorded was applied (all its rows in one transaction) and is skipped when read again;
    ``dedupe_key`` (hash, row, document) guards against two pollers applying it at once."""

    message_type = models.CharField("回执类型", max_length=8, help_text="CEB304, CEB604, CEB702, CEB792, ...")
    order = models.ForeignKey(Order, on_delete=models.CASCADE, null=True, blank=True, related_name="receipts",
                              verbose_name="订单")
    export_list = models.ForeignKey(ExportList, on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="receipts", verbose_name="清单")
    summary = models.ForeignKey(Summary, on_delete=models.CASCADE, null=True, blank=True, related_name="receipts",
                                verbose_name="汇总申请单")
    waybill = models.ForeignKey(Waybill, on_delete=models.CASCADE, null=True, blank=True, related_name="receipts",
                                verbose_name="物流运单")
    guid = models.CharField("系统唯一序号", max_length=36, blank=True)
    return_status = models.CharField("回执状态", max_length=10, blank=True)
    return_info = models.TextField("回执信息", blank=True)
    return_time = models.DateTimeField("回执时间", null=True, blank=True)
    status_after = models.CharField("处理后状态", max_length=12, blank=True)
    received_at = models.DateTimeField("接收时间", default=timezone.now)
    file_name = models.CharField("回执文件名", max_length=255, blank=True)
    file_hash = models.CharField("回执文件摘要", max_length=64, db_index=True, help_text="sha256 of the file")
    dedupe_key = models.CharField("去重键", max_length=80, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "跨境回执"
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["enterprise", "received_at"], name="cb_receipt_received")]

    def __str__(self) -> str:
        return f"{self.message_type} {self.return_status}"

    @property
    def return_status_text(self) -> str:
        from guanwu.messages.ceb import return_status_text

        return return_status_text(self.return_status) if self.return_status else ""

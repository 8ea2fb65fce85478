"""回执 of the processing-trade documents: the client's CommonResponeMessage and the customs
receipts (EMS201 资质, EMS211 账册, INV201/INV202/INV211 核注清单), applied once."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from guanwu.tenancy.models import TenantModel

from .book import Book
from .inventory import Inventory
from .qualification import QualificationApplication


class ProcessingReceipt(TenantModel):
    """One receipt of one document (exactly one of ``application``, ``book``, ``inventory``).

    ``check_infos``: the 回执明细 lines as received, ``[{"seqno": 1, "note": "[3402] 联网电子审核通过, 转岗",
    "code": "3402", "text": "联网电子审核通过", "effect": "manual_review"}]`` (查看回执).
    ``dedupe_key`` (sha256 of the raw file) is unique: a file read twice is applied once."""

    application = models.ForeignKey(QualificationApplication, on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="receipts", verbose_name="企业资质申请")
    book = models.ForeignKey(Book, on_delete=models.CASCADE, null=True, blank=True, related_name="receipts",
                             verbose_name="账册")
    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="receipts", verbose_name="核注清单")
    message_type = models.CharField("回执类型", max_length=24)  # CommonResponeMessage, EMS201, INV201, ...
    manage_result = models.CharField("处理结果", max_length=8, blank=True)
    manage_result_text = models.CharField("处理结果说明", max_length=100, blank=True)
    implied_status = models.CharField("数据状态", max_length=16, blank=True)
    seq_no = models.CharField("预录入统一编号", max_length=18, blank=True)
    business_id = models.CharField("业务编号", max_length=64, blank=True)
    rmk = models.TextField("备注", blank=True)
    check_infos = models.JSONField("回执明细", default=list, blank=True)
    notice_date = models.DateTimeField("审批日期", null=True, blank=True)
    received_at = models.DateTimeField("接收时间", default=timezone.now)
    file_name = models.CharField("回执文件名", max_length=255, blank=True)
    raw_xml = models.TextField("回执报文", blank=True)
    dedupe_key = models.CharField("去重键", max_length=64, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "加工贸易回执"
        ordering = ["received_at", "id"]
        indexes = [
            models.Index(fields=["application", "received_at"], name="proc_rcpt_application"),
            models.Index(fields=["book", "received_at"], name="proc_rcpt_book"),
            models.Index(fields=["inventory", "received_at"], name="proc_rcpt_inventory"),
        ]

    def __str__(self) -> str:
        return f"{self.message_type} {self.manage_result_text or self.implied_status}"

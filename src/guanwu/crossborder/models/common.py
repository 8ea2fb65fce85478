"""What every CEB document of the platform shares: its status and the state of its sending."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guanwu.tenancy.models import TenantModel

from .fields import datetime, text


class CebStatus(models.TextChoices):
    """Where a document is; from the receipts' returnStatus (``messages.ceb.status.RETURN_OUTCOME``)."""

    DRAFT = "draft", "待申报"  # imported or created, never sent
    SENT = "sent", "已申报"  # in the outbox / at the e-port (returnStatus 1, 2, 3)
    ACCEPTED = "accepted", "海关入库"  # 120 入库, 300 人工审核, 399 审结
    HELD = "held", "查验/挂起"  # 500 查验, 501-503/599 扣留, 505 移交, 600 挂起
    RELEASED = "released", "放行"  # 800
    CLOSED = "closed", "结关"  # 899
    SUMMARIZED = "summarized", "汇总完成"  # summaries only: CEB792 汇总结果单 received
    REJECTED = "rejected", "海关退单"  # 100
    FAILED = "failed", "申报失败"  # 4 发送海关失败, or a negative returnStatus (处理异常)
    RETURNED = "returned", "退运"  # 700


# 提交海关 is open for these (a rejected or failed document is sent again with a new guid).
SUBMITTABLE = frozenset({CebStatus.DRAFT, CebStatus.REJECTED, CebStatus.FAILED})
# Imported rows may be deleted only before they reach customs.
DELETABLE = frozenset({CebStatus.DRAFT, CebStatus.FAILED})


class CebDocument(TenantModel):
    """A document sent to customs as one record of a CEB message (an order head, a list head,
    a summary head): its head ``guid`` is what the receipts answer to, ``message_guid`` the file
    (the gateway's outbox key) that carried it the last time."""

    batch = models.ForeignKey(
        "crossborder.Batch", on_delete=models.PROTECT, related_name="+", verbose_name="商品批次号", null=True,
        blank=True,
    )
    guid = text("系统唯一序号", 36)
    app_type = text("报送类型", 1, default="1")
    app_time = datetime("报送时间")
    app_status = text("报送状态", 1, default="2")
    status = models.CharField("状态", max_length=12, choices=CebStatus.choices, default=CebStatus.DRAFT)
    status_changed_at = datetime("状态时间")
    message_guid = text("报文编号", 36)
    sent_at = datetime("申报时间")
    return_status = text("回执状态", 10)
    return_info = models.TextField("回执信息", blank=True)
    return_time = datetime("回执时间")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="录入人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True

    @property
    def return_status_text(self) -> str:
        """The returnStatus in Chinese (``120`` -> 海关入库), "" before any receipt."""
        if not self.return_status:
            return ""
        from guanwu.messages.ceb import return_status_text

        return return_status_text(self.return_status)

"""Outgoing messages (stored before they are written) and quarantined receipts.

Platform-level, not tenant-scoped: the message's own document (a declaration) carries the
tenant; these rows are the transport's bookkeeping, seen only by platform staff.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "待写出"
    WRITTEN = "written", "已写出"


class OutboxMessage(models.Model):
    kind = models.CharField("报文类型", max_length=40)
    key = models.CharField("客户端编号", max_length=64, unique=True, help_text="ClientSeqNo / guid, 幂等键")
    file_name = models.CharField("文件名", max_length=200)
    payload = models.BinaryField("报文内容")
    status = models.CharField("状态", max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    written_at = models.DateTimeField("写出时间", null=True, blank=True)

    class Meta:
        verbose_name = "发送报文"
        verbose_name_plural = "发送报文"
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["status", "id"], name="gw_outbox_status")]

    def __str__(self) -> str:
        return self.file_name


class GatewayError(models.Model):
    file_name = models.CharField("文件名", max_length=255)
    stored_name = models.CharField("failed目录中的文件名", max_length=255, blank=True)
    root_tag = models.CharField("根元素", max_length=100, blank=True)
    reason = models.TextField("原因")
    raw = models.TextField("原始内容", blank=True)
    size = models.PositiveBigIntegerField("文件大小(字节)", default=0)
    truncated = models.BooleanField("内容已截断", default=False)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    resolved = models.BooleanField("已处理", default=False)
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "回执处理错误"
        verbose_name_plural = "回执处理错误"
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["resolved", "created_at"], name="gw_error_resolved")]

    def __str__(self) -> str:
        return f"{self.file_name}: {self.reason[:60]}"

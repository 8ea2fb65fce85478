from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models

from guanwu.tenancy.models import Enterprise


class OperationLog(models.Model):
    created_at = models.DateTimeField("操作时间", auto_now_add=True, db_index=True)
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="企业"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="操作人"
    )
    user_name = models.CharField("操作人姓名", max_length=150, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name="对象类型")
    object_id = models.CharField("对象ID", max_length=64)
    object_repr = models.CharField("对象", max_length=200)
    action = models.CharField("操作", max_length=64)
    status_before = models.CharField("操作前状态", max_length=64, blank=True)
    status_after = models.CharField("操作后状态", max_length=64, blank=True)
    changes = models.JSONField("变更字段", default=dict, blank=True)
    opinion = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "操作记录"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"]),
            models.Index(fields=["enterprise", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.user_name} {self.action} {self.object_repr}"

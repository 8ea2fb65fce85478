from __future__ import annotations

from django.conf import settings
from django.db import models

from guanwu.tenancy.models import TenantModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "处理中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"
    CANCELLED = "cancelled", "已取消"


FINISHED = {JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED}


class Job(TenantModel):
    """A unit of background work with progress that pages poll (imports, exports, batches)."""

    kind = models.CharField("类型", max_length=64, db_index=True)
    title = models.CharField("名称", max_length=200)
    status = models.CharField(
        "状态", max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name="提交人"
    )
    params = models.JSONField("参数", default=dict, blank=True)
    total = models.PositiveIntegerField("总数", default=0)
    done = models.PositiveIntegerField("已处理", default=0)
    failed = models.PositiveIntegerField("失败数", default=0)
    stage = models.CharField("阶段", max_length=64, blank=True)
    message = models.TextField("结果说明", blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    input_file = models.CharField("输入文件", max_length=300, blank=True)
    output_file = models.CharField("结果文件", max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField("执行次数", default=0)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    heartbeat_at = models.DateTimeField("心跳", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["enterprise", "kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(99, int(100 * (self.done + self.failed) / self.total))

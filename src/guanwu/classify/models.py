"""What the suggester learns from a user: an accepted suggestion (description -> code)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from guanwu.tenancy.models import TenantModel


class AcceptedSuggestion(TenantModel):
    """A code the user chose from the suggestions for a description: one row per (description,
    code), counted; it is an example of the enterprise's own from the moment it is written."""

    description = models.CharField("商品描述", max_length=255)
    code_ts = models.CharField("商品编号", max_length=10)
    times = models.PositiveIntegerField("采纳次数", default=1)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="最近采纳人",
    )
    accepted_at = models.DateTimeField("最近采纳时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "已采纳的归类建议"
        ordering = ["-accepted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "description", "code_ts"], name="uniq_accepted_suggestion"),
        ]
        indexes = [models.Index(fields=["enterprise", "accepted_at"], name="accepted_sugg_ent_at")]

    def __str__(self) -> str:
        return f"{self.description} -> {self.code_ts}"

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models

from guanwu.tenancy.models import Enterprise


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API, bound to one user in one enterprise. Only a digest is kept."""

    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("令牌前缀", max_length=8)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class LoginAttempt(models.Model):
    """Failed logins, counted per username and per (username, client address) to slow brute force."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录失败记录"

    def __str__(self) -> str:
        return f"{self.username} {self.address} {self.created_at:%Y-%m-%d %H:%M}"

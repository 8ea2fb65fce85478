"""Password login with throttling, and API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils import timezone

from guanwu.core.errors import ServiceError
from guanwu.tenancy.context import Actor
from guanwu.tenancy.models import Enterprise

from .models import ApiToken, LoginAttempt, token_digest

INVALID_CREDENTIALS = "用户名或密码错误"


class TooManyAttempts(ServiceError):
    def __init__(self) -> None:
        minutes = settings.GUANWU_LOGIN_WINDOW_SECONDS // 60
        super().__init__(message=f"登录失败次数过多,请 {minutes} 分钟后再试", status=429)


def _recent_failures(username: str, address: str) -> int:
    since = timezone.now() - timedelta(seconds=settings.GUANWU_LOGIN_WINDOW_SECONDS)
    recent = LoginAttempt.objects.filter(created_at__gte=since)
    return max(
        recent.filter(username=username.lower()).count(),
        recent.filter(address=address).count() if address else 0,
    )


def check_credentials(request, username: str, password: str, address: str = ""):
    """The user for these credentials, or a ServiceError (401 wrong, 429 throttled)."""
    username = (username or "").strip()
    if _recent_failures(username, address) >= settings.GUANWU_LOGIN_MAX_FAILURES:
        raise TooManyAttempts()
    user = authenticate(request, username=username, password=password or "")
    if user is None or not user.is_active:
        LoginAttempt.objects.create(username=username.lower()[:150], address=address[:64])
        raise ServiceError(INVALID_CREDENTIALS, status=401)
    LoginAttempt.objects.filter(username=username.lower()).delete()
    return user


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def issue_token(request, username: str, password: str, enterprise_code: str | None = None) -> tuple[str, Actor]:
    # Not atomic: a failed attempt must be recorded even though the call fails.
    user = check_credentials(request, username, password, client_address(request))
    enterprise = None
    if enterprise_code:
        enterprise = Enterprise.objects.filter(customs_code=enterprise_code.strip().upper()).first()
        if enterprise is None:
            raise ServiceError("您不是该企业的成员", status=401)
    actor = Actor.resolve(user, enterprise)
    if actor is None:
        raise ServiceError("您不是该企业的成员" if enterprise_code else "该用户未加入任何企业", status=401)
    raw = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        digest=token_digest(raw), prefix=raw[:8], user=user, enterprise=actor.enterprise,
        expires_at=timezone.now() + timedelta(hours=settings.GUANWU_API_TOKEN_TTL_HOURS),
    )
    return raw, actor


def actor_for_token(raw: str) -> Actor | None:
    token = (
        ApiToken.objects.select_related("user", "enterprise")
        .filter(digest=token_digest(raw or ""), expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    actor = Actor.resolve(token.user, token.enterprise)
    if actor is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return actor

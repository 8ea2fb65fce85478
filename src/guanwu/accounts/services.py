"""Password login with throttling, and API tokens (issue, authenticate, list, revoke).

Throttling counts failed logins per username from one client address
(``GUANWU_LOGIN_MAX_FAILURES``) and per username from any address
(``GUANWU_LOGIN_MAX_FAILURES_PER_USER``), within ``GUANWU_LOGIN_WINDOW_SECONDS``. The client
address comes from ``core.clientip`` (trusted proxies), so users behind one proxy do not lock
each other out.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.clientip import client_ip
from guanwu.core.errors import FieldError, NotFound, ServiceError
from guanwu.tenancy.context import Actor
from guanwu.tenancy.models import Enterprise, Membership

from .models import ApiToken, LoginAttempt, token_digest

INVALID_CREDENTIALS = "用户名或密码错误"


class TooManyAttempts(ServiceError):
    def __init__(self, retry_after: int) -> None:
        minutes = max(1, -(-retry_after // 60))
        super().__init__(message=f"登录失败次数过多, 请 {minutes} 分钟后再试", status=429)
        self.retry_after = retry_after


def _norm(username: str) -> str:
    return (username or "").strip().lower()[:150]


def _throttled_for(username: str, address: str) -> int:
    """Seconds until ``username`` may try again from ``address`` (0: now)."""
    window = settings.GUANWU_LOGIN_WINDOW_SECONDS
    now = timezone.now()
    recent = LoginAttempt.objects.filter(username=_norm(username), created_at__gte=now - timedelta(seconds=window))
    waits = []
    for qs, limit in (
        (recent.filter(address=address[:64]), settings.GUANWU_LOGIN_MAX_FAILURES),
        (recent, settings.GUANWU_LOGIN_MAX_FAILURES_PER_USER),
    ):
        # The limit-th most recent failure leaves the window last among those that block.
        times = list(qs.order_by("-created_at").values_list("created_at", flat=True)[: max(1, limit)])
        if len(times) >= limit:
            waits.append((times[-1] + timedelta(seconds=window) - now).total_seconds())
    return int(max(waits)) + 1 if waits else 0


def _fail(username: str, address: str) -> ServiceError:
    LoginAttempt.objects.create(username=_norm(username), address=address[:64])
    return ServiceError(INVALID_CREDENTIALS, status=401)


def check_credentials(request, username: str, password: str):
    """The user for these credentials, or a ServiceError (401 wrong, 429 throttled)."""
    username = (username or "").strip()
    address = client_ip(request)
    wait = _throttled_for(username, address)
    if wait:
        raise TooManyAttempts(wait)
    user = authenticate(request, username=username, password=password or "")
    if user is None or not user.is_active:
        raise _fail(username, address)
    LoginAttempt.objects.filter(username=_norm(username)).delete()
    return user


def active_memberships(user):
    return (
        Membership.objects.filter(user=user, is_active=True, enterprise__is_active=True)
        .select_related("enterprise")
        .order_by("enterprise__name", "enterprise_id")
    )


def enterprise_list(memberships) -> str:
    return "、".join(f"{m.enterprise.name} ({m.enterprise.customs_code})" for m in memberships)


def _record(user, token: ApiToken, action: str, **fields) -> None:
    actor = Actor(user=user, enterprise=token.enterprise, role="")
    audit.record(actor, token, action, **fields)


def issue_token(request, username: str, password: str, enterprise_code: str | None = None) -> tuple[str, Actor]:
    # Not atomic: a failed attempt must be recorded even though the call fails.
    user = check_credentials(request, username, password)
    memberships = list(active_memberships(user))
    if not memberships:
        # Same answer as a wrong password: whether the password was right is nobody's business.
        raise _fail(username, client_ip(request))
    if enterprise_code:
        code = enterprise_code.strip().upper()
        chosen = [m for m in memberships if m.enterprise.customs_code == code]
        if not chosen:
            raise ServiceError(
                f"您不是该企业的成员; 您所在的企业: {enterprise_list(memberships)}",
                [FieldError("enterprise", "您不是该企业的成员")], status=401,
            )
        membership = chosen[0]
    elif len(memberships) > 1:
        message = f"您属于多个企业, 请用 enterprise 指定其海关编码: {enterprise_list(memberships)}"
        raise ServiceError(message, [FieldError("enterprise", message)])
    else:
        membership = memberships[0]
    actor = Actor.for_membership(membership)
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            digest=token_digest(raw), prefix=raw[:8], user=user, enterprise=actor.enterprise,
            expires_at=timezone.now() + timedelta(hours=settings.GUANWU_API_TOKEN_TTL_HOURS),
        )
        _record(user, token, "签发 API 令牌", after="有效")
    return raw, actor


def authenticate_token(raw: str) -> tuple[Actor, ApiToken] | None:
    """The actor and token for a bearer token that is valid now, or None."""
    token = (
        ApiToken.objects.select_related("user", "enterprise")
        .filter(digest=token_digest(raw or ""), expires_at__gt=timezone.now(), revoked_at__isnull=True)
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
    return actor, token


def actor_for_token(raw: str) -> Actor | None:
    found = authenticate_token(raw)
    return found[0] if found else None


def user_tokens(user):
    """The user's tokens that still work, newest first."""
    return (
        ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("enterprise")
        .order_by("-created_at", "-id")
    )


@transaction.atomic
def revoke_token(user, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s own tokens; another user's id is a 404."""
    token = (
        ApiToken.objects.select_for_update().select_related("enterprise")
        .filter(user=user, pk=token_id, revoked_at__isnull=True).first()
    )
    if token is None:
        raise NotFound("令牌不存在或已撤销")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _record(user, token, "撤销 API 令牌", before="有效", after="已撤销")
    return token


@transaction.atomic
def revoke_tokens(user, *, enterprise: Enterprise | None = None, reason: str, by=None) -> int:
    """Revoke every working token of ``user`` (in ``enterprise`` only, when given), each with
    its log entry (by ``by``, default the user). Returns how many."""
    qs = ApiToken.objects.select_related("enterprise").filter(user=user, revoked_at__isnull=True)
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    tokens = list(qs.filter(expires_at__gt=timezone.now()))
    now = timezone.now()
    qs.update(revoked_at=now)
    rows = []
    for token in tokens:
        actor = Actor(user=by or user, enterprise=token.enterprise, role="")
        rows.append(audit.entry(actor, token, "撤销 API 令牌", before="有效", after="已撤销", opinion=reason))
    if rows:
        audit.record_many(rows)
    return len(tokens)


def revoke_membership_tokens(sender, membership: Membership, actor: Actor | None = None, **kwargs) -> int:
    """``tenancy.signals.membership_ended``: a member removed from an enterprise loses its
    tokens there for good (re-adding the member does not bring them back)."""
    return revoke_tokens(
        membership.user, enterprise=membership.enterprise, reason="已移出企业", by=actor.user if actor else None
    )

"""回执推送: receipts and run results pushed to the enterprise.

Three channels, chosen per event (申报成功(自动), 退单/导入失败, 放行, 智能辅助申报结束) in the
enterprise's :class:`NotificationSettings`:

* in-app: a :class:`Notification` per active member (the centre, with an unread count);
* e-mail: Django's mail backend (console in development), sent by the worker after commit;
* webhook: a JSON POST signed with HMAC-SHA256, retried with backoff, every attempt in the
  delivery log (:class:`WebhookDelivery`).

Signature: ``X-Guanwu-Signature: sha256=<hex>`` where ``<hex>`` is
``HMAC-SHA256(secret, f"{X-Guanwu-Timestamp}.".encode() + body)``; a receiver recomputes it
over the raw body and refuses old timestamps. ``X-Guanwu-Event`` and ``X-Guanwu-Delivery``
(the delivery id, the same on every retry) name what it is.

Events are recorded in the caller's transaction; e-mail and webhook calls go out after commit,
through the two Huey tasks declared here (``send_notification_email``, ``deliver_webhook``); the
watchdog in ``tasks.py`` retries the deliveries whose wake-up got lost.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import task

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, NotFound, ServiceError
from guanwu.tenancy.context import Actor
from guanwu.tenancy.models import Enterprise, Membership

from ..models import (
    CHANNELS,
    DEFAULT_EVENT_CHANNELS,
    DeliveryStatus,
    Notification,
    NotificationSettings,
    NotifyEvent,
    WebhookDelivery,
)
from .counts import rejected_in

log = logging.getLogger(__name__)

BACKOFF_SECONDS = (10, 60, 300, 1800, 7200)  # after attempts 1..5; the 6th failure is final
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
TIMEOUT_SECONDS = 10
USER_AGENT = "guanwu-webhook/1"


# -- settings ----------------------------------------------------------------------------------


def settings_for(enterprise: Enterprise | int) -> NotificationSettings:
    """The enterprise's settings (unsaved defaults when it never saved any)."""
    enterprise_id = enterprise if isinstance(enterprise, int) else enterprise.pk
    row = NotificationSettings.objects.filter(enterprise_id=enterprise_id).first()
    return row or NotificationSettings(enterprise_id=enterprise_id, events={})


def event_matrix(row: NotificationSettings) -> list[dict[str, Any]]:
    return [{"event": e, "label": NotifyEvent(e).label, **{c: row.wants(e, c) for c in CHANNELS}}
            for e in NotifyEvent.values]


def _allow_private() -> bool:
    return bool(getattr(settings, "GUANWU_WEBHOOK_ALLOW_PRIVATE", settings.DEBUG or settings.TESTING))


def url_problem(url: str) -> str | None:
    """Why a webhook URL is refused: not http(s), no host, or (in production) an internal address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "Webhook 地址应为 http:// 或 https:// 开头的完整网址"
    if _allow_private():
        return None
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443)}
    except OSError:
        return f"无法解析 Webhook 地址的主机名 {parts.hostname}"
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast:
            return "Webhook 地址不能指向内网或本机地址"
    return None


@transaction.atomic
def update_settings(actor: Actor, data: dict[str, Any]) -> NotificationSettings:
    actor.require_admin("修改回执推送设置")
    row, _ = NotificationSettings.objects.select_for_update().get_or_create(enterprise=actor.enterprise)
    before = {"email_enabled": row.email_enabled, "email_to": row.email_to, "webhook_enabled": row.webhook_enabled,
              "webhook_url": row.webhook_url, "events": json.dumps(row.events, sort_keys=True)}
    errors: list[FieldError] = []
    for name in ("email_enabled", "webhook_enabled"):
        if name in data:
            setattr(row, name, bool(data[name]))
    if "email_to" in data:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        addresses = [a.strip() for a in str(data["email_to"] or "").replace("；", ",").replace(";", ",").split(",")
                     if a.strip()]
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                errors.append(FieldError("email_to", f"邮件地址格式不正确: {address}"))
        row.email_to = ", ".join(addresses)
    if "webhook_url" in data:
        row.webhook_url = str(data["webhook_url"] or "").strip()
    if "events" in data:
        events = data["events"] or {}
        row.events = {e: {c: bool((events.get(e) or {}).get(c, DEFAULT_EVENT_CHANNELS[e][c])) for c in CHANNELS}
                      for e in NotifyEvent.values}
    if row.webhook_enabled and not row.webhook_url:
        errors.append(FieldError("webhook_url", "启用 Webhook 时请填写地址"))
    elif row.webhook_url and (problem := url_problem(row.webhook_url)):
        errors.append(FieldError("webhook_url", problem))
    if row.email_enabled and not (row.email_to or actor.enterprise.email):
        errors.append(FieldError("email_to", "请填写收件人, 或在企业信息中填写 E-MAIL"))
    if errors:
        raise ServiceError.fields(errors)
    if not row.webhook_secret:
        row.webhook_secret = secrets.token_hex(32)
    row.save()
    after = {"email_enabled": row.email_enabled, "email_to": row.email_to, "webhook_enabled": row.webhook_enabled,
             "webhook_url": row.webhook_url, "events": json.dumps(row.events, sort_keys=True)}
    audit.record(actor, row, "修改回执推送设置", changes=audit.diff(before, after))
    return row


@transaction.atomic
def regenerate_secret(actor: Actor) -> NotificationSettings:
    actor.require_admin("更换签名密钥")
    row, _ = NotificationSettings.objects.select_for_update().get_or_create(enterprise=actor.enterprise)
    row.webhook_secret = secrets.token_hex(32)
    row.save(update_fields=["webhook_secret", "updated_at"])
    audit.record(actor, row, "更换 Webhook 签名密钥")
    return row


# -- emitting ------------------------------------------------------------------------------------


def emit(enterprise_id: int, event: str, title: str, *, body: str = "", url: str = "",
         data: dict[str, Any] | None = None, row: NotificationSettings | None = None) -> None:
    """Record one event for every channel the enterprise chose; sending happens after commit."""
    row = row if row is not None else settings_for(enterprise_id)
    if row.wants(event, "inapp"):
        users = Membership.objects.filter(enterprise_id=enterprise_id, is_active=True).values_list("user_id", flat=True)
        Notification.objects.bulk_create([
            Notification(enterprise_id=enterprise_id, user_id=user_id, event=event, title=title[:200], body=body,
                         url=url[:300]) for user_id in users
        ])
    if row.pk and row.email_enabled and row.wants(event, "email"):
        recipients = [a.strip() for a in row.email_to.split(",") if a.strip()]
        if not recipients:
            email = Enterprise.objects.filter(pk=enterprise_id).values_list("email", flat=True).first()
            recipients = [email] if email else []
        if recipients:
            link = f"\n\n{absolute_url(url)}" if url else ""
            transaction.on_commit(lambda: _queue_email(f"[关务] {title}", f"{body}{link}", recipients))
    if row.pk and row.webhook_enabled and row.webhook_url and row.wants(event, "webhook"):
        delivery = WebhookDelivery.objects.create(
            enterprise_id=enterprise_id, event=event, url=row.webhook_url,
            payload={"event": event, "title": title, "occurred_at": timezone.now().isoformat(), "data": data or {},
                     **({"url": absolute_url(url)} if url else {})},
            next_attempt_at=timezone.now(),
        )
        delivery_id = delivery.pk
        transaction.on_commit(lambda: _queue_delivery(delivery_id))


def absolute_url(url: str) -> str:
    """A link as a mail reader needs it: on the platform's address (``GUANWU_SITE_URL``)."""
    if not url or urlsplit(url).scheme:
        return url
    return f"{settings.GUANWU_SITE_URL.rstrip('/')}/{url.lstrip('/')}"


def _queue_email(subject: str, body: str, recipients: list[str]) -> None:
    send_notification_email(subject, body, recipients)


def _queue_delivery(delivery_id: int, delay: float = 0) -> None:
    if delay:
        deliver_webhook.schedule(args=(delivery_id,), delay=delay)
    else:
        deliver_webhook(delivery_id)


def send_email(subject: str, body: str, recipients: list[str]) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False)


# -- webhooks ------------------------------------------------------------------------------------


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does: recompute and compare in constant time."""
    expected = "sha256=" + sign(secret, timestamp, body)
    return hmac.compare_digest(expected, signature)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not followed: it could lead to an address the check refused."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """One HTTP POST; (status, response text). Tests replace this function."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.read(2000).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(2000).decode("utf-8", "replace")


def deliver(delivery_id: int, now: dt.datetime | None = None) -> WebhookDelivery | None:
    """One attempt of a delivery that is due; schedules the next one after a failure."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update()
                    .filter(pk=delivery_id, status=DeliveryStatus.PENDING).first())
        if delivery is None or (delivery.next_attempt_at and delivery.next_attempt_at > now + dt.timedelta(seconds=1)):
            return None
        # Claim the attempt: another worker (or the watchdog) sees it scheduled further on.
        delivery.attempts += 1
        delivery.next_attempt_at = now + dt.timedelta(seconds=60)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    secret = settings_for(delivery.enterprise_id).webhook_secret
    body = json.dumps({**delivery.payload, "delivery": delivery.pk}, ensure_ascii=False,
                      separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
        "X-Guanwu-Event": delivery.event, "X-Guanwu-Delivery": str(delivery.pk),
        "X-Guanwu-Timestamp": timestamp, "X-Guanwu-Signature": "sha256=" + sign(secret, timestamp, body),
    }
    status, text, error = None, "", ""
    problem = url_problem(delivery.url)
    if problem:
        error = problem
    else:
        try:
            status, text = post(delivery.url, body, headers)
        except (OSError, ValueError) as exc:  # connection refused, timeout, DNS
            error = f"{type(exc).__name__}: {exc}"[:500]
    ok = status is not None and 200 <= status < 300
    delivery.last_status_code = status
    delivery.last_error = error if not ok else ""
    if not ok and not error:
        delivery.last_error = f"HTTP {status}"
    delivery.response_body = text[:2000]
    if ok:
        delivery.status = DeliveryStatus.SUCCEEDED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        delay = BACKOFF_SECONDS[delivery.attempts - 1]
        delivery.next_attempt_at = timezone.now() + dt.timedelta(seconds=delay)
    delivery.save(update_fields=["status", "delivered_at", "next_attempt_at", "last_status_code", "last_error",
                                 "response_body"])
    if delivery.status == DeliveryStatus.PENDING:
        transaction.on_commit(lambda: _queue_delivery(delivery.pk, delay=BACKOFF_SECONDS[delivery.attempts - 1]))
    return delivery


def retry_due(now: dt.datetime | None = None) -> int:
    """The watchdog: attempts whose wake-up got lost (worker restart)."""
    now = now or timezone.now()
    due = list(WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
               .values_list("pk", flat=True)[:200])
    for pk in due:
        deliver(pk, now)
    return len(due)


@task(retries=2, retry_delay=60)
def send_notification_email(subject: str, body: str, recipients: list[str]) -> None:
    """The worker's e-mail wake-up (queued after commit by ``_queue_email``)."""
    send_email(subject, body, recipients)


@task(retries=0)
def deliver_webhook(delivery_id: int) -> None:
    """The worker's wake-up for one webhook attempt (``_queue_delivery``)."""
    deliver(delivery_id)


def get_delivery(actor: Actor, delivery_id: int | str) -> WebhookDelivery:
    try:
        pk = int(delivery_id)
    except (TypeError, ValueError):
        raise NotFound("投递记录不存在") from None
    delivery = WebhookDelivery.objects.for_enterprise(actor.enterprise).filter(pk=pk).first()
    if delivery is None:
        raise NotFound("投递记录不存在")
    return delivery


@transaction.atomic
def redeliver(actor: Actor, delivery_id: int | str) -> WebhookDelivery:
    """重新投递 from the delivery log: a failed (or pending) delivery gets fresh attempts."""
    delivery = get_delivery(actor, delivery_id)
    actor.require_admin("重新投递")
    if delivery.status == DeliveryStatus.SUCCEEDED:
        raise ServiceError("该推送已送达")
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    pk = delivery.pk
    transaction.on_commit(lambda: _queue_delivery(pk))
    return delivery


@transaction.atomic
def send_test(actor: Actor) -> WebhookDelivery:
    actor.require_admin("发送测试推送")
    row = settings_for(actor.enterprise)
    if not row.pk or not row.webhook_url:
        raise ServiceError("请先保存 Webhook 地址")
    delivery = WebhookDelivery.objects.create(
        enterprise=actor.enterprise, event=NotifyEvent.RUN_FINISHED, url=row.webhook_url,
        payload={"event": "test", "title": "测试推送", "occurred_at": timezone.now().isoformat(), "data": {}},
        next_attempt_at=timezone.now())
    pk = delivery.pk
    transaction.on_commit(lambda: _queue_delivery(pk))
    return delivery


# -- the centre --------------------------------------------------------------------------------


def notifications(actor: Actor) -> QuerySet[Notification]:
    return Notification.objects.for_enterprise(actor.enterprise).filter(user=actor.user)


def unread_count(actor: Actor) -> int:
    return notifications(actor).filter(read_at__isnull=True).count()


def mark_read(actor: Actor, ids: list[int] | None = None) -> int:
    """Mark the actor's notifications read (``ids``; all when None)."""
    qs = notifications(actor).filter(read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def get_notification(actor: Actor, notification_id: int | str) -> Notification:
    try:
        pk = int(notification_id)
    except (TypeError, ValueError):
        raise NotFound("通知不存在") from None
    row = notifications(actor).filter(pk=pk).first()
    if row is None:
        raise NotFound("通知不存在")
    return row


# -- the events of this module -----------------------------------------------------------------


def _records_url(declaration_id: int) -> str:
    return reverse("autodeclare:records", args=[declaration_id])


def _declaration_data(declaration) -> dict[str, Any]:
    return {"declaration_id": declaration.pk, "client_seq_no": declaration.client_seq_no or "",
            "seq_no": declaration.seq_no, "entry_id": declaration.entry_id, "bill_no": declaration.bill_no,
            "ie_flag": declaration.ie_flag, "status": declaration.status}


def declared(auto, batch, row: NotificationSettings | None = None) -> None:
    d = auto.declaration
    number = d.client_seq_no or d.pk
    emit(auto.enterprise_id, NotifyEvent.DECLARED, f"报关单 {number} 已智能辅助申报",
         body=f"批次 {batch.batch_no}, 提运单号 {d.bill_no or '-'}, 已发送海关。", url=_records_url(d.pk),
         data={**_declaration_data(d), "status": "declared", "batch_no": batch.batch_no,
               "auto_status": auto.auto_status}, row=row)


def receipt_applied(receipt) -> None:
    """A receipt of an auto-declared declaration: 退单/导入失败 and 放行 are pushed."""
    status = receipt.implied_status
    if status in ("rejected", "failed"):
        event, verb = NotifyEvent.REJECTED, "退单" if status == "rejected" else "导入失败"
    elif status == "released":
        event, verb = NotifyEvent.RELEASED, "已放行"
    else:
        return
    d = receipt.declaration
    number = d.entry_id or d.seq_no or d.client_seq_no or d.pk
    emit(receipt.enterprise_id, event, f"报关单 {number} {verb}",
         body=f"{receipt.channel_text or receipt.channel}{f': {receipt.note}' if receipt.note else ''}",
         url=_records_url(d.pk),
         data={**_declaration_data(d), "status": status, "channel": receipt.channel,
               "channel_text": receipt.channel_text, "note": receipt.note})


def batch_finished(batch) -> None:
    """A batch closed; its results are in the run's summary when the run ends."""


def run_stopped(run) -> None:
    """The run ended (its last batch closed): the totals every page shows, in one message."""
    from django.db.models import Sum

    from ..models import Run

    run = Run.objects.get(pk=run.pk)  # after commit: the totals of its last batch are in
    returned = run.batches.aggregate(n=Sum("returned"))["n"] or 0
    rejected = rejected_in(run=run)
    parts = [f"成功 {run.total_succeeded} 票", f"失败 {run.total_failed} 票"]
    if rejected:
        parts.append(f"其中海关退单 {rejected} 票")
    if returned:
        parts.append(f"停止时退回申报池 {returned} 票")
    summary = ", ".join(parts)
    emit(run.enterprise_id, NotifyEvent.RUN_FINISHED, f"智能辅助申报已结束: 共 {run.batch_count} 批次 — {summary}",
         body=f"共 {run.batch_count} 批次, {summary}。{run.stop_reason}",
         url=reverse("autodeclare:run"),
         data={"run_id": run.pk, "batches": run.batch_count, "total_succeeded": run.total_succeeded,
               "total_failed": run.total_failed, "total_rejected": rejected, "returned": returned,
               "stop_reason": run.stop_reason})

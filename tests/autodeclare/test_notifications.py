"""回执推送: the in-app centre, e-mail, and HMAC-signed webhooks with retry and a delivery log."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from guanwu.autodeclare import services
from guanwu.autodeclare.models import DeliveryStatus, Notification, WebhookDelivery
from guanwu.autodeclare.services import notifications
from guanwu.core.errors import Forbidden, ServiceError
from guanwu.gateway.services import poll_once
from guanwu.simulator.engine import run_until_idle
from tests.autodeclare.conftest import make_draft, make_manifest, profile_data

pytestmark = pytest.mark.django_db
URL = "https://erp.example.com/guanwu/receipts"


class FakeReceiver:
    """Stands in for the enterprise's endpoint: answers from a script, keeps every request."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.calls: list[tuple[str, bytes, dict[str, str]]] = []

    def __call__(self, url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        self.calls.append((url, body, headers))
        status = self.statuses.pop(0) if self.statuses else 200
        if status == 0:
            raise ConnectionRefusedError("connection refused")
        return status, "ok" if status < 300 else "busy"


@pytest.fixture
def receiver(monkeypatch):
    fake = FakeReceiver()
    monkeypatch.setattr(notifications, "post", fake)
    return fake


@pytest.fixture
def configured(enabled):
    return notifications.update_settings(enabled, {
        "email_enabled": True, "email_to": "ops@example.com, boss@example.com", "webhook_enabled": True,
        "webhook_url": URL})


def run_one(actor, capture, **head):
    profile = services.create_profile(actor, profile_data(actor))
    draft = make_draft(actor, **head)
    services.mark(actor, [draft.pk])
    with capture(execute=True):
        run = services.start_run(actor, [profile.pk], "agent")
    return draft, run


def test_signature_is_hmac_sha256_over_timestamp_and_body():
    body = b'{"event":"released"}'
    signature = notifications.sign("s3cret", "1700000000", body)
    import hashlib
    import hmac

    assert signature == hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert notifications.verify("s3cret", "1700000000", body, "sha256=" + signature)
    assert not notifications.verify("other", "1700000000", body, "sha256=" + signature)


def test_declared_and_released_are_pushed_signed(configured, receiver, django_capture_on_commit_callbacks):
    row = configured
    make_manifest()  # customs finds the bill: the declaration is released
    draft, _run = run_one(row_actor(row), django_capture_on_commit_callbacks)
    declared = WebhookDelivery.objects.get(event="declared")
    assert declared.status == DeliveryStatus.SUCCEEDED and declared.attempts == 1
    url, body, headers = receiver.calls[0]
    assert url == URL and headers["X-Guanwu-Event"] == "declared"
    assert headers["X-Guanwu-Delivery"] == str(declared.pk)
    assert notifications.verify(row.webhook_secret, headers["X-Guanwu-Timestamp"], body, headers["X-Guanwu-Signature"])
    payload = json.loads(body)
    assert payload["data"]["declaration_id"] == draft.pk and payload["data"]["batch_no"].startswith("P")
    with django_capture_on_commit_callbacks(execute=True):
        run_until_idle()
        poll_once()
    released = WebhookDelivery.objects.get(event="released")
    assert released.status == DeliveryStatus.SUCCEEDED
    assert not Notification.objects.filter(event="released").exists()  # 放行: webhook only by default
    assert not any("已放行" in m.subject for m in mail.outbox)  # released: no e-mail by default


def row_actor(row):
    from guanwu.tenancy.context import Actor

    return Actor.resolve(row.enterprise.memberships.first().user, row.enterprise)


def test_failed_deliveries_are_retried_with_backoff_and_logged(configured, receiver,
                                                               django_capture_on_commit_callbacks):
    receiver.statuses = [500, 0, 200]
    run_one(row_actor(configured), django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get(event="declared")
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.PENDING, 1, 500)
    assert delivery.last_error == "HTTP 500" and delivery.response_body == "busy"
    first_wait = delivery.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=5) < first_wait <= dt.timedelta(seconds=10)
    assert notifications.deliver(delivery.pk) is None  # not due yet
    with django_capture_on_commit_callbacks(execute=True):
        notifications.retry_due(now=timezone.now() + dt.timedelta(seconds=11))
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and "ConnectionRefusedError" in delivery.last_error
    assert dt.timedelta(seconds=50) < delivery.next_attempt_at - timezone.now() <= dt.timedelta(seconds=60)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.retry_due(now=timezone.now() + dt.timedelta(seconds=61))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.SUCCEEDED, 3, 200)
    assert delivery.delivered_at and delivery.next_attempt_at is None
    # the same delivery id on every attempt: a receiver can drop duplicates
    assert {h["X-Guanwu-Delivery"] for _u, _b, h in receiver.calls} == {str(delivery.pk)}


def test_gives_up_after_the_last_attempt_and_can_be_redelivered(configured, receiver,
                                                                django_capture_on_commit_callbacks):
    receiver.statuses = [503] * notifications.MAX_ATTEMPTS
    run_one(row_actor(configured), django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get(event="declared")
    later = timezone.now()
    for _ in range(notifications.MAX_ATTEMPTS):
        later += dt.timedelta(hours=3)
        notifications.retry_due(now=later)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == notifications.MAX_ATTEMPTS
    actor = row_actor(configured)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.redeliver(actor, delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 1


def test_run_finished_goes_to_every_channel(configured, receiver, django_capture_on_commit_callbacks):
    actor = row_actor(configured)
    _draft, run = run_one(actor, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.stop_run(actor, run.pk)
    note = Notification.objects.get(event="run_finished")
    assert "共 1 批次" in note.title and "成功 1 票" in note.body
    assert [m.to for m in mail.outbox if "智能辅助申报已结束" in m.subject] == [["ops@example.com", "boss@example.com"]]
    assert WebhookDelivery.objects.get(event="run_finished").payload["data"]["total_succeeded"] == 1


def test_rejections_reach_the_centre_and_mail(configured, receiver, settings, django_capture_on_commit_callbacks):
    settings.GUANWU_SIMULATOR_REJECTION_RATE = 1.0
    actor = row_actor(configured)
    run_one(actor, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        run_until_idle()
        poll_once()
    assert Notification.objects.filter(event="rejected").exists()
    assert any("退单" in m.subject for m in mail.outbox)
    assert notifications.unread_count(actor) >= 1


def test_settings_per_event_and_validation(enabled):
    with pytest.raises(ServiceError) as exc:
        notifications.update_settings(enabled, {"webhook_enabled": True, "webhook_url": "ftp://x"})
    assert exc.value.errors[0].field == "webhook_url"
    with pytest.raises(ServiceError):
        notifications.update_settings(enabled, {"email_enabled": True, "email_to": "not-an-address"})
    row = notifications.update_settings(enabled, {"events": {"declared": {"inapp": True, "email": False,
                                                                          "webhook": False}}})
    assert row.wants("declared", "inapp") and not row.wants("declared", "webhook")
    assert row.webhook_secret and len(row.webhook_secret) == 64


def test_private_addresses_are_refused_in_production(enabled, settings):
    settings.GUANWU_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(ServiceError) as exc:
        notifications.update_settings(enabled, {"webhook_enabled": True, "webhook_url": "http://127.0.0.1:8000/x"})
    assert "内网" in exc.value.errors[0].message


def test_operators_read_but_do_not_change_settings(operator_actor_a, enabled):
    with pytest.raises(Forbidden):
        notifications.update_settings(operator_actor_a, {"email_enabled": False})


def test_centre_pages_and_api(client_a, enabled, django_capture_on_commit_callbacks):
    actor = enabled
    _draft, run = run_one(actor, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.stop_run(actor, run.pk)
    page = client_a.get(reverse("autodeclare:notifications")).content.decode()
    assert "智能辅助申报已结束" in page and 'id="unread-count">1<' in page
    api = client_a.get("/api/v1/autodeclare/notifications").json()
    assert api["unread"] == 1 and api["results"][0]["event"] == "run_finished"
    note = Notification.objects.get()
    response = client_a.get(reverse("autodeclare:notification-open", args=[note.pk]))
    assert response.status_code == 302 and notifications.unread_count(actor) == 0
    settings_page = client_a.get(reverse("autodeclare:notification-settings")).content.decode()
    assert "HMAC-SHA256" in settings_page and "data-event-matrix" in settings_page
    WebhookDelivery.objects.create(enterprise=actor.enterprise, event="declared", url=URL, payload={},
                                   status=DeliveryStatus.FAILED, attempts=3, last_status_code=503,
                                   last_error="HTTP 503")
    deliveries = client_a.get(reverse("autodeclare:deliveries"))
    assert deliveries.status_code == 200
    html = deliveries.content.decode()
    assert "Webhook 投递记录" in html and "总共 1 条记录" in html
    assert URL in html and "投递失败" in html and "HTTP 503" in html and "重新投递" in html


def test_emails_and_webhooks_carry_absolute_links(configured, receiver, settings, django_capture_on_commit_callbacks):
    """A link in an e-mail is opened outside the platform: on its address, ``GUANWU_SITE_URL``
    (issue 11, point 10)."""
    settings.GUANWU_SITE_URL = "https://guanwu.example.com"
    actor = row_actor(configured)
    _draft, run = run_one(actor, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.stop_run(actor, run.pk)
    body = next(m.body for m in mail.outbox if "智能辅助申报已结束" in m.subject)
    assert body.rstrip().endswith("https://guanwu.example.com/autodeclare/run/")
    assert WebhookDelivery.objects.get(event="run_finished").payload["url"] == (
        "https://guanwu.example.com/autodeclare/run/")
    assert Notification.objects.get(event="run_finished").url == "/autodeclare/run/"  # in the app: relative
    assert notifications.absolute_url("https://other.example/x") == "https://other.example/x"

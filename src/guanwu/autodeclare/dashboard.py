"""Home dashboard widgets (the 智能辅助申报 run and the unread notifications) and the header's
通知 badge with the unread count, on every page."""

from __future__ import annotations

from django.urls import reverse

from guanwu.tenancy.context import Actor
from guanwu.ui.dashboard import register
from guanwu.ui.header import register_header_badge

from . import services
from .models import AutoDeclaration, AutoStatus, RunStatus
from .services import notifications


@register
def autodeclare_widget(actor: Actor) -> dict | None:
    if not services.is_enabled(actor.enterprise):
        return None
    run = services.active_run(actor)
    waiting = AutoDeclaration.objects.for_enterprise(actor.enterprise).filter(
        marked=True, auto_status=AutoStatus.WAITING).count()
    note = "未在执行"
    if run is not None:
        note = "申报执行中" if run.status == RunStatus.RUNNING else f"等待下一批次 · 已执行 {run.batch_count} 批次"
    return {"key": "autodeclare", "label": "智能辅助申报 待申报", "value": waiting, "url": reverse("autodeclare:run"),
            "note": note, "note_class": "text-success" if run else "text-muted"}


@register
def unread_notifications_widget(actor: Actor) -> dict | None:
    count = notifications.unread_count(actor)
    return {"key": "notifications-unread", "label": "未读通知", "value": count,
            "url": reverse("autodeclare:notifications") + "?unread=1",
            "note": "回执推送" if count else "", "note_class": "text-warning" if count else ""}


def unread_notifications_badge(actor: Actor) -> dict:
    """The header's 通知 link: the actor's unread notifications in the current enterprise (one COUNT)."""
    return {"label": "通知", "title": "未读通知", "icon": "bi-bell", "count": notifications.unread_count(actor),
            "url": reverse("autodeclare:notifications") + "?unread=1"}


register_header_badge("notifications", unread_notifications_badge)

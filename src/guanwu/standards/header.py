"""The header's ``new`` (seed 5.4: 企业用户点击页面右上角新消息 new 字样, 进入到企业信息列表)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse

from guanwu.tenancy.context import Actor
from guanwu.ui.header import register_header_badge

from .models import Authorisation, MonthlyMessage


def unread_count(actor: Actor) -> int:
    """``services.messages.unread_count`` in one query (a header badge costs one query on every page):
    the unread messages, none while the enterprise has not confirmed the authorisation."""
    authorised = Authorisation.objects.filter(enterprise=OuterRef("enterprise"))
    return (MonthlyMessage.objects.for_enterprise(actor.enterprise)
            .filter(Exists(authorised), read_at__isnull=True).count())


def new_messages_badge(actor: Actor) -> dict | None:
    """``new`` with the unread count of 企业信息; hidden until the enterprise confirmed the authorisation
    (until then the module shows nothing but the prompt) and while nothing is unread."""
    count = unread_count(actor)
    if not count:
        return None
    return {"label": "new", "count": count, "icon": "bi-envelope", "title": "规范申报企业信息: 未读消息",
            "url": reverse("standards:messages") + "?read=0"}


register_header_badge("standards", new_messages_badge)

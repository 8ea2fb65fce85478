"""企业信息 (seed 5.4): the monthly messages of the review, 未读/已读, push time range, mark read,
the header badge's unread count."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from guanwu.audit import services as audit
from guanwu.core.errors import FieldError, ServiceError
from guanwu.tenancy.context import Actor
from guanwu.tenancy.lookup import get_owned

from ..models import MonthlyMessage
from . import access

READ_STATES = {"unread": "未读", "read": "已读"}


def query(actor: Actor, *, state: str = "", pushed_from: dt.date | None = None,
          pushed_to: dt.date | None = None) -> QuerySet[MonthlyMessage]:
    access.require(actor)
    if state and state not in READ_STATES:
        raise ServiceError.fields([FieldError("state", "标记类别应为 unread(未读) 或 read(已读)")], "查询条件不正确")
    if pushed_from and pushed_to and pushed_from > pushed_to:
        raise ServiceError.fields([FieldError("pushed_to", "推送时间止不能早于推送时间起")], "查询条件不正确")
    qs = MonthlyMessage.objects.for_enterprise(actor.enterprise)
    if state == "unread":
        qs = qs.filter(read_at__isnull=True)
    elif state == "read":
        qs = qs.filter(read_at__isnull=False)
    if pushed_from:
        qs = qs.filter(pushed_at__date__gte=pushed_from)
    if pushed_to:
        qs = qs.filter(pushed_at__date__lte=pushed_to)
    return qs.order_by("-pushed_at", "-id")


def get(actor: Actor, message_id: int, *, lock: bool = False) -> MonthlyMessage:
    message = get_owned(MonthlyMessage.objects.for_enterprise(actor.enterprise), message_id, "消息", for_update=lock)
    access.require(actor)  # after the lookup: another enterprise's id is a 404 either way
    return message


@transaction.atomic
def mark_read(actor: Actor, message_id: int) -> MonthlyMessage:
    """标记为已读 (the message then no longer shows as new); marking a read message again is a no-op."""
    message = get(actor, message_id, lock=True)
    if message.read_at is None:
        message.read_at = timezone.now()
        message.read_by = actor.user
        message.save(update_fields=["read_at", "read_by"])
        audit.record(actor, message, "标记已读", before="未读", after="已读")
    return message


def unread_count(actor: Actor) -> int:
    """The header's ``new`` badge: 0 for an enterprise not yet authorised (nothing of the module shows)."""
    if not access.is_authorised(actor.enterprise):
        return 0
    return MonthlyMessage.objects.for_enterprise(actor.enterprise).filter(read_at__isnull=True).count()


def library_filter(message: MonthlyMessage) -> dict[str, str]:
    """The library query the message links to: its 不规范 rows of the reviewed period."""
    out = {"mark": "nonstandard"}
    if message.date_from:
        out["date_from"] = message.date_from.isoformat()
    if message.date_to:
        out["date_to"] = message.date_to.isoformat()
    return out

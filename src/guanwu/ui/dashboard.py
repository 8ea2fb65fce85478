"""Home dashboard widgets.

A module registers a function ``actor -> dict | None``; ``None`` hides the widget (e.g. the
module is not enabled for this enterprise). The dict has::

    {"key": "declarations-draft", "label": "暂存报关单", "value": 12,
     "url": "/declarations/?status=draft",          # optional: the number links there
     "note": "3 条今日新增", "note_class": "text-success"}   # optional

Widgets show in registration order; one that raises is logged and left out, so a broken
module never takes the home page down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from guanwu.tenancy.context import Actor

Widget = Callable[[Actor], dict | None]
_WIDGETS: list[Widget] = []
log = logging.getLogger(__name__)


def register(func: Widget) -> Widget:
    _WIDGETS.append(func)
    return func


def widgets(actor: Actor) -> list[dict]:
    out = []
    for func in _WIDGETS:
        try:
            item = func(actor)
        except Exception:
            log.exception("dashboard widget %s failed", getattr(func, "__name__", func))
            continue
        if item:
            out.append(item)
    return out


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@register
def members_widget(actor: Actor) -> dict:
    from guanwu.tenancy.models import Membership, Role

    counts = {role: 0 for role in Role.values}
    for role in Membership.objects.filter(enterprise=actor.enterprise, is_active=True).values_list("role", flat=True):
        counts[role] += 1
    return {
        "key": "members", "label": "企业成员", "value": sum(counts.values()), "url": _url("tenancy:members"),
        "note": f"管理员 {counts[Role.ADMIN]} · 操作员 {counts[Role.OPERATOR]}",
    }


@register
def operations_today_widget(actor: Actor) -> dict:
    from guanwu.audit.models import OperationLog

    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    count = OperationLog.objects.filter(enterprise=actor.enterprise, created_at__gte=start).count()
    url = _url("audit:list")
    if url:
        url += f"?time_from={start:%Y-%m-%d}"
    return {"key": "operations-today", "label": "今日操作", "value": count, "url": url}

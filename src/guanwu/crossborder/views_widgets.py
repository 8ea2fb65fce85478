"""The home page's 跨境电商 widget: what waits for 提交海关 and what customs refused, linking to
the 批次看板 (hidden for an enterprise that has no cross-border document)."""

from __future__ import annotations

from django.urls import reverse

from guanwu.tenancy.context import Actor
from guanwu.ui.dashboard import register

from . import services
from .models import CebStatus


@register
def crossborder_widget(actor: Actor) -> dict | None:
    counts = services.status_counts(actor)
    total = sum(n for by_status in counts.values() for n in by_status.values())
    if not total:
        return None
    waiting = sum(by_status.get(CebStatus.DRAFT, 0) for by_status in counts.values())
    refused = sum(by_status.get(s, 0) for by_status in counts.values() for s in (CebStatus.REJECTED, CebStatus.FAILED))
    return {
        "key": "crossborder", "label": "跨境待申报", "value": waiting, "url": reverse("crossborder:dashboard"),
        "note": f"退单/失败 {refused} · 单证共 {total}", "note_class": "text-danger" if refused else "",
    }

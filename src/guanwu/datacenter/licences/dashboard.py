"""Home page: licences and certificates that expire within 30 days."""

from __future__ import annotations

from django.urls import reverse

from guanwu.tenancy.context import Actor

from . import services
from .models import EXPIRY_WARNING_DAYS, ValidityStatus

URGENT_DAYS = 7


def expiring_widget(actor: Actor) -> dict:
    soon = services.expiring(actor.enterprise)
    licences = [e for e in soon if e.kind == "licence"]
    certificates = [e for e in soon if e.kind == "certificate"]
    if licences or not certificates:
        url = f"{reverse('datacenter:licence-list')}?status={ValidityStatus.EXPIRING}"
    else:
        url = f"{reverse('datacenter:certificate-list')}?status={ValidityStatus.EXPIRING}"
    if soon:
        first = soon[0]
        when = "今天" if first.days == 0 else f"{first.days} 天后"
        note = f"许可证 {len(licences)} · 证书 {len(certificates)} · 最近: {first.obj} {when}到期"
    else:
        note = f"{EXPIRY_WARNING_DAYS} 天内没有到期的许可证或证书"
    return {
        "key": "licences-expiring", "label": "即将到期的许可证/证书", "value": len(soon), "url": url,
        "note": note, "note_class": "text-danger" if soon and soon[0].days <= URGENT_DAYS else "",
    }

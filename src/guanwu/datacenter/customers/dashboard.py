"""Home dashboard: customers waiting for approval."""

from __future__ import annotations

from django.urls import reverse

from guanwu.tenancy.context import Actor
from guanwu.ui.dashboard import register

from .models import Customer, CustomerStatus


@register
def pending_customers_widget(actor: Actor) -> dict | None:
    pending = Customer.objects.for_enterprise(actor.enterprise).filter(status=CustomerStatus.PENDING).count()
    return {
        "key": "customers-pending", "label": "待审核客户", "value": pending,
        "url": f"{reverse('datacenter:customer-audit')}?status={CustomerStatus.PENDING}",
        "note": "需企业管理员审核" if pending else "",
        "note_class": "text-warning" if pending else "",
    }

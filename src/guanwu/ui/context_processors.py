from __future__ import annotations

from guanwu.tenancy.models import Membership

from .header import lazy_header_badges
from .menu import build_menu


def shell(request) -> dict:
    actor = getattr(request, "actor", None)
    if actor is None:
        return {"actor": None}
    memberships = (
        Membership.objects.filter(user=actor.user, is_active=True, enterprise__is_active=True)
        .select_related("enterprise")
        .order_by("enterprise__name")
    )
    return {
        "actor": actor,
        "current_enterprise": actor.enterprise,
        "my_enterprises": [m.enterprise for m in memberships],
        "menu": build_menu(request.path, actor.is_admin),
        "header_badges": lazy_header_badges(actor),
    }

"""Demo data: two enterprises with an admin and an operator each. Idempotent.

Modules add their own demo data with ``demo_step``; steps run in registration order after the
enterprises and users exist, and must be idempotent too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from guanwu.tenancy.context import Actor
from guanwu.tenancy.models import Enterprise, Membership, Role
from guanwu.tenancy.validators import uscc_check_char


@dataclass(frozen=True)
class DemoEnterprise:
    key: str
    name: str
    customs_code: str
    scc17: str
    ciq_code: str
    address: str
    contact: str
    phone: str


DEMO_ENTERPRISES = [
    DemoEnterprise("a", "演示进出口有限公司", "6101930001", "91610131MA6TX0001", "6100600001",
                   "陕西省西安市高新区锦业路 1 号", "王敏", "029-88880001"),
    DemoEnterprise("b", "示例报关行有限公司", "6101980002", "91610132MA6TX0002", "6100600002",
                   "陕西省西安市国际港务区港务大道 8 号", "李强", "029-88880002"),
]

DemoStep = Callable[[dict[str, Enterprise], dict[str, object], Callable[[str], None]], None]
_DEMO_STEPS: list[DemoStep] = []


def demo_step(func: DemoStep) -> DemoStep:
    _DEMO_STEPS.append(func)
    return func


def demo_actor(enterprise: Enterprise, user: object) -> Actor:
    """A demo user acting in a demo enterprise (with its membership's role)."""
    return Actor.for_membership(Membership.objects.get(enterprise=enterprise, user=user))


def demo_password() -> str:
    return settings.GUANWU_DEMO_PASSWORD


def demo_logins() -> list[tuple[str, str, str]]:
    out = []
    for e in DEMO_ENTERPRISES:
        out.append((f"{e.key}_admin", e.name, "企业管理员"))
        out.append((f"{e.key}_operator", e.name, "操作员"))
    return out


@transaction.atomic
def create_demo(say: Callable[[str], None] = print) -> tuple[dict[str, Enterprise], dict[str, object]]:
    User = get_user_model()
    enterprises: dict[str, Enterprise] = {}
    users: dict[str, object] = {}
    for spec in DEMO_ENTERPRISES:
        scc = spec.scc17 + uscc_check_char(spec.scc17)
        enterprise, _ = Enterprise.objects.update_or_create(
            customs_code=spec.customs_code,
            defaults={"name": spec.name, "scc": scc, "ciq_code": spec.ciq_code, "address": spec.address,
                      "contact": spec.contact, "phone": spec.phone},
        )
        enterprises[spec.key] = enterprise
        people = (("admin", Role.ADMIN, spec.contact), ("operator", Role.OPERATOR, "操作员"))
        for suffix, role, full_name in people:
            username = f"{spec.key}_{suffix}"
            user, created = User.objects.get_or_create(username=username, defaults={"first_name": full_name})
            if created or not user.check_password(demo_password()):
                user.set_password(demo_password())
                user.save()
            Membership.objects.update_or_create(
                user=user, enterprise=enterprise, defaults={"role": role, "is_active": True}
            )
            users[username] = user
    # Demo platform staff for Django admin (simulator manifests, parameter tables).
    staff, created = User.objects.get_or_create(
        username="platform", defaults={"is_staff": True, "is_superuser": True}
    )
    if created or not staff.check_password(demo_password()):
        staff.set_password(demo_password())
        staff.is_staff = staff.is_superuser = True
        staff.save()
    users["platform"] = staff
    for step in _DEMO_STEPS:
        step(enterprises, users, say)
    return enterprises, users

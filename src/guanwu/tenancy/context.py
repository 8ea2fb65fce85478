"""The acting user in one enterprise: what every service takes first."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser

from guanwu.core.errors import Forbidden

from .models import Enterprise, Membership, Role


@dataclass(frozen=True)
class Actor:
    user: AbstractBaseUser
    enterprise: Enterprise
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def require_admin(self, what: str = "此操作") -> None:
        if not self.is_admin:
            raise Forbidden(f"{what}需要企业管理员权限")

    @classmethod
    def for_membership(cls, membership: Membership) -> Actor:
        return cls(user=membership.user, enterprise=membership.enterprise, role=membership.role)

    @classmethod
    def resolve(cls, user: AbstractBaseUser, enterprise: Enterprise | int | None = None) -> Actor | None:
        """The actor for a user in an enterprise (default: the user's first), or None."""
        qs = Membership.objects.select_related("enterprise", "user").filter(
            user=user, is_active=True, enterprise__is_active=True
        )
        if enterprise is not None:
            qs = qs.filter(enterprise=enterprise)
        membership = qs.order_by("enterprise__name", "enterprise_id").first()
        return cls.for_membership(membership) if membership else None

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models

from .validators import validate_ciq_code, validate_customs_code, validate_uscc

# Business settings every enterprise has, with their defaults. Modules add theirs here so that
# the settings page and the services agree on names and defaults.
BUSINESS_SETTINGS: dict[str, tuple[Any, str]] = {
    "customer_approval": (True, "客户审核: 新增客户需经管理员审核"),
    "require_approved_customers": (
        False, "只为审核通过的客户申报: 境内收发货人、消费使用/生产销售单位须为审核通过的客户"
    ),
    "operators_manage_profiles": (False, "允许操作员维护智能辅助申报预配置"),
    "autodeclare_enabled": (False, "已启用智能辅助申报"),
}
# Settings a module's own page turns on and off, with what it requires (terms accepted, runs
# stopped): read-only in 业务设置 and refused by ``services.update_settings``; the module's service
# writes them with ``services.set_managed_setting``. Value: (URL name of that page, how).
MANAGED_SETTINGS: dict[str, tuple[str, str]] = {
    "autodeclare_enabled": ("autodeclare:enable", "请在「智能辅助申报 › 启用」页面阅读并同意用户须知和企业承诺后启用, "
                                                  "或在该页面停用 (停用时正在执行的智能辅助申报立即停止)"),
}


class Enterprise(models.Model):
    name = models.CharField("企业名称", max_length=200)
    customs_code = models.CharField(
        "海关编码", max_length=10, unique=True, validators=[validate_customs_code]
    )
    scc = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc]
    )
    ciq_code = models.CharField(
        "检验检疫代码", max_length=10, blank=True, validators=[validate_ciq_code]
    )
    address = models.CharField("地址", max_length=300, blank=True)
    contact = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    email = models.EmailField("E-MAIL", blank=True)
    settings = models.JSONField("业务设置", default=dict, blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "企业"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def setting(self, name: str) -> Any:
        default, _label = BUSINESS_SETTINGS[name]
        return self.settings.get(name, default)


class Role(models.TextChoices):
    ADMIN = "admin", "企业管理员"
    OPERATOR = "operator", "操作员"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name="用户"
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="memberships", verbose_name="企业"
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.OPERATOR)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("加入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "企业成员"
        constraints = [models.UniqueConstraint(fields=["user", "enterprise"], name="uniq_membership")]
        ordering = ["enterprise_id", "role", "user_id"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.enterprise} ({self.get_role_display()})"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class TenantQuerySet(models.QuerySet):
    def for_enterprise(self, enterprise: Enterprise | int) -> TenantQuerySet:
        return self.filter(enterprise=enterprise)


class TenantModel(models.Model):
    """Base of every tenant-owned row: reads go through ``for_enterprise``."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, verbose_name="企业", related_name="+")

    objects: ClassVar[TenantQuerySet] = TenantQuerySet.as_manager()

    class Meta:
        abstract = True


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "待接受"
    ACCEPTED = "accepted", "已接受"
    DECLINED = "declined", "已拒绝"
    CANCELLED = "cancelled", "已撤回"


class Invitation(models.Model):
    """An enterprise's invitation of an existing account to become a member.

    An admin invites by username; the invitee sees it after logging in, with the inviting
    enterprise, and accepts or declines. ``user`` is empty when no account may receive it (the
    username does not exist, belongs to platform staff or is inactive): the admin's answer is
    the same either way, so inviting tells nothing about which usernames exist.
    """

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="invitations", verbose_name="邀请企业"
    )
    username = models.CharField("用户名", max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations",
        verbose_name="被邀请用户",
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.OPERATOR)
    status = models.CharField(
        "状态", max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.PENDING, db_index=True
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="邀请人",
    )
    created_at = models.DateTimeField("邀请时间", auto_now_add=True)
    answered_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "成员邀请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "username"], condition=models.Q(status="pending"), name="uniq_pending_invitation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} 邀请 {self.username} ({self.get_role_display()})"

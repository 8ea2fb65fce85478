"""``/api/v1/enterprise``: the current enterprise, its members and settings. Thin over services."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ninja import Field, Router, Schema, Status

from guanwu.apikit.bodies import body_model, choices_text

from . import services
from .models import BUSINESS_SETTINGS, MANAGED_SETTINGS, Enterprise, Invitation, Membership, Role

router = Router(tags=["企业"])


class EnterpriseOut(Schema):
    id: int
    name: str
    customs_code: str
    scc: str
    ciq_code: str
    address: str
    contact: str
    phone: str
    email: str
    role: str
    settings: dict[str, Any]


def _titled(name: str, title: str = "") -> Any:
    """A field of the enterprise's profile, titled with the model field's Chinese name."""
    return Field(None, title=title or str(Enterprise._meta.get_field(name).verbose_name))


class EnterprisePatch(Schema):
    """只改给出的字段。"""

    name: str | None = _titled("name")
    customs_code: str | None = _titled("customs_code")
    scc: str | None = _titled("scc")
    ciq_code: str | None = _titled("ciq_code")
    address: str | None = _titled("address")
    contact: str | None = _titled("contact")
    phone: str | None = _titled("phone")
    email: str | None = _titled("email", "电子邮箱 (E-MAIL)")


def _setting_schema(name: str) -> dict[str, Any]:
    default, label = BUSINESS_SETTINGS[name]
    title, _, detail = label.partition(": ")
    schema: dict[str, Any] = {"type": "boolean"} if isinstance(default, bool) else {}
    schema.update(title=title, description="; ".join(filter(None, (detail, f"默认 {json.dumps(default)}"))))
    if name in MANAGED_SETTINGS:
        schema["description"] += f"; 只读 (不能在业务设置中修改): {MANAGED_SETTINGS[name][1]}"
    return schema


SettingsIn = body_model("SettingsIn", {name: _setting_schema(name) for name in BUSINESS_SETTINGS},
                        title="业务设置", description="只改给出的设置")


class MemberOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    role_label: str
    is_active: bool
    created_at: datetime


ROLES = choices_text(Role.choices)


class MemberIn(Schema):
    username: str = Field(title="用户名")
    full_name: str = Field("", title="姓名")
    role: str = Field(Role.OPERATOR, title="角色", description=ROLES)
    password: str = Field("", title="初始密码", description="给出则创建新账号; 不给则邀请已有账号")


class RoleIn(Schema):
    role: str = Field("", title="角色", description=ROLES)


def _enterprise(actor) -> dict[str, Any]:
    e = actor.enterprise
    return {
        "id": e.pk, "name": e.name, "customs_code": e.customs_code, "scc": e.scc, "ciq_code": e.ciq_code,
        "address": e.address, "contact": e.contact, "phone": e.phone, "email": e.email, "role": actor.role,
        "settings": {key: e.setting(key) for key in BUSINESS_SETTINGS},
    }


def _member(m: Membership) -> dict[str, Any]:
    return {
        "id": m.pk, "username": m.user.get_username(), "full_name": m.user.get_full_name(), "role": m.role,
        "role_label": m.get_role_display(), "is_active": m.is_active, "created_at": m.created_at,
    }


@router.get("", response=EnterpriseOut, summary="当前企业")
def current_enterprise(request):
    return _enterprise(request.auth)


@router.patch("", response=EnterpriseOut, summary="修改企业信息 (企业管理员)")
def update_enterprise(request, payload: EnterprisePatch):
    actor = request.auth
    enterprise = services.update_profile(actor, **payload.model_dump(exclude_unset=True))
    return _enterprise(type(actor)(user=actor.user, enterprise=enterprise, role=actor.role))


@router.patch("/settings", response=EnterpriseOut, summary="修改业务设置 (企业管理员)")
def update_settings(request, payload: SettingsIn):
    actor = request.auth
    enterprise = services.update_settings(actor, payload.raw())
    return _enterprise(type(actor)(user=actor.user, enterprise=enterprise, role=actor.role))


@router.get("/members", response=list[MemberOut], summary="企业成员")
def list_members(request, active: bool | None = None):
    qs = services.members(request.auth)
    if active is not None:
        qs = qs.filter(is_active=active)
    return [_member(m) for m in qs]


class InvitationOut(Schema):
    id: int
    username: str
    role: str
    role_label: str
    status: str
    status_label: str
    invited_by: str | None
    created_at: datetime
    answered_at: datetime | None
    detail: str


def _invitation(inv: Invitation) -> dict[str, Any]:
    return {
        "id": inv.pk, "username": inv.username, "role": inv.role, "role_label": inv.get_role_display(),
        "status": inv.status, "status_label": inv.get_status_display(),
        "invited_by": inv.invited_by.get_username() if inv.invited_by else None,
        "created_at": inv.created_at, "answered_at": inv.answered_at,
        "detail": services.INVITED.format(username=inv.username),
    }


@router.post("/members", response={201: MemberOut, 202: InvitationOut},
             summary="添加成员 (企业管理员): 带 password 创建新账号; 不带则邀请已有账号")
def add_member(request, payload: MemberIn):
    """不带 ``password``: 邀请该用户名的账号, 对方登录后接受才加入, 无论该用户名是否存在都答 202。
    带 ``password``: 创建新账号并立即加入 (201); 用户名已被使用时 422。"""
    added = services.add_member(request.auth, **payload.model_dump())
    if isinstance(added, Invitation):
        return Status(202, _invitation(added))
    return Status(201, _member(added))


@router.get("/invitations", response=list[InvitationOut], summary="本企业已发出的邀请")
def list_invitations(request, status: str = ""):
    qs = services.sent_invitations(request.auth)
    if status:
        qs = qs.filter(status=status)
    return [_invitation(i) for i in qs[:200]]


@router.delete("/invitations/{invitation_id}", response=InvitationOut, summary="撤回邀请 (企业管理员)")
def cancel_invitation(request, invitation_id: int):
    return _invitation(services.cancel_invitation(request.auth, invitation_id))


@router.patch("/members/{member_id}", response=MemberOut, summary="修改成员角色 (企业管理员)")
def change_role(request, member_id: int, payload: RoleIn | None = None):
    # The body is optional so that another enterprise's id answers 404 whatever was sent.
    return _member(services.change_role(request.auth, member_id, payload.role if payload else ""))


@router.delete("/members/{member_id}", response={204: None}, summary="移除成员 (企业管理员)")
def remove_member(request, member_id: int):
    services.remove_member(request.auth, member_id)
    return Status(204, None)

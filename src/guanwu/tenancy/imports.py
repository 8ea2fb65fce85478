"""批量导入成员: the members import on the shared Excel pipeline."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from guanwu.imports.spec import Column, ImportSpec, register

from . import services
from .models import Membership, Role


def _clean_row(row: dict) -> list[tuple[str, str]]:
    if row.get("password"):
        try:
            validate_password(row["password"])
        except ValidationError as exc:
            return [("初始密码", "; ".join(exc.messages))]
    return []


def _clean_batch(actor, rows: list[dict]) -> dict[int, list[tuple[str, str]]]:
    names = [r["username"] for r in rows]
    existing_users = set(get_user_model().objects.filter(username__in=names).values_list("username", flat=True))
    members = set(
        Membership.objects.filter(enterprise=actor.enterprise, is_active=True, user__username__in=names)
        .values_list("user__username", flat=True)
    )
    seen: set[str] = set()
    errors: dict[int, list[tuple[str, str]]] = {}
    for i, row in enumerate(rows):
        name = row["username"]
        if name in seen:
            errors.setdefault(i, []).append(("用户名", f"文件中重复的用户名 {name}"))
        seen.add(name)
        if name in members:
            errors.setdefault(i, []).append(("用户名", f"用户 {name} 已是本企业成员"))
        elif name in existing_users and row.get("password"):
            errors.setdefault(i, []).append(
                ("用户名", "该用户名已被使用, 请换一个; 要邀请已有账号加入本企业, 请不要填写初始密码")
            )
    return errors


def _save(actor, rows: list[dict]) -> int:
    for row in rows:
        services.add_member(
            actor, username=row["username"], role=row["role"], password=row.get("password") or "",
            full_name=row.get("full_name") or "",
        )
    return len(rows)


MEMBERS = register(ImportSpec(
    key="members",
    title="成员",
    description="批量添加本企业的操作员或管理员。填写初始密码: 创建新账号并加入本企业; "
                "不填: 邀请该用户名的已有账号, 对方登录后接受邀请才加入。",
    columns=[
        Column("用户名", "username", required=True, max_length=150, example="zhang_san"),
        Column("姓名", "full_name", max_length=150, example="张三"),
        Column("角色", "role", required=True, choices=list(Role.choices), example="操作员"),
        Column("初始密码", "password", max_length=128,
               help="创建新账号时填写, 至少8位, 不能全为数字; 邀请已有账号时不填"),
    ],
    save=_save,
    clean_row=_clean_row,
    clean_batch=_clean_batch,
    admin_only=True,
    list_url_name="tenancy:members",
    extra={"list_title": "成员管理"},
))

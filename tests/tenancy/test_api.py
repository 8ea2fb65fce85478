"""/api/v1/enterprise: the current enterprise and its members, over the same services."""

from __future__ import annotations

import pytest

from guanwu.audit.models import OperationLog
from guanwu.tenancy.models import Membership, Role
from tests.conftest import PASSWORD

BASE = "/api/v1/enterprise"


def token_for(client, username: str) -> dict:
    raw = client.post(
        "/api/v1/auth/token", {"username": username, "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def admin_h(client, admin_a):
    return token_for(client, "a_admin")


@pytest.fixture
def operator_h(client, operator_a):
    return token_for(client, "a_operator")


def test_current_enterprise(client, admin_h, ent_a):
    body = client.get(BASE, headers=admin_h).json()
    assert body["customs_code"] == ent_a.customs_code and body["scc"] == ent_a.scc and body["role"] == "admin"
    assert body["settings"]["customer_approval"] is True


def test_current_enterprise_with_session(client_a, ent_a):
    assert client_a.get(BASE).json()["name"] == "甲企业"


def test_needs_auth(client, db):
    response = client.get(f"{BASE}/members")
    assert response.status_code == 401 and response.json()["detail"] == "未登录或令牌无效"


def test_list_members_only_own(client, admin_h, operator_a, admin_b):
    body = client.get(f"{BASE}/members", headers=admin_h).json()
    assert [m["username"] for m in body] == ["a_admin", "a_operator"]
    assert body[0]["role_label"] == "企业管理员" and body[0]["is_active"] is True


def test_admin_adds_member(client, admin_h, ent_a):
    response = client.post(f"{BASE}/members", {
        "username": "api_clerk", "full_name": "赵六", "role": "operator", "password": "Api-clerk-2024",
    }, content_type="application/json", headers=admin_h)
    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "api_clerk" and body["full_name"] == "赵六" and body["role"] == "operator"
    assert Membership.objects.get(pk=body["id"]).enterprise == ent_a
    assert OperationLog.objects.filter(action="添加成员", object_id=str(body["id"])).exists()


def test_operator_cannot_add_member(client, operator_h):
    response = client.post(f"{BASE}/members", {
        "username": "sneaky", "role": "admin", "password": "Sneaky-pass-2024",
    }, content_type="application/json", headers=operator_h)
    assert response.status_code == 403
    assert response.json()["detail"] == "添加成员需要企业管理员权限"
    assert not Membership.objects.filter(user__username="sneaky").exists()
    assert not OperationLog.objects.filter(action="添加成员").exists()


def test_add_member_validation_errors(client, admin_h):
    response = client.post(f"{BASE}/members", {"username": "newbie", "role": "boss"},
                           content_type="application/json", headers=admin_h)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "role", "message": "角色只能是企业管理员或操作员"}]
    response = client.post(f"{BASE}/members", {"role": "operator"}, content_type="application/json", headers=admin_h)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "username"


def test_delete_member(client, admin_h, operator_a, ent_a):
    m = Membership.objects.get(user=operator_a, enterprise=ent_a)
    assert client.delete(f"{BASE}/members/{m.pk}", headers=admin_h).status_code == 204
    m.refresh_from_db()
    assert not m.is_active
    assert OperationLog.objects.filter(action="移除成员").count() == 1


def test_delete_other_enterprise_membership_is_404(client, admin_h, admin_b, ent_b):
    m = Membership.objects.get(user=admin_b, enterprise=ent_b)
    response = client.delete(f"{BASE}/members/{m.pk}", headers=admin_h)
    assert response.status_code == 404
    m.refresh_from_db()
    assert m.is_active


def test_patch_other_enterprise_membership_is_404_whatever_the_body(client, admin_h, admin_b, ent_b):
    m = Membership.objects.get(user=admin_b, enterprise=ent_b)
    for body in ({"role": "operator"}, {}, None):
        kwargs = {"content_type": "application/json"} if body is None else {"data": body,
                                                                              "content_type": "application/json"}
        response = client.patch(f"{BASE}/members/{m.pk}", headers=admin_h, **kwargs)
        assert response.status_code == 404, body
    m.refresh_from_db()
    assert m.role == Role.ADMIN


def test_delete_self_or_by_operator(client, admin_h, operator_h, admin_a, ent_a):
    mine = Membership.objects.get(user=admin_a, enterprise=ent_a)
    response = client.delete(f"{BASE}/members/{mine.pk}", headers=admin_h)
    assert response.status_code == 422 and response.json()["detail"] == "不能移除自己"
    response = client.delete(f"{BASE}/members/{mine.pk}", headers=operator_h)
    assert response.status_code == 403 and response.json()["detail"] == "移除成员需要企业管理员权限"
    mine.refresh_from_db()
    assert mine.is_active


def test_change_role(client, admin_h, operator_a, ent_a):
    m = Membership.objects.get(user=operator_a, enterprise=ent_a)
    response = client.patch(f"{BASE}/members/{m.pk}", {"role": "admin"}, content_type="application/json",
                            headers=admin_h)
    assert response.status_code == 200 and response.json()["role"] == "admin"
    response = client.patch(f"{BASE}/members/{m.pk}", {"role": "x"}, content_type="application/json",
                            headers=admin_h)
    assert response.status_code == 422


def test_patch_enterprise_profile(client, admin_h, operator_h, ent_a):
    response = client.patch(BASE, {"address": "西安"}, content_type="application/json", headers=admin_h)
    assert response.status_code == 200 and response.json()["address"] == "西安"
    response = client.patch(BASE, {"scc": "123"}, content_type="application/json", headers=admin_h)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "scc", "message": "统一社会信用代码应为18位"}]
    response = client.patch(BASE, {"address": "北京"}, content_type="application/json", headers=operator_h)
    assert response.status_code == 403
    ent_a.refresh_from_db()
    assert ent_a.address == "西安"


def test_patch_settings(client, admin_h, ent_a):
    response = client.patch(f"{BASE}/settings", {"operators_manage_profiles": True}, content_type="application/json",
                            headers=admin_h)
    assert response.status_code == 200 and response.json()["settings"]["operators_manage_profiles"] is True
    response = client.patch(f"{BASE}/settings", {"nope": True}, content_type="application/json", headers=admin_h)
    assert response.status_code == 422 and "未知的业务设置" in response.json()["detail"]


def test_settings_a_module_manages_are_refused(client, admin_h, ent_a):
    """智能辅助申报 is enabled only on its own page, with the terms accepted (issue 11, point 6)."""
    response = client.patch(f"{BASE}/settings", {"autodeclare_enabled": True, "customer_approval": False},
                            content_type="application/json", headers=admin_h)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "autodeclare_enabled" and "用户须知和企业承诺" in error["message"]
    ent_a.refresh_from_db()
    assert ent_a.setting("autodeclare_enabled") is False and ent_a.setting("customer_approval") is True

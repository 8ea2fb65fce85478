from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from guanwu.accounts.models import ApiToken, LoginAttempt
from tests.conftest import PASSWORD


def _token(client, **body):
    return client.post("/api/v1/auth/token", body, content_type="application/json")


def test_token_with_right_credentials_authorises_api_calls(client, admin_a, ent_a):
    response = _token(client, username="a_admin", password=PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert body["enterprise"] == ent_a.customs_code and body["role"] == "admin"
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert ApiToken.objects.get().digest != body["token"]  # only a digest is stored


def test_wrong_password_is_401_in_chinese(client, admin_a):
    response = _token(client, username="a_admin", password="wrong")
    assert response.status_code == 401
    assert response.json()["detail"] == "用户名或密码错误"
    assert not ApiToken.objects.exists()


def test_token_for_named_enterprise(client, admin_a, ent_a, ent_b):
    from guanwu.tenancy.models import Membership

    Membership.objects.create(user=admin_a, enterprise=ent_b, role="operator")
    response = _token(client, username="a_admin", password=PASSWORD, enterprise=ent_b.customs_code)
    assert response.status_code == 200
    assert response.json()["enterprise"] == ent_b.customs_code
    assert response.json()["role"] == "operator"


def test_token_for_enterprise_the_user_is_not_in(client, admin_a, ent_b):
    response = _token(client, username="a_admin", password=PASSWORD, enterprise=ent_b.customs_code)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("您不是该企业的成员")


def test_missing_or_bad_bearer_is_401(client, admin_a):
    assert client.get("/api/v1/auth/me").status_code == 401
    response = client.get("/api/v1/auth/me", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401
    assert response.json()["detail"] == "未登录或令牌无效"


def test_expired_token_is_refused(client, admin_a):
    raw = _token(client, username="a_admin", password=PASSWORD).json()["token"]
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_token_of_removed_member_stops_working(client, admin_a, ent_a):
    raw = _token(client, username="a_admin", password=PASSWORD).json()["token"]
    admin_a.memberships.update(is_active=False)
    assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


@override_settings(GUANWU_LOGIN_MAX_FAILURES=3)
def test_brute_force_is_throttled_even_with_the_right_password(client, admin_a):
    for _ in range(3):
        assert _token(client, username="a_admin", password="guess").status_code == 401
    response = _token(client, username="a_admin", password=PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.json()["detail"]
    page = client.post("/accounts/login/", {"username": "a_admin", "password": PASSWORD})
    assert page.status_code == 429
    assert "登录失败次数过多" in page.content.decode()


@override_settings(GUANWU_LOGIN_MAX_FAILURES=3)
def test_throttle_window_passes(client, admin_a):
    for _ in range(3):
        _token(client, username="a_admin", password="guess")
    LoginAttempt.objects.update(created_at=timezone.now() - timedelta(hours=1))
    assert _token(client, username="a_admin", password=PASSWORD).status_code == 200


def test_login_page_logs_in_and_out(client, admin_a):
    assert client.get("/").status_code == 302
    page = client.get("/accounts/login/")
    assert "登录" in page.content.decode()
    bad = client.post("/accounts/login/", {"username": "a_admin", "password": "x"})
    assert "用户名或密码错误" in bad.content.decode()
    good = client.post("/accounts/login/", {"username": "a_admin", "password": PASSWORD, "next": "/audit/"})
    assert good.status_code == 302 and good["Location"] == "/audit/"
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_login_refuses_offsite_next(client, admin_a):
    response = client.post(
        "/accounts/login/", {"username": "a_admin", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize("path", ["/", "/enterprise/members/", "/audit/"])
def test_pages_need_login(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

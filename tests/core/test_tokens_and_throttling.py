"""Issue 10.3-10.5: tokens can be revoked (logout, the account page), die with a password
change and with a removal from the enterprise; login throttling per username and per
(username, client address) behind trusted proxies, 429 with Retry-After; 401 carries
WWW-Authenticate; a user without enterprise gets the wrong-password answer."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from guanwu.accounts.models import ApiToken, LoginAttempt
from guanwu.audit.models import OperationLog
from guanwu.tenancy import services as tenancy
from guanwu.tenancy.models import Membership
from tests.conftest import PASSWORD


def _token(client, username="a_admin", password=PASSWORD, **extra):
    return client.post("/api/v1/auth/token", {"username": username, "password": password, **extra},
                       content_type="application/json")


def bearer(client, username="a_admin") -> dict:
    response = _token(client, username)
    assert response.status_code == 200, response.content
    return {"Authorization": f"Bearer {response.json()['token']}"}


def works(client, headers) -> bool:
    """Whether the token alone (no session cookie) authenticates."""
    return Client().get("/api/v1/auth/me", headers=headers).status_code == 200


def test_logout_revokes_the_token_used(client, admin_a, ent_a):
    first, second = bearer(client), bearer(client)
    response = client.post("/api/v1/auth/logout", headers=first)
    assert response.status_code == 204
    assert not works(client, first) and works(client, second)
    assert OperationLog.objects.filter(enterprise=ent_a, action="撤销 API 令牌").count() == 1


def test_token_list_and_revoke_on_the_account_page(client, admin_a, admin_b):
    headers = bearer(client)
    other = bearer(client, "b_admin")
    token = ApiToken.objects.get(user=admin_a)
    listed = client.get("/api/v1/auth/tokens", headers=headers).json()
    assert [t["prefix"] for t in listed] == [token.prefix] and listed[0]["current"] is True
    client.force_login(admin_a)
    page = client.get("/accounts/tokens/").content.decode()
    assert f"{token.prefix}…" in page and ApiToken.objects.get(user=admin_b).prefix not in page
    foreign = ApiToken.objects.get(user=admin_b)
    assert client.post(f"/accounts/tokens/{foreign.pk}/revoke/").status_code == 404
    assert works(client, other)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert not works(client, headers)


def test_password_change_revokes_every_token(client, admin_a):
    headers = bearer(client)
    client.force_login(admin_a)
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "Brand-new-pass-2024", "new_password2": "Brand-new-pass-2024",
    })
    assert response.status_code == 302
    assert not works(client, headers)
    # a password set elsewhere (admin, shell) too
    fresh = _token(client, password="Brand-new-pass-2024")
    headers = {"Authorization": f"Bearer {fresh.json()['token']}"}
    admin_a.set_password("Another-pass-2024")
    admin_a.save()
    assert not works(client, headers)


def test_a_login_that_upgrades_the_hash_does_not_revoke(client, admin_a, settings):
    headers = bearer(client)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    assert _token(client).status_code == 200  # checks the password and rehashes it with PBKDF2
    admin_a.refresh_from_db()
    assert admin_a.password.startswith("pbkdf2_sha256$")
    assert works(client, headers)


def test_removal_revokes_for_good(client, admin_a, operator_a, ent_a, actor_a):
    headers = bearer(client, "a_operator")
    membership = Membership.objects.get(user=operator_a, enterprise=ent_a)
    tenancy.remove_member(actor_a, membership.pk)
    assert not works(client, headers)
    membership.is_active = True  # re-added (e.g. an accepted invitation)
    membership.save()
    assert not works(client, headers)
    assert ApiToken.objects.get(user=operator_a).revoked_at is not None


def test_401_carries_www_authenticate(client, db):
    response = client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {"detail": "未登录或令牌无效", "errors": []}
    wrong = _token(client, username="nobody", password="x")
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"].startswith("Bearer")


def test_user_without_enterprise_gets_the_wrong_password_answer(client, db):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(username="loner", password=PASSWORD)
    right = _token(client, username="loner")
    wrong = _token(client, username="loner", password="not-it")
    assert right.status_code == wrong.status_code == 401
    assert right.json() == wrong.json() == {"detail": "用户名或密码错误", "errors": []}


@override_settings(GUANWU_LOGIN_MAX_FAILURES=3, GUANWU_LOGIN_MAX_FAILURES_PER_USER=6)
def test_throttle_is_per_username_and_address_not_per_address(client, admin_a, operator_a):
    behind_proxy = {"REMOTE_ADDR": "10.0.0.5"}
    for _ in range(3):
        assert client.post("/api/v1/auth/token", {"username": "a_admin", "password": "guess"},
                           content_type="application/json", **behind_proxy).status_code == 401
    refused = client.post("/api/v1/auth/token", {"username": "a_admin", "password": PASSWORD},
                          content_type="application/json", **behind_proxy)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0 and "登录失败次数过多" in refused.json()["detail"]
    # another user behind the same address is not locked out
    assert client.post("/api/v1/auth/token", {"username": "a_operator", "password": PASSWORD},
                       content_type="application/json", **behind_proxy).status_code == 200
    # the same user from elsewhere still may, until the per-user limit
    elsewhere = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(3):
        client.post("/api/v1/auth/token", {"username": "a_admin", "password": "guess"},
                    content_type="application/json", **elsewhere)
    third = {"REMOTE_ADDR": "198.51.100.7"}
    response = client.post("/api/v1/auth/token", {"username": "a_admin", "password": PASSWORD},
                           content_type="application/json", **third)
    assert response.status_code == 429  # 6 failures for a_admin from anywhere
    page = client.post("/accounts/login/", {"username": "a_admin", "password": PASSWORD}, **third)
    assert page.status_code == 429 and page["Retry-After"]


@override_settings(GUANWU_LOGIN_MAX_FAILURES=2, GUANWU_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_client_address_comes_from_trusted_proxies_only(client, admin_a):
    def fail(remote: str, forwarded: str = ""):
        meta = {"REMOTE_ADDR": remote}
        if forwarded:
            meta["HTTP_X_FORWARDED_FOR"] = forwarded
        client.post("/api/v1/auth/token", {"username": "a_admin", "password": "guess"},
                    content_type="application/json", **meta)

    fail("10.0.0.5", "198.51.100.1")
    fail("10.0.0.6", "1.2.3.4, 198.51.100.2, 10.1.1.1")  # left of the first untrusted hop is ignored
    fail("203.0.113.5", "198.51.100.3")  # an untrusted peer's header is ignored
    assert sorted(LoginAttempt.objects.values_list("address", flat=True)) == [
        "198.51.100.1", "198.51.100.2", "203.0.113.5",
    ]


def test_password_validator_messages_are_chinese(client, admin_a):
    client.force_login(admin_a)
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "1234567", "new_password2": "1234567",
    })
    html = response.content.decode()
    assert "密码太短, 至少需要 8 个字符" in html and "密码不能全为数字" in html
    assert "This password" not in html


def test_api_password_errors_are_chinese(client, admin_a):
    headers = bearer(client)
    response = client.post("/api/v1/enterprise/members", {"username": "new_one", "password": "password"},
                           content_type="application/json", headers=headers)
    assert response.status_code == 422
    assert [e["message"] for e in response.json()["errors"]] == ["这个密码太常见, 请换一个"]


@pytest.mark.parametrize("password", ["short", "12345678901", "password"])
def test_no_english_password_messages(client, admin_a, password):
    headers = bearer(client)
    response = client.post("/api/v1/enterprise/members", {"username": "new_one", "password": password},
                           content_type="application/json", headers=headers)
    for error in response.json()["errors"]:
        assert not any(c.isascii() and c.isalpha() for c in error["message"]), error

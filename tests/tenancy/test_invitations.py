"""Issue 10.1: another enterprise's user joins only by accepting an invitation; staff never
joins; inviting tells nothing about which usernames exist; a user of several enterprises
always chooses one (login page, token request)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from guanwu.accounts.models import ApiToken
from guanwu.audit.models import OperationLog
from guanwu.core.errors import Forbidden, NotFound, ServiceError
from guanwu.tenancy import services
from guanwu.tenancy.middleware import SESSION_KEY
from guanwu.tenancy.models import Invitation, InvitationStatus, Membership, Role
from tests.conftest import PASSWORD

User = get_user_model()
MEMBERS = "/api/v1/enterprise/members"


def token(client, username: str, **extra) -> dict:
    response = client.post("/api/v1/auth/token", {"username": username, "password": PASSWORD, **extra},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return {"Authorization": f"Bearer {response.json()['token']}"}


@pytest.fixture
def staff(db):
    return User.objects.create_user(username="platform", password=PASSWORD, is_staff=True, is_superuser=True)


@pytest.fixture
def admin_h(client, admin_a):
    return token(client, "a_admin")


def invite(client, headers, username: str, role: str = "operator"):
    return client.post(MEMBERS, {"username": username, "role": role}, content_type="application/json",
                       headers=headers)


def test_adding_another_enterprises_user_makes_an_invitation_not_a_member(client, admin_h, admin_b, ent_a, ent_b):
    response = invite(client, admin_h, "b_admin")
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    assert not Membership.objects.filter(user=admin_b, enterprise=ent_a).exists()
    # B's admin still gets B, not A, when asking for a token without naming an enterprise
    client.logout()
    me = client.get("/api/v1/auth/me", headers=token(client, "b_admin")).json()
    assert me["enterprise"] == ent_b.customs_code
    log = OperationLog.objects.get(action="邀请成员")
    assert log.enterprise == ent_a and log.status_after == "待接受"


def test_the_answer_is_the_same_whether_or_not_the_username_exists(client, admin_h, admin_b, staff, db):
    """Existing user, unknown username, platform staff: one answer, one shape."""
    answers = {}
    for username in ("b_admin", "no_such_user", "platform"):
        response = invite(client, admin_h, username)
        body = response.json()
        answers[username] = (response.status_code, tuple(sorted(body)), body["status"], body["role"],
                             body["detail"].replace(username, "<u>"))
    assert len(set(answers.values())) == 1, answers
    assert answers["b_admin"][0] == 202
    # and the page answers alike
    listing = client.get("/api/v1/enterprise/invitations", headers=admin_h).json()
    assert sorted(i["username"] for i in listing) == ["b_admin", "no_such_user", "platform"]
    assert {i["status"] for i in listing} == {"pending"}


def test_staff_can_never_be_added(client, admin_h, staff, ent_a, actor_a):
    invite(client, admin_h, "platform", role="admin")
    invitation = Invitation.objects.get(username="platform")
    assert invitation.user is None  # undeliverable: staff never sees it
    assert not services.pending_invitations(staff).exists()
    # even an invitation forced onto the staff account cannot be accepted
    Invitation.objects.filter(pk=invitation.pk).update(user=staff)
    with pytest.raises(Forbidden):
        services.accept_invitation(staff, invitation.pk)
    assert not Membership.objects.filter(user=staff).exists()
    # creating an account with a password never makes staff, and a staff name is taken
    with pytest.raises(ServiceError) as exc:
        services.add_member(actor_a, username="platform", password="Strong-pass-2024")
    assert "已被使用" in exc.value.errors[0].message
    with pytest.raises(ServiceError):
        services.create_enterprise(admin_user=staff, name="某企业", customs_code="6101930099",
                                   scc="91610131MA6U0099X1")
    assert not Membership.objects.filter(user=staff).exists()


def test_invitee_sees_the_inviting_enterprise_after_login_and_accepts(client, admin_h, admin_b, ent_a, ent_b):
    invite(client, admin_h, "b_admin", role="admin")
    client.logout()
    response = client.post("/accounts/login/", {"username": "b_admin", "password": PASSWORD})
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert 'data-header-badge="invitations"' in home  # the header says an invitation waits
    page = client.get("/enterprise/invitations/").content.decode()
    assert ent_a.name in page and ent_a.customs_code in page and "企业管理员" in page
    invitation = Invitation.objects.get(username="b_admin")
    response = client.post(f"/enterprise/invitations/{invitation.pk}/accept/")
    assert response.status_code == 302
    membership = Membership.objects.get(user=admin_b, enterprise=ent_a)
    assert membership.role == Role.ADMIN and membership.is_active
    assert client.session[SESSION_KEY] == ent_a.pk
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED and invitation.answered_at
    actions = set(OperationLog.objects.filter(enterprise=ent_a).values_list("action", flat=True))
    assert {"邀请成员", "接受邀请", "加入企业"} <= actions
    # accepted once: a second accept is a 404
    assert client.post(f"/enterprise/invitations/{invitation.pk}/accept/").status_code == 404


def test_decline_and_cancel(client, admin_h, admin_b, operator_a, ent_a, actor_a, operator_actor_a):
    invite(client, admin_h, "b_admin")
    first = Invitation.objects.get(username="b_admin")
    services.decline_invitation(admin_b, first.pk)
    first.refresh_from_db()
    assert first.status == InvitationStatus.DECLINED
    assert not Membership.objects.filter(user=admin_b, enterprise=ent_a).exists()
    assert OperationLog.objects.filter(enterprise=ent_a, action="拒绝邀请").exists()
    invite(client, admin_h, "b_admin")
    second = Invitation.objects.get(username="b_admin", status=InvitationStatus.PENDING)
    with pytest.raises(Forbidden):
        services.cancel_invitation(operator_actor_a, second.pk)
    response = client.delete(f"/api/v1/enterprise/invitations/{second.pk}", headers=admin_h)
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    with pytest.raises(NotFound):
        services.accept_invitation(admin_b, second.pk)
    assert OperationLog.objects.filter(enterprise=ent_a, action="撤回邀请").exists()


def test_nobody_else_can_answer_an_invitation(client, admin_h, admin_b, operator_a, ent_a):
    invite(client, admin_h, "b_admin")
    invitation = Invitation.objects.get(username="b_admin")
    client.force_login(operator_a)
    assert client.post(f"/enterprise/invitations/{invitation.pk}/accept/").status_code == 404
    assert client.post(f"/enterprise/invitations/{invitation.pk}/decline/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.PENDING


def test_a_user_without_enterprise_logs_in_to_answer_invitations(client, admin_h, ent_a):
    User.objects.create_user(username="free_agent", password=PASSWORD)
    invite(client, admin_h, "free_agent")
    client.logout()
    response = client.post("/accounts/login/", {"username": "free_agent", "password": PASSWORD})
    assert response["Location"] == "/enterprise/invitations/"
    assert ent_a.name in client.get("/").content.decode()  # the no-enterprise page lists the invitation


def test_creating_a_new_account_still_works_and_a_taken_name_is_refused(client, admin_h, admin_b, ent_a):
    response = client.post(MEMBERS, {"username": "fresh_clerk", "role": "operator", "password": "Clerk-pass-2024"},
                           content_type="application/json", headers=admin_h)
    assert response.status_code == 201
    assert Membership.objects.get(user__username="fresh_clerk").enterprise == ent_a
    response = client.post(MEMBERS, {"username": "b_admin", "role": "operator", "password": "Clerk-pass-2024"},
                           content_type="application/json", headers=admin_h)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "username"
    assert not Membership.objects.filter(user=admin_b, enterprise=ent_a).exists()


# -- several enterprises: always choose --------------------------------------------------------


@pytest.fixture
def two_enterprises(admin_a, ent_b):
    Membership.objects.create(user=admin_a, enterprise=ent_b, role=Role.OPERATOR)
    return admin_a


def test_token_without_enterprise_is_refused_naming_the_users_enterprises(client, two_enterprises, ent_a, ent_b):
    response = client.post("/api/v1/auth/token", {"username": "a_admin", "password": PASSWORD},
                           content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert "多个企业" in body["detail"]
    assert f"{ent_a.name} ({ent_a.customs_code})" in body["detail"]
    assert f"{ent_b.name} ({ent_b.customs_code})" in body["detail"]
    assert body["errors"][0]["field"] == "enterprise"
    assert not ApiToken.objects.exists()
    me = client.get("/api/v1/auth/me", headers=token(client, "a_admin", enterprise=ent_b.customs_code)).json()
    assert me["enterprise"] == ent_b.customs_code and me["role"] == "operator"


def test_login_asks_a_user_of_several_enterprises_to_choose(client, two_enterprises, ent_a, ent_b):
    response = client.post("/accounts/login/", {"username": "a_admin", "password": PASSWORD, "next": "/audit/"})
    assert response.status_code == 302 and response["Location"].startswith("/enterprise/choose/")
    assert SESSION_KEY not in client.session
    # until chosen, every page leads to the chooser and the API refuses the session
    assert client.get("/enterprise/members/")["Location"].startswith("/enterprise/choose/")
    assert client.get("/api/v1/enterprise").status_code == 403
    chooser = client.get(response["Location"]).content.decode()
    assert ent_a.name in chooser and ent_b.name in chooser and 'value="/audit/"' in chooser
    response = client.post("/enterprise/switch/", {"enterprise": ent_b.pk, "next": "/audit/"})
    assert response["Location"] == "/audit/"
    assert client.session[SESSION_KEY] == ent_b.pk
    assert ent_b.name in client.get("/enterprise/").content.decode()


def test_a_user_of_one_enterprise_goes_straight_in(client, admin_a, ent_a):
    response = client.post("/accounts/login/", {"username": "a_admin", "password": PASSWORD, "next": "/audit/"})
    assert response["Location"] == "/audit/"
    assert client.get("/audit/").status_code == 200

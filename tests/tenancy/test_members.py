"""成员管理: the list page, admin actions through services, operators refused, audit in the same transaction."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages

from guanwu.audit.models import OperationLog
from guanwu.core.errors import Forbidden, ServiceError
from guanwu.tenancy import services
from guanwu.tenancy.models import Invitation, Membership, Role
from tests.conftest import make_user

URL = "/enterprise/members/"
User = get_user_model()


def msgs(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def membership(user, enterprise) -> Membership:
    return Membership.objects.get(user=user, enterprise=enterprise)


# -- the list ----------------------------------------------------------------------------------


def test_admin_sees_members_and_buttons(client_a, admin_a, operator_a, ent_a, admin_b):
    html = client_a.get(URL).content.decode()
    assert "显示第 1 到第 2 条记录, 总共 2 条记录" in html
    for header in ("用户名", "姓名", "角色", "状态", "加入时间"):
        assert f"{header} <i" in html or f">{header}<" in html
    assert "a_operator" in html and "b_admin" not in html
    assert 'href="/enterprise/members/add/"' in html and "添加成员" in html
    op = membership(operator_a, ent_a)
    assert f'action="/enterprise/members/{op.pk}/remove/"' in html
    assert f'action="/enterprise/members/{op.pk}/role/"' in html and "设为管理员" in html
    # no remove button for oneself
    assert f'action="/enterprise/members/{membership(admin_a, ent_a).pk}/remove/"' not in html
    assert 'value="remove"' in html  # bulk remove


def test_operator_sees_the_list_but_no_buttons(operator_client_a, admin_a):
    html = operator_client_a.get(URL).content.decode()
    assert "a_admin" in html and "a_operator" in html
    assert "添加成员" not in html and "/remove/" not in html and "/role/" not in html
    assert "设为管理员" not in html and 'name="ids"' not in html


def test_filters(client_a, admin_a, operator_a, ent_a):
    operator_a.first_name = "张三"
    operator_a.save()
    assert "总共 1 条记录" in client_a.get(URL, {"q": "张"}).content.decode()
    assert "总共 1 条记录" in client_a.get(URL, {"role": "admin"}).content.decode()
    services.remove_member(services.Actor(admin_a, ent_a, Role.ADMIN), membership(operator_a, ent_a).pk)
    html = client_a.get(URL, {"active": "0"}).content.decode()
    assert "总共 1 条记录" in html and "已移除" in html


def test_import_button_hidden_without_the_import_panel(client_a):
    # the imports app registers imports:upload; until then the button must not be a dead link
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("imports:upload", args=["members"])
    except NoReverseMatch:
        url = None
    html = client_a.get(URL).content.decode()
    assert ("批量导入成员" in html) == bool(url)


@pytest.mark.urls("tests.ui.urls_with_imports")
def test_import_button_links_to_members_spec(client_a):
    html = client_a.get(URL).content.decode()
    assert 'href="/imports/members/upload/" data-list-import' in html and "批量导入成员" in html


@pytest.mark.urls("tests.ui.urls_with_imports")
def test_import_button_not_shown_to_operators(operator_client_a):
    assert "批量导入成员" not in operator_client_a.get(URL).content.decode()


def test_members_export(client_a, admin_a, operator_a):
    import io

    from python_calamine import CalamineWorkbook

    response = client_a.get(URL, {"export": "all"})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    data = rows.to_python()
    assert data[0] == ["用户名", "姓名", "角色", "状态", "加入时间"]
    assert [r[0] for r in data[1:]] == ["a_admin", "a_operator"]
    assert data[1][2] == "企业管理员" and data[2][3] == "有效"


# -- adding ------------------------------------------------------------------------------------


def test_admin_adds_a_new_user(client_a, ent_a):
    response = client_a.post("/enterprise/members/add/", {
        "username": "new_clerk", "full_name": "李四", "role": "operator", "password": "Clerk-pass-2024",
    })
    assert response.status_code == 302 and response["Location"] == URL
    user = User.objects.get(username="new_clerk")
    assert user.first_name == "李四" and user.check_password("Clerk-pass-2024")
    m = membership(user, ent_a)
    assert m.role == Role.OPERATOR and m.is_active
    log = OperationLog.objects.get(action="添加成员")
    assert log.enterprise == ent_a and log.object_id == str(m.pk) and log.status_after == "操作员"
    assert "已添加成员 new_clerk (操作员)" in msgs(response)


def test_existing_username_gets_an_invitation_not_a_membership(client_a, admin_b, ent_a):
    """Issue 10.1: adding another enterprise's user only invites it; it joins when it accepts."""
    response = client_a.post("/enterprise/members/add/", {"username": "b_admin", "role": "admin"})
    assert response.status_code == 302
    assert "已发出邀请: 用户 b_admin 登录后接受邀请即加入本企业" in msgs(response)
    assert not Membership.objects.filter(user=admin_b, enterprise=ent_a).exists()
    assert Invitation.objects.get(enterprise=ent_a, username="b_admin").user == admin_b
    assert User.objects.filter(username="b_admin").count() == 1


def test_add_errors_are_chinese_and_nothing_is_logged(client_a, operator_a, admin_b):
    response = client_a.post("/enterprise/members/add/", {"username": "b_admin", "role": "operator",
                                                          "password": "Some-pass-2024"})
    assert response.status_code == 422
    assert "该用户名已被使用" in response.content.decode()
    response = client_a.post("/enterprise/members/add/", {"username": "a_operator", "role": "operator"})
    assert "用户 a_operator 已是本企业成员" in response.content.decode()
    assert 'class="form-control form-control-sm is-invalid"' in response.content.decode()
    assert not User.objects.filter(username="nobody_yet").exists()
    assert not OperationLog.objects.exists()


def test_operator_cannot_open_or_post_the_add_form(operator_client_a):
    assert operator_client_a.get("/enterprise/members/add/").status_code == 403
    response = operator_client_a.post("/enterprise/members/add/", {
        "username": "sneaky", "role": "admin", "password": "Sneaky-pass-2024",
    })
    assert response.status_code == 403
    assert "添加成员需要企业管理员权限" in response.content.decode()
    assert not User.objects.filter(username="sneaky").exists()
    assert not OperationLog.objects.exists()


# -- removing and roles ------------------------------------------------------------------------


def test_admin_removes_a_member(client_a, operator_a, ent_a):
    m = membership(operator_a, ent_a)
    response = client_a.post(f"/enterprise/members/{m.pk}/remove/", {"next": f"{URL}?role=operator"})
    assert response.status_code == 302 and response["Location"] == f"{URL}?role=operator"
    m.refresh_from_db()
    assert not m.is_active
    log = OperationLog.objects.get()
    assert (log.action, log.status_before, log.status_after) == ("移除成员", "有效", "已移除")
    assert "已移除成员 a_operator" in msgs(response)


def test_next_must_stay_on_site(client_a, operator_a, ent_a):
    m = membership(operator_a, ent_a)
    response = client_a.post(f"/enterprise/members/{m.pk}/remove/", {"next": "https://evil.example/"})
    assert response["Location"] == URL


def test_admin_changes_roles(client_a, operator_a, ent_a):
    m = membership(operator_a, ent_a)
    response = client_a.post(f"/enterprise/members/{m.pk}/role/", {"role": "admin"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.role == Role.ADMIN
    log = OperationLog.objects.get()
    assert (log.action, log.status_before, log.status_after) == ("修改角色", "操作员", "企业管理员")
    assert "已将 a_operator 设为企业管理员" in msgs(response)


def test_cannot_remove_self(client_a, admin_a, ent_a):
    m = membership(admin_a, ent_a)
    response = client_a.post(f"/enterprise/members/{m.pk}/remove/")
    assert msgs(response) == ["不能移除自己"]
    m.refresh_from_db()
    assert m.is_active and not OperationLog.objects.exists()


def test_cannot_demote_the_last_admin(client_a, admin_a, ent_a):
    m = membership(admin_a, ent_a)
    response = client_a.post(f"/enterprise/members/{m.pk}/role/", {"role": "operator"})
    assert msgs(response) == ["企业至少需要保留一名管理员"]
    m.refresh_from_db()
    assert m.role == Role.ADMIN and not OperationLog.objects.exists()


def test_cannot_remove_the_last_admin(actor_a, ent_a):
    second = make_user("a_admin2", ent_a, Role.ADMIN)
    # a second admin may remove the first ... and then nobody may remove the second
    other = services.Actor(second, ent_a, Role.ADMIN)
    services.remove_member(other, membership(actor_a.user, ent_a).pk)
    with pytest.raises(ServiceError, match="不能移除自己"):
        services.remove_member(other, membership(second, ent_a).pk)


def test_last_admin_rule_in_service(actor_a, ent_a, operator_a):
    op = membership(operator_a, ent_a)
    services.change_role(actor_a, op.pk, Role.ADMIN)
    services.change_role(actor_a, op.pk, Role.OPERATOR)
    with pytest.raises(ServiceError, match="至少需要保留一名管理员"):
        services.change_role(actor_a, membership(actor_a.user, ent_a).pk, Role.OPERATOR)


@pytest.mark.parametrize("path", ["remove/", "role/"])
def test_operator_posting_directly_gets_403_and_nothing_changes(operator_client_a, admin_a, ent_a, path):
    m = membership(admin_a, ent_a)
    response = operator_client_a.post(f"/enterprise/members/{m.pk}/{path}", {"role": "operator"})
    assert response.status_code == 403
    assert "需要企业管理员权限" in response.content.decode()
    m.refresh_from_db()
    assert m.is_active and m.role == Role.ADMIN
    assert not OperationLog.objects.exists()


def test_operator_refused_by_the_service_itself(operator_actor_a, admin_a, ent_a):
    m = membership(admin_a, ent_a)
    for call in (
        lambda: services.remove_member(operator_actor_a, m.pk),
        lambda: services.change_role(operator_actor_a, m.pk, Role.OPERATOR),
        lambda: services.remove_members(operator_actor_a, [m.pk]),
    ):
        with pytest.raises(Forbidden) as exc:
            call()
        assert exc.value.status == 403
    m.refresh_from_db()
    assert m.is_active and m.role == Role.ADMIN and not OperationLog.objects.exists()


@pytest.mark.parametrize("path", ["remove/", "role/"])
def test_other_enterprise_membership_is_404(client_a, admin_b, ent_b, path):
    m = membership(admin_b, ent_b)
    response = client_a.post(f"/enterprise/members/{m.pk}/{path}", {"role": "operator"})
    assert response.status_code == 404
    m.refresh_from_db()
    assert m.is_active and m.role == Role.ADMIN


# -- bulk remove -------------------------------------------------------------------------------


def test_bulk_remove_ignores_forged_foreign_ids(client_a, ent_a, ent_b, admin_b):
    ops = [membership(make_user(f"op{i}", ent_a, Role.OPERATOR), ent_a) for i in range(3)]
    foreign = membership(admin_b, ent_b)
    response = client_a.post(URL, {"action": "remove", "ids": [ops[0].pk, ops[1].pk, foreign.pk]})
    assert response.status_code == 302
    assert msgs(response) == ["已移除 2 名成员: op0, op1"]
    assert [m.is_active for m in Membership.objects.filter(pk__in=[o.pk for o in ops]).order_by("pk")] == [
        False, False, True,
    ]
    foreign.refresh_from_db()
    assert foreign.is_active
    assert OperationLog.objects.filter(action="移除成员").count() == 2


def test_bulk_remove_is_all_or_nothing_log_included(client_a, admin_a, ent_a):
    op = membership(make_user("op_x", ent_a, Role.OPERATOR), ent_a)
    me = membership(admin_a, ent_a)
    response = client_a.post(URL, {"action": "remove", "ids": [op.pk, me.pk]})
    assert msgs(response) == ["a_admin: 不能移除自己, 未移除任何成员"]
    op.refresh_from_db()
    assert op.is_active  # removed first, then rolled back with the failure ...
    assert not OperationLog.objects.exists()  # ... and so was its log row


def test_bulk_remove_by_operator_is_403(operator_client_a, admin_a, ent_a):
    m = membership(admin_a, ent_a)
    assert operator_client_a.post(URL, {"action": "remove", "ids": [m.pk]}).status_code == 403
    m.refresh_from_db()
    assert m.is_active


def test_log_is_rolled_back_when_the_change_fails(actor_a, operator_a, ent_a, monkeypatch):
    """The log row is written inside the service's transaction: a failure after it leaves nothing."""
    from guanwu.audit import services as audit

    real_record = audit.record

    def record_then_fail(*args, **kwargs):
        real_record(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", record_then_fail)
    m = membership(operator_a, ent_a)
    with pytest.raises(RuntimeError):
        services.remove_member(actor_a, m.pk)
    m.refresh_from_db()
    assert m.is_active and not OperationLog.objects.exists()


def test_members_query_count_is_constant(client_a, ent_a, django_assert_num_queries):
    client_a.get(URL)
    counts = []
    for batch in (3, 30):
        for i in range(batch):
            make_user(f"u{batch}_{i}", ent_a, Role.OPERATOR)
        # 6 for the page, 3 for the header badges (unread notifications, pending invitations, 规范申报 new)
        with django_assert_num_queries(9) as ctx:
            html = client_a.get(URL, {"per_page": 100}).content.decode()
        counts.append(len(ctx))
        assert len(re.findall(r'name="ids"', html)) == Membership.objects.filter(enterprise=ent_a).count()
    assert counts[0] == counts[1]

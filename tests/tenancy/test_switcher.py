"""The enterprise switcher: only to enterprises the user belongs to; pages follow the session."""

from __future__ import annotations

from guanwu.tenancy.middleware import SESSION_KEY
from guanwu.tenancy.models import Membership, Role


def test_switch_to_an_enterprise_the_user_is_not_in_is_404(client_a, ent_a, ent_b):
    client_a.get("/")
    response = client_a.post("/enterprise/switch/", {"enterprise": ent_b.pk, "next": "/enterprise/"})
    assert response.status_code == 404
    assert client_a.session[SESSION_KEY] == ent_a.pk
    assert "甲企业" in client_a.get("/enterprise/").content.decode()


def test_switch_with_garbage_is_404(client_a):
    assert client_a.post("/enterprise/switch/", {"enterprise": "x"}).status_code == 404


def test_switch_changes_session_and_pages(client_a, admin_a, ent_a, ent_b, admin_b):
    Membership.objects.create(user=admin_a, enterprise=ent_b, role=Role.OPERATOR)
    client_a.post("/enterprise/switch/", {"enterprise": ent_a.pk})
    html = client_a.get("/enterprise/members/").content.decode()
    assert "a_admin" in html and "b_admin" not in html
    response = client_a.post("/enterprise/switch/", {"enterprise": ent_b.pk, "next": "/enterprise/members/"})
    assert response.status_code == 302 and response["Location"] == "/enterprise/members/"
    assert client_a.session[SESSION_KEY] == ent_b.pk
    html = client_a.get("/enterprise/members/").content.decode()
    assert "b_admin" in html
    assert "添加成员" not in html  # an operator in B
    profile = client_a.get("/enterprise/").content.decode()
    assert ent_b.scc in profile and ent_a.scc not in profile
    # the switcher in the header lists both and marks B
    assert f'<option value="{ent_b.pk}" selected>' in profile


def test_switch_rejects_offsite_next(client_a, admin_a, ent_b):
    Membership.objects.create(user=admin_a, enterprise=ent_b, role=Role.OPERATOR)
    response = client_a.post("/enterprise/switch/", {"enterprise": ent_b.pk, "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_switch_needs_post(client_a, ent_a):
    assert client_a.get("/enterprise/switch/", {"enterprise": ent_a.pk}).status_code == 405


def test_menu_marks_the_most_specific_entry(client_a):
    html = client_a.get("/enterprise/members/").content.decode()
    assert 'href="/enterprise/members/" class="active"' in html
    assert 'href="/enterprise/" class="active"' not in html
    assert 'href="/enterprise/" class="active"' in client_a.get("/enterprise/").content.decode()


def test_settings_menu_only_for_admins(client_a, operator_client_a):
    assert 'href="/enterprise/settings/"' not in operator_client_a.get("/").content.decode()


def test_home_dashboard(client_a, operator_a):
    html = client_a.get("/").content.decode()
    assert 'data-widget="members"' in html and "管理员 1 · 操作员 1" in html
    assert 'data-widget="operations-today"' in html
    assert "最近的操作" in html and "最近的后台任务" in html


def test_not_found_page_is_chinese(client_a, admin_b, ent_b):
    from guanwu.tenancy.models import Membership as M

    other = M.objects.get(user=admin_b, enterprise=ent_b)
    response = client_a.post(f"/enterprise/members/{other.pk}/remove/")
    assert response.status_code == 404
    assert "记录不存在或无权访问" in response.content.decode()

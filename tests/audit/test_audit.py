"""操作记录: the enterprise's log list, the per-object panel and the API — all tenant-scoped."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone
from ninja.testing import TestClient
from python_calamine import CalamineWorkbook

from guanwu.audit.api import router
from guanwu.audit.models import OperationLog
from guanwu.core.errors import ServiceError
from guanwu.tenancy import services
from guanwu.tenancy.models import Enterprise, Membership

URL = "/audit/"


@pytest.fixture
def history(actor_a, actor_b, operator_a, ent_a):
    """A few real changes in both enterprises, through the services."""
    services.update_profile(actor_a, address="西安市")
    services.update_settings(actor_a, {"customer_approval": False})
    op = Membership.objects.get(user=operator_a, enterprise=ent_a)
    services.change_role(actor_a, op.pk, "admin")
    services.update_profile(actor_b, address="乙的地址")
    services.add_member(actor_b, username="b_clerk", password="B-clerk-pass-1")
    return op


def test_list_shows_only_the_current_enterprise(client_a, history):
    html = client_a.get(URL).content.decode()
    assert "显示第 1 到第 3 条记录, 总共 3 条记录" in html
    assert "乙的地址" not in html and "b_clerk" not in html
    assert "地址: (空) → 西安市" in html
    assert "客户审核: 是 → 否" in html
    assert "操作员 → 企业管理员" in html


def test_other_enterprise_sees_its_own(client_b, history):
    html = client_b.get(URL).content.decode()
    assert "总共 2 条记录" in html and "西安市" not in html


def test_operators_can_read_the_log(operator_client_a, history):
    assert "总共 3 条记录" in operator_client_a.get(URL).content.decode()


def test_filters(client_a, history, ent_a):
    assert "总共 1 条记录" in client_a.get(URL, {"action": "修改角色"}).content.decode()
    ct = ContentType.objects.get_for_model(Enterprise)
    assert "总共 2 条记录" in client_a.get(URL, {"object_type": ct.pk}).content.decode()
    assert "总共 3 条记录" in client_a.get(URL, {"user": "a_ad"}).content.decode()
    assert "没有找到匹配的记录" in client_a.get(URL, {"user": "b_admin"}).content.decode()
    today = timezone.localdate()
    assert "总共 3 条记录" in client_a.get(URL, {"time_from": today.isoformat()}).content.decode()
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    assert "没有找到匹配的记录" in client_a.get(URL, {"time_to": yesterday}).content.decode()


def test_action_and_type_choices_come_from_own_rows(client_a, history):
    html = client_a.get(URL).content.decode()
    assert '<option value="修改角色">修改角色</option>' in html
    assert '<option value="添加成员">' not in html  # only B added a member
    assert ">企业成员</option>" in html and ">企业</option>" in html


def test_export_all(client_a, history):
    response = client_a.get(URL, {"export": "all"})
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content))).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert rows[0] == ["操作时间", "操作人", "对象类型", "对象", "操作", "操作前状态 → 操作后状态", "变更字段", "意见"]
    assert len(rows) == 4
    assert [r[4] for r in rows[1:]] == ["修改角色", "修改业务设置", "修改企业信息"]
    assert rows[1][5] == "操作员 → 企业管理员"
    assert rows[3][6] == "地址: (空) → 西安市"


def test_audit_list_query_count_is_constant(client_a, actor_a, ent_a, django_assert_num_queries):
    client_a.get(URL)
    counts = []
    for n in (3, 30):
        for i in range(n):
            services.update_profile(actor_a, address=f"地址{n}-{i}")
        # session, user, membership, 2 choice lists, count, rows, switcher, header badges (unread notifications,
        # pending invitations, 规范申报 new)
        with django_assert_num_queries(11) as ctx:
            client_a.get(URL, {"per_page": 100})
        counts.append(len(ctx))
    assert counts[0] == counts[1]


# -- the per-object panel ----------------------------------------------------------------------


def _render_panel(user, actor, obj) -> str:
    request = RequestFactory().get("/")
    request.user, request.actor = user, actor
    return Template("{% load audit_tags %}{% operation_log obj %}").render(Context({"request": request, "obj": obj}))


def test_panel_shows_the_object_log(actor_a, history):
    html = _render_panel(actor_a.user, actor_a, history)
    assert "操作时间" in html and "操作前状态 → 操作后状态" in html and "变更字段" in html and "意见" in html
    assert "修改角色" in html and "操作员 → 企业管理员" in html
    assert "修改企业信息" not in html  # another object's row


def test_panel_is_tenant_scoped(actor_b, history, ent_a):
    # B looking at A's enterprise object sees none of A's rows
    html = _render_panel(actor_b.user, actor_b, ent_a)
    assert "暂无操作记录" in html and "西安市" not in html


def test_panel_limit_links_to_the_full_list(actor_a, ent_a):
    for i in range(3):
        services.update_profile(actor_a, address=f"地址{i}")
    request = RequestFactory().get("/")
    request.user, request.actor = actor_a.user, actor_a
    html = Template("{% load audit_tags %}{% operation_log obj limit=2 %}").render(
        Context({"request": request, "obj": ent_a})
    )
    ct = ContentType.objects.get_for_model(Enterprise)
    assert f'href="/audit/?object_type={ct.pk}&amp;object_id={ent_a.pk}"' in html
    assert html.count("修改企业信息") == 2


def test_include_form_of_the_component(actor_a, history):
    from guanwu.audit.services import for_object

    html = Template('{% include "audit/_log.html" with logs=logs %}').render(
        Context({"logs": for_object(actor_a, history)})
    )
    assert "修改角色" in html and "操作员 → 企业管理员" in html


# -- API (router tested directly until it is mounted at /api/v1/audit) ----------------------------


def test_api_lists_own_rows_for_an_object(actor_a, history):
    client = TestClient(router)
    body = client.get(f"?object_type=tenancy.membership&object_id={history.pk}", auth=actor_a).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["action"] == "修改角色" and item["object_type"] == "tenancy.membership"
    assert item["object_type_label"] == "企业成员"
    assert (item["status_before"], item["status_after"]) == ("操作员", "企业管理员")


def test_api_is_tenant_scoped(actor_b, history, ent_a):
    client = TestClient(router)
    body = client.get(f"?object_type=tenancy.enterprise&object_id={ent_a.pk}", auth=actor_b).json()
    assert body == {"count": 0, "items": []}
    assert client.get("", auth=actor_b).json()["count"] == 2


def test_api_unknown_object_type(actor_a, history):
    with pytest.raises(ServiceError) as exc:
        TestClient(router).get("?object_type=nope.nothing", auth=actor_a)
    assert exc.value.errors[0].field == "object_type"


def test_api_is_mounted_and_scoped(client_a, history):
    """The log is served at /api/v1/audit (guanwu/api.py mounts the router): not mounted is a 404."""
    response = client_a.get("/api/v1/audit", {"action": "修改角色"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 1 and body["items"][0]["action"] == "修改角色"
    assert client_a.get("/api/v1/audit").json()["count"] == 3  # enterprise A's three changes, none of B's


def test_log_rows_exist_only_with_their_change(actor_a, ent_a):
    with pytest.raises(ServiceError):
        services.update_profile(actor_a, scc="bad")
    assert not OperationLog.objects.exists()

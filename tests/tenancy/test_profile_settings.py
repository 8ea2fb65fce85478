"""企业信息 and 业务设置: admins edit through services (validated, audited); operators read only."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages

from guanwu.audit.models import OperationLog
from guanwu.core.errors import Forbidden, ServiceError
from guanwu.tenancy import services
from guanwu.tenancy.models import Enterprise
from tests.conftest import make_scc

PROFILE = "/enterprise/"
SETTINGS = "/enterprise/settings/"


def form_data(enterprise: Enterprise, **changes) -> dict:
    data = {name: getattr(enterprise, name) for name in services.PROFILE_FIELDS}
    data.update(changes)
    return data


def test_profile_shows_enterprise_and_its_log(client_a, ent_a, actor_a):
    services.update_profile(actor_a, address="西安市高新区锦业路 1 号")
    html = client_a.get(PROFILE).content.decode()
    assert ent_a.customs_code in html and ent_a.scc in html
    assert 'name="scc"' in html  # admins get the form
    assert "data-operation-log" in html and "修改企业信息" in html
    assert "地址: (空) → 西安市高新区锦业路 1 号" in html


def test_operator_sees_profile_read_only(operator_client_a, ent_a):
    html = operator_client_a.get(PROFILE).content.decode()
    assert ent_a.scc in html and 'name="scc"' not in html and "仅企业管理员可修改" in html


def test_admin_edits_profile_with_audit_diff(client_a, ent_a):
    new_scc = make_scc("7654321")
    response = client_a.post(PROFILE, form_data(
        ent_a, name="甲企业(西安)", scc=new_scc.lower(), ciq_code="6100600001", contact="王敏", email="a@example.cn",
    ))
    assert response.status_code == 302 and response["Location"] == PROFILE
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["企业信息已保存"]
    ent_a.refresh_from_db()
    assert (ent_a.name, ent_a.scc, ent_a.ciq_code, ent_a.contact) == ("甲企业(西安)", new_scc, "6100600001", "王敏")
    log = OperationLog.objects.get()
    assert log.action == "修改企业信息" and log.enterprise == ent_a
    assert log.changes["name"] == ["甲企业", "甲企业(西安)"]
    assert log.changes["scc"][1] == new_scc
    assert set(log.changes) == {"name", "scc", "ciq_code", "contact", "email"}


def test_invalid_uscc_shows_chinese_error_and_changes_nothing(client_a, ent_a):
    before = {name: getattr(ent_a, name) for name in services.PROFILE_FIELDS}
    bad = ent_a.scc[:17] + ("0" if ent_a.scc[17] != "0" else "1")
    response = client_a.post(PROFILE, form_data(ent_a, name="改名", scc=bad))
    assert response.status_code == 422
    html = response.content.decode()
    assert "统一社会信用代码校验位错误" in html
    assert 'is-invalid' in html
    ent_a.refresh_from_db()
    assert {name: getattr(ent_a, name) for name in services.PROFILE_FIELDS} == before
    assert not OperationLog.objects.exists()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("customs_code", "12345", "海关编码应为10位数字或大写字母"),
    ("ciq_code", "abc", "检验检疫代码应为10位数字"),
    ("name", "  ", "企业名称不能为空"),
    ("email", "not-an-email", "E-MAIL 格式不正确"),
    ("contact", "长" * 51, "联系人不能超过 50 个字符"),
])
def test_update_profile_validates(actor_a, ent_a, field, value, message):
    with pytest.raises(ServiceError) as exc:
        services.update_profile(actor_a, **{field: value})
    assert [e.message for e in exc.value.errors] == [message]
    assert not OperationLog.objects.exists()


def test_update_profile_refuses_codes_of_another_enterprise(actor_a, ent_b):
    with pytest.raises(ServiceError) as exc:
        services.update_profile(actor_a, customs_code=ent_b.customs_code, scc=ent_b.scc)
    assert {e.field for e in exc.value.errors} == {"customs_code", "scc"}


def test_update_profile_without_changes_writes_no_log(actor_a, ent_a):
    services.update_profile(actor_a, name=ent_a.name)
    assert not OperationLog.objects.exists()


def test_update_profile_refuses_unknown_fields(actor_a):
    with pytest.raises(ServiceError, match="未知的企业信息字段: settings"):
        services.update_profile(actor_a, settings={"x": 1})


def test_operator_cannot_edit_profile(operator_client_a, operator_actor_a, ent_a):
    response = operator_client_a.post(PROFILE, form_data(ent_a, name="操作员改名"))
    assert response.status_code == 403
    assert "修改企业信息需要企业管理员权限" in response.content.decode()
    with pytest.raises(Forbidden):
        services.update_profile(operator_actor_a, name="操作员改名")
    ent_a.refresh_from_db()
    assert ent_a.name == "甲企业" and not OperationLog.objects.exists()


# -- settings ----------------------------------------------------------------------------------


def test_settings_page_lists_business_settings(client_a):
    html = client_a.get(SETTINGS).content.decode()
    assert "客户审核: 新增客户需经管理员审核" in html
    assert 'name="customer_approval"' in html and "checked" in html


def test_admin_changes_settings(client_a, ent_a):
    response = client_a.post(SETTINGS, {"operators_manage_profiles": "on"})  # customer_approval unticked
    assert response.status_code == 302
    ent_a.refresh_from_db()
    assert ent_a.setting("customer_approval") is False and ent_a.setting("operators_manage_profiles") is True
    log = OperationLog.objects.get()
    assert log.changes == {"customer_approval": [True, False], "operators_manage_profiles": [False, True]}
    assert "允许操作员维护智能辅助申报预配置: 否 → 是" in client_a.get("/audit/").content.decode()


def test_ticking_autodeclare_in_settings_does_not_enable_it(client_a, ent_a):
    """Only the 启用 page, with 用户须知 and 企业承诺 accepted, enables 智能辅助申报 (issue 11, point 6):
    业务设置 shows it read-only with a link there, and a forged post changes nothing."""
    html = client_a.get(SETTINGS).content.decode()
    assert 'data-managed-setting="autodeclare_enabled"' in html and 'href="/autodeclare/"' in html
    assert re.search(r'<input[^>]*name="autodeclare_enabled"[^>]*disabled', html)
    client_a.post(SETTINGS, {"autodeclare_enabled": "on", "customer_approval": "on"})
    ent_a.refresh_from_db()
    assert ent_a.setting("autodeclare_enabled") is False
    assert not OperationLog.objects.exists()


def test_unchanged_settings_write_no_log(client_a):
    response = client_a.post(SETTINGS, {"customer_approval": "on"})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["业务设置没有变化"]
    assert not OperationLog.objects.exists()


def test_operator_sees_settings_disabled_and_cannot_post(operator_client_a, ent_a):
    html = operator_client_a.get(SETTINGS).content.decode()
    assert "disabled" in html and "仅企业管理员可修改" in html
    response = operator_client_a.post(SETTINGS, {"operators_manage_profiles": "on"})
    assert response.status_code == 403
    ent_a.refresh_from_db()
    assert ent_a.setting("operators_manage_profiles") is False and not OperationLog.objects.exists()


def test_settings_values_must_be_booleans(actor_a):
    with pytest.raises(ServiceError) as exc:
        services.update_settings(actor_a, {"customer_approval": "yes"})
    assert exc.value.errors[0].field == "customer_approval"

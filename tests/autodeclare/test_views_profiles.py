"""启用 and 预配置 pages: the explanation until enabled, enabling, the profile form and list, roles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from guanwu.autodeclare import services
from guanwu.autodeclare.models import Profile
from guanwu.tenancy import services as tenancy
from tests.autodeclare.conftest import profile_data

pytestmark = pytest.mark.django_db
MODULE_PAGES = ["autodeclare:profile-list", "autodeclare:profile-create"]


def form(actor, **overrides) -> dict:
    data = {"name": "出口自动申报", "enabled": "1", "ie_flag": "E", "scope": "enterprise",
            "agent_code": actor.enterprise.customs_code, "trade_code": "", "batch_wait_seconds": "60",
            "auto_confirm": "on", "manifest_required": "on"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("name", MODULE_PAGES)
def test_pages_explain_how_to_enable_until_enabled(client_a, name):
    response = client_a.get(reverse(name))
    assert response.status_code == 200
    content = response.content.decode()
    assert "尚未启用智能辅助申报" in content and reverse("autodeclare:enable") in content


def test_admin_enables_after_accepting_both(client_a, ent_a):
    page = client_a.get(reverse("autodeclare:enable")).content.decode()
    assert "用户须知" in page and "企业承诺" in page and "立即启用" in page
    response = client_a.post(reverse("autodeclare:enable"), {"accept_notice": "on"})
    assert response.status_code == 422 and "请阅读并同意企业承诺" in response.content.decode()
    response = client_a.post(reverse("autodeclare:enable"), {"accept_notice": "on", "accept_promise": "on"})
    assert response.status_code == 302
    ent_a.refresh_from_db()
    assert ent_a.setting("autodeclare_enabled")
    assert "已启用" in client_a.get(reverse("autodeclare:enable")).content.decode()


def test_operator_cannot_enable(operator_client_a):
    page = operator_client_a.get(reverse("autodeclare:enable")).content.decode()
    assert "请联系本企业管理员" in page
    response = operator_client_a.post(reverse("autodeclare:enable"), {"accept_notice": "on", "accept_promise": "on"})
    assert response.status_code == 403


def test_create_profile_through_the_form_and_see_the_duplicate_message(client_a, enabled):
    response = client_a.post(reverse("autodeclare:profile-create"), form(enabled))
    assert response.status_code == 302
    profile = Profile.objects.get()
    assert profile.manifest_required and profile.auto_confirm and not profile.arrival_required
    response = client_a.post(reverse("autodeclare:profile-create"), form(enabled, name="重复"))
    assert response.status_code == 422
    assert "该申报单位下存在相同的境内收发货人或申报单位相同进出口标志且启用状态的数据!" in response.content.decode()
    listing = client_a.get(reverse("autodeclare:profile-list")).content.decode()
    assert "出口自动申报" in listing and "有舱单申报" in listing and "新增" in listing
    edit = client_a.get(reverse("autodeclare:profile-edit", args=[profile.pk])).content.decode()
    assert "新增预配置" in edit  # the operation log panel
    response = client_a.post(reverse("autodeclare:profile-edit", args=[profile.pk]),
                             form(enabled, name="改名", batch_wait_seconds="30"))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.name, profile.batch_wait_seconds) == ("改名", 30)
    response = client_a.post(reverse("autodeclare:profile-delete", args=[profile.pk]))
    assert response.status_code == 302 and not Profile.objects.exists()


def test_operator_queries_but_does_not_manage_profiles(client, operator_a, enabled):
    profile = services.create_profile(enabled, profile_data(enabled))
    client.force_login(operator_a)
    listing = client.get(reverse("autodeclare:profile-list")).content.decode()
    assert "出口自动申报" in listing
    assert reverse("autodeclare:profile-create") not in listing
    assert client.get(reverse("autodeclare:profile-create")).status_code == 403
    assert client.post(reverse("autodeclare:profile-edit", args=[profile.pk]), form(enabled)).status_code == 403
    assert client.post(reverse("autodeclare:profile-delete", args=[profile.pk])).status_code == 403
    page = client.get(reverse("autodeclare:profile-edit", args=[profile.pk])).content.decode()
    assert "仅企业管理员可修改" in page and 'id="save-profile"' not in page
    tenancy.update_settings(enabled, {"operators_manage_profiles": True})
    assert client.get(reverse("autodeclare:profile-create")).status_code == 200


def test_the_profile_page_shows_every_error_in_one_submit(client_a, enabled):
    """A bad 统计时配置 with bad codes: all three errors on the page at once (issue 11, point 9)."""
    response = client_a.post(reverse("autodeclare:profile-create"),
                             form(enabled, agent_code="12345", trade_code="ABCDEFGHIJ", batch_wait_seconds="3"))
    page = response.content.decode()
    assert response.status_code == 422
    assert "统计时配置应在 5 到 3600 秒之间" in page
    assert "申报单位: 应为海关10位编码或18位统一社会信用代码" in page
    assert "境内收发货人: 海关编码" in page
    response = client_a.post(reverse("autodeclare:profile-create"), form(enabled, batch_wait_seconds="abc"))
    assert response.status_code == 422 and "统计时配置应为整数秒" in response.content.decode()
    assert not Profile.objects.exists()

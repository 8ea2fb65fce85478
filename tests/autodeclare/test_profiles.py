"""启用 and 预配置: enablement, fields, the seed's uniqueness rule and message, roles, operation log."""

from __future__ import annotations

import pytest

from guanwu.audit.models import OperationLog
from guanwu.autodeclare import services
from guanwu.autodeclare.models import Enablement, Profile
from guanwu.core.errors import Forbidden, NotFound, ServiceError
from guanwu.tenancy import services as tenancy
from tests.autodeclare.conftest import profile_data

pytestmark = pytest.mark.django_db
DUPLICATE = "该申报单位下存在相同的境内收发货人或申报单位相同进出口标志且启用状态的数据!"


def test_nothing_works_until_an_admin_accepts_the_notice(actor_a, operator_actor_a):
    with pytest.raises(ServiceError) as exc:
        services.create_profile(actor_a, profile_data(actor_a))
    assert exc.value.status == 409 and "尚未启用" in exc.value.message
    with pytest.raises(Forbidden):
        services.enable(operator_actor_a, accept_notice=True, accept_promise=True)
    with pytest.raises(ServiceError) as exc:
        services.enable(actor_a, accept_notice=True, accept_promise=False)
    assert [e.field for e in exc.value.errors] == ["accept_promise"]
    services.enable(actor_a, accept_notice=True, accept_promise=True)
    actor_a.enterprise.refresh_from_db()
    assert actor_a.enterprise.setting("autodeclare_enabled") is True
    row = Enablement.objects.get(enterprise=actor_a.enterprise)
    assert row.accepted_by == actor_a.user and row.accepted_at and row.notice_version
    assert OperationLog.objects.filter(action="启用智能辅助申报").exists()


def test_create_profile_with_every_option(enabled):
    data = profile_data(enabled, trade_code="91610131MA6TX00011", manifest_required=True, arrival_required=True,
                        compare_required=True, batch_wait_seconds=90)
    profile = services.create_profile(enabled, data)
    assert (profile.name, profile.ie_flag, profile.agent_code, profile.trade_code) == (
        "出口自动申报", "E", "6101930001", "91610131MA6TX00011")
    assert profile.auto_confirm and profile.auto_agreement and profile.compare_required
    assert profile.batch_wait_seconds == 90
    log = OperationLog.objects.get(action="新增预配置", object_id=str(profile.pk))
    assert log.changes["name"] == [None, "出口自动申报"]


def test_profile_fields_are_validated(enabled):
    with pytest.raises(ServiceError) as exc:
        services.create_profile(enabled, profile_data(enabled, name="", ie_flag="X", agent_code="12345",
                                                      batch_wait_seconds=1))
    fields = {e.field for e in exc.value.errors}
    assert fields == {"name", "ie_flag", "agent_code", "batch_wait_seconds"}
    with pytest.raises(ServiceError) as exc:
        services.create_profile(enabled, profile_data(enabled, agent_code="", trade_code=""))
    assert exc.value.errors[0].message == "按企业生效时请填写申报单位或境内收发货人"
    with pytest.raises(ServiceError) as exc:  # a bad check digit of the 18-character code
        services.create_profile(enabled, profile_data(enabled, trade_code="91610131MA6TX00012"))
    assert "校验位" in exc.value.errors[0].message
    with pytest.raises(ServiceError) as exc:
        services.create_profile(enabled, profile_data(enabled, scope="user", user_ids=[]))
    assert exc.value.errors[0].field == "user_ids"


def test_comparing_implies_the_manifest(enabled):
    profile = services.create_profile(enabled, profile_data(enabled, compare_required=True))
    assert profile.manifest_required


def test_the_seeds_uniqueness_rule_and_message(enabled):
    services.create_profile(enabled, profile_data(enabled))
    with pytest.raises(ServiceError) as exc:
        services.create_profile(enabled, profile_data(enabled, name="第二条"))
    assert exc.value.message == DUPLICATE
    assert exc.value.errors[0].message == DUPLICATE
    # the same agent given by its 18-character code is the same 申报单位
    with pytest.raises(ServiceError) as exc:
        services.create_profile(enabled, profile_data(enabled, name="信用代码", agent_code=enabled.enterprise.scc))
    assert exc.value.message == DUPLICATE
    # the FAQ: an import and an export profile per 申报单位, one pair per 境内收发货人 more
    services.create_profile(enabled, profile_data(enabled, name="进口", ie_flag="I"))
    services.create_profile(enabled, profile_data(enabled, name="客户甲出口", trade_code="1101910001"))
    services.create_profile(enabled, profile_data(enabled, name="客户甲进口", trade_code="1101910001", ie_flag="I"))
    with pytest.raises(ServiceError) as exc:
        services.create_profile(enabled, profile_data(enabled, name="客户甲重复", trade_code="1101910001"))
    assert exc.value.message == DUPLICATE
    # a disabled profile does not count, and enabling it again is refused
    stopped = services.create_profile(enabled, profile_data(enabled, name="停用的", enabled=False))
    with pytest.raises(ServiceError) as exc:
        services.update_profile(enabled, stopped.pk, {"enabled": True})
    assert exc.value.message == DUPLICATE
    assert Profile.objects.count() == 5


def test_profiles_by_user_name_each_user_once_per_direction(enabled, operator_a):
    services.create_profile(enabled, profile_data(enabled, scope="user", user_ids=[operator_a.pk]))
    with pytest.raises(ServiceError) as exc:
        services.create_profile(enabled, profile_data(enabled, name="又一条", scope="user", user_ids=[operator_a.pk]))
    assert "a_operator" in exc.value.message
    services.create_profile(enabled, profile_data(enabled, name="进口", ie_flag="I", scope="user",
                                                  user_ids=[operator_a.pk]))


def test_users_must_be_members(enabled, admin_b):
    with pytest.raises(ServiceError) as exc:
        services.create_profile(enabled, profile_data(enabled, scope="user", user_ids=[admin_b.pk]))
    assert "不是本企业成员" in exc.value.message or "不是本企业成员" in exc.value.errors[0].message


def test_operators_query_and_manage_only_when_allowed(enabled, operator_actor_a):
    profile = services.create_profile(enabled, profile_data(enabled))
    assert list(services.list_profiles(operator_actor_a)) == [profile]
    with pytest.raises(Forbidden):
        services.create_profile(operator_actor_a, profile_data(operator_actor_a, ie_flag="I"))
    with pytest.raises(Forbidden):
        services.update_profile(operator_actor_a, profile.pk, {"name": "改名"})
    with pytest.raises(Forbidden):
        services.delete_profiles(operator_actor_a, [profile.pk])
    tenancy.update_settings(enabled, {"operators_manage_profiles": True})
    operator_actor_a.enterprise.refresh_from_db()
    services.update_profile(operator_actor_a, profile.pk, {"name": "改名"})
    assert services.delete_profiles(operator_actor_a, [profile.pk]) == 1
    assert list(OperationLog.objects.filter(object_id=str(profile.pk), content_type__model="profile")
                .order_by("id").values_list("action", flat=True)) == ["新增预配置", "修改预配置", "删除预配置"]


def test_another_enterprises_profile_is_not_found(enabled, actor_b):
    profile = services.create_profile(enabled, profile_data(enabled))
    services.enable(actor_b, accept_notice=True, accept_promise=True)
    with pytest.raises(NotFound):
        services.update_profile(actor_b, profile.pk, {"name": "x"})
    with pytest.raises(NotFound):
        services.delete_profiles(actor_b, [profile.pk])


def test_every_error_of_a_profile_at_once(enabled):
    """统计时配置 = 3 no longer hides the bad codes until the next submit (issue 11, point 9)."""
    with pytest.raises(ServiceError) as exc:
        services.create_profile(enabled, profile_data(enabled, agent_code="12345", trade_code="ABCDEFGHIJ",
                                                      batch_wait_seconds=3))
    messages = {e.field: e.message for e in exc.value.errors}
    assert set(messages) == {"agent_code", "trade_code", "batch_wait_seconds"}
    assert "统计时配置应在 5 到 3600 秒之间" in messages["batch_wait_seconds"]


@pytest.mark.parametrize("code", ["ABCDEFGHIJ", "0000000000", "9999999999", "61A1930001"])
def test_a_ten_character_code_must_be_a_customs_code(enabled, code):
    """海关注册编码: 行政区划 (4) + 经济区划 (1) + 经济类型 + running number; "ABCDEFGHIJ" passed before."""
    with pytest.raises(ServiceError) as exc:
        services.create_profile(enabled, profile_data(enabled, trade_code=code))
    error = exc.value.errors[0]
    assert error.field == "trade_code" and error.message.startswith("境内收发货人: 海关编码")


def test_real_customs_codes_pass(enabled):
    """The seed's 中国大恒(集团)有限公司 1108919038 (北京海淀) and the enterprise's own code."""
    profile = services.create_profile(enabled, profile_data(enabled, trade_code="1108919038"))
    assert profile.trade_code == "1108919038"


@pytest.mark.parametrize(("value", "field", "message"), [
    ({"name": ["a"]}, "name", "应为文本"), ({"agent_code": 6101930001}, "agent_code", "应为文本"),
    ({"ie_flag": {"E": 1}}, "ie_flag", "应为文本"),
    ({"batch_wait_seconds": 61.5}, "batch_wait_seconds", "统计时配置应为整数秒"),
    ({"batch_wait_seconds": True}, "batch_wait_seconds", "统计时配置应为整数秒"),
])
def test_values_of_the_wrong_kind_are_refused_not_stringified(enabled, value, field, message):
    """The API refused nothing: ``"name": ["a"]`` saved a profile named ``['a']``; 61.5 seconds
    became 61 and ``true`` 1."""
    with pytest.raises(ServiceError) as exc:
        services.create_profile(enabled, profile_data(enabled, **value))
    assert [(e.field, e.message) for e in exc.value.errors] == [(field, message)]
    assert not Profile.objects.exists()
    assert services.create_profile(enabled, profile_data(enabled, batch_wait_seconds=60.0)).batch_wait_seconds == 60

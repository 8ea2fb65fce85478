import pytest

from guanwu.audit.models import OperationLog
from guanwu.core.errors import Forbidden
from guanwu.tenancy import services


def test_operator_cannot_change_business_settings(operator_actor_a, ent_a):
    with pytest.raises(Forbidden) as exc:
        services.update_settings(operator_actor_a, {"customer_approval": False})
    assert "需要企业管理员权限" in exc.value.message
    ent_a.refresh_from_db()
    assert ent_a.setting("customer_approval") is True
    assert not OperationLog.objects.exists()


def test_admin_changes_settings_with_audit(actor_a, ent_a):
    services.update_settings(actor_a, {"customer_approval": False})
    ent_a.refresh_from_db()
    assert ent_a.setting("customer_approval") is False
    log = OperationLog.objects.get()
    assert log.action == "修改业务设置"
    assert log.changes == {"customer_approval": [True, False]}
    assert log.user == actor_a.user and log.enterprise == ent_a


def test_operator_cannot_add_members(operator_actor_a):
    with pytest.raises(Forbidden):
        services.add_member(operator_actor_a, username="x", password="Long-pass-123")


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_write_outside_a_transaction(actor_a, ent_a):
    from guanwu.audit.services import record

    with pytest.raises(RuntimeError):
        record(actor_a, ent_a, "x")

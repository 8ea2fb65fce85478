"""企业端授权确认 (seed 5.1: 如未授权，操作员登录系统时，会给出提示。授权后可正使用企业端)."""

from __future__ import annotations

import pytest

from guanwu.audit.models import OperationLog
from guanwu.core.errors import Forbidden, ServiceError
from guanwu.standards.models import LibraryEntry, MonthlyMessage
from guanwu.standards.services import access, library, messages, public

from .helpers import CHLORINE, publish, raw

pytestmark = pytest.mark.django_db


def test_every_service_refuses_until_confirmed(actor_a, operator_actor_a, ent_a):
    publish([raw(ent_a)])
    entry = LibraryEntry.objects.get(enterprise=ent_a).pk
    message = MonthlyMessage.objects.get(enterprise=ent_a).pk
    # (the enterprise's own ids: another enterprise's id is a 404 before the gate)
    calls = [lambda a: library.query(a), lambda a: library.get_entry(a, entry), lambda a: library.elements(a, entry),
             lambda a: library.set_own_choice(a, entry), lambda a: library.set_visibility(a, entry, False),
             lambda a: library.export_page(a), lambda a: library.rebuild(a), lambda a: public.query(a),
             lambda a: public.export_page(a), lambda a: messages.query(a), lambda a: messages.get(a, message),
             lambda a: messages.mark_read(a, message)]
    for call in calls:
        with pytest.raises(Forbidden) as refused:
            call(operator_actor_a)
        assert refused.value.message == access.NOT_AUTHORISED
        with pytest.raises(Forbidden, match="请先在「企业端授权确认」中确认授权"):
            call(actor_a)
    assert messages.unread_count(operator_actor_a) == 0  # no badge either


def test_operator_cannot_confirm_admin_confirms_once_with_log(actor_a, operator_actor_a):
    assert access.state(operator_actor_a).confirmed is False and access.state(operator_actor_a).can_confirm is False
    assert access.state(actor_a).can_confirm is True
    with pytest.raises(Forbidden, match="企业端授权确认需要企业管理员权限"):
        access.confirm(operator_actor_a)
    access.confirm(actor_a)
    log = OperationLog.objects.get(action="企业端授权确认")
    assert log.user == actor_a.user and log.status_after == "已授权"
    with pytest.raises(ServiceError) as again:
        access.confirm(actor_a)
    assert again.value.status == 409
    state = access.state(operator_actor_a)
    assert state.confirmed and state.confirmed_by == "a_admin"
    assert list(library.query(operator_actor_a)) == []


def test_authorisation_is_per_enterprise(actor_a, actor_b):
    access.confirm(actor_a)
    with pytest.raises(Forbidden):
        library.query(actor_b)


def test_check_endpoint_needs_no_authorisation(operator_client_a):
    response = operator_client_a.post("/api/v1/standards/check", {"code_ts": CHLORINE, "g_model": ""},
                                      content_type="application/json")
    assert response.status_code == 200


def test_api_refusal_is_chinese_json(operator_client_a):
    response = operator_client_a.get("/api/v1/standards/library")
    assert response.status_code == 403
    assert response.json()["detail"] == access.NOT_AUTHORISED and "errors" in response.json()
    assert operator_client_a.get("/api/v1/standards/authorisation").json()["confirmed"] is False

"""企业信息 (seed 5.4): the monthly message (review overview, counts as 申报单位 / 收发货人, 不规范
count), filtered 未读/已读 and by push time, mark read, the header's unread count; and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from guanwu.audit.models import OperationLog
from guanwu.core.errors import NotFound
from guanwu.standards.models import MonthlyMessage
from guanwu.standards.services import messages

from .helpers import authorise, publish, raw

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(actor_a, ent_a, ent_b):
    authorise(actor_a)
    publish([raw(ent_a), raw(ent_a, g_name="液氯", conclusion="不规范", reasons="包装:未申报"),
             raw(None, g_name="氯气", agent="6101339998", trade=ent_a.customs_code), raw(ent_b, g_name="B")],
            now=timezone.make_aware(dt.datetime(2026, 11, 1, 9)))
    publish([raw(ent_a, g_name="X", day=dt.date(2026, 11, 3))], now=timezone.make_aware(dt.datetime(2026, 12, 1, 9)))
    return actor_a


def test_overview_and_counts(reviewed, ent_a):
    october = MonthlyMessage.objects.get(enterprise=ent_a, period="2026-10")
    assert (october.total_reviewed, october.total_standard, october.total_nonstandard) == (4, 3, 1)
    assert (october.as_agent_count, october.as_owner_count, october.nonstandard_count) == (2, 1, 1)
    assert messages.library_filter(october) == {"mark": "nonstandard", "date_from": "2026-10-06",
                                                "date_to": "2026-10-06"}


def test_filters_mark_read_and_unread_count(reviewed, operator_actor_a):
    assert messages.unread_count(operator_actor_a) == 2
    assert [m.period for m in messages.query(operator_actor_a)] == ["2026-11", "2026-10"]
    november = messages.query(operator_actor_a, pushed_from=dt.date(2026, 11, 15)).get()
    messages.mark_read(operator_actor_a, november.pk)
    messages.mark_read(operator_actor_a, november.pk)  # twice: one log
    assert OperationLog.objects.filter(action="标记已读").count() == 1
    assert messages.unread_count(operator_actor_a) == 1
    assert [m.period for m in messages.query(operator_actor_a, state="read")] == ["2026-11"]
    assert [m.period for m in messages.query(operator_actor_a, state="unread")] == ["2026-10"]
    assert [m.period for m in messages.query(operator_actor_a, pushed_to=dt.date(2026, 11, 2))] == ["2026-10"]


def test_other_enterprise_message_is_not_found(reviewed, actor_b, ent_b):
    authorise(actor_b)
    theirs = MonthlyMessage.objects.get(enterprise=ent_b)
    with pytest.raises(NotFound):
        messages.mark_read(reviewed, theirs.pk)
    assert MonthlyMessage.objects.get(pk=theirs.pk).read_at is None


def test_api(reviewed, client_a, ent_b):
    page = client_a.get("/api/v1/standards/messages", {"state": "unread"}).json()
    assert page["count"] == 2 and page["unread"] == 2
    first = page["results"][0]
    assert first["read"] is False and first["library_filter"]["mark"] == "nonstandard"
    response = client_a.post(f"/api/v1/standards/messages/{first['id']}/read")
    assert response.status_code == 200 and response.json()["read"] is True
    assert client_a.get("/api/v1/standards/messages/unread-count").json() == {"unread": 1}
    theirs = MonthlyMessage.objects.get(enterprise=ent_b)
    response = client_a.post(f"/api/v1/standards/messages/{theirs.pk}/read")
    assert response.status_code == 404 and response.json()["detail"] == "消息不存在或无权访问"
    bad = client_a.get("/api/v1/standards/messages", {"state": "new"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "state"

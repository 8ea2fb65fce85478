from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from guanwu.audit.models import OperationLog
from guanwu.tenancy.models import Enterprise

from . import pages


@pytest.fixture(autouse=True)
def _clear_received():
    pages.RECEIVED.clear()
    yield
    pages.RECEIVED.clear()


def make_logs(enterprise, user, count: int, *, start: int = 0, day: dt.date | None = None) -> list[OperationLog]:
    content_type = ContentType.objects.get_for_model(Enterprise)
    rows = [
        OperationLog(
            enterprise=enterprise, user=user, user_name=user.username if user else "系统",
            content_type=content_type, object_id=str(i), object_repr=f"对象{i:03d}",
            action="新建" if i % 2 == 0 else "删除", status_after="US" if i % 3 == 0 else "CN",
        )
        for i in range(start, start + count)
    ]
    created = OperationLog.objects.bulk_create(rows)
    if day is not None:
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))
        OperationLog.objects.filter(pk__in=[r.pk for r in created]).update(created_at=moment)
    return list(OperationLog.objects.filter(pk__in=[r.pk for r in created]).order_by("id"))


@pytest.fixture
def logs_factory():
    return make_logs

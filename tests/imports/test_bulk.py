"""The bulk insert of the import save hooks: several rows a statement, shared values once, and
the overlapped variant whose statements run in a writer thread while the rows are made."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from guanwu.audit.models import OperationLog
from guanwu.datacenter.commodities.models import Commodity
from guanwu.imports import bulk


def log_rows(n, **extra):
    return [{"object_id": str(i), "object_repr": f"行{i}", "action": "批量", **extra} for i in range(n)]


@pytest.mark.parametrize("insert", [bulk.insert, bulk.insert_overlapped])
def test_rows_in_several_statements_in_order(actor_a, monkeypatch, insert):
    monkeypatch.setattr(bulk, "ROWS_PER_STATEMENT", 3)
    when = timezone.now() - dt.timedelta(days=1)
    rows = log_rows(10, created_at=when)
    with transaction.atomic():
        n = insert(OperationLog, iter(rows) if insert is bulk.insert_overlapped else rows,
                   enterprise=actor_a.enterprise, content_type_id=1, user=None)
    assert n == 10
    stored = list(OperationLog.objects.filter(action="批量").order_by("id"))
    assert [r.object_id for r in stored] == [str(i) for i in range(10)]
    assert {r.enterprise_id for r in stored} == {actor_a.enterprise.pk}
    assert all(r.created_at == when and r.changes == {} and r.user_id is None for r in stored)


def test_a_row_without_a_field_of_the_first_gets_none(actor_a):
    rows = [{"object_id": "1", "object_repr": "a", "action": "缺字段", "user": actor_a.user.pk},
            {"object_id": "2", "object_repr": "b", "action": "缺字段"}]
    with transaction.atomic():
        bulk.insert(OperationLog, rows, enterprise=actor_a.enterprise, content_type_id=1)
    stored = OperationLog.objects.filter(action="缺字段").order_by("object_id")
    assert [r.user_id for r in stored] == [actor_a.user.pk, None]


def test_overlapped_insert_raises_the_database_error_of_a_statement(actor_a, monkeypatch):
    monkeypatch.setattr(bulk, "ROWS_PER_STATEMENT", 2)
    values = {"trade_code": "", "trade_name": "", "ie_flag": "E", "code_ts": "6109100010", "g_name": "T恤",
              "g_model": "", "search": ""}
    rows = [{**values, "dedupe_key": key} for key in ("a", "b", "c", "a", "d")]  # "a" twice
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert_overlapped(Commodity, iter(rows), enterprise=actor_a.enterprise)
    assert not Commodity.objects.filter(enterprise=actor_a.enterprise).exists()  # the connection works on


def test_overlapped_insert_raises_what_the_rows_raise_once_the_writer_is_done(actor_a, monkeypatch):
    monkeypatch.setattr(bulk, "ROWS_PER_STATEMENT", 2)

    def rows():
        yield from log_rows(5)
        raise ValueError("坏行")

    with pytest.raises(ValueError, match="坏行"), transaction.atomic():
        bulk.insert_overlapped(OperationLog, rows(), enterprise=actor_a.enterprise, content_type_id=1)
    assert not OperationLog.objects.filter(action="批量").exists()


def test_nothing_to_insert(actor_a):
    assert bulk.insert(OperationLog, [], enterprise=actor_a.enterprise) == 0
    assert bulk.insert_overlapped(OperationLog, iter([]), enterprise=actor_a.enterprise) == 0

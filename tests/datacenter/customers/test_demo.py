"""``guanwu demo`` gives enterprise A approved, pending and rejected customers with valid codes."""

from __future__ import annotations

import pytest

from guanwu.core.demo import create_demo
from guanwu.datacenter.customers.models import Customer, CustomerStatus
from guanwu.tenancy.validators import uscc_error

pytestmark = pytest.mark.django_db


def test_demo_customers(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enterprises, _users = create_demo(say=lambda _: None)
    rows = Customer.objects.for_enterprise(enterprises["a"])
    statuses = list(rows.values_list("status", flat=True))
    assert statuses.count(CustomerStatus.APPROVED) == 4
    assert statuses.count(CustomerStatus.PENDING) == 1
    assert statuses.count(CustomerStatus.REJECTED) == 1
    assert all(uscc_error(c.scc) is None for c in rows if c.scc)
    rejected = rows.get(status=CustomerStatus.REJECTED)
    assert rejected.review_opinion and rejected.reviewed_by.username == "a_admin"
    assert rows.get(code="CU1000001").contacts.exists()
    assert not Customer.objects.for_enterprise(enterprises["b"]).exists()
    create_demo(say=lambda _: None)  # idempotent
    assert rows.count() == 6

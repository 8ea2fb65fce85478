"""``guanwu demo`` gives enterprise A released, rejected and draft declarations."""

from __future__ import annotations

import pytest

from guanwu.core.demo import create_demo
from guanwu.declarations.models import Declaration, DeclarationStatus

pytestmark = pytest.mark.django_db


def test_demo_declarations(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enterprises, _users = create_demo(say=lambda _: None)
    rows = Declaration.objects.for_enterprise(enterprises["a"])
    statuses = sorted(rows.values_list("status", flat=True))
    # other modules' demos add drafts of their own (e.g. marked for 智能辅助申报)
    assert statuses.count(DeclarationStatus.DRAFT) >= 2
    assert statuses.count(DeclarationStatus.REJECTED) == 1
    done = rows.filter(status__in=[DeclarationStatus.RELEASED, DeclarationStatus.CLOSED])
    assert done.count() >= 4
    assert all(d.entry_id and d.seq_no and d.receipts.count() >= 3 for d in done)
    assert not Declaration.objects.for_enterprise(enterprises["b"]).exists()
    count = rows.count()
    create_demo(say=lambda _: None)  # idempotent
    assert rows.count() == count

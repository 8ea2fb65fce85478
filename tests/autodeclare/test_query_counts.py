"""The module's lists cost the same number of queries for 2 rows as for 8 (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guanwu.autodeclare import services
from guanwu.declarations.models import Declaration
from tests.autodeclare.conftest import make_draft, profile_data

pytestmark = pytest.mark.django_db
PAGES = ["autodeclare:marks", "autodeclare:query", "autodeclare:tax-list", "autodeclare:profile-list",
         "autodeclare:run"]


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


_profiles = iter(range(100))


def add_rows(actor, count: int) -> None:
    drafts = [make_draft(actor) for _ in range(count)]
    Declaration.objects.filter(pk__in=[d.pk for d in drafts]).update(self_tax=True)
    services.mark(actor, [d.pk for d in drafts])
    for _ in range(count):
        n = next(_profiles)
        services.create_profile(actor, profile_data(actor, name=f"配置{n}", trade_code=f"11019100{n:02d}"))


@pytest.mark.parametrize("name", PAGES)
def test_list_queries_do_not_grow_with_rows(client_a, enabled, name, monkeypatch):
    from guanwu.params import index

    monkeypatch.setattr(index, "CHECK_EVERY", 3600.0)  # no code-table freshness checks mid-test
    add_rows(enabled, 2)
    url = reverse(name)
    queries(client_a, url)  # warm caches (content types, code tables)
    few = queries(client_a, url)
    add_rows(enabled, 6)
    # six more rows: an N+1 would add six queries or more; a loaded CI machine has shown +2 from
    # periodic freshness checks, which is not growth with the rows
    assert queries(client_a, url) <= few + 2

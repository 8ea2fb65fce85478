"""Picker ranking (issue 11, point 12): what the enterprise uses most, then a prior of what
customs declarations use most, then an exact match of the whole name or its initials, then
the code; case-insensitive. An exact code is always first."""

from __future__ import annotations

import pytest

from guanwu.declarations import services as declarations
from guanwu.params import usage
from guanwu.params.models import CodeUsage
from guanwu.params.prior import PRIOR
from tests.declarations.payloads import export_payload

pytestmark = pytest.mark.django_db


def codes(client, table: str, q: str, limit: int = 10) -> list[str]:
    response = client.get(f"/api/v1/params/{table}", {"q": q, "limit": limit})
    assert response.status_code == 200
    return [item["code"] for item in response.json()["items"]]


@pytest.mark.parametrize(("table", "q", "first", "later"), [
    ("countries", "mg", "USA", "MNG"),  # 美国 before 蒙古
    ("currencies", "my", "USD", "MYR"),  # 美元 before 林吉特 (code MYR begins with MY)
    ("customs-offices", "xa", "9000", "0423"),  # 西安关区 before 雄安海关
    ("transaction-modes", "cif", "1", None),  # lowercase finds CIF
    ("transaction-modes", "c&f", "2", None),
    ("units", "qk", "035", None),
    ("countries", "rb", "JPN", None),
    ("countries", "usa", "USA", None),
    ("currencies", "usd", "USD", None),
])
def test_common_codes_come_first(client_a, table, q, first, later):
    found = codes(client_a, table, q)
    assert found[0] == first, found
    if later:
        assert later in found, found


def test_an_exact_code_beats_usage_and_prior(client_a, ent_a):
    CodeUsage.objects.create(enterprise=ent_a, table="currencies", code="USD", uses=500)
    assert codes(client_a, "currencies", "MYR")[0] == "MYR"
    assert codes(client_a, "countries", "mng")[0] == "MNG"


def test_what_the_enterprise_uses_most_comes_first(client_a, ent_a, ent_b):
    """蒙古 for a broker on the Mongolian border who declares it every day; not for others."""
    assert codes(client_a, "countries", "mg")[0] == "USA"
    CodeUsage.objects.create(enterprise=ent_a, table="countries", code="MNG", uses=3)
    CodeUsage.objects.create(enterprise=ent_a, table="countries", code="USA", uses=2)
    assert codes(client_a, "countries", "mg")[:2] == ["MNG", "USA"]
    # the empty query (the list a picker opens with) too
    assert codes(client_a, "countries", "")[:2] == ["MNG", "USA"]
    CodeUsage.objects.create(enterprise=ent_b, table="currencies", code="MYR", uses=9)
    assert codes(client_a, "currencies", "my")[0] == "USD"  # another enterprise's habits count for nothing


def test_without_usage_the_prior_orders_the_empty_list(client_a):
    found = codes(client_a, "currencies", "", limit=30)
    assert found[:3] == ["USD", "CNY", "EUR"]
    assert len(found) == 22  # then the rest, in code order


def test_declaring_counts_the_codes_once_per_declaration(actor_a, ent_b, django_capture_on_commit_callbacks):
    for _ in range(2):
        draft = declarations.create_draft(actor_a, export_payload())
        with django_capture_on_commit_callbacks(execute=True):
            declarations.declare(actor_a, draft.pk)
    counts = usage.counts(actor_a.enterprise.pk, "countries")
    assert counts["CHN"] == 2  # 原产国 of both items: once per declaration
    assert usage.counts(actor_a.enterprise.pk, "currencies") == {"USD": 2}
    assert usage.counts(ent_b.pk, "countries") == {}
    assert usage.counts(None, "countries") == {}


def test_a_draft_is_not_counted(actor_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        declarations.create_draft(actor_a, export_payload())
    assert not CodeUsage.objects.exists()


def test_the_prior_names_only_codes_of_its_tables(db):
    from guanwu.params import services

    for slug, weights in PRIOR.items():
        missing = [code for code in weights if not services.code_exists(slug, code)]
        assert not missing, (slug, missing)

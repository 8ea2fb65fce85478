"""公共库 (seed 5.3) — the one deliberate cross-tenant view: 规范 rows left public, without the
enterprise or any party field, through the service, the element details, the export and the API."""

from __future__ import annotations

import io

import openpyxl
import pytest

from guanwu.core.errors import NotFound
from guanwu.standards.models import LibraryEntry
from guanwu.standards.services import library, public, reasons

from .helpers import CHLORINE, CHLORINE_OK, COFFEE, COFFEE_OK, authorise, publish, raw

pytestmark = pytest.mark.django_db

@pytest.fixture
def both(actor_a, actor_b, ent_a, ent_b):
    authorise(actor_a)
    authorise(actor_b)
    publish([raw(ent_b, g_name="液氯"), raw(ent_b, g_name="氯气", conclusion="不规范", reasons="包装:未申报"),
             raw(ent_b, code_ts=COFFEE, g_name="咖啡", g_model=COFFEE_OK, ie_flag="I"),
             raw(ent_a, g_name="氯")])
    return actor_a, actor_b


def test_public_rows_are_standard_and_public_without_private_fields(both, ent_b):
    actor_a, actor_b = both
    rows = list(public.query(actor_a))
    assert sorted(r["g_name"] for r in rows) == ["咖啡", "氯", "液氯"]  # not the 不规范 row
    for r in rows:
        assert set(r) == set(public.PUBLIC_FIELDS)
    closed = LibraryEntry.objects.get(enterprise=ent_b, g_name="液氯")
    library.set_visibility(actor_b, closed.pk, False)
    assert sorted(r["g_name"] for r in public.query(actor_a)) == ["咖啡", "氯"]
    with pytest.raises(NotFound):
        public.get(actor_a, closed.pk)
    with pytest.raises(NotFound):
        public.elements(actor_a, LibraryEntry.objects.get(g_name="氯气").pk)


def test_unauthorised_enterprises_rows_stay_out(actor_a, ent_b):
    authorise(actor_a)
    publish([raw(ent_b, g_name="液氯")])  # B never confirmed the authorisation
    assert list(public.query(actor_a)) == []


def test_nothing_private_leaks_through_details_export_and_api(both, ent_b, client_a):
    actor_a, _ = both
    entry = LibraryEntry.objects.get(enterprise=ent_b, g_name="液氯")
    details = public.elements(actor_a, entry.pk)
    assert "reasons" not in details
    content = public.export_page(actor_a)
    cells = [str(c) for r in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
             for c in r if c is not None]
    for secret in (ent_b.name, ent_b.customs_code, ent_b.scc, "6101339999"):
        assert not any(secret in c for c in cells)
    for url in ("/api/v1/standards/public", f"/api/v1/standards/public/{entry.pk}",
                f"/api/v1/standards/public/{entry.pk}/elements"):
        response = client_a.get(url)
        assert response.status_code == 200, response.content
        text = response.content.decode()
        for secret in (ent_b.name, ent_b.customs_code, ent_b.scc, "6101339999", "as_agent", "enterprise"):
            assert secret not in text, (url, secret)
    first = client_a.get("/api/v1/standards/public").json()["results"][0]
    assert set(first) == {"id", "code_ts", "g_name", "g_model", "trade_mode", "ie_flag", "decl_date"}
    # B's id in A's own library: 404 in Chinese
    response = client_a.get(f"/api/v1/standards/library/{entry.pk}")
    assert response.status_code == 404 and response.json()["detail"] == "企业库数据不存在或无权访问"


def test_examples_and_reasons_for_the_checker(both, ent_a, ent_b):
    examples = public.examples(CHLORINE, 5)
    assert [e["g_model"] for e in examples] == [CHLORINE_OK]  # one example per distinct 申报要素 text
    assert set(examples[0]) == {"g_name", "g_model", "decl_date"}
    assert reasons.for_code(ent_b, CHLORINE) == [("包装", "未申报")]
    assert reasons.for_code(ent_a, CHLORINE) == []
    assert reasons.for_code(ent_b, COFFEE) == []

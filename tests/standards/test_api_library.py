"""``/api/v1/standards/library`` and ``/authorisation`` as documented (issue 17: API)."""

from __future__ import annotations

import pytest

from guanwu.standards.models import LibraryEntry

from .helpers import CHLORINE, CHLORINE_OK, COFFEE, COFFEE_OK, publish, raw, released

pytestmark = pytest.mark.django_db


def test_authorisation_then_library_round_trip(client_a, ent_a, ent_b):
    publish([raw(ent_a, g_name="氯", g_model=CHLORINE_OK)])
    released(ent_a, [(COFFEE, "咖啡", COFFEE_OK)])
    assert client_a.get("/api/v1/standards/library").status_code == 403
    answer = client_a.post("/api/v1/standards/authorisation")
    assert answer.status_code == 200 and answer.json()["confirmed"] is True
    again = client_a.post("/api/v1/standards/authorisation")
    assert again.status_code == 409 and "无需重复确认" in again.json()["detail"]
    page = client_a.get("/api/v1/standards/library").json()
    assert page["count"] == 1  # the history item was released after the last build
    assert client_a.post("/api/v1/standards/library/rebuild").json()["inserted"] == 1
    page = client_a.get("/api/v1/standards/library", {"mark": "matched"}).json()
    (matched,) = page["results"]
    assert matched["code_ts"] == COFFEE and matched["mark_label"] == "系统匹配数据"
    chosen = client_a.post(f"/api/v1/standards/library/{matched['id']}/own-choice")
    assert chosen.status_code == 200 and chosen.json()["mark"] == "own_choice"
    standard = LibraryEntry.objects.get(enterprise=ent_a, code_ts=CHLORINE)
    closed = client_a.post(f"/api/v1/standards/library/{standard.pk}/visibility", {"public": False},
                           content_type="application/json")
    assert closed.status_code == 200 and closed.json()["is_public"] is False
    bad = client_a.post(f"/api/v1/standards/library/{standard.pk}/visibility", {"public": "no"},
                        content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "public"
    details = client_a.get(f"/api/v1/standards/library/{standard.pk}/elements").json()
    assert details["elements"][0] == {"name": "品牌类型", "value": "0", "added": False}
    export = client_a.get("/api/v1/standards/library/export", {"limit": 10})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    wrong = client_a.get("/api/v1/standards/library", {"role": "boss", "date_from": "2026-13-01"})
    assert wrong.status_code == 422


def test_other_enterprises_ids_answer_404(client_a, admin_a, ent_a, ent_b):
    client_a.post("/api/v1/standards/authorisation")
    publish([raw(ent_b, g_name="液氯")])
    theirs = LibraryEntry.objects.get(enterprise=ent_b)
    for method, url in (("get", f"/api/v1/standards/library/{theirs.pk}"),
                        ("get", f"/api/v1/standards/library/{theirs.pk}/elements"),
                        ("post", f"/api/v1/standards/library/{theirs.pk}/own-choice"),
                        ("get", "/api/v1/standards/library/99999999999999999999")):
        response = getattr(client_a, method)(url)
        assert response.status_code in (404, 422), url
        assert response.json()["detail"]
    response = client_a.post(f"/api/v1/standards/library/{theirs.pk}/visibility", {"public": False},
                             content_type="application/json")
    assert response.status_code == 404 and response.json()["detail"] == "企业库数据不存在或无权访问"
    empty = client_a.post(f"/api/v1/standards/library/{theirs.pk}/visibility", content_type="application/json")
    assert empty.status_code == 404
    assert LibraryEntry.objects.get(pk=theirs.pk).is_public

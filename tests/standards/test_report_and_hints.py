"""The checker's report over the enterprise's released items, and the standards-library hooks:
the 不规范 reasons customs gave (warnings) and the public 规范 examples (suggestions).

Rules and sources as in ``test_checker.py`` (规范申报目录 for 品牌/品牌类型, GS1 7.9 for GTIN).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guanwu.core.errors import Forbidden
from guanwu.declarations.models import DeclarationItem, DeclarationStatus
from guanwu.standards.services import hints, report
from tests.declarations.factories import make_export_declaration

from .helpers import CHLORINE, CHLORINE_OK, authorise, publish, raw

pytestmark = pytest.mark.django_db

URL = "/api/v1/standards/check/report"
TSHIRT = "6109100010"
BRAND = "品牌（中文及外文名称）"
CLEAN = "0|0|针织|T恤衫|圆领无扣无拉链|100%棉|无品牌|TS-240|无|无|无"
WRONG_BRAND = "0|0|针织|T恤衫|圆领无扣无拉链|100%棉|耐克|TS-240|无|无|无"
WRONG_GTIN_AND_BRAND = "0|0|针织|T恤衫|圆领无扣无拉链|100%棉|耐克|TS-240|6901234567893|无|无"
SHORT_COMPOSITION = "0|0|针织|T恤衫|圆领无扣无拉链|棉60%, 涤纶30%|无品牌|TS-240|无|无|无"


def released(enterprise, models: list[str], status: str = DeclarationStatus.RELEASED):
    decl = make_export_declaration(enterprise, status=status)
    decl.items.all().delete()
    for g_no, g_model in enumerate(models, start=1):
        DeclarationItem.objects.create(declaration=decl, g_no=g_no, code_ts=TSHIRT, g_name="T恤衫", g_model=g_model)
    return decl


def counts(found: dict) -> dict[str, tuple[int, int, int]]:
    return {r["rule"]: (r["items"], r["errors"], r["warnings"]) for r in found["rules"] if r["items"]}


def test_report_counts_each_rule_over_released_items_only(actor_a, ent_b):
    """Released and 结关 items of A only (not A's drafts, not B's); an item counts once per
    rule, and the same text met twice is counted twice."""
    released(actor_a.enterprise, [CLEAN, WRONG_BRAND, WRONG_GTIN_AND_BRAND, SHORT_COMPOSITION])
    released(actor_a.enterprise, [WRONG_BRAND, "0|0|针织"], status=DeclarationStatus.CLOSED)
    released(actor_a.enterprise, [WRONG_BRAND], status=DeclarationStatus.DRAFT)
    released(ent_b, [WRONG_BRAND, WRONG_BRAND])
    decl = released(actor_a.enterprise, [CLEAN])
    DeclarationItem.objects.create(declaration=decl, g_no=2, code_ts="9999999999", g_name="x", g_model="1")
    found = report.flag_report(actor_a).as_dict()
    assert (found["total_items"], found["checked_items"], found["unknown_code_items"], found["flagged_items"]) == (
        8, 7, 1, 5)
    assert counts(found) == {"brand": (3, 3, 0), "gtin": (1, 1, 0), "composition": (1, 0, 1), "count": (1, 1, 0)}
    labels = {r["rule"]: r["label"] for r in found["rules"]}
    assert labels["brand"].startswith("品牌与品牌类型一致") and labels["gtin"] == "GTIN 条形码校验位"


def test_report_reads_in_chunks_with_a_bounded_number_of_queries(actor_a):
    """values_list in chunks: the queries do not grow with the items; the tariff is looked up
    once per code."""
    released(actor_a.enterprise, [WRONG_BRAND] * 30 + [CLEAN] * 30)
    with CaptureQueriesContext(connection) as few:
        report.build_report(actor_a.enterprise.pk)
    released(actor_a.enterprise, [SHORT_COMPOSITION] * 300)
    with CaptureQueriesContext(connection) as many:
        found = report.build_report(actor_a.enterprise.pk)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert found.flagged_items == 330


def test_report_is_for_the_administrator(operator_actor_a, operator_client_a):
    """The statistics describe the whole enterprise: an operator is refused, with a Chinese 403."""
    with pytest.raises(Forbidden):
        report.flag_report(operator_actor_a)
    response = operator_client_a.get(URL)
    assert response.status_code == 403 and "管理员" in response.json()["detail"]


def test_report_api(client_a, actor_a):
    released(actor_a.enterprise, [WRONG_BRAND, CLEAN])
    response = client_a.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["total_items"] == 2 and body["flagged_items"] == 1
    assert counts(body) == {"brand": (1, 1, 0)}


# -- the standards library: customs reasons (warnings) and public examples (suggestions) -------------


def test_customs_reasons_are_warnings_of_the_check(client_a, actor_a, ent_b):
    """The 不规范 reasons customs gave A for the code follow the rules' findings as warnings, on
    their element, each once; nothing before A's authorisation (the library's gate), and B's
    reasons are not A's."""
    publish([raw(actor_a.enterprise, code_ts=CHLORINE, conclusion="不规范", reasons="包装:应申报包装规格",
                 day=dt.date(2026, 11, 2)),
             raw(actor_a.enterprise, code_ts=CHLORINE, conclusion="不规范", reasons="包装:应申报包装规格",
                 day=dt.date(2026, 11, 3)),
             raw(ent_b, code_ts=CHLORINE, conclusion="不规范", reasons="品牌:应申报品牌", agent=ent_b.customs_code,
                 trade=ent_b.customs_code)])

    def findings():
        response = client_a.post("/api/v1/standards/check", {"code_ts": CHLORINE, "g_model": CHLORINE_OK},
                                 content_type="application/json")
        assert response.status_code == 200
        return response.json()["findings"]

    assert findings() == []  # not authorised yet: the rules only
    authorise(actor_a)
    assert findings() == [{"element": "包装", "level": "warning", "message": hints.SAID + "应申报包装规格"}]


def test_public_examples_element_by_element(client_a, actor_a, actor_b, ent_b):
    """GET /check/examples: the public 规范 examples for the code, each element named in the
    code's order (what the editor copies from), no enterprise or party field; none before the
    authorisation; a malformed code or limit is a Chinese 422."""
    authorise(actor_b)
    publish([raw(ent_b, code_ts=CHLORINE, g_model="0|0|氯99.9%|钢瓶|无品牌|无型号|||", agent=ent_b.customs_code,
                 trade=ent_b.customs_code)])
    url = f"/api/v1/standards/check/examples?code_ts={CHLORINE}&limit=3"
    assert client_a.get(url).json()["examples"] == []  # A has not confirmed the authorisation
    authorise(actor_a)
    response = client_a.get(url)
    assert response.status_code == 200
    [example] = response.json()["examples"]
    assert set(example) == {"g_model", "elements"}
    assert example["g_model"] == "0|0|氯99.9%|钢瓶|无品牌|无型号|||"
    assert example["elements"][2] == {"element": "成分含量", "value": "氯99.9%"}
    assert [e["element"] for e in example["elements"]][:2] == ["品牌类型", "出口享惠情况"]
    for query, field in (("code_ts=123", "code_ts"), (f"code_ts={CHLORINE}&limit=99", "limit"),
                         ("code_ts=9999999999", "code_ts")):
        bad = client_a.get(f"/api/v1/standards/check/examples?{query}")
        assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == field

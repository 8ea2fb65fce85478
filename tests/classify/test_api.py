"""``/api/v1/tariff/suggest``, ``/tariff/suggest/accept`` and ``/tariff/{code}/proposals``:
answer shapes, Chinese JSON errors, tenancy."""

from __future__ import annotations

import pytest

from guanwu.classify.models import AcceptedSuggestion
from guanwu.datacenter.commodities import services as commodities

pytestmark = pytest.mark.django_db

SUGGEST = "/api/v1/tariff/suggest"
ACCEPT = "/api/v1/tariff/suggest/accept"
TSHIRT_MODEL = "0|0|针织|T恤衫|圆领无扣无拉链|100%棉|无品牌|TS-240|无|无|无"


def assert_chinese_error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"])
    return body


def test_suggest_answers_items(client_a):
    res = client_a.get(SUGGEST, {"q": "男士纯棉针织圆领T恤", "limit": 3})
    assert res.status_code == 200
    items = res.json()["items"]
    assert len(items) == 3
    assert set(items[0]) == {"code_ts", "name", "score", "ciq_code", "reasons"}
    assert items[0]["code_ts"] == "6109100021"


@pytest.mark.parametrize("q", ["", "😀😀😀", "x" * 10_000])
def test_bad_input_is_an_empty_list(client_a, q):
    res = client_a.get(SUGGEST, {"q": q})
    assert res.status_code == 200 and res.json() == {"items": []}


def test_the_tariff_detail_route_still_answers_codes(client_a):
    assert client_a.get("/api/v1/tariff/6109100021").json()["name"] == "其他棉制针织或钩编男式T恤衫"


def test_errors_are_chinese_json(client_a):
    body = assert_chinese_error(client_a.get(SUGGEST, {"q": "T恤", "limit": "五"}), 422)
    assert body["errors"][0]["field"] == "limit"
    body = assert_chinese_error(client_a.post(ACCEPT, {"description": "T恤", "code_ts": "1234567890"},
                                              content_type="application/json"), 422)
    assert body["errors"][0]["field"] == "code_ts"
    assert_chinese_error(client_a.post(ACCEPT, "{not json", content_type="application/json"), 422)
    assert_chinese_error(client_a.get("/api/v1/tariff/1234567890/proposals"), 404)
    assert not AcceptedSuggestion.objects.exists()


def test_anonymous_is_refused_in_chinese(client):
    assert_chinese_error(client.get(SUGGEST, {"q": "T恤"}), 401)
    assert_chinese_error(client.post(ACCEPT, {"description": "T恤", "code_ts": "6109100021"},
                                     content_type="application/json"), 401)
    assert not AcceptedSuggestion.objects.exists()


def test_accept_then_suggest_learns(client_a):
    res = client_a.post(ACCEPT, {"description": "象印焖烧罐", "code_ts": "9617001900"}, content_type="application/json")
    assert res.status_code == 200 and res.json() == {"description": "象印焖烧罐", "code_ts": "9617001900", "times": 1}
    first = client_a.get(SUGGEST, {"q": "象印焖烧罐"}).json()["items"][0]
    assert first["code_ts"] == "9617001900" and any("已采纳" in r for r in first["reasons"])


def test_proposals_legal_units_element_names_and_own_values_only(client, client_a, actor_a, admin_b):
    """智能回填: the units and 申报要素 names of the code, in order; the values A used before as
    proposals for A, most used first; B, with no history, gets the names and no values of A."""
    commodities.create_commodity(actor_a, {"ie_flag": "E", "code_ts": "6109100021", "g_name": "男士T恤",
                                           "g_model": TSHIRT_MODEL})
    commodities.create_commodity(actor_a, {"ie_flag": "E", "code_ts": "6109100021", "g_name": "男士圆领T恤",
                                           "g_model": TSHIRT_MODEL.replace("100%棉", "95%棉5%氨纶")})
    data = client_a.get("/api/v1/tariff/6109100021/proposals").json()
    assert (data["first_unit"], data["second_unit"]) == ("011", "035")
    assert data["first_unit_name"] == "件"
    names = [e["name"] for e in data["elements"]]
    assert names[:3] == ["品牌类型", "出口享惠情况", "织造方法（针织或钩编）"] and len(names) == 11
    composition = data["elements"][5]["proposals"]
    assert {p["value"] for p in composition} == {"100%棉", "95%棉5%氨纶"}
    assert data["elements"][2]["proposals"][0] == {"value": "针织", "count": 2, "source": "本企业历史"}
    client.force_login(admin_b)
    theirs = client.get("/api/v1/tariff/6109100021/proposals").json()
    assert [e["name"] for e in theirs["elements"]] == names
    assert all(e["proposals"] == [] for e in theirs["elements"])

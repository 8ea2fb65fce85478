"""``POST /api/v1/standards/check``: the checker through the API, as its OpenAPI documents it.

Rules and sources as in ``tests/standards/test_checker.py`` (规范申报目录, GS1, CAS).
"""

from __future__ import annotations

import pytest

from guanwu.apikit.messages import is_chinese
from tests.test_schemathesis import _caller, wsgi_schema  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

URL = "/api/v1/standards/check"
CHLORINE = "2801100000"  # 氯: 品牌类型|出口享惠情况|成分含量|包装|品牌|型号|GTIN|CAS|其他


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_round_trip_answers_the_findings_as_documented(client, wsgi_schema):  # noqa: F811
    """A text with a wrong brand, a bad GTIN check digit and a bad CAS check digit: three
    findings in element order, each ``{"element", "level", "message"}``; a clean text: none."""
    call = _caller(client, wsgi_schema)
    answer = call("POST", URL, 200, body={
        "code_ts": CHLORINE, "g_model": "0|0|氯99.5%|钢瓶|耐克|无型号|6901234567893|7782-50-6|", "ie_flag": "E"})
    assert [(f["element"], f["level"]) for f in answer["findings"]] == [
        ("品牌", "error"), ("GTIN", "error"), ("CAS", "error")]
    assert all(is_chinese(f["message"]) for f in answer["findings"])
    clean = call("POST", URL, 200, body={"code_ts": CHLORINE, "g_model": "0|3|氯99.5%|钢瓶|无品牌|无型号|||"})
    assert clean == {"findings": []}
    assert call("POST", URL, 200, body={"code_ts": CHLORINE, "g_model": ""}) == {"findings": []}


def test_bad_input_is_a_chinese_422(client_a):
    """Unknown or malformed 商品编号, a 10,000-character text, a wrong type, an unknown field: 422
    with the field named in Chinese, never a 500."""
    cases = [
        ({"code_ts": "9999999999", "g_model": "0|3"}, "code_ts", "商品编号9999999999在税则中不存在"),
        ({"code_ts": "28011", "g_model": "0|3"}, "code_ts", "商品编号应为10位数字"),
        ({"g_model": "0|3"}, "code_ts", "商品编号不能为空"),
        ({"code_ts": 2801100000, "g_model": "0|3"}, "code_ts", '商品编号应为文本, 如 "2801100000"'),
        ({"code_ts": CHLORINE, "g_model": "x" * 10_000}, "g_model", "规格型号最多255个字符, 实际10000个"),
        ({"code_ts": CHLORINE, "g_model": 12}, "g_model", "规格型号应为文本"),
        ({"code_ts": CHLORINE, "g_model": "", "ie_flag": "X"}, "ie_flag", "进出口标志应为 I(进口) 或 E(出口)"),
        ({"code_ts": CHLORINE, "g_model": "", "colour": "red"}, "", "未知的字段: colour"),
    ]
    for body, field, message in cases:
        response = post(client_a, body)
        assert response.status_code == 422, body
        assert {"field": field, "message": message} in response.json()["errors"], response.json()
        assert is_chinese(response.json()["detail"])


def test_only_for_logged_in_users(client):
    """The checker is authenticated like every other endpoint: 401 without a token or session."""
    response = post(client, {"code_ts": CHLORINE, "g_model": ""})
    assert response.status_code == 401 and is_chinese(response.json()["detail"])


def test_an_operator_may_check(operator_client_a):
    """Checking stores nothing: any member of the enterprise may use it."""
    response = post(operator_client_a, {"code_ts": CHLORINE, "g_model": "5|3|||||||"})
    assert response.status_code == 200
    assert response.json()["findings"][0]["element"] == "品牌类型"

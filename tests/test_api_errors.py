"""Issue 10.6-10.12: odd input answers a 422 with a Chinese field error (never a 500), every
answer that is not 2xx is JSON {"detail", "errors"} in Chinese, and the OpenAPI documents the
error answers."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from guanwu.declarations.models import Declaration
from tests.conftest import token_client
from tests.declarations.payloads import export_payload

BIG = "9223372036854775808"  # 2**63
HUGE = 10**30
ENGLISH = re.compile(r"\b(Input|should|valid|Value|error|required|This|must|Cannot|parse|Method|allowed|Found|"
                     r"Field|Decimal|Datetimes|CSRF check)\b")
LIST_ENDPOINTS = [
    "/api/v1/declarations", "/api/v1/commodities", "/api/v1/bonded-items", "/api/v1/customers",
    "/api/v1/licences", "/api/v1/certificates", "/api/v1/audit", "/api/v1/autodeclare/profiles",
    "/api/v1/autodeclare/runs", "/api/v1/autodeclare/declarations", "/api/v1/autodeclare/notifications",
    "/api/v1/autodeclare/webhook-deliveries",
]


@pytest.fixture
def api(admin_a):
    return token_client("a_admin", raise_request_exception=False)


def assert_error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert re.search(r"[\u4e00-\u9fff]", body["detail"]) and not ENGLISH.search(body["detail"]), body
    for error in body["errors"]:
        assert set(error) == {"field", "message"}
        assert re.search(r"[\u4e00-\u9fff]", error["message"]) and not ENGLISH.search(error["message"]), error
    return body


def post(client, path, body, method="post"):
    data = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(path, data, content_type="application/json")


# -- 6. offsets ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", LIST_ENDPOINTS)
def test_offset_beyond_64_bits_is_a_422_on_every_list(api, path):
    body = assert_error(api.get(path, {"offset": BIG}), 422)
    assert body["errors"][0]["field"] == "offset"
    assert_error(api.get(path, {"offset": -1}), 422)
    assert api.get(path, {"offset": 5, "limit": 100000}).status_code == 422
    assert api.get(path, {"offset": 0, "limit": 3}).status_code == 200


# -- 7. ids beyond 64 bits -------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), [
    ("post", "/api/v1/autodeclare/marks", {"ids": [HUGE]}),
    ("delete", "/api/v1/autodeclare/marks", {"ids": [HUGE]}),
    ("post", "/api/v1/autodeclare/requeue", {"ids": [int(BIG)]}),
    ("post", "/api/v1/autodeclare/notifications/read", {"ids": [HUGE]}),
    ("post", "/api/v1/autodeclare/runs", {"profile_ids": [HUGE], "enterprise_type": "agent"}),
])
def test_ids_beyond_64_bits_are_a_422(api, method, path, body):
    errors = assert_error(post(api, path, body, method), 422)["errors"]
    assert errors[0]["field"].endswith("[0]")


# -- 8. lone surrogates, NUL -------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["\\ud800", "a\\u0000b", "\\udfff\\ud800"])
def test_unstorable_text_in_the_token_request_is_a_422(client, db, text):
    response = client.post("/api/v1/auth/token", '{"username": "' + text + '", "password": "x"}',
                           content_type="application/json")
    body = assert_error(response, 422)
    assert body["errors"] == [{"field": "username", "message": "含有不允许的字符 (NUL 或不成对的 Unicode 代理项)"}]


def test_unstorable_text_anywhere_changes_nothing(api, actor_a):
    payload = export_payload()
    payload["items"][0]["g_name"] = "T恤\ud800"
    body = assert_error(post(api, "/api/v1/declarations", json.dumps(payload)), 422)
    assert body["errors"][0]["field"] == "items[0].g_name"
    payload["items"][0]["g_name"] = "T恤\x00"
    assert_error(post(api, "/api/v1/declarations", json.dumps(payload)), 422)
    assert not Declaration.objects.exists()
    assert_error(post(api, "/api/v1/customers", {"name": "客户\u0000"}), 422)
    assert_error(api.get("/api/v1/customers", {"q": "a\x00"}), 422)


# -- 9. decimal overflow -------------------------------------------------------------------------------


@pytest.mark.parametrize(("change", "field"), [
    ({"gross_wet": "1e30"}, "gross_wet"),
    ({"fee_rate": "1e30", "fee_mark": "3", "fee_curr": "USD"}, "fee_rate"),
    ({"net_wt": 1e40}, "net_wt"),
])
def test_decimal_overflow_on_the_head_is_a_422(api, change, field):
    payload = {**export_payload(), **change}
    body = assert_error(post(api, "/api/v1/declarations", payload), 422)
    assert {"field": field} in [{"field": e["field"]} for e in body["errors"]]
    assert any("数值过大" in e["message"] for e in body["errors"])


def test_an_integer_beyond_a_database_integer_is_a_422_on_every_database(api):
    """件数 is an integer column: PostgreSQL's holds at most 2,147,483,647, SQLite any 64-bit
    number. A larger 件数 is refused before the database on both (it was a 500 on PostgreSQL,
    found by ``test_api_properties``); the largest one is kept."""
    before = Declaration.objects.count()
    body = assert_error(post(api, "/api/v1/declarations", {**export_payload(), "pack_no": 2_147_483_648}), 422)
    assert any(e["field"] == "pack_no" and "数值过大" in e["message"] for e in body["errors"])
    assert Declaration.objects.count() == before
    response = post(api, "/api/v1/declarations", {**export_payload(), "pack_no": 2_147_483_647})
    assert response.status_code == 201, response.content
    assert Declaration.objects.get(pk=response.json()["id"]).pack_no == 2_147_483_647


def test_decimal_overflow_on_an_item_and_a_licence_line(api):
    payload = export_payload()
    payload["items"][0]["g_qty"] = 1e40
    body = assert_error(post(api, "/api/v1/declarations", payload), 422)
    assert body["errors"][0]["field"] == "items[0].g_qty"
    licence = {"licence_no": "24-AA-000001", "docu_code": "1", "holder_name": "甲", "valid_from": "2024-01-01",
               "valid_to": "2030-01-01", "lines": [{"code_ts": "0101210010", "qty": "1e40", "unit": "035"}]}
    body = assert_error(post(api, "/api/v1/licences", licence), 422)
    assert any(e["field"] == "lines[0].qty" and "数值过大" in e["message"] for e in body["errors"])


def test_commodity_price_overflow(api):
    body = assert_error(post(api, "/api/v1/commodities", {"code_ts": "0101210010", "g_name": "马",
                                                          "decl_price": "1e40"}), 422)
    assert any(e["field"] == "decl_price" for e in body["errors"])


# -- 10. one error shape ---------------------------------------------------------------------------------


def test_nul_in_a_path_parameter_is_a_404(api):
    assert_error(api.get("/api/v1/tariff/0101%00"), 404)
    assert_error(api.get("/api/v1/params/countries%00"), 404)


def test_unknown_api_path_is_json_404(api):
    body = assert_error(api.get("/api/v1/nothing-here"), 404)
    assert body["detail"] == "接口或记录不存在"


def test_method_not_allowed_is_json_405_with_allow(api):
    response = api.put("/api/v1/declarations", "{}", content_type="application/json")
    assert_error(response, 405)
    assert "GET" in response["Allow"]


def test_body_over_the_limit_is_json_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = assert_error(post(api, "/api/v1/customers", {"name": "x" * 2000}), 413)
    assert "请求体过大" in body["detail"]


def test_malformed_json_is_a_chinese_422(api):
    body = assert_error(post(api, "/api/v1/customers", "{bad"), 422)
    assert body["detail"] == "请求体不是有效的 JSON"


def test_session_without_csrf_token_is_a_chinese_403(admin_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_a)
    body = assert_error(post(client, "/api/v1/customers", {"name": "甲"}), 403)
    assert "CSRF" in body["detail"]


def test_stale_session_cookie_without_bearer_is_401_not_csrf(db):
    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = "stale-or-forged"
    response = post(client, "/api/v1/customers", {"name": "甲"})
    body = assert_error(response, 401)
    assert body["detail"] == "未登录或令牌无效" and response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("query", "field"), [
    ({"limit": "abc"}, "limit"), ({"limit": "1.5"}, "limit"), ({"status": ["a", "b"], "offset": "x"}, "offset"),
])
def test_pydantic_messages_are_chinese(api, query, field):
    body = assert_error(api.get("/api/v1/customers", query), 422)
    assert body["errors"][0]["field"] == field


def test_every_pydantic_error_type_has_a_chinese_message():
    from pydantic_core import ErrorTypeInfo  # noqa: F401  (the typed list of error types)
    from pydantic_core.core_schema import ErrorType

    from guanwu.apikit.messages import GENERIC, MESSAGES, translate

    kinds = set(ErrorType.__args__)
    missing = sorted(k for k in kinds if k not in MESSAGES)
    assert not missing, f"add Chinese messages for: {missing}"
    assert translate("no_such_type", "Input should be something") == GENERIC
    assert translate("greater_than_equal", "", {"ge": 0}) == "不能小于 0"


# -- 11. not a date, not an object, NUL, an upload without a file ---------------------------------------------


@pytest.mark.parametrize(("path", "param"), [
    ("/api/v1/licences", "expires_before"), ("/api/v1/tariff", "as_of"), ("/api/v1/tariff/0101210010", "as_of"),
])
@pytest.mark.parametrize("value", ["0", "1700000000", "2024-01-01T10:00", "2024-13-01"])
def test_what_is_not_a_date_is_refused(api, path, param, value):
    body = assert_error(api.get(path, {param: value}), 422)
    assert body["errors"][0] == {"field": param, "message": "应为日期, 格式 YYYY-MM-DD"}


def test_a_date_still_works(api):
    assert api.get("/api/v1/licences", {"expires_before": "2030-01-01"}).status_code == 200


@pytest.mark.parametrize("body", ["[null, null]", "[]", "null", "1", '"text"'])
def test_a_body_that_is_not_an_object_is_refused(api, actor_a, body):
    from tests.datacenter.customers.factories import make_customer

    customer = make_customer(actor_a.enterprise)
    for method, path in (("patch", f"/api/v1/customers/{customer.pk}"), ("put", f"/api/v1/customers/{customer.pk}"),
                         ("patch", "/api/v1/enterprise/settings"), ("post", "/api/v1/declarations")):
        answer = assert_error(post(api, path, body, method), 422)
        assert answer["detail"] == "请求体应为 JSON 对象"


def test_attachment_post_without_a_file_is_a_422(api, actor_a):
    from guanwu.datacenter.licences import services

    cert = services.create_certificate(actor_a, {"cert_type": "origin", "cert_no": "C-1", "issuer": "贸促会"})
    response = api.post(f"/api/v1/certificates/{cert.pk}/attachment", {})
    body = assert_error(response, 422)
    assert body["errors"][0]["field"] == "file"


# -- 12. the OpenAPI documents the error answers ----------------------------------------------------------------


def test_openapi_documents_error_statuses_with_the_error_schema(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail", "errors"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            expected = {"422"} | ({"401", "403", "404", "409"} if operation.get("security") else {"401", "429"})
            assert expected <= statuses, (method, path, statuses)
            for status in expected:
                ref = operation["responses"][status]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error"
    token = schema["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert "Retry-After" in token["429"]["headers"]

"""Issue 10.6-10.11 as properties (hypothesis): whatever a client sends — any JSON, any text
(lone surrogates, NUL), integers of any size, numbers in any notation, any query string — the
API answers without a server error, and every answer that is not 2xx is the Chinese error
shape. The building blocks (decimal bounds, unstorable text) hold for every input too."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanwu.core.numbers import parse_decimal
from guanwu.core.text import forbidden_paths, is_storable
from tests.conftest import token_client

CJK = re.compile(r"[\u4e00-\u9fff]")
# Text as JSON can carry it: any code point, lone surrogates (category Cs) and NUL included;
# NASTY always carries one of them somewhere (hypothesis rarely draws them by chance).
TEXT = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=12)
NASTY = st.tuples(TEXT, st.sampled_from(["\x00", "\ud800", "\udfff", "\udbff\u0041", "\x00\ud800"]), TEXT).map(
    "".join)
NUMBERS = st.sampled_from(["1e30", "1e40", "-1", "NaN", "Infinity", "sNaN", "0", "2024-01-01", "0x10", "1,000.5"])
SCALARS = st.one_of(NASTY, NUMBERS, TEXT, st.integers(min_value=-(10**40), max_value=10**40), st.floats(),
                    st.none(), st.booleans())
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                    max_leaves=12)
FIELDS = ["gross_wet", "net_wt", "fee_rate", "pack_no", "ie_date", "trade_code", "name", "ids", "profile_ids",
          "items", "lines", "qty", "decl_price", "username", "password", "enterprise", "role", "code_ts", "g_qty"]
OBJECTS = st.dictionaries(st.sampled_from(FIELDS) | TEXT, JSON, max_size=6)
WRITES = [
    ("post", "/api/v1/declarations"), ("post", "/api/v1/customers"), ("post", "/api/v1/commodities"),
    ("post", "/api/v1/licences"), ("post", "/api/v1/certificates"), ("post", "/api/v1/autodeclare/marks"),
    ("delete", "/api/v1/autodeclare/marks"), ("post", "/api/v1/autodeclare/requeue"),
    ("post", "/api/v1/autodeclare/runs"), ("post", "/api/v1/autodeclare/notifications/read"),
    ("patch", "/api/v1/enterprise"), ("patch", "/api/v1/enterprise/settings"), ("post", "/api/v1/enterprise/members"),
    ("post", "/api/v1/auth/token"), ("post", "/api/v1/bonded-items"), ("post", "/api/v1/autodeclare/profiles"),
]
LISTS = ["/api/v1/declarations", "/api/v1/customers", "/api/v1/licences", "/api/v1/commodities",
         "/api/v1/bonded-items", "/api/v1/audit", "/api/v1/tariff", "/api/v1/autodeclare/runs",
         "/api/v1/params/countries"]
QUERY = st.dictionaries(
    st.sampled_from(["offset", "limit", "q", "status", "expires_before", "as_of", "item_no", "ie_flag", "unread"]),
    st.one_of(st.integers(min_value=-(10**30), max_value=10**30).map(str), st.text(max_size=10),
              st.sampled_from(["0", "2024-01-01", "1e3", "\x00", "true", ""])),
    max_size=4,
)
SETTINGS = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def api(admin_a):
    return token_client("a_admin", raise_request_exception=False)


def assert_answer(response) -> None:
    assert response.status_code < 500, (response.status_code, response.content[:500])
    if response.status_code >= 400:
        assert response["Content-Type"].startswith("application/json"), response.content[:200]
        body = response.json()
        assert set(body) == {"detail", "errors"} and CJK.search(body["detail"]), body
        for error in body["errors"]:
            assert CJK.search(error["message"]), error


def _dumps(value) -> str:
    # ensure_ascii writes lone surrogates as \\udxxx escapes, exactly as a client's JSON would
    return json.dumps(value, ensure_ascii=True, allow_nan=True)


@SETTINGS
@given(endpoint=st.sampled_from(WRITES), body=OBJECTS | JSON)
def test_any_json_body_gets_an_answer_not_a_server_error(api, endpoint, body):
    method, path = endpoint
    assert_answer(getattr(api, method)(path, _dumps(body), content_type="application/json"))


def _declaration() -> dict:
    from tests.declarations.payloads import export_payload

    return export_payload()


def _licence() -> dict:
    return {"licence_no": "24-AA-000001", "docu_code": "1", "holder_name": "甲", "valid_from": "2024-01-01",
            "valid_to": "2030-01-01", "lines": [{"code_ts": "0101210010", "qty": "10", "unit": "035"}]}


# (method, path, a valid body, where to put the odd value): the rest of the body is right, so
# the odd value travels as far as it can (services, the database).
TARGETS = [
    ("post", "/api/v1/auth/token", lambda: {"username": "a_admin", "password": "x"}, ("username",)),
    ("post", "/api/v1/auth/token", lambda: {"username": "a_admin", "password": "x"}, ("password",)),
    ("post", "/api/v1/customers", lambda: {"name": "西安某公司"}, ("name",)),
    ("post", "/api/v1/customers", lambda: {"name": "西安某公司"}, ("address",)),
    ("post", "/api/v1/declarations", _declaration, ("gross_wet",)),
    ("post", "/api/v1/declarations", _declaration, ("fee_rate",)),
    ("post", "/api/v1/declarations", _declaration, ("pack_no",)),
    ("post", "/api/v1/declarations", _declaration, ("mark_no",)),
    ("post", "/api/v1/declarations", _declaration, ("items", 0, "g_qty")),
    ("post", "/api/v1/declarations", _declaration, ("items", 0, "g_name")),
    ("post", "/api/v1/licences", _licence, ("lines", 0, "qty")),
    ("post", "/api/v1/licences", _licence, ("holder_name",)),
    ("post", "/api/v1/commodities", lambda: {"code_ts": "0101210010", "g_name": "马"}, ("decl_price",)),
    ("post", "/api/v1/autodeclare/marks", lambda: {"ids": [1]}, ("ids", 0)),
    ("post", "/api/v1/autodeclare/notifications/read", lambda: {"ids": [1]}, ("ids", 0)),
    ("patch", "/api/v1/enterprise", lambda: {"address": "西安"}, ("address",)),
    ("post", "/api/v1/enterprise/members", lambda: {"username": "new_clerk"}, ("username",)),
]


@settings(SETTINGS, max_examples=150)
@given(target=st.sampled_from(TARGETS), value=SCALARS)
def test_an_odd_value_in_a_valid_body_gets_an_answer_not_a_server_error(api, target, value):
    method, path, base, where = target
    body = base()
    node = body
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    assert_answer(getattr(api, method)(path, _dumps(body), content_type="application/json"))


@SETTINGS
@given(path=st.sampled_from(LISTS), query=QUERY)
def test_any_query_gets_an_answer_not_a_server_error(api, path, query):
    assert_answer(api.get(path, query))


@SETTINGS
@given(raw=st.binary(max_size=40))
def test_any_bytes_as_a_body_get_an_answer(api, raw):
    assert_answer(api.post("/api/v1/customers", raw, content_type="application/json"))


@settings(max_examples=300, deadline=None, database=None)
@given(value=SCALARS, digits=st.integers(min_value=1, max_value=19), places=st.integers(min_value=0, max_value=6),
       round_places=st.booleans())
def test_parse_decimal_fits_the_column_or_says_why(value, digits, places, round_places):
    places = min(places, digits)
    try:
        number = parse_decimal(value, max_digits=digits, decimal_places=places, round_places=round_places)
    except ValueError as exc:
        assert CJK.search(str(exc))
        return
    if number is None:
        return
    assert isinstance(number, Decimal) and number.is_finite() and number >= 0
    assert -number.as_tuple().exponent == places
    assert len(number.as_tuple().digits) <= digits


@settings(max_examples=300, deadline=None, database=None)
@given(value=JSON)
def test_forbidden_paths_find_exactly_the_unstorable_strings(value):
    paths = list(forbidden_paths(value))

    def strings(v):
        if isinstance(v, str):
            yield v
        elif isinstance(v, dict):
            for k, item in v.items():
                yield k
                yield from strings(item)
        elif isinstance(v, list):
            for item in v:
                yield from strings(item)

    assert bool(paths) == any(not is_storable(s) for s in strings(value))
    for s in strings(value):
        if is_storable(s):
            s.encode("utf-8")  # storable text always encodes

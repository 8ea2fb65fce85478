"""Issue 10.9/10.12, 14.6: schemathesis over /api/v1/openapi.json as an authenticated user.

Every operation gets a bounded number of generated requests (valid by the schema, then
invalid); any 5xx, any status the OpenAPI does not document for that operation, and any answer
that does not match the schema documented for its status (content type, body, headers) fails
the test. The requests go through the real WSGI stack (middleware, auth, parser) in-process,
inside the test's transaction. Two operations that would end the session's own token are left out
(they are covered in tests/core/test_tokens_and_throttling.py). Three plain tests over the
OpenAPI check that every write endpoint documents its body, every answer its content, and no 2xx
answer is a bare object. Round trips follow real records through the endpoints the fuzzer's ids
rarely reach, checking each answer like the fuzzer and for keys the documentation leaves out.
"""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from guanwu.apikit.messages import is_chinese
from tests.conftest import PASSWORD

EXAMPLES = {schemathesis.GenerationMode.POSITIVE: 6, schemathesis.GenerationMode.NEGATIVE: 4}
LEFT_OUT = {("POST", "/api/v1/auth/logout"), ("DELETE", "/api/v1/auth/tokens/{token_id}")}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          response_headers_conformance]
# Write operations that take no body: the path names the record and the operation is the action.
NO_BODY = {
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/standards/authorisation"),
    ("POST", "/api/v1/standards/library/rebuild"),
    ("POST", "/api/v1/standards/library/{entry_id}/own-choice"),
    ("POST", "/api/v1/standards/messages/{message_id}/read"),
    ("POST", "/api/v1/auth/invitations/{invitation_id}/accept"),
    ("POST", "/api/v1/auth/invitations/{invitation_id}/decline"),
    ("POST", "/api/v1/declarations/{declaration_id}/check"),
    ("POST", "/api/v1/declarations/{declaration_id}/declare"),
    ("POST", "/api/v1/declarations/{declaration_id}/copy"),
    ("POST", "/api/v1/autodeclare/runs/{run_id}/stop"),
    ("POST", "/api/v1/autodeclare/declarations/{declaration_id}/agency-agreement"),
    ("POST", "/api/v1/declarations/{declaration_id}/tax-confirmation"),
    ("POST", "/api/v1/processing/applications/{application_id}/send"),
    ("POST", "/api/v1/processing/applications/{application_id}/declare"),
    ("POST", "/api/v1/processing/books/{book_id}/change"),
    ("POST", "/api/v1/processing/applications/{application_id}/change"),
    ("POST", "/api/v1/processing/books/{book_id}/send"),
    ("POST", "/api/v1/processing/books/{book_id}/declare"),
    ("POST", "/api/v1/processing/inventories/{inventory_id}/declare"),
    ("POST", "/api/v1/crossborder/summaries/{summary_id}/declaration"),
}


@contextmanager
def connections_kept():
    """Requests to the real WSGI handler, as Django's test client makes them: without closing
    the database connection around each request (that would end the test's transaction; on
    PostgreSQL the next query then finds the connection closed). The test client connects the
    closing receiver again after each of its own requests, so this wraps the WSGI calls only."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def wsgi_schema(admin_a, operator_a):
    app = get_wsgi_application()
    with connections_kept():
        return app, schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


def _bearer(client) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", {"username": "a_admin", "password": PASSWORD},
                           content_type="application/json")
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_no_server_error_and_no_undocumented_status(client, wsgi_schema):
    _app, schema = wsgi_schema
    headers = _bearer(client)
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in LEFT_OUT:
            continue
        operations += 1
        for mode, count in EXAMPLES.items():

            @settings(max_examples=count, deadline=None, database=None, derandomize=True,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                with connections_kept():
                    response = case.call(headers=headers)
                statuses[response.status_code] += 1
                case.validate_response(response, checks=CHECKS, headers=headers)

            try:
                run()
            except (Exception, BaseExceptionGroup) as exc:  # every operation's failures, then fail once
                failures.append(f"{operation.method.upper()} {operation.path} [{mode}]: {str(exc)[:600]}")
    print(f"schemathesis: {operations} operations, {sum(statuses.values())} requests, statuses {dict(statuses)}")
    assert operations > 80 and statuses[200] and statuses[422]
    assert not failures, "\n\n".join(failures)


ERROR_REF = {"$ref": "#/components/schemas/Error"}
def _operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield method.upper(), path, operation, schema


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_every_write_endpoint_documents_its_body(client):
    """No POST/PUT/PATCH without a documented JSON (or form) body, except those that take none;
    a body is an object whose fields carry Chinese titles (not ``additionalProperties`` alone)."""
    missing, untitled, unlisted = [], [], []
    for method, path, operation, schema in _operations(client):
        if method not in {"POST", "PUT", "PATCH"}:
            continue
        body = operation.get("requestBody")
        if body is None:
            if (method, path) not in NO_BODY:
                missing.append(f"{method} {path}")
            continue
        if (method, path) in NO_BODY:
            unlisted.append(f"{method} {path} documents a body: take it out of NO_BODY")
        for media in body["content"].values():
            node = media["schema"]
            node = next((_resolve(schema, n) for n in node.get("anyOf", []) if "$ref" in n), _resolve(schema, node))
            properties = node.get("properties")
            if not properties:
                untitled.append(f"{method} {path}: no fields documented")
                continue
            for name, prop in properties.items():
                title = _resolve(schema, prop).get("title", "") if "$ref" in prop else prop.get("title", "")
                if not is_chinese(title):
                    untitled.append(f"{method} {path}: {name} has no Chinese title ({title!r})")
    assert not missing, f"write endpoints without a documented body: {missing}"
    assert not unlisted, unlisted
    assert not untitled, "\n".join(untitled)


def test_every_answer_is_documented_with_a_schema(client):
    """Each operation's success answer names its content (a JSON schema, or the file type it
    sends) unless it has none (204); each error status carries the error schema."""
    undocumented = []
    for method, path, operation, _schema in _operations(client):
        for status, answer in operation["responses"].items():
            code = int(status)
            if code == 204:
                continue
            content = answer.get("content")
            if not content:
                undocumented.append(f"{method} {path} {status}: no content documented")
            elif code >= 400 and content.get("application/json", {}).get("schema") != ERROR_REF:
                undocumented.append(f"{method} {path} {status}: not the Error schema")
        for code in ("401", "403", "404", "422"):
            if operation.get("security") and code not in operation["responses"]:
                undocumented.append(f"{method} {path}: {code} not documented")
    assert not undocumented, "\n".join(undocumented)


# 2xx answers that may stay a JSON object without documented fields: none today. An entry needs
# its reason (say, an answer whose keys are data, such as a code -> name table).
BARE_ANSWERS: dict[tuple[str, str], str] = {}


def test_no_success_answer_is_a_bare_object(client):
    """Every 2xx JSON answer of /api/v1 documents its fields (so the fuzzer checks them), rather
    than ``{"type": "object"}`` / ``dict[str, Any]`` alone; ``BARE_ANSWERS`` says why otherwise."""
    bare, stale = [], []
    for method, path, operation, schema in _operations(client):
        if not path.startswith("/api/v1"):
            continue
        for status, answer in operation["responses"].items():
            if not status.startswith("2"):
                continue
            for media in (answer.get("content") or {}).values():
                node = _resolve(schema, media.get("schema", {}))
                is_bare = not node or (node.get("type") == "object" and not node.get("properties"))
                if is_bare and (method, path) not in BARE_ANSWERS:
                    bare.append(f"{method} {path} {status}")
                elif not is_bare and (method, path) in BARE_ANSWERS:
                    stale.append(f"{method} {path}: documented now, take it out of BARE_ANSWERS")
    assert not bare, "answers documented as a bare object:\n" + "\n".join(bare)
    assert not stale, stale


def _undocumented(schema: dict, node: dict, value, where: str = "") -> list[str]:
    """Keys of ``value`` (at any depth) that the documented ``node`` does not name."""
    node = _resolve(schema, node)
    if isinstance(value, list) and "items" in node:
        return [k for v in value[:3] for k in _undocumented(schema, node["items"], v, f"{where}[]")]
    if not isinstance(value, dict) or "properties" not in node:
        return []
    found = [f"{where}.{key}" for key in value if key not in node["properties"]]
    for key, prop in node["properties"].items():
        if key in value:
            found += _undocumented(schema, prop, value[key], f"{where}.{key}")
    return found


def _caller(client, wsgi_schema):
    """``call(method, path, status, **case)``: one request as schemathesis would make it, its
    answer checked against the OpenAPI like the fuzzer's."""
    _app, schema = wsgi_schema
    headers = _bearer(client)
    openapi = client.get("/api/v1/openapi.json").json()

    def call(method: str, path: str, status: int, **kwargs):
        case = schema[path][method].Case(headers=headers, **kwargs)
        with connections_kept():
            response = case.call()
        assert response.status_code == status, response.text[:2000]
        case.validate_response(response, checks=CHECKS, headers=headers)
        answer = response.json()
        if status < 300:
            documented = openapi["paths"][path][method.lower()]["responses"][str(status)]
            node = documented["content"]["application/json"]["schema"]
            assert not _undocumented(openapi, node, answer), _undocumented(openapi, node, answer)
        return answer

    return call


def test_declaration_answers_conform_and_field_errors_stay(client, wsgi_schema):
    """A real 暂存 / 详情 / 修改 / 检查 / 列表 round trip answers what the OpenAPI documents for it
    (the fuzzer's generated declarations rarely get past the 暂存 rules), and a refused body still
    names the cells as before: ``items[0].code_ts``, ``items[1].g_qty`` (the typed body passes the
    JSON to ``payload.parse`` as sent)."""
    from tests.declarations.payloads import export_payload

    call = _caller(client, wsgi_schema)
    created = call("POST", "/api/v1/declarations", 201, body=export_payload())
    assert created["items"] and created["status"] == "draft" and "warnings" in created
    ident = {"declaration_id": created["id"]}
    shown = call("GET", "/api/v1/declarations/{declaration_id}", 200, path_parameters=ident)
    assert "warnings" not in shown  # only a save answers them
    call("PUT", "/api/v1/declarations/{declaration_id}", 200, path_parameters=ident,
         body={"version": shown["version"], "note_s": "改"})
    call("POST", "/api/v1/declarations/{declaration_id}/check", 200, path_parameters=ident)
    listed = call("GET", "/api/v1/declarations", 200, query={"limit": 5})
    assert listed["results"][0]["id"] == created["id"]

    raw = export_payload()
    raw["items"][0]["code_ts"] = "6109909999"
    raw["items"][1]["g_qty"] = "许多"
    raw["no_such_field"] = "x"
    refused = call("POST", "/api/v1/declarations", 422, body=raw)
    fields = {e["field"] for e in refused["errors"]}
    assert {"items[0].code_ts", "items[1].g_qty", "no_such_field"} <= fields
    assert all(is_chinese(e["message"]) for e in refused["errors"])


def test_profile_answers_conform_and_field_errors_stay(client, wsgi_schema, ent_a):
    """启用, 新增/修改 (部分字段)/列表 预配置: the answers match their documentation; a refused
    body answers the service's own Chinese errors by field, unknown fields included."""
    call = _caller(client, wsgi_schema)
    call("POST", "/api/v1/autodeclare/enablement", 200, body={"accept_notice": True, "accept_promise": True})
    created = call("POST", "/api/v1/autodeclare/profiles", 201,
                   body={"name": "出口预配置", "ie_flag": "E", "agent_code": ent_a.customs_code})
    ident = {"profile_id": created["id"]}
    changed = call("PATCH", "/api/v1/autodeclare/profiles/{profile_id}", 200, path_parameters=ident,
                   body={"batch_wait_seconds": 120})
    assert changed["batch_wait_seconds"] == 120 and changed["name"] == "出口预配置"
    assert call("GET", "/api/v1/autodeclare/profiles", 200)["count"] == 1
    refused = call("PUT", "/api/v1/autodeclare/profiles/{profile_id}", 422, path_parameters=ident,
                   body={"enabled": "yes", "batch_wait_seconds": 1, "colour": "red"})
    assert {(e["field"], e["message"]) for e in refused["errors"]} == {
        ("", "未知的字段: colour"), ("enabled", "应为 true 或 false"),
        ("batch_wait_seconds", "统计时配置应在 5 到 3600 秒之间"),
    }


def test_autodeclare_answers_conform(client, wsgi_schema, ent_a, actor_a, django_capture_on_commit_callbacks):
    """标记, 开始申报, 执行状态, 查询, 批次, 继续申报, 取消标记, 停止, 通知, 委托协议, 税费确认, 查企业: a real
    run answers what the OpenAPI documents for each (the fuzzer's ids rarely name a run or a batch),
    and the answers carry no key the documentation leaves out."""
    from guanwu.gateway.services import poll_once
    from guanwu.simulator.engine import run_until_idle
    from tests.autodeclare.conftest import make_manifest, profile_data
    from tests.autodeclare.test_tax import demo_rates
    from tests.declarations.payloads import export_payload, import_payload

    call = _caller(client, wsgi_schema)
    call("POST", "/api/v1/autodeclare/enablement", 200, body={"accept_notice": True, "accept_promise": True})
    make_manifest()
    demo_rates()
    data = profile_data(actor_a, manifest_required=True, arrival_required=True,
                        compare_required=True, auto_agreement=False)
    profile = call("POST", "/api/v1/autodeclare/profiles", 201, body=data)
    good, missing, spare = (call("POST", "/api/v1/declarations", 201, body=raw)["id"] for raw in (
        export_payload(), export_payload(bill_no="NOSUCHBILL01"), export_payload()))
    marks = call("POST", "/api/v1/autodeclare/marks", 200, body={"ids": [good, missing, spare, good]})
    assert sorted(marks["marked"]) == sorted([good, missing, spare]) and marks["message"]
    assert call("DELETE", "/api/v1/autodeclare/marks", 200, body={"ids": [spare]})["cancelled"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        started = call("POST", "/api/v1/autodeclare/runs", 201,
                       body={"profile_ids": [profile["id"]], "enterprise_type": "agent"})
    ident = {"run_id": started["id"]}
    run = call("GET", "/api/v1/autodeclare/runs/{run_id}", 200, path_parameters=ident)
    assert (run["batch_count"], run["total_succeeded"], run["total_failed"]) == (1, 1, 1)
    assert call("GET", "/api/v1/autodeclare/runs", 200)["results"][0]["batches"][0]["total"] == 2

    with django_capture_on_commit_callbacks(execute=True):
        run_until_idle()
        poll_once()
    listed = call("GET", "/api/v1/autodeclare/declarations", 200, query={"status": "succeeded"})
    assert listed["results"][0]["id"] == good and listed["results"][0]["records"]
    call("GET", "/api/v1/autodeclare/declarations/{declaration_id}", 200, path_parameters={"declaration_id": good})
    batches = call("GET", "/api/v1/autodeclare/batches", 200)
    assert batches["top_failure_reasons"][0]["code"] == "manifest_missing"
    batch = call("GET", "/api/v1/autodeclare/batches/{batch_id}", 200,
                 path_parameters={"batch_id": batches["results"][0]["id"]})
    assert {d["declaration_id"] for d in batch["declarations"]} == {good, missing}
    assert call("POST", "/api/v1/autodeclare/requeue", 200, body={"ids": [missing]})["requeued"] == 1
    assert call("POST", "/api/v1/autodeclare/runs/{run_id}/stop", 200, path_parameters=ident)["status"] == "stopped"

    notices = call("GET", "/api/v1/autodeclare/notifications", 200)
    call("POST", "/api/v1/autodeclare/notifications/read", 200, body={"ids": None})
    call("GET", "/api/v1/autodeclare/webhook-deliveries", 200)
    assert notices["count"] >= 0
    for_other = export_payload(trade_code="4403960001", trade_co_scc="", trade_name="深圳市乙贸易有限公司")
    on_good = {"declaration_id": call("POST", "/api/v1/declarations", 201, body=for_other)["id"]}
    agreement = call("POST", "/api/v1/autodeclare/declarations/{declaration_id}/agency-agreement", 201,
                     path_parameters=on_good)
    assert call("GET", "/api/v1/autodeclare/declarations/{declaration_id}/agency-agreement", 200,
                path_parameters=on_good)["agreement_no"] == agreement["agreement_no"]
    taxed = {"declaration_id": call("POST", "/api/v1/declarations", 201,
                                    body={**import_payload(), "self_tax": True})["id"]}
    assert call("GET", "/api/v1/declarations/{declaration_id}/tax-confirmation", 200,
                path_parameters=taxed)["status"] == "unconfirmed"
    confirmed = call("POST", "/api/v1/declarations/{declaration_id}/tax-confirmation", 200, path_parameters=taxed)
    assert confirmed["confirmed_at"] and confirmed["lines"]
    party = call("GET", "/api/v1/declarations/parties/{code}", 200, path_parameters={"code": ent_a.customs_code})
    assert party == {"customs_code": ent_a.customs_code, "scc": ent_a.scc, "name": ent_a.name, "source": "本企业"}

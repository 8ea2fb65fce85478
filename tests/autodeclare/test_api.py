"""``/api/v1/autodeclare/...`` and ``/api/v1/declarations/{id}/tax-confirmation``: shapes and codes,
and a run followed through the gateway and the customs simulator."""

from __future__ import annotations

import pytest
from django.test import Client

from guanwu.gateway.services import poll_once
from guanwu.simulator.engine import run_until_idle
from tests.autodeclare.conftest import make_manifest, profile_data
from tests.autodeclare.test_tax import demo_rates
from tests.conftest import token_client
from tests.declarations.payloads import export_payload, import_payload

pytestmark = pytest.mark.django_db
DUPLICATE = "该申报单位下存在相同的境内收发货人或申报单位相同进出口标志且启用状态的数据!"
CANCEL_REFUSED = "请求参数均不符合取消条件 (报关单状态不为暂存或智能申报状态不为待申报)!"




@pytest.fixture
def api(admin_a) -> Client:
    return token_client("a_admin")


def call(client, method, url, body=None):
    return getattr(client, method)(url, body if body is not None else {}, content_type="application/json")


def enable(api) -> None:
    response = call(api, "post", "/api/v1/autodeclare/enablement", {"accept_notice": True, "accept_promise": True})
    assert response.status_code == 200 and response.json()["enabled"] is True


def draft(api, raw=None) -> int:
    response = call(api, "post", "/api/v1/declarations", raw or export_payload())
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_enablement_is_required_and_needs_both_acceptances(api):
    assert api.get("/api/v1/autodeclare/enablement").json()["enabled"] is False
    response = call(api, "post", "/api/v1/autodeclare/profiles", {"name": "x"})
    assert response.status_code == 409 and "尚未启用" in response.json()["detail"]
    response = call(api, "post", "/api/v1/autodeclare/enablement", {"accept_notice": True})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "accept_promise"


def test_profiles_crud(api, actor_a, operator_a):
    enable(api)
    body = profile_data(actor_a, manifest_required=True)
    response = call(api, "post", "/api/v1/autodeclare/profiles", body)
    assert response.status_code == 201
    profile = response.json()
    for key in ("id", "name", "enabled", "ie_flag", "scope", "agent_code", "trade_code", "user_ids", "auto_confirm",
                "auto_agreement", "manifest_required", "arrival_required", "compare_required", "batch_wait_seconds"):
        assert key in profile
    assert (profile["name"], profile["enabled"], profile["ie_flag"], profile["manifest_required"]) == (
        "出口自动申报", True, "E", True)
    response = call(api, "post", "/api/v1/autodeclare/profiles", {**body, "name": "重复"})
    assert response.status_code == 422
    assert response.json()["detail"] == DUPLICATE and response.json()["errors"][0]["message"] == DUPLICATE
    url = f"/api/v1/autodeclare/profiles/{profile['id']}"
    assert api.get("/api/v1/autodeclare/profiles").json()["count"] == 1
    assert call(api, "patch", url, {"batch_wait_seconds": 30}).json()["batch_wait_seconds"] == 30
    assert call(api, "put", url, {"name": "改名", "arrival_required": True}).json()["arrival_required"] is True
    operator = token_client("a_operator")
    assert operator.get(url).status_code == 200
    assert call(operator, "patch", url, {"name": "操作员改"}).status_code == 403
    assert call(api, "delete", url).status_code == 204
    assert api.get(url).status_code == 404


def test_marks_add_and_cancel(api):
    enable(api)
    ids = [draft(api), draft(api)]
    response = call(api, "post", "/api/v1/autodeclare/marks", {"ids": ids})
    assert response.status_code == 200
    assert sorted(response.json()["marked"]) == sorted(ids)
    response = call(api, "delete", "/api/v1/autodeclare/marks", {"ids": [ids[0]]})
    assert response.json() == {"cancelled": 1, "message": "本次成功取消标记 1 条"}
    response = call(api, "delete", "/api/v1/autodeclare/marks", {"ids": [ids[0]]})
    assert response.status_code == 422 and response.json()["detail"] == CANCEL_REFUSED


def test_a_run_through_gateway_and_simulator(api, actor_a, django_capture_on_commit_callbacks):
    enable(api)
    make_manifest()
    profile = call(api, "post", "/api/v1/autodeclare/profiles",
                   profile_data(actor_a, manifest_required=True, arrival_required=True, compare_required=True)).json()
    good = draft(api)
    missing = draft(api, export_payload(bill_no="NOSUCHBILL01"))
    call(api, "post", "/api/v1/autodeclare/marks", {"ids": [good, missing]})
    with django_capture_on_commit_callbacks(execute=True):
        response = call(api, "post", "/api/v1/autodeclare/runs", {"profile_ids": [profile["id"]],
                                                                  "enterprise_type": "agent"})
    assert response.status_code == 201
    assert response.json()["status"] == "running"  # the worker takes the first batch after commit
    run = api.get(f"/api/v1/autodeclare/runs/{response.json()['id']}").json()
    for key in ("id", "status", "batches", "batch_succeeded", "batch_failed", "batch_count", "total_succeeded",
                "total_failed", "next_batch_at", "progress"):
        assert key in run
    assert run["status"] == "waiting" and run["batch_count"] == 1
    assert (run["batch_succeeded"], run["batch_failed"], run["total_succeeded"], run["total_failed"]) == (1, 1, 1, 1)
    batch_no = run["batches"][0]["batch_no"]
    assert batch_no.startswith("P") and len(batch_no) == 20
    assert call(api, "post", "/api/v1/autodeclare/runs", {"profile_ids": [profile["id"]],
                                                          "enterprise_type": "agent"}).status_code == 409

    listing = api.get(f"/api/v1/autodeclare/declarations?status=succeeded&batch_no={batch_no}").json()
    assert listing["count"] == 1
    row = listing["results"][0]
    assert (row["id"], row["auto_status"], row["batch_no"]) == (good, "succeeded", batch_no)
    assert row["records"][-1]["message"].startswith("申报成功(自动)")
    failed = api.get("/api/v1/autodeclare/declarations?status=failed").json()["results"][0]
    assert failed["id"] == missing and failed["reason_code"] == "manifest_missing"

    with django_capture_on_commit_callbacks(execute=True):
        run_until_idle()
        poll_once()
    detail = api.get(f"/api/v1/declarations/{good}").json()
    assert detail["status"] in ("released", "closed")
    records = api.get(f"/api/v1/autodeclare/declarations/{good}").json()["records"]
    assert any(r["message"].startswith("回执 ") for r in records)

    batches = api.get("/api/v1/autodeclare/batches").json()
    assert batches["results"][0]["batch_no"] == batch_no
    assert batches["top_failure_reasons"][0]["code"] == "manifest_missing"
    stopped = call(api, "post", f"/api/v1/autodeclare/runs/{run['id']}/stop").json()
    assert stopped["status"] == "stopped"
    assert api.get(f"/api/v1/autodeclare/runs/{run['id']}").json()["status"] == "stopped"


def test_requeue(api, actor_a, django_capture_on_commit_callbacks):
    enable(api)
    profile = call(api, "post", "/api/v1/autodeclare/profiles",
                   profile_data(actor_a, manifest_required=True)).json()
    pk = draft(api)
    call(api, "post", "/api/v1/autodeclare/marks", {"ids": [pk]})
    with django_capture_on_commit_callbacks(execute=True):
        call(api, "post", "/api/v1/autodeclare/runs", {"profile_ids": [profile["id"]], "enterprise_type": "agent"})
    assert api.get(f"/api/v1/autodeclare/declarations/{pk}").json()["auto_status"] == "failed"
    assert call(api, "post", "/api/v1/autodeclare/requeue", {"ids": [pk]}).json()["requeued"] == 1
    assert api.get(f"/api/v1/autodeclare/declarations/{pk}").json()["auto_status"] == "waiting"


def test_tax_confirmation(api):
    enable(api)
    demo_rates()
    pk = draft(api, {**import_payload(), "self_tax": True})
    url = f"/api/v1/declarations/{pk}/tax-confirmation"
    shown = api.get(url).json()
    assert shown["status"] == "unconfirmed" and shown["demo_rates"] is True and shown["total"] == "23480.26"
    confirmed = call(api, "post", url).json()
    assert confirmed["status"] == "confirmed" and confirmed["confirmed_by"] == "a_admin" and confirmed["confirmed_at"]
    plain = draft(api, import_payload())
    response = call(api, "post", f"/api/v1/declarations/{plain}/tax-confirmation")
    assert response.status_code == 422 and "不是自报自缴" in response.json()["detail"]


def test_other_enterprises_ids_are_not_found(api, actor_a, admin_b):
    enable(api)
    profile = call(api, "post", "/api/v1/autodeclare/profiles", profile_data(actor_a)).json()
    pk = draft(api)
    other = token_client("b_admin")
    enable(other)
    assert other.get(f"/api/v1/autodeclare/profiles/{profile['id']}").status_code == 404
    assert call(other, "post", f"/api/v1/declarations/{pk}/tax-confirmation").status_code == 404
    response = call(other, "post", "/api/v1/autodeclare/runs", {"profile_ids": [profile["id"]],
                                                                "enterprise_type": "agent"})
    assert response.status_code == 404
    response = call(other, "post", "/api/v1/autodeclare/marks", {"ids": [pk]})
    assert response.status_code == 422  # nothing of its own to mark


def test_profile_values_of_the_wrong_kind_answer_422(api, actor_a):
    """``"name": ["a"]`` saved a profile named ``['a']`` (issue 11, point 9)."""
    enable(api)
    response = call(api, "post", "/api/v1/autodeclare/profiles", profile_data(actor_a, name=["a"]))
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "name", "message": "应为文本"}]
    response = call(api, "post", "/api/v1/autodeclare/profiles",
                    profile_data(actor_a, trade_code="ABCDEFGHIJ", batch_wait_seconds=3))
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"trade_code", "batch_wait_seconds"}
    assert api.get("/api/v1/autodeclare/profiles").json()["count"] == 0

"""``/api/v1/declarations`` with token auth, and the whole flow through gateway and simulator."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from guanwu.core.aftercommit import collecting
from guanwu.gateway.services import poll_once
from guanwu.simulator.engine import run_until_idle
from guanwu.simulator.models import ArrivalReport, Manifest
from tests.conftest import token_client
from tests.declarations.payloads import export_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(admin_a):
    return token_client("a_admin")


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_create_invalid_names_fields(api):
    raw = export_payload()
    raw["items"][0]["code_ts"] = "6109909999"
    raw["items"][1]["g_qty"] = "许多"
    response = post(api, "/api/v1/declarations", raw)
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    # every error at once: what could not be read and what the rules refuse (issue 11, point 16)
    assert set(fields) == {"items[1].g_qty", "items[0].code_ts"}
    assert fields["items[1].g_qty"] == "第2项成交数量应为数字"
    raw["items"][1]["g_qty"] = "1200"
    response = post(api, "/api/v1/declarations", raw)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["items[0].code_ts"]


def test_crud_and_filters(api, client_b):
    created = post(api, "/api/v1/declarations", export_payload())
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "draft" and body["items"][0]["code_ts"] == "6109100010"
    pk = body["id"]
    assert api.get("/api/v1/declarations?status=draft&ie_flag=E").json()["count"] == 1
    assert api.get("/api/v1/declarations?ie_flag=I").json()["count"] == 0
    assert api.get("/api/v1/declarations?q=COSU6201234560").json()["count"] == 1
    updated = api.put(f"/api/v1/declarations/{pk}", {"bill_no": "COSU1"}, content_type="application/json")
    assert updated.status_code == 200 and updated.json()["bill_no"] == "COSU1"
    assert client_b.get(f"/api/v1/declarations/{pk}").status_code == 404
    assert client_b.get("/api/v1/declarations").json()["count"] == 0
    assert api.delete(f"/api/v1/declarations/{pk}").status_code == 204
    assert api.get(f"/api/v1/declarations/{pk}").status_code == 404


def test_declare_returns_every_error(api):
    raw = export_payload(trade_mode="", gross_wet="10")
    pk = post(api, "/api/v1/declarations", raw).json()["id"]
    response = post(api, f"/api/v1/declarations/{pk}/declare")
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"trade_mode", "net_wt"} <= fields
    check = post(api, f"/api/v1/declarations/{pk}/check").json()
    assert check["ok"] is False and len(check["errors"]) == len(response.json()["errors"])


def test_flow_create_declare_accepted_released(api, django_capture_on_commit_callbacks):
    Manifest.objects.create(bill_no="COSU6201234560", traf_mode="2", traf_name="COSCO SHIPPING ARIES",
                            voyage_no="042W", gross_wt=Decimal("2890"), pack_no=340, i_e_flag="E")
    ArrivalReport.objects.create(bill_no="COSU6201234560", location="盐田港区")  # 运抵 before export release
    pk = post(api, "/api/v1/declarations", export_payload()).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api, f"/api/v1/declarations/{pk}/declare")
    assert response.status_code == 202
    assert response.json()["status"] == "declared"
    xml = api.get(f"/api/v1/declarations/{pk}/message.xml")
    assert xml.status_code == 200 and b'xmlns="http://www.chinaport.gov.cn/dec"' in xml.content

    run_until_idle()  # the simulator takes the file and answers
    with django_capture_on_commit_callbacks(execute=True):
        poll_once()  # the gateway applies the receipts
    body = api.get(f"/api/v1/declarations/{pk}").json()
    assert body["status"] in ("released", "closed")
    assert re.fullmatch(r"5316\d{4}0\d{9}", body["entry_id"])  # 关区 + year + E=0 + sequence
    assert len(body["seq_no"]) == 18
    channels = [r["channel"] for r in body["receipts"]]
    assert channels[0] == "0" and "L" in channels and "P" in channels
    assert all(r["text"] for r in body["receipts"])


def test_one_poll_sends_each_signal_once_for_all_its_declarations(api, django_capture_on_commit_callbacks):
    from guanwu.datacenter.commodities.models import Commodity
    from guanwu.declarations import signals

    Manifest.objects.create(bill_no="COSU6201234560", traf_mode="2", traf_name="COSCO SHIPPING ARIES",
                            voyage_no="042W", gross_wt=Decimal("2890"), pack_no=340, i_e_flag="E")
    ArrivalReport.objects.create(bill_no="COSU6201234560", location="盐田港区")  # 运抵 before export release
    ids = [post(api, "/api/v1/declarations", export_payload()).json()["id"] for _ in range(3)]
    for pk in ids:
        with django_capture_on_commit_callbacks(execute=True):
            assert post(api, f"/api/v1/declarations/{pk}/declare").status_code == 202
    sent: list[tuple[str, list[int]]] = []
    signals.declaration_accepted.connect(lambda declarations, **kw: sent.append(("L", [d.pk for d in declarations])),
                                         weak=False, dispatch_uid="t-acc")
    signals.declaration_released.connect(lambda declarations, **kw: sent.append(("P", [d.pk for d in declarations])),
                                         weak=False, dispatch_uid="t-rel")
    try:
        run_until_idle()
        # poll_inbox collects inside collecting(); here the test's transaction holds the commit
        # back until the capture ends, so the block goes around the capture.
        with collecting(), django_capture_on_commit_callbacks(execute=True):
            assert poll_once()["done"] == 3 * 4  # 0 (imported), L, P, R of each
    finally:
        signals.declaration_accepted.disconnect(dispatch_uid="t-acc")
        signals.declaration_released.disconnect(dispatch_uid="t-rel")
    assert sorted(sent) == [("L", ids), ("P", ids)]
    # and what learns from them learned all three, once: the same goods, three uses
    assert sorted(Commodity.objects.values_list("usage_count", flat=True)) == [3, 3]


def test_flow_rejected_without_manifest(api, django_capture_on_commit_callbacks):
    pk = post(api, "/api/v1/declarations", export_payload(bill_no="NOSUCHBILL001")).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        post(api, f"/api/v1/declarations/{pk}/declare")
    run_until_idle()
    poll_once()
    body = api.get(f"/api/v1/declarations/{pk}").json()
    assert body["status"] == "rejected"
    assert "[SIM-0069]" in body["reject_reason"]


def test_save_answers_the_warnings(api):
    body = post(api, "/api/v1/declarations", export_payload(net_wt="9999")).json()
    assert [w["field"] for w in body["warnings"]] == ["net_wt"]  # 暂存 accepts it; 申报 would not
    assert "warnings" not in api.get(f"/api/v1/declarations/{body['id']}").json()

"""``/api/v1/processing``: the declaration API's conventions — 201 draft, 202 declare or 422 with
field errors, 404 for another enterprise's ids, JSON errors {"detail", "errors"} in Chinese."""

from __future__ import annotations

import pytest

from guanwu.messages import sas
from guanwu.processing import services
from tests.conftest import token_client

from . import garment_book as gb

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(admin_a):
    return token_client(admin_a.username)


def post(client, path, body=None, method="post"):
    return getattr(client, method)(path, body if body is not None else {}, content_type="application/json")


def test_book_lifecycle_through_the_api(api, actor_a):
    r = post(api, "/api/v1/processing/books", gb.book_head())
    assert r.status_code == 201, r.json()
    book = r.json()
    assert book["status"] == "draft" and book["ems_no"] == "" and book["chg_tms_cnt"] == 0
    bid = book["id"]
    r = post(api, f"/api/v1/processing/books/{bid}/materials", gb.material_row(1))
    assert r.status_code == 201 and r.json()["lawf_unitcd"] == "030"
    post(api, f"/api/v1/processing/books/{bid}/products", gb.product_row(1))
    r = post(api, f"/api/v1/processing/books/{bid}/boms", {"endprd_seqno": 1, "mtpck_seqno": 1, "ucns_verno": "1",
                                                           "net_useup_qty": "1.65", "tgbl_loss_rate": "3",
                                                           "intgb_loss_rate": "0.5", "ucns_dcl_stucd": "1"})
    assert r.status_code == 201 and r.json()["ucns_qty"] == str(sas.ucns_qty(*map(__import__("decimal").Decimal,
                                                                                   ("1.65", "3", "0.5"))))
    r = post(api, f"/api/v1/processing/books/{bid}/boms", {"endprd_seqno": 7, "mtpck_seqno": 1,
                                                           "net_useup_qty": "0"})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"endprd_seqno", "net_useup_qty"}
    r = post(api, f"/api/v1/processing/books/{bid}/declare")
    assert r.status_code == 202 and r.json()["status"] == "declared", r.json()
    assert api.get(f"/api/v1/processing/books/{bid}/message.xml").content.startswith(b"<?xml")
    seq = gb.seq_no()
    services.apply_sas_receipt(gb.common_response(r.json()["etps_preent_no"], seq))
    services.apply_sas_receipt(gb.ems_receipt("EMS211", seq, "1", "E90012400009", ("[3402] 联网电子审核通过, 转岗",)))
    book = api.get(f"/api/v1/processing/books/{bid}").json()
    assert book["ems_no"] == "E90012400009" and book["seq_no"] == seq and book["status"] == "approved"
    assert [r["message_type"] for r in book["receipts"]] == ["CommonResponeMessage", "EMS211"]
    assert book["receipts"][1]["check_infos"][0]["note"] == "[3402] 联网电子审核通过, 转岗"
    box = api.get(f"/api/v1/processing/books/{bid}/receipt").json()
    assert box["business_id"] == "E90012400009" and box["check_infos"] == [{"seqno": 1,
                                                                           "note": "[3402] 联网电子审核通过, 转岗"}]
    versions = api.get(f"/api/v1/processing/books/{bid}/versions").json()
    assert [v["chg_tms_cnt"] for v in versions] == [0]
    balances = api.get(f"/api/v1/processing/books/{bid}/balances").json()
    assert balances == [{"gds_seqno": 1, "gds_mtno": "FAB-CT-001", "code_ts": "5208420090", "g_name": "色织全棉平纹布",
                         "unit": "030", "imported": "0", "consumed": "0", "returned": "0", "domestic_sold": "0",
                         "reserved": "0", "balance": "0"}]


def test_inventory_through_the_api_refuses_overdraw_with_line_errors(api, actor_a):
    book = gb.approved_book(actor_a)
    r = post(api, "/api/v1/processing/inventories", gb.inventory_data(book, "E", [(1, 5)]))
    assert r.status_code == 201, r.json()
    inv = r.json()
    assert inv["status"] == "draft" and inv["items"][0]["gds_mtno"] == "SHT-M-001" and inv["bond_invt_no"] == ""
    r = post(api, f"/api/v1/processing/inventories/{inv['id']}/declare")
    assert r.status_code == 422
    body = r.json()
    assert body["detail"].startswith("余量校验未通过") and body["errors"][0]["field"] == "items.0.dcl_qty"
    imp = post(api, "/api/v1/processing/inventories", gb.inventory_data(book, "I", [(1, 100), (3, 100), (5, 10)]))
    r = post(api, f"/api/v1/processing/inventories/{imp.json()['id']}/declare")
    assert r.status_code == 202 and r.json()["balance_state"] == "reserved"
    xml = api.get(f"/api/v1/processing/inventories/{imp.json()['id']}/message.xml")
    assert xml.status_code == 200 and b"<InvtMessage>" in xml.content


def test_qualification_through_the_api(api):
    r = post(api, "/api/v1/processing/applications", {"finish_valid_date": "2026-12-31", "prcs_prdc_ablt_amt": "100",
                                                       "master_cuscd": "9001"})
    assert r.status_code == 201, r.json()
    aid = r.json()["id"]
    r = post(api, f"/api/v1/processing/applications/{aid}/goods", {"kind": "I", "gdecd": "4421100090",
                                                                   "gds_nm": "出差", "dcl_unitcd": "035"})
    assert r.status_code == 201 and r.json()["gds_seqno"] == 1
    r = post(api, "/api/v1/processing/applications", {"master_cuscd": "9001", "no_such_field": "x"})
    assert r.status_code == 422 and any(e["field"] == "no_such_field" for e in r.json()["errors"])
    r = post(api, f"/api/v1/processing/applications/{aid}/goods", {"kind": "I", "gdecd": "4421100090",
                                                                   "gds_nm": "出差", "dcl_currcd": "QQQ"})
    assert r.status_code == 422 and r.json()["errors"] == [{"field": "dcl_currcd", "message": "币制代码QQQ不存在"}]
    r = post(api, f"/api/v1/processing/applications/{aid}/change")
    assert r.status_code == 409 and r.json()["detail"]  # only an approved application is changed
    r = post(api, f"/api/v1/processing/applications/{aid}/declare")
    assert r.status_code == 202 and r.json()["status"] == "declared"
    assert len(api.get("/api/v1/processing/applications").json()["results"]) == 1


def test_other_enterprises_ids_are_404(api, actor_b):
    book = gb.approved_book(actor_b)
    inv = services.create_inventory(actor_b, gb.inventory_data(book, "I", [(1, 1)]))
    for path in (f"/api/v1/processing/books/{book.pk}", f"/api/v1/processing/books/{book.pk}/balances",
                 f"/api/v1/processing/books/{book.pk}/versions", f"/api/v1/processing/inventories/{inv.pk}",
                 f"/api/v1/processing/inventories/{inv.pk}/message.xml"):
        r = api.get(path)
        assert r.status_code == 404 and r.json()["detail"], path
    r = post(api, f"/api/v1/processing/inventories/{inv.pk}/declare")
    assert r.status_code == 404
    inv.refresh_from_db()
    assert inv.status == "draft"
    r = post(api, "/api/v1/processing/inventories", gb.inventory_data(book, "I", [(1, 1)]))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "putrec_no"  # B's book is not A's

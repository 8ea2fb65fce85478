"""/api/v1/licences and /api/v1/certificates: shapes, filters, 422 naming fields, 404 across tenants."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guanwu.datacenter.bizdocs.pdf import simple_pdf
from guanwu.datacenter.licences import services
from guanwu.datacenter.licences.models import Certificate, Licence
from tests.conftest import PASSWORD
from tests.datacenter.licences.helpers import licence_data, make_certificate, make_licence, released, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, admin_a):
    token = client.post("/api/v1/auth/token", {"username": "a_admin", "password": PASSWORD},
                        content_type="application/json").json()["token"]
    headers = {"Authorization": f"Bearer {token}"}

    class Api:
        def get(self, url, **kw):
            return client.get(url, headers=headers, **kw)

        def post(self, url, data=None, multipart=False):
            if multipart:
                return client.post(url, data, headers=headers)
            return client.post(url, data, headers=headers, content_type="application/json")

        def put(self, url, data=None):
            return client.put(url, data, headers=headers, content_type="application/json")

        def delete(self, url):
            return client.delete(url, headers=headers)

    return Api()


def test_licence_crud_and_shape(api, actor_a):
    response = api.post("/api/v1/licences", licence_data())
    assert response.status_code == 201
    body = response.json()
    assert body["licence_no"] == "24-O6-100231" and body["docu_name"] == "自动进口许可证(新旧机电产品)"
    assert body["status"] == "valid" and body["status_display"] == "有效" and body["usages"] == []
    assert [(ln["code_ts"], ln["unit_name"], ln["qty"], ln["remaining"]) for ln in body["lines"]] == [
        ("8426200000", "台", "5.00000", "5.00000"), ("84264110", "台", "3.00000", "3.00000")]
    pk = body["id"]
    services.consume_declaration(released(actor_a))
    detail = api.get(f"/api/v1/licences/{pk}").json()
    assert [ln["remaining"] for ln in detail["lines"]] == ["3.00000", "2.00000"]
    assert {u["entry_id"] for u in detail["usages"]} == {"224820241000012345"}
    updated = api.put(f"/api/v1/licences/{pk}", {"issuer": "商务部", "note": "续用"}).json()
    assert updated["issuer"] == "商务部" and len(updated["lines"]) == 2  # lines not given: kept
    assert api.delete(f"/api/v1/licences/{pk}").status_code == 422  # used
    other = make_licence(actor_a, licence_no="UNUSED")
    assert api.delete(f"/api/v1/licences/{other.pk}").status_code == 204


def test_licence_422_names_fields(api):
    response = api.post("/api/v1/licences", licence_data(valid_to="31/12/2024", lines=[{"code_ts": "12"}]))
    assert response.status_code == 422
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert "valid_to" in errors and "lines[0].code_ts" in errors and "lines[0].qty" in errors


def test_licence_list_filters(api, actor_a, actor_b):
    make_licence(actor_a, licence_no="A-VALID")
    make_licence(actor_a, licence_no="A-SOON", docu_code="7", valid_to=(today() + dt.timedelta(days=7)).isoformat(),
                 lines=[{"code_ts": "0202300090", "qty": "100"}])
    make_licence(actor_b, licence_no="B-VALID")

    def numbers(query=""):
        body = api.get(f"/api/v1/licences{query}").json()
        return body["count"], [r["licence_no"] for r in body["results"]]

    assert numbers() == (2, ["A-SOON", "A-VALID"])
    assert numbers("?status=expiring") == (1, ["A-SOON"])
    assert numbers("?docu_code=O") == (1, ["A-VALID"])
    assert numbers("?code_ts=0202") == (1, ["A-SOON"])
    assert numbers("?q=冻藏") == (1, ["A-SOON"])
    assert numbers(f"?expires_before={(today() + dt.timedelta(days=10)).isoformat()}") == (1, ["A-SOON"])
    assert numbers("?status=usable&limit=1")[0] == 2


def test_certificate_api_with_attachment(api, actor_a, client):
    response = api.post("/api/v1/certificates", {
        "cert_type": "ccc", "cert_no": "2023010902541238", "issuer": "中国质量认证中心", "issue_date": "2023-03-15",
        "valid_to": "2028-03-14", "goods": [{"code_ts": "8471309000"}]})
    assert response.status_code == 201
    body = response.json()
    assert body["cert_type_display"] == "3C认证证书" and body["goods"] == [
        {"code_ts": "8471309000", "g_name": "其他便携式自动数据处理设备"}]
    assert body["attachment_url"] is None
    pk = body["id"]
    pdf = simple_pdf(["CCC"])
    upload = api.post(f"/api/v1/certificates/{pk}/attachment",
                      {"file": SimpleUploadedFile("ccc.pdf", pdf)}, multipart=True)
    assert upload.status_code == 200 and upload.json()["attachment_name"] == "ccc.pdf"
    download = api.get(upload.json()["attachment_url"])
    assert b"".join(download.streaming_content) == pdf
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 20
    wrong = api.post(f"/api/v1/certificates/{pk}/attachment", {"file": SimpleUploadedFile("ccc.pdf", png)},
                     multipart=True)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "attachment"
    assert "扩展名 .pdf 与文件内容(PNG 图片)不符" in wrong.json()["detail"]
    listing = api.get("/api/v1/certificates?status=valid&cert_type=ccc").json()
    assert listing["count"] == 1
    bad = api.post("/api/v1/certificates", {"cert_type": "x", "cert_no": ""})
    assert {e["field"] for e in bad.json()["errors"]} == {"cert_type", "cert_no"}
    assert api.put(f"/api/v1/certificates/{pk}", {"note": "年度监督"}).json()["note"] == "年度监督"
    assert api.delete(f"/api/v1/certificates/{pk}/attachment").json()["attachment_url"] is None
    assert api.delete(f"/api/v1/certificates/{pk}").status_code == 204
    assert not Certificate.objects.exists()


def test_other_enterprises_ids_answer_404(api, actor_b):
    licence = make_licence(actor_b)
    cert = make_certificate(actor_b)
    assert api.get(f"/api/v1/licences/{licence.pk}").status_code == 404
    assert api.put(f"/api/v1/licences/{licence.pk}", {"issuer": "x"}).status_code == 404
    assert api.delete(f"/api/v1/licences/{licence.pk}").status_code == 404
    assert api.get(f"/api/v1/certificates/{cert.pk}").status_code == 404
    assert api.delete(f"/api/v1/certificates/{cert.pk}").status_code == 404
    assert api.get("/api/v1/licences").json()["count"] == 0
    assert Licence.objects.get(pk=licence.pk).issuer == "陕西省商务厅"
    assert Certificate.objects.filter(pk=cert.pk).exists()

"""企业资质 on the declared CRUD mechanism: services (cleaning from the field spec, rules, log),
pages, Excel import, API with schemas titled in Chinese, another enterprise's ids 404."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guanwu.audit.models import OperationLog
from guanwu.core.errors import ServiceError
from guanwu.datacenter.bizdocs.pdf import simple_pdf
from guanwu.datacenter.qualifications.models import Qualification
from guanwu.datacenter.qualifications.module import MODULE
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
services = MODULE.services

DATA = {"qual_type": "processing", "cert_no": "3101w60001", "issuer": "上海海关", "valid_from": "2024-01-01",
        "valid_to": "2026-12-31", "master_customs": "2200 - 上海海关", "scope": "来料加工、进料加工", "note": ""}


def test_create_cleans_with_the_field_spec_and_logs(actor_a):
    q = services.create(actor_a, {**DATA, "qual_type": "加工贸易企业资质"})
    assert (q.qual_type, q.cert_no, q.master_customs, str(q.valid_from)) == (
        "processing", "3101W60001", "2200", "2024-01-01")
    log = OperationLog.objects.get(object_id=str(q.pk), action="新增")
    assert log.changes["cert_no"] == [None, "3101W60001"]


def test_bad_input_names_fields_in_chinese_and_changes_nothing(actor_a):
    with pytest.raises(ServiceError) as exc:
        services.create(actor_a, {**DATA, "qual_type": "", "valid_from": "2024-13-01", "master_customs": "9999",
                                  "valid_to": "20231231", "cert_no": "x" * 65})
    messages = {e.field: e.message for e in exc.value.errors}
    assert messages == {"qual_type": "资质类型不能为空", "valid_from": "有效期起应为日期, 如 2024-11-04",
                        "master_customs": "主管海关 9999 不存在", "cert_no": "证书编号不能超过 64 个字符"}
    services.create(actor_a, DATA)
    with pytest.raises(ServiceError) as exc:
        services.create(actor_a, {**DATA, "valid_to": "2023-01-01"})
    assert {e.field: e.message for e in exc.value.errors} == {
        "valid_to": "有效期止不能早于有效期起", "cert_no": "证书编号 3101W60001 已存在"}
    assert Qualification.objects.count() == 1


def test_pages_create_detail_edit_delete(client_a, ent_a):
    assert "企业资质" in client_a.get("/datacenter/qualifications/").content.decode()
    pdf = SimpleUploadedFile("资质.pdf", simple_pdf(["qual"]), content_type="application/pdf")
    response = client_a.post("/datacenter/qualifications/new/", {**DATA, "attachment": pdf})
    assert response.status_code == 302
    q = Qualification.objects.get()
    assert q.attachment_name == "资质.pdf"
    detail = client_a.get(response.url).content.decode()
    assert "来料加工、进料加工" in detail and "2200 - 上海海关" in detail and "资质.pdf" in detail
    assert client_a.get(f"/datacenter/qualifications/{q.pk}/attachment/").status_code == 200
    bad = client_a.post(f"/datacenter/qualifications/{q.pk}/edit/", {**DATA, "valid_from": "明天"})
    assert bad.status_code == 422 and "有效期起应为日期" in bad.content.decode()
    assert client_a.post(f"/datacenter/qualifications/{q.pk}/edit/", {**DATA, "note": "复审"}).status_code == 302
    q.refresh_from_db()
    assert q.note == "复审" and q.attachment_name == "资质.pdf"
    listing = client_a.get("/datacenter/qualifications/?q=3101W").content.decode()
    assert "3101W60001" in listing
    export = client_a.get("/datacenter/qualifications/?export=all")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    assert [c.value for c in sheet[1]][:3] == ["资质类型", "证书编号", "发证机关"]
    assert client_a.post(f"/datacenter/qualifications/{q.pk}/delete/").status_code == 302
    assert not Qualification.objects.exists()
    assert OperationLog.objects.filter(action="删除").exists()


def test_menu_entry_and_import_template(client_a):
    page = client_a.get("/datacenter/qualifications/").content.decode()
    assert 'href="/datacenter/qualifications/"' in page
    template = client_a.get("/imports/qualifications/template.xlsx")
    assert template.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    headers = [c.value for c in book.worksheets[0][1]]
    assert headers[:3] == ["*资质类型", "*证书编号", "发证机关"] and "附件" not in headers


def test_other_enterprise_gets_404(client, admin_b, actor_a):
    q = services.create(actor_a, DATA)
    client.force_login(admin_b)
    for url in ("", "edit/", "attachment/"):
        assert client.get(f"/datacenter/qualifications/{q.pk}/{url}").status_code == 404
    assert client.post(f"/datacenter/qualifications/{q.pk}/delete/").status_code == 404
    assert Qualification.objects.filter(pk=q.pk).exists()


def test_api_crud_and_openapi_titles(client, admin_a):
    token = client.post("/api/v1/auth/token", {"username": "a_admin", "password": PASSWORD},
                        content_type="application/json").json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    created = client.post("/api/v1/qualifications", DATA, headers=headers, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["qual_type_display"] == "加工贸易企业资质" and body["master_customs"] == "2200"
    bad = client.put(f"/api/v1/qualifications/{body['id']}", {"valid_to": "2000-01-01"}, headers=headers,
                     content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "valid_to"
    assert client.get("/api/v1/qualifications?q=3101", headers=headers).json()["count"] == 1
    assert client.delete(f"/api/v1/qualifications/{body['id']}", headers=headers).status_code == 204
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["QualificationIn"]
    assert schema["properties"]["cert_no"]["title"] == "证书编号"
    assert schema["properties"]["master_customs"]["title"] == "主管海关"

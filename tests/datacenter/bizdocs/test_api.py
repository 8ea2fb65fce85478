"""/api/v1/declarations/{id}/documents: list, multipart upload, download, delete."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guanwu.declarations.models import DeclarationDocument
from tests.conftest import PASSWORD
from tests.datacenter.bizdocs import samples
from tests.declarations.factories import make_import_declaration

pytestmark = pytest.mark.django_db


@pytest.fixture
def headers(client, admin_a):
    token = client.post("/api/v1/auth/token", {"username": "a_admin", "password": PASSWORD},
                        content_type="application/json").json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_upload_list_download_delete(client, headers, actor_a):
    decl = make_import_declaration(actor_a.enterprise, actor_a.user)
    url = f"/api/v1/declarations/{decl.pk}/documents"
    data = samples.xlsx()
    response = client.post(url, {"edoc_code": "00000002", "g_no_str": "1,2",
                                 "file": SimpleUploadedFile("装箱单.xlsx", data)}, headers=headers)
    assert response.status_code == 201
    doc = response.json()
    assert set(doc) == {"id", "declaration_id", "edoc_id", "edoc_code", "edoc_code_name", "file_name", "size",
                        "content_type", "g_no_str", "edoc_owner_code", "edoc_owner_name", "sign_time",
                        "download_url"}
    assert (doc["edoc_code_name"], doc["file_name"], doc["size"], doc["g_no_str"]) == ("装箱单", "装箱单.xlsx",
                                                                                     len(data), "1,2")
    assert doc["edoc_id"].startswith("224800000002IM") and doc["edoc_id"].endswith(".xlsx")
    assert doc["download_url"] == f"{url}/{doc['id']}"
    listing = client.get(url, headers=headers).json()
    assert listing["count"] == 1 and listing["results"][0]["id"] == doc["id"]
    download = client.get(doc["download_url"], headers=headers)
    assert b"".join(download.streaming_content) == data
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert client.delete(doc["download_url"], headers=headers).status_code == 204
    assert client.get(url, headers=headers).json()["count"] == 0


def test_upload_errors(client, headers, actor_a, settings):
    decl = make_import_declaration(actor_a.enterprise, actor_a.user)
    url = f"/api/v1/declarations/{decl.pk}/documents"
    forged = client.post(url, {"edoc_code": "00000001", "file": SimpleUploadedFile("inv.pdf", samples.EXE)},
                         headers=headers)
    assert forged.status_code == 422 and forged.json()["errors"][0]["field"] == "file"
    no_type = client.post(url, {"file": SimpleUploadedFile("inv.pdf", samples.pdf())}, headers=headers)
    assert no_type.json()["errors"] == [{"field": "edoc_code", "message": "请选择单据类型"}]
    json_body = client.post(url, {"edoc_code": "00000001"}, headers=headers, content_type="application/json")
    assert json_body.status_code == 422 and "multipart" in json_body.json()["detail"]
    settings.GUANWU_DOCUMENT_MAX_BYTES = 1000
    big = client.post(url, {"edoc_code": "00000001", "file": SimpleUploadedFile("inv.pdf", b"%PDF-" + b"0" * 400_000)},
                      headers=headers)
    assert big.status_code == 422 and "超过上限" in big.json()["detail"]
    assert not DeclarationDocument.objects.exclude(file="").exists()


def test_other_enterprises_declarations_and_documents_answer_404(client, headers, actor_a, actor_b):
    from guanwu.datacenter.bizdocs import services

    theirs = make_import_declaration(actor_b.enterprise, actor_b.user)
    doc = services.upload_document(actor_b, theirs.pk, edoc_code="00000001",
                                   uploaded=SimpleUploadedFile("x.pdf", samples.pdf()))
    mine = make_import_declaration(actor_a.enterprise, actor_a.user)
    base = f"/api/v1/declarations/{theirs.pk}/documents"
    assert client.get(base, headers=headers).status_code == 404
    assert client.post(base, {"edoc_code": "00000001", "file": SimpleUploadedFile("x.pdf", samples.pdf())},
                       headers=headers).status_code == 404
    assert client.get(f"{base}/{doc.pk}", headers=headers).status_code == 404
    assert client.delete(f"{base}/{doc.pk}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/declarations/{mine.pk}/documents/{doc.pk}", headers=headers).status_code == 404
    assert DeclarationDocument.objects.filter(pk=doc.pk).exists()

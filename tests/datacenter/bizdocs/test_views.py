"""业务单据管理 pages: the declarations with document counts, the per-declaration panel,
导出 (zip, a folder per declaration) and 导出列表 (Excel), downloads tenant-checked."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from guanwu.datacenter.bizdocs import services
from guanwu.declarations.models import DeclarationDocument
from tests.datacenter.bizdocs import samples
from tests.declarations.factories import make_export_declaration, make_import_declaration
from tests.pdftext import pdf_pages

pytestmark = pytest.mark.django_db


def add(actor, declaration, name="invoice.pdf", data=None, code="00000001"):
    return services.upload_document(actor, declaration.pk, edoc_code=code,
                                    uploaded=SimpleUploadedFile(name, data or samples.pdf(name)))


def unzip(response) -> dict[str, bytes]:
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    return {name: archive.read(name) for name in archive.namelist()}


def test_list_counts_documents_with_files_and_filters(client_a, actor_a, actor_b):
    with_docs = make_import_declaration(actor_a.enterprise, actor_a.user, entry_id="224820241000000001")
    add(actor_a, with_docs)
    add(actor_a, with_docs, "pl.png", samples.PNG, "00000002")
    without = make_export_declaration(actor_a.enterprise, actor_a.user, entry_id="531620241000000002")
    make_import_declaration(actor_b.enterprise, actor_b.user, entry_id="224820241000000003")
    body = client_a.get("/datacenter/documents/").content.decode()
    assert "224820241000000001" in body and "531620241000000002" in body and "224820241000000003" not in body
    row = body.split(f'data-pk="{with_docs.pk}"')[1].split("</tr>")[0]
    assert f'href="/datacenter/documents/{with_docs.pk}/">2</a>' in row and "下载" in row
    assert "下载" not in body.split(f'data-pk="{without.pk}"')[1].split("</tr>")[0]
    table = client_a.get("/datacenter/documents/?has_docs=0").content.decode().split("data-list-table")[1]
    assert "531620241000000002" in table and "224820241000000001" not in table
    assert "导出列表" in body


def test_export_list_is_excel_of_all_declarations(client_a, actor_a):
    decl = make_import_declaration(actor_a.enterprise, actor_a.user, entry_id="224820241000000001")
    add(actor_a, decl)
    response = client_a.get("/datacenter/documents/?export=all")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][:2] == ("统一编号", "海关编号") and "单据数" in rows[0]
    assert rows[1][1] == "224820241000000001" and rows[1][rows[0].index("单据数")] == 1


def test_bulk_export_zips_a_folder_per_declaration(client_a, actor_a, actor_b):
    first = make_import_declaration(actor_a.enterprise, actor_a.user, entry_id="224820241000000001")
    second = make_export_declaration(actor_a.enterprise, actor_a.user, entry_id="531620241000000002")
    empty = make_export_declaration(actor_a.enterprise, actor_a.user)
    theirs = make_import_declaration(actor_b.enterprise, actor_b.user)
    add(actor_b, theirs, "secret.pdf")
    inv = samples.pdf("INV")
    add(actor_a, first, "invoice.pdf", inv)
    add(actor_a, first, "invoice.pdf", samples.pdf("INV2"))  # same name twice
    add(actor_a, second, "合同.docx", samples.docx(), "00000004")
    response = client_a.post("/datacenter/documents/", {
        "action": "export_zip", "ids": [first.pk, second.pk, empty.pk, theirs.pk]})
    assert response.status_code == 200 and ".zip" in response["Content-Disposition"]
    files = unzip(response)
    empty_folder = f"{services.folder_name(empty)}/报关单.pdf"
    assert set(files) == {
        "224820241000000001_进口_MEDUXY123456/报关单.pdf",
        "224820241000000001_进口_MEDUXY123456/发票_invoice.pdf",
        "224820241000000001_进口_MEDUXY123456/发票_invoice(2).pdf",
        "531620241000000002_出口_COSU6234567890/报关单.pdf",
        "531620241000000002_出口_COSU6234567890/合同_合同.docx",
        empty_folder,
    }
    assert files["224820241000000001_进口_MEDUXY123456/发票_invoice.pdf"] == inv
    # each folder holds the 报关单 itself (issue 11, point 19: the manual's export has it)
    first_pdf = pdf_pages(files["224820241000000001_进口_MEDUXY123456/报关单.pdf"])[0]
    assert "中华人民共和国海关进口货物报关单" in first_pdf and "224820241000000001" in first_pdf
    assert "531620241000000002" in pdf_pages(files["531620241000000002_出口_COSU6234567890/报关单.pdf"])[0]
    assert not any("secret" in name for name in files)


def test_bulk_export_without_selection_explains(client_a):
    response = client_a.post("/datacenter/documents/", {"action": "export_zip"}, follow=True)
    assert "请先勾选" in response.content.decode()


def test_panel_upload_download_delete(client_a, actor_a):
    decl = make_import_declaration(actor_a.enterprise, actor_a.user)
    page = client_a.get(f"/datacenter/documents/{decl.pk}/").content.decode()
    assert "尚未上传单据" in page and 'data-picker="document-types"' in page
    data = samples.pdf("B/L")
    response = client_a.post(f"/datacenter/documents/{decl.pk}/upload/", {
        "edoc_code": "00000003", "g_no_str": "1", "file": SimpleUploadedFile("提单 MEDUXY123456.pdf", data)})
    assert response.status_code == 302
    doc = DeclarationDocument.objects.exclude(file="").get()
    page = client_a.get(f"/datacenter/documents/{decl.pk}/").content.decode()
    assert "提单 MEDUXY123456.pdf" in page and "提/运单" in page and "上传单据" in page
    download = client_a.get(f"/datacenter/documents/{decl.pk}/{doc.pk}/")
    assert b"".join(download.streaming_content) == data
    assert download["Content-Type"] == "application/pdf" and "attachment" in download["Content-Disposition"]
    assert "filename*=utf-8''%E6%8F%90%E5%8D%95" in download["Content-Disposition"]
    inline = client_a.get(f"/datacenter/documents/{decl.pk}/{doc.pk}/?inline=1")
    assert inline["Content-Disposition"].startswith("inline")
    assert unzip(client_a.get(f"/datacenter/documents/{decl.pk}/zip/"))
    response = client_a.post(f"/datacenter/documents/{decl.pk}/{doc.pk}/delete/")
    assert response.status_code == 302 and not DeclarationDocument.objects.filter(pk=doc.pk).exists()


def test_panel_upload_errors_are_shown_in_chinese(client_a, actor_a, settings):
    decl = make_import_declaration(actor_a.enterprise, actor_a.user)
    response = client_a.post(f"/datacenter/documents/{decl.pk}/upload/", {
        "edoc_code": "00000001", "file": SimpleUploadedFile("invoice.pdf", samples.JPG)})
    assert response.status_code == 422
    assert "文件扩展名 .pdf 与文件内容(JPG 图片)不符" in response.content.decode()
    settings.GUANWU_DOCUMENT_MAX_BYTES = 100
    response = client_a.post(f"/datacenter/documents/{decl.pk}/upload/", {
        "edoc_code": "00000001", "file": SimpleUploadedFile("invoice.pdf", samples.pdf())})
    assert response.status_code == 422 and "超过上限 100 B" in response.content.decode()
    response = client_a.post(f"/datacenter/documents/{decl.pk}/upload/", {"edoc_code": "00000001"})
    assert response.status_code == 422 and "请选择要上传的文件" in response.content.decode()
    assert not DeclarationDocument.objects.exclude(file="").exists()


def test_another_enterprises_documents_answer_404(client_a, actor_b):
    theirs = make_import_declaration(actor_b.enterprise, actor_b.user)
    doc = add(actor_b, theirs)
    for url in (f"/datacenter/documents/{theirs.pk}/", f"/datacenter/documents/{theirs.pk}/{doc.pk}/",
                f"/datacenter/documents/{theirs.pk}/zip/"):
        assert client_a.get(url).status_code == 404
    upload = client_a.post(f"/datacenter/documents/{theirs.pk}/upload/", {
        "edoc_code": "00000001", "file": SimpleUploadedFile("x.pdf", samples.pdf())})
    assert upload.status_code == 404
    assert client_a.post(f"/datacenter/documents/{theirs.pk}/{doc.pk}/delete/").status_code == 404
    assert theirs.documents.exclude(file="").count() == 1


def test_operator_cannot_delete_documents_of_a_declared_declaration(operator_client_a, actor_a):
    decl = make_import_declaration(actor_a.enterprise, actor_a.user, status="released")
    doc = add(actor_a, decl)
    page = operator_client_a.get(f"/datacenter/documents/{decl.pk}/").content.decode()
    assert "删除</button>" not in page
    response = operator_client_a.post(f"/datacenter/documents/{decl.pk}/{doc.pk}/delete/")
    assert response.status_code == 403 and DeclarationDocument.objects.filter(pk=doc.pk).exists()


def test_list_page_does_not_query_per_row(client_a, actor_a, monkeypatch):
    monkeypatch.setattr("guanwu.params.index.CHECK_EVERY", 3600.0)  # no freshness checks mid-test
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client_a.get("/datacenter/documents/").status_code == 200
        return len(ctx.captured_queries)

    add(actor_a, make_import_declaration(actor_a.enterprise, actor_a.user))
    count()  # warm the code-table caches
    before = count()
    for _ in range(5):
        add(actor_a, make_export_declaration(actor_a.enterprise, actor_a.user))
    assert count() == before


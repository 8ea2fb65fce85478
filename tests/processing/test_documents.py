"""随附单据 tab of 企业资质申请 and 账册 (seed 001 一 4: 表头/料件/成品/随附单据): upload through the
shared checks of ``core/uploads.py``, download, delete, each logged; another enterprise's ids 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from guanwu.audit.models import OperationLog
from guanwu.core.errors import NotFound, ServiceError
from guanwu.processing import services
from guanwu.processing.models import BookDocument, QualificationDocument

from . import garment_book as gb

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
QUAL_HEAD = {"finish_valid_date": "2026-12-31", "prcs_prdc_ablt_amt": "100", "master_cuscd": "9001",
             "qua_typecd": "1"}


def pdf(name: str = "批准证.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_upload_download_delete_of_an_application_document(actor_a, actor_b):
    app = services.create_application(actor_a, QUAL_HEAD)
    doc = services.add_document(actor_a, "application", app.pk, {"acmp_form_typecd": "1", "acmp_form_no": "PZ1"},
                                pdf())
    assert doc.acmp_form_file_nm == "批准证.pdf" and doc.file.name.startswith(f"processing/{actor_a.enterprise.pk}/")
    opened = services.open_document(actor_a, "application", app.pk, doc.pk)
    assert opened.handle.read() == PDF and opened.content_type == "application/pdf"
    opened.handle.close()
    with pytest.raises(NotFound):
        services.open_document(actor_b, "application", app.pk, doc.pk)
    assert OperationLog.objects.filter(action="上传随附单据").count() == 1
    assert services.delete_documents(actor_a, "application", app.pk, [doc.pk]) == 1
    assert not QualificationDocument.objects.exists()
    assert OperationLog.objects.filter(action="删除随附单据").count() == 1


def test_upload_refused_by_the_shared_checks_changes_nothing(actor_a):
    book = gb.draft_book(actor_a)
    with pytest.raises(ServiceError) as exc:
        services.add_document(actor_a, "book", book.pk, {"acmp_form_no": "X"},
                              SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"))
    assert exc.value.errors[0].field == "file" and "不支持的文件类型" in exc.value.errors[0].message
    with pytest.raises(ServiceError) as exc:
        services.add_document(actor_a, "book", book.pk, {"acmp_form_no": "X"}, pdf("a.png"))
    assert "扩展名" in exc.value.errors[0].message
    with pytest.raises(ServiceError) as exc:
        services.add_document(actor_a, "book", book.pk, {})
    assert exc.value.errors[0].field == "acmp_form_no"
    assert not BookDocument.objects.exists()


def test_documents_tab_pages(client_a, admin_b, actor_a):
    book = gb.draft_book(actor_a)
    base = f"/processing/books/{book.pk}/documents/"
    r = client_a.post(base + "upload/", {"acmp_form_no": "HT-1", "rmk": "合同", "file": pdf("合同.pdf")})
    assert r.status_code == 302
    doc = BookDocument.objects.get()
    page = client_a.get(f"/processing/books/{book.pk}/").content.decode()
    assert "合同.pdf" in page and f"{base}{doc.pk}/download/" in page and 'data-action="upload"' in page
    r = client_a.get(f"{base}{doc.pk}/download/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert "attachment" in r["Content-Disposition"]
    client_b = Client()
    client_b.force_login(admin_b)
    assert client_b.get(f"{base}{doc.pk}/download/").status_code == 404
    assert client_b.post(base + "delete/", {"ids": [doc.pk]}).status_code == 404
    r = client_a.post(base + "upload/", {"acmp_form_no": "X", "file": SimpleUploadedFile("x.pdf", b"garbage")},
                      follow=True)
    assert "不支持的文件类型" in r.content.decode() and BookDocument.objects.count() == 1
    assert client_a.post(base + "delete/", {"ids": [doc.pk]}).status_code == 302
    assert not BookDocument.objects.exists()

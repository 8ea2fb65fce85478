"""许可证管理 and 证书管理 pages: list with filters and export, the forms, detail with usage,
the dashboard panel of expiring licences and certificates."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from guanwu.datacenter.bizdocs.pdf import simple_pdf
from guanwu.datacenter.licences import services
from guanwu.datacenter.licences.models import Certificate, Licence
from tests.datacenter.licences.helpers import make_certificate, make_licence, released, today

pytestmark = pytest.mark.django_db


def form_data(**changes):
    t = today()
    data = {
        "licence_no": "24-AA-300817", "docu_code": "7", "licence_type": "", "holder_name": "甲企业",
        "holder_code": "6101930001", "issuer": "商务部配额许可证事务局", "valid_from": t.isoformat(),
        "valid_to": (t + dt.timedelta(days=200)).isoformat(), "note": "",
        "line_id": ["", "", ""], "line_code_ts": ["0202300090", "0202200090", ""],
        "line_g_name": ["冻去骨牛肉", "", ""], "line_qty": ["60000", "20000", ""], "line_unit": ["035", "", ""],
    }
    data.update(changes)
    return data


def test_list_filters_and_export(client_a, actor_a, actor_b):
    make_licence(actor_a, licence_no="LIC-ACTIVE")
    make_licence(actor_a, licence_no="LIC-SOON", valid_to=(today() + dt.timedelta(days=5)).isoformat())
    make_licence(actor_b, licence_no="LIC-OTHER")
    response = client_a.get("/datacenter/licences/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "LIC-ACTIVE" in body and "LIC-SOON" in body and "LIC-OTHER" not in body
    assert "data-expiring-panel" in body and "5 天后" in body
    body = client_a.get("/datacenter/licences/?status=expiring").content.decode()
    assert "LIC-SOON" in body and "LIC-ACTIVE" not in body.split("data-list-table")[1]
    body = client_a.get("/datacenter/licences/?code_ts=842641").content.decode()
    assert "LIC-ACTIVE" in body
    assert "LIC-ACTIVE" not in client_a.get("/datacenter/licences/?code_ts=0101").content.decode().split(
        "data-list-table")[1]
    export = client_a.get("/datacenter/licences/?export=all")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("许可证编号", "监管证件", "许可证类别")
    assert {r[0] for r in rows[1:]} == {"LIC-ACTIVE", "LIC-SOON"}
    assert any("8426200000 5/5台" in (r[8] or "") for r in rows[1:])


def test_create_licence_through_the_form(client_a, actor_a):
    response = client_a.get("/datacenter/licences/new/")
    assert response.status_code == 200 and "许可证新增" in response.content.decode()
    response = client_a.post("/datacenter/licences/new/", form_data())
    licence = Licence.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/datacenter/licences/{licence.pk}/"
    assert [(ln.code_ts, ln.g_name, ln.qty, ln.unit) for ln in licence.lines.all()] == [
        ("0202300090", "冻去骨牛肉", Decimal("60000"), "035"),
        ("0202200090", "其他冻藏的带骨牛肉", Decimal("20000"), "035"),
    ]


def test_form_errors_stay_on_their_fields_and_rows(client_a):
    response = client_a.post("/datacenter/licences/new/", form_data(
        licence_no="", line_code_ts=["0202300090", "1234", ""], line_qty=["60000", "", ""]))
    body = response.content.decode()
    assert response.status_code == 422
    assert "许可证编号不能为空" in body and "商品第2行 商品编号应为8位或10位数字" in body
    assert "商品第2行 许可数量不能为空" in body
    assert 'value="0202300090"' in body  # what was typed is kept
    assert not Licence.objects.exists()


def test_edit_and_detail_show_balance_and_usage(client_a, actor_a):
    licence = make_licence(actor_a)
    declaration = released(actor_a)
    services.consume_declaration(declaration)
    body = client_a.get(f"/datacenter/licences/{licence.pk}/").content.decode()
    assert "224820241000012345" in body and "报关单放行核销" in body
    assert 'data-remaining>3</td>' in body
    edit = client_a.get(f"/datacenter/licences/{licence.pk}/edit/").content.decode()
    assert "许可证修改" in edit and "readonly" in edit  # the used line's HS code is locked
    lines = list(licence.lines.all())
    response = client_a.post(f"/datacenter/licences/{licence.pk}/edit/", form_data(
        licence_no=licence.licence_no, docu_code="O", line_id=[str(lines[0].pk), str(lines[1].pk)],
        line_code_ts=["8426200000", "84264110"], line_g_name=["塔式起重机", "轮胎式起重机"],
        line_qty=["8", "3"], line_unit=["001", "001"]))
    assert response.status_code == 302
    assert licence.lines.get(code_ts="8426200000").remaining == Decimal("6")
    delete = client_a.post(f"/datacenter/licences/{licence.pk}/delete/")
    assert delete.status_code == 302 and Licence.objects.filter(pk=licence.pk).exists()  # used: refused


def test_bulk_delete_unused_licences(client_a, actor_a):
    a = make_licence(actor_a, licence_no="A1")
    b = make_licence(actor_a, licence_no="B1")
    response = client_a.post("/datacenter/licences/", {"action": "delete", "ids": [a.pk, b.pk]})
    assert response.status_code == 302 and not Licence.objects.exists()


def test_dashboard_panel_lists_what_expires_within_30_days(client_a, actor_a):
    make_licence(actor_a, licence_no="SOON", valid_to=(today() + dt.timedelta(days=3)).isoformat())
    make_licence(actor_a, licence_no="LATER")
    make_certificate(actor_a, valid_to=(today() + dt.timedelta(days=29)).isoformat())
    make_certificate(actor_a, cert_no="OLD", valid_to=(today() - dt.timedelta(days=1)).isoformat(),
                     issue_date=(today() - dt.timedelta(days=100)).isoformat())
    body = client_a.get("/").content.decode()
    panel = body.split('data-widget="licences-expiring"')[1].split("</div></div>")[0]
    assert "即将到期的许可证/证书" in body
    assert ">2<" in panel and "许可证 1 · 证书 1" in panel and "许可证 SOON 3 天后到期" in panel
    assert "text-danger" in panel


def test_certificate_crud_with_attachment(client_a, actor_a):
    pdf = simple_pdf(["CERTIFICATE OF ORIGIN"])
    data = {"cert_type": "origin", "cert_no": "C2461", "issuer": "贸促会", "issue_date": "2024-10-01",
            "valid_to": (today() + dt.timedelta(days=90)).isoformat(), "note": "",
            "goods_code_ts": ["6109100010", ""], "goods_g_name": ["", ""],
            "attachment": SimpleUploadedFile("../../原产地证 C2461.pdf", pdf, content_type="application/pdf")}
    response = client_a.post("/datacenter/certificates/new/", data)
    cert = Certificate.objects.get()
    assert response.status_code == 302
    assert cert.attachment_name == "原产地证 C2461.pdf" and cert.attachment_size == len(pdf)
    stored = cert.attachment.name
    assert stored.startswith(f"certificates/{actor_a.enterprise.pk}/") and "C2461" not in stored
    assert [(g.code_ts, g.g_name) for g in cert.goods.all()] == [("6109100010", "棉制针织或钩编T恤衫、汗衫等")]
    download = client_a.get(f"/datacenter/certificates/{cert.pk}/attachment/")
    assert b"".join(download.streaming_content) == pdf and download["Content-Type"] == "application/pdf"
    body = client_a.get(f"/datacenter/certificates/{cert.pk}/").content.decode()
    assert "原产地证书" in body and "新增" in body
    response = client_a.post(f"/datacenter/certificates/{cert.pk}/edit/", {**data, "attachment": SimpleUploadedFile(
        "scan.pdf", b"MZ\x90\x00 not a pdf")})
    assert response.status_code == 422 and "不支持的文件类型: Windows 可执行程序" in response.content.decode()
    response = client_a.post(f"/datacenter/certificates/{cert.pk}/edit/", {
        **{k: v for k, v in data.items() if k != "attachment"}, "issuer": "中国贸促会", "remove_attachment": "1"})
    cert.refresh_from_db()
    assert response.status_code == 302 and cert.issuer == "中国贸促会" and not cert.attachment
    listing = client_a.get("/datacenter/certificates/?cert_type=origin").content.decode()
    assert "C2461" in listing
    client_a.post(f"/datacenter/certificates/{cert.pk}/delete/")
    assert not Certificate.objects.exists()


def test_certificate_form_errors(client_a):
    response = client_a.post("/datacenter/certificates/new/", {
        "cert_type": "", "cert_no": "", "issue_date": "2024-10-01", "valid_to": "2024-09-01",
        "goods_code_ts": ["123"], "goods_g_name": [""]})
    body = response.content.decode()
    assert response.status_code == 422
    for text in ("证书类型不能为空", "证书编号不能为空", "有效期至不能早于签发日期", "8位或10位"):
        assert text in body


def test_other_enterprises_pages_answer_404(client_a, actor_b):
    licence = make_licence(actor_b)
    cert = make_certificate(actor_b)
    for url in (f"/datacenter/licences/{licence.pk}/", f"/datacenter/licences/{licence.pk}/edit/",
                f"/datacenter/certificates/{cert.pk}/", f"/datacenter/certificates/{cert.pk}/attachment/"):
        assert client_a.get(url).status_code == 404
    assert client_a.post(f"/datacenter/licences/{licence.pk}/delete/").status_code == 404
    assert client_a.post(f"/datacenter/certificates/{cert.pk}/delete/").status_code == 404
    assert Licence.objects.filter(pk=licence.pk).exists() and Certificate.objects.filter(pk=cert.pk).exists()


def test_list_pages_do_not_query_per_row(client_a, actor_a, monkeypatch):
    monkeypatch.setattr("guanwu.params.index.CHECK_EVERY", 3600.0)  # no freshness checks mid-test
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client_a.get(url).status_code == 200
        return len(ctx.captured_queries)

    make_licence(actor_a, licence_no="L0")
    make_certificate(actor_a, cert_no="C0")
    count("/datacenter/licences/"), count("/datacenter/certificates/")  # warm the code-table caches
    before = (count("/datacenter/licences/"), count("/datacenter/certificates/"))
    for n in range(1, 6):
        make_licence(actor_a, licence_no=f"L{n}")
        make_certificate(actor_a, cert_no=f"C{n}")
    assert (count("/datacenter/licences/"), count("/datacenter/certificates/")) == before


def test_certificate_upload_over_the_limit_is_refused_before_reading(client_a, settings):
    settings.GUANWU_DOCUMENT_MAX_BYTES = 1000
    response = client_a.post("/datacenter/certificates/new/", {
        "cert_type": "origin", "cert_no": "BIG",
        "attachment": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 400_000)})
    assert response.status_code == 422 and "超过上限" in response.content.decode()

"""The printed 报关单 as a PDF: the print page's content on A4, page by page."""

from __future__ import annotations

from decimal import Decimal

from guanwu.declarations.models import DeclarationItem
from guanwu.declarations.printing import PAGE_ITEMS, declaration_pdf
from tests.declarations.factories import make_export_declaration, make_import_declaration
from tests.pdftext import pdf_pages


def test_the_pdf_says_what_the_print_page_says(actor_a):
    declaration = make_import_declaration(actor_a.enterprise, actor_a.user, entry_id="224820241000000001")
    pages = pdf_pages(declaration_pdf(declaration))
    assert len(pages) == 1
    text = pages[0]
    for expected in ("中华人民共和国海关进口货物报关单", "224820241000000001", "页码/页数: 1/1", "境内收货人",
                     "笔记本电脑", "8471309000", "美国(USA)", "中国(CHN)", "货物存放地点", "洋山深水港四期码头",
                     "启运港", "一般贸易(0110)", "境内目的地", "MSCU1234565"):
        assert expected in text, expected


def test_an_export_pdf_labels_the_export_fields(actor_a):
    """出口: 境内发货人, 出境关别, 境内货源地; no 启运港 or 货物存放地点 (import-only fields)."""
    text = pdf_pages(declaration_pdf(make_export_declaration(actor_a.enterprise, actor_a.user)))[0]
    assert "中华人民共和国海关出口货物报关单" in text
    assert "境内发货人" in text and "境内货源地" in text
    assert "启运港" not in text and "货物存放地点" not in text


def test_many_items_go_on_numbered_pages(actor_a):
    declaration = make_import_declaration(actor_a.enterprise, actor_a.user)
    template = declaration.items.get(g_no=2)
    for g_no in range(3, 21):
        template.pk, template.g_no, template.g_name = None, g_no, f"第{g_no}项商品"
        template.decl_total = Decimal("1")
        template.save()
    assert DeclarationItem.objects.filter(declaration=declaration).count() == 20
    pages = pdf_pages(declaration_pdf(declaration))
    assert len(pages) == 3 == -(-20 // PAGE_ITEMS)
    assert "页码/页数: 1/3" in pages[0] and "页码/页数: 3/3" in pages[2]
    assert "第20项商品" in pages[2] and "第20项商品" not in pages[0]


def test_the_pdf_download_is_the_enterprise_own(client_a, actor_a, actor_b):
    mine = make_import_declaration(actor_a.enterprise, actor_a.user, entry_id="224820241000000001")
    theirs = make_import_declaration(actor_b.enterprise, actor_b.user)
    response = client_a.get(f"/declarations/{mine.pk}/print.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "224820241000000001" in pdf_pages(response.content)[0]
    assert client_a.get(f"/declarations/{theirs.pk}/print.pdf").status_code == 404

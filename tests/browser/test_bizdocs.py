"""业务单据管理 as a broker walks it: open a declaration's documents with 上传, pick the type,
attach the invoice PDF, upload it, download it again, and export the declaration's documents."""

from __future__ import annotations

import zipfile
from pathlib import Path

from playwright.sync_api import expect

from guanwu.datacenter.bizdocs.pdf import simple_pdf
from tests.browser.conftest import login
from tests.declarations.factories import make_import_declaration


def test_upload_a_document_to_a_declaration_and_download_it(page, ent_a, admin_a, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}
    declaration = make_import_declaration(ent_a, admin_a, entry_id="224820241000012345")
    invoice = simple_pdf(["Invoice No. INV-2024-1103", "Dell Latitude 5440 x 200"], title="COMMERCIAL INVOICE")

    login(page, "a_admin")
    page.goto("/datacenter/documents/")
    row = page.locator(f'tr[data-pk="{declaration.pk}"]')
    expect(row).to_contain_text("224820241000012345")
    expect(row.locator("td").nth(9)).to_have_text("0")  # 单据数 (after the check box)
    row.get_by_role("link", name="上传").click()

    expect(page.locator("[data-documents]")).to_contain_text("尚未上传单据")
    page.locator("#id_edoc_code-ts-control").click()
    page.keyboard.type("发票")
    page.locator("#id_edoc_code-ts-dropdown .option[data-value='00000001']").click()
    page.locator("#id_file").set_input_files(
        files=[{"name": "发票 INV-2024-1103.pdf", "mimeType": "application/pdf", "buffer": invoice}])
    page.get_by_label("对应商品项").fill("1,2")
    page.get_by_role("button", name="上传").click()

    expect(page.locator(".alert-success")).to_contain_text("已上传发票: 发票 INV-2024-1103.pdf")
    docs = page.locator("[data-documents] tbody tr[data-document-id]")
    expect(docs).to_have_count(1)
    expect(docs.first).to_contain_text("00000001 发票")
    expect(docs.first).to_contain_text("2248" + "00000001" + "IM")
    expect(page.locator("[data-operation-log]")).to_contain_text("上传单据")

    with page.expect_download() as download_info:
        docs.first.get_by_role("link", name="下载").click()
    download = download_info.value
    assert download.suggested_filename == "发票 INV-2024-1103.pdf"
    assert Path(download.path()).read_bytes() == invoice

    # -- back in the list: 1 document; 导出 zips the checked declaration's documents ----------------
    page.get_by_role("link", name="返回列表").click()
    row = page.locator(f'tr[data-pk="{declaration.pk}"]')
    expect(row.locator("td").nth(9)).to_have_text("1")
    row.locator('input[name="ids"]').check()
    with page.expect_download() as zip_info:
        page.locator("[data-bulk-form]").get_by_role("button", name="导出").click()
    archive = zipfile.ZipFile(zip_info.value.path())
    assert archive.namelist() == [
        "224820241000012345_进口_MEDUXY123456/报关单.pdf",  # the declaration itself
        "224820241000012345_进口_MEDUXY123456/发票_发票 INV-2024-1103.pdf",
    ]
    assert archive.read(archive.namelist()[1]) == invoice

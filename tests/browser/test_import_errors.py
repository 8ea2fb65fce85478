"""File-level import errors show in the page (issue 11, point 15): the server refuses a .txt, a
file that is not a workbook, and a workbook whose headers are not the template's with a 400 and
a Chinese message; every import page shows it (htmx dropped 4xx answers and showed nothing)."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.conftest import login

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00"


def wrong_headers(page, key: str) -> bytes:
    """The page's own template with the headers of its first sheet replaced."""
    response = page.request.get(f"/imports/{key}/template.xlsx")
    assert response.ok
    book = load_workbook(io.BytesIO(response.body()))
    sheet = book.worksheets[0]
    for cell in sheet[1]:
        cell.value = f"列{cell.column}" if cell.value else None
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(page, name: str, mime: str, data: bytes) -> None:
    page.set_input_files("#import-file", files=[{"name": name, "mimeType": mime, "buffer": data}])
    page.click("#import-submit")


@pytest.mark.parametrize("key", ["commodities", "bonded-items", "declarations"])
def test_file_errors_show_in_every_import_page(page, admin_a, ent_a, key):
    login(page, "a_admin")
    page.goto(f"/imports/{key}/")
    error = page.locator("#import-panel #import-error")

    upload(page, "商品.txt", "text/plain", "这不是表格\n".encode())
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    first = error.inner_text()

    upload(page, "商品.xlsx", XLSX, PNG)  # a picture named .xlsx
    expect(error).to_contain_text("不是 Excel")

    upload(page, "商品.xlsx", XLSX, wrong_headers(page, key))
    expect(error).to_contain_text(re.compile("缺少必填列|表头应为"))
    expect(page.locator("#import-form")).to_be_visible()  # the form is still there to try again
    assert first

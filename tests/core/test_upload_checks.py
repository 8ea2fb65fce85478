"""Uploaded files: type by content, extension must agree, size, names cleaned."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guanwu.core import uploads
from guanwu.core.errors import ServiceError
from tests.datacenter.bizdocs import samples


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("invoice.pdf", samples.pdf(), "pdf"),
    ("scan.JPG", samples.JPG, "jpg"),
    ("scan.jpeg", samples.JPG, "jpg"),
    ("bl.png", samples.PNG, "png"),
    ("contract.docx", samples.docx(), "docx"),
    ("packing.xlsx", samples.xlsx(), "xlsx"),
    ("einvoice.ofd", samples.ofd(), "ofd"),
])
def test_allowed_types_are_recognised_by_content(name, data, kind):
    checked = uploads.check_upload(upload(name, data))
    assert checked.kind.key == kind and checked.size == len(data) and checked.display_name == name


@pytest.mark.parametrize(("name", "data", "message"), [
    ("invoice.pdf", samples.EXE, "不支持的文件类型: Windows 可执行程序"),
    ("invoice.pdf", samples.PNG, "文件扩展名 .pdf 与文件内容(PNG 图片)不符"),
    ("photo.png", samples.pdf(), "文件扩展名 .png 与文件内容(PDF 文档)不符"),
    ("contract.docm", samples.docx(macro=True), "含宏的 Word 文档"),
    ("uploads.zip", samples.plain_zip(), "不支持的文件类型: ZIP 压缩包"),
    ("note.txt", b"just some text", "无法识别的文件类型"),
    ("empty.pdf", b"", "文件为空"),
])
def test_refused_files_say_what_they_are(name, data, message):
    with pytest.raises(ServiceError) as caught:
        uploads.check_upload(upload(name, data))
    assert message in caught.value.message
    assert caught.value.errors[0].field == "file"


def test_size_limit_from_the_setting(settings):
    settings.GUANWU_DOCUMENT_MAX_BYTES = 1024
    with pytest.raises(ServiceError, match="超过上限 1 KB"):
        uploads.check_upload(upload("big.pdf", samples.pdf() + b"0" * 2000))
    assert uploads.request_too_large(str(10 * 1024 * 1024)) is not None
    assert uploads.request_too_large("2048") is None  # the multipart envelope is allowed for
    assert uploads.max_document_bytes() == 1024


def test_names_are_cleaned_for_display_and_get_an_extension():
    assert uploads.safe_display_name("C:\\Users\\王\\发票 2024.pdf") == "发票 2024.pdf"
    assert uploads.safe_display_name("../../etc/passwd") == "passwd"
    assert uploads.safe_display_name('a<b>:"c"|?*\x00\x1f.pdf') == "a_b___c____.pdf"
    long = uploads.safe_display_name("很长的文件名" * 30 + ".pdf")
    assert len(long) == 64 and long.endswith(".pdf")
    assert uploads.check_upload(upload("   ", samples.pdf())).display_name == "文件.pdf"

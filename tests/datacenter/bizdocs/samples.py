"""Small files of every kind the document checks tell apart."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

from guanwu.datacenter.bizdocs.pdf import simple_pdf


def pdf(text: str = "COMMERCIAL INVOICE") -> bytes:
    return simple_pdf([text], title="INVOICE")


JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx(macro: bool = False) -> bytes:
    members = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    if macro:
        members["word/vbaProject.bin"] = b"\x00"
    return _zip(members)


def xlsx() -> bytes:
    wb = Workbook()
    wb.active.append(["装箱单", "件数"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def ofd() -> bytes:
    return _zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<ofd:Document/>"})


def plain_zip() -> bytes:
    return _zip({"a.txt": b"hello"})

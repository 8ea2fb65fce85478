"""Reading uploaded spreadsheets: the file type comes from its bytes, never from its name."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from python_calamine import CalamineWorkbook

UNREADABLE = "文件无法读取,请使用下载的模板(.xlsx)"


class FileError(Exception):
    """The file cannot be imported at all; the message is Chinese and shown to the user."""


@dataclass
class Sheet:
    headers: list[str]
    rows: list[list[Any]]  # data rows, without the header row

    @property
    def total(self) -> int:
        return len(self.rows)


def sniff(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "zip"  # xlsx / ods
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"  # xls
    if b"\x00" in head:
        raise FileError(UNREADABLE)
    return "csv"


def clean_header(value: Any) -> str:
    text = "" if value is None else str(value).strip()
    return text.lstrip("*＊").strip()


def _csv_rows(data: bytes) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = codecs.decode(data, encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileError("CSV 文件编码无法识别,请保存为 UTF-8 或使用 .xlsx 模板")
    return list(csv.reader(io.StringIO(text)))


def _strip_empty(rows: Iterator[list[Any]] | list[list[Any]]) -> list[list[Any]]:
    out = [list(r) for r in rows]
    while out and all(v in (None, "") for v in out[-1]):
        out.pop()
    return out


def read(fh: IO[bytes], *, sheet_name: str | None = None, header_only: bool = False) -> Sheet:
    data = fh.read()
    if not data:
        raise FileError("文件为空")
    kind = sniff(data[:8])
    if kind == "csv":
        rows = _csv_rows(data)
    else:
        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            names = workbook.sheet_names
            sheet = workbook.get_sheet_by_name(sheet_name) if sheet_name in names else workbook.get_sheet_by_index(0)
            rows = sheet.to_python(skip_empty_area=False, nrows=1 if header_only else None)
        except Exception:  # calamine raises many kinds of errors on corrupt files
            raise FileError(UNREADABLE) from None
    rows = _strip_empty(rows)
    if not rows:
        raise FileError("文件中没有表头和数据")
    headers = [clean_header(v) for v in rows[0]]
    while headers and headers[-1] == "":
        headers.pop()
    return Sheet(headers=headers, rows=rows[1:])

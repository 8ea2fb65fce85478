"""Reading uploaded spreadsheets: the file type comes from its bytes, never from its name."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from python_calamine import CalamineWorkbook

UNREADABLE = "文件无法读取,请使用下载的模板(.xlsx)"
NOT_A_SHEET = "文件不是 Excel 或 CSV 表格,请使用下载的模板(.xlsx)"
# control characters no text file (CSV) holds: a file with them in its first 4 KB is binary
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x19\x1c-\x1f]")


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


def _data(fh: IO[bytes]) -> tuple[bytes, str]:
    data = fh.read()
    if not data:
        raise FileError("文件为空")
    kind = sniff(data[:8])
    if kind == "csv" and _BINARY.search(data[:4096]):
        raise FileError(NOT_A_SHEET)  # a picture, a PDF, an executable...: not text, so not CSV either
    return data, kind


def _workbook(data: bytes) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # calamine raises many kinds of errors on corrupt files
        raise FileError(UNREADABLE) from None


def _sheet(rows: list[list[Any]], empty_message: str = "文件中没有表头和数据") -> Sheet:
    rows = _strip_empty(rows)
    if not rows:
        raise FileError(empty_message)
    headers = [clean_header(v) for v in rows[0]]
    while headers and headers[-1] == "":
        headers.pop()
    return Sheet(headers=headers, rows=rows[1:])


def read(fh: IO[bytes], *, sheet_name: str | None = None, header_only: bool = False) -> Sheet:
    data, kind = _data(fh)
    if kind == "csv":
        rows = _csv_rows(data)
    else:
        workbook = _workbook(data)
        try:
            names = workbook.sheet_names
            sheet = workbook.get_sheet_by_name(sheet_name) if sheet_name in names else workbook.get_sheet_by_index(0)
            rows = sheet.to_python(skip_empty_area=False, nrows=1 if header_only else None)
        except Exception:
            raise FileError(UNREADABLE) from None
    return _sheet(rows)


def read_book(fh: IO[bytes], sheet_names: list[str], *, header_only: bool = False) -> dict[str, Sheet]:
    """The named sheets of a workbook (a template with several sheets); each must be present."""
    data, kind = _data(fh)
    wanted = "、".join(f"「{n}」" for n in sheet_names)
    if kind == "csv":
        raise FileError(f"CSV 文件只有一个工作表, 本导入需要工作表{wanted}。请使用下载的模板(.xlsx)")
    workbook = _workbook(data)
    try:
        present = {str(n).strip(): n for n in workbook.sheet_names}
    except Exception:
        raise FileError(UNREADABLE) from None
    missing = [n for n in sheet_names if n not in present]
    if missing:
        raise FileError(
            "文件中缺少工作表" + "、".join(f"「{n}」" for n in missing)
            + f"。本导入需要工作表{wanted}, 请使用下载的模板, 不要修改工作表名称"
        )
    out = {}
    for name in sheet_names:
        try:
            rows = workbook.get_sheet_by_name(present[name]).to_python(
                skip_empty_area=False, nrows=1 if header_only else None
            )
        except Exception:
            raise FileError(UNREADABLE) from None
        out[name] = _sheet(rows, f"工作表「{name}」中没有表头, 请使用下载的模板")
    return out

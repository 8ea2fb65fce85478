"""A one-sheet Excel workbook in memory (exports of this module: a page of the library, an upload)."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

import xlsxwriter


def workbook(sheet_name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(sheet_name[:31])
    bold = book.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for col, header in enumerate(headers):
        sheet.set_column(col, col, max(10, min(40, len(header) * 2 + 4)))
        sheet.write_string(0, col, header, bold)
    sheet.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, dt.datetime):
                sheet.write_string(r, col, value.strftime("%Y-%m-%d %H:%M:%S"))
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, col, dt.datetime(value.year, value.month, value.day), date_format)
            elif isinstance(value, bool):
                sheet.write_string(r, col, "是" if value else "否")
            elif isinstance(value, int | float):
                sheet.write_number(r, col, value)
            elif value not in (None, ""):
                sheet.write_string(r, col, str(value))
    book.close()
    return out.getvalue()

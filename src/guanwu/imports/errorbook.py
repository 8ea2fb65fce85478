"""The error workbook: each rejected row as it was uploaded, plus 错误信息."""

from __future__ import annotations

import tempfile

import xlsxwriter

from .pipeline import Validation


def build_error_workbook(headers: list[str], validation: Validation) -> bytes:
    messages: dict[int, list[str]] = {}
    for err in validation.errors:
        messages.setdefault(err.row, []).append(f"{err.column}: {err.message}")
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        wb = xlsxwriter.Workbook(tmp.name, {"constant_memory": True, "strings_to_numbers": False})
        ws = wb.add_worksheet("错误行")
        bold = wb.add_format({"bold": True, "bg_color": "#E8EEF7"})
        red = wb.add_format({"font_color": "#C00000", "bg_color": "#FDE2E1"})
        ws.write_row(0, 0, ["原行号", *headers, "错误信息"], bold)
        ws.set_column(len(headers) + 1, len(headers) + 1, 60)
        for r, row_no in enumerate(sorted(validation.bad_rows), start=1):
            original = validation.bad_rows[row_no]
            ws.write_number(r, 0, row_no)
            for c, value in enumerate(original[: len(headers)], start=1):
                if value is None:
                    continue
                if isinstance(value, bool | int | float):
                    ws.write_number(r, c, float(value))
                else:
                    ws.write_string(r, c, str(value))
            ws.write_string(r, len(headers) + 1, "; ".join(messages.get(row_no, [])), red)
        wb.close()
        with open(tmp.name, "rb") as fh:
            return fh.read()

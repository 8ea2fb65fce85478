"""The error workbook: each rejected row as it was uploaded, plus 错误信息."""

from __future__ import annotations

import tempfile
from typing import Any

import xlsxwriter

from .pipeline import BookValidation, RowError, Validation


def _write_sheet(wb, ws, headers: list[str], bad_rows: dict[int, list[Any]], errors: list[RowError],
                 hints: dict[int, str] | None = None, hint_header: str = "") -> None:
    messages: dict[int, list[str]] = {}
    for err in errors:
        messages.setdefault(err.row, []).append(f"{err.column}: {err.message}" if err.column else err.message)
    bold = wb.add_format({"bold": True, "bg_color": "#E8EEF7"})
    red = wb.add_format({"font_color": "#C00000", "bg_color": "#FDE2E1"})
    extra = [hint_header] if hints else []
    ws.write_row(0, 0, ["原行号", *headers, "错误信息", *extra], bold)
    ws.set_column(len(headers) + 1, len(headers) + 1 + len(extra), 60)
    for r, row_no in enumerate(sorted(bad_rows), start=1):
        original = bad_rows[row_no]
        ws.write_number(r, 0, row_no)
        for c, value in enumerate(original[: len(headers)], start=1):
            if value is None:
                continue
            if isinstance(value, bool | int | float):
                ws.write_number(r, c, float(value))
            else:
                ws.write_string(r, c, str(value))
        if row_no in messages:
            ws.write_string(r, len(headers) + 1, "; ".join(messages[row_no]), red)
        if hints and row_no in hints:
            ws.write_string(r, len(headers) + 2, hints[row_no])


def _build(write) -> bytes:
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        wb = xlsxwriter.Workbook(tmp.name, {"constant_memory": True, "strings_to_numbers": False})
        write(wb)
        wb.close()
        with open(tmp.name, "rb") as fh:
            return fh.read()


def build_error_workbook(headers: list[str], validation: Validation) -> bytes:
    return _build(lambda wb: _write_sheet(
        wb, wb.add_worksheet("错误行"), headers, validation.bad_rows, validation.errors,
        validation.hints, validation.hint_header,
    ))


def build_book_error_workbook(validation: BookValidation) -> bytes:
    """One sheet per uploaded sheet, named as in the template, with every row of each rejected
    record (so the file can be corrected and imported again) and its 错误信息."""

    def write(wb) -> None:
        for part in validation.parts:
            name = part.sheet_name
            errors = [e for e in validation.errors if e.sheet == name]
            bad_rows = validation.bad_rows.get(name, {})
            _write_sheet(wb, wb.add_worksheet(name), validation.headers[name], bad_rows, errors)

    return _build(write)

"""Validating and saving the rows of an import: the same path for every module."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .convert import compile_column
from .reader import FileError, Sheet
from .spec import ImportSpec

MAX_ERRORS_KEPT = 100_000


@dataclass
class RowError:
    row: int  # row number as Excel shows it (header is row 1)
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Validation:
    valid_rows: list[dict] = field(default_factory=list)
    valid_row_numbers: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    bad_rows: dict[int, list[Any]] = field(default_factory=dict)  # row number -> original values
    total: int = 0

    @property
    def bad_count(self) -> int:
        return len(self.bad_rows)


def check_headers(spec: ImportSpec, headers: list[str]) -> list[tuple[int, Any]]:
    """The plan: (column index in the file, Column) for each spec column; FileError when wrong."""
    expected = [c.header for c in spec.columns]
    if spec.strict_headers:
        for i, want in enumerate(expected):
            got = headers[i] if i < len(headers) else ""
            if got != want:
                raise FileError(
                    f"第{i + 1}列表头应为「{want}」,实际为「{got or '空'}」。请使用下载的模板,不要增删或调整列"
                )
        if len(headers) > len(expected):
            raise FileError(f"第{len(expected) + 1}列「{headers[len(expected)]}」不在模板中。请使用下载的模板")
        return list(enumerate(spec.columns))
    positions = {h: i for i, h in reversed(list(enumerate(headers)))}
    missing = [c.header for c in spec.columns if c.required and c.header not in positions]
    if missing:
        raise FileError("缺少必填列: " + "、".join(f"「{m}」" for m in missing) + "。请使用下载的模板")
    if not any(c.header in positions for c in spec.columns):
        raise FileError("表头与模板不符,请使用下载的模板")
    return [(positions[c.header], c) for c in spec.columns if c.header in positions]


def validate(spec: ImportSpec, actor, sheet: Sheet, progress=None) -> Validation:
    plan = [(idx, column, compile_column(column)) for idx, column in check_headers(spec, sheet.headers)]
    out = Validation(total=0)
    errors = out.errors
    clean_row = spec.clean_row
    for i, raw in enumerate(sheet.rows):
        if not any(v not in (None, "") for v in raw):
            continue
        out.total += 1
        row_no = i + 2
        values: dict[str, Any] = {}
        row_errors: list[tuple[str, str]] = []
        width = len(raw)
        for idx, column, conv in plan:
            cell = raw[idx] if idx < width else None
            value, error = conv(cell)
            if error:
                row_errors.append((column.header, error))
            elif column.required and (value is None or value == ""):
                row_errors.append((column.header, "必填项不能为空"))
            values[column.field] = value
        if clean_row is not None and not row_errors:
            row_errors.extend(clean_row(values))
        if row_errors:
            out.bad_rows[row_no] = list(raw)
            if len(errors) < MAX_ERRORS_KEPT:
                errors.extend(RowError(row_no, col, msg) for col, msg in row_errors)
        else:
            out.valid_rows.append(values)
            out.valid_row_numbers.append(row_no)
        if progress is not None and out.total % 2000 == 0:
            progress.update(done=len(out.valid_rows), failed=out.bad_count, stage="校验")
    if spec.clean_batch is not None and out.valid_rows:
        batch_errors = spec.clean_batch(actor, out.valid_rows)
        if batch_errors:
            keep_rows, keep_numbers = [], []
            for index, (values, row_no) in enumerate(zip(out.valid_rows, out.valid_row_numbers, strict=True)):
                problems = batch_errors.get(index)
                if problems:
                    out.bad_rows[row_no] = list(sheet.rows[row_no - 2])
                    errors.extend(RowError(row_no, col, msg) for col, msg in problems)
                else:
                    keep_rows.append(values)
                    keep_numbers.append(row_no)
            out.valid_rows, out.valid_row_numbers = keep_rows, keep_numbers
    errors.sort(key=lambda e: e.row)
    return out

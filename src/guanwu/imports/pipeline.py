"""Validating and saving the rows of an import: the same path for every module.

``validate`` checks the rows of a one-sheet file; ``validate_book`` a file of several sheets
(a main sheet and child sheets tied to it by a link column) and groups the rows into records.
Both results offer ``units()`` and ``reject()`` so that a per-record save (``save_each``) can
turn what the service refuses into row errors the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from guanwu.core.errors import ServiceError

from .convert import Converter, compile_column
from .reader import FileError, Sheet
from .spec import LINK_FIELD, WARNINGS_FIELD, Column, ImportSpec, SheetSpec

MAX_ERRORS_KEPT = 100_000


@dataclass
class RowError:
    row: int  # row number as Excel shows it (header is row 1)
    column: str
    message: str
    sheet: str = ""  # set for files of several sheets
    hint: str = ""  # what might fix it (spec.hints), e.g. suggested HS codes

    def as_dict(self) -> dict[str, Any]:
        out = {"row": self.row, "column": self.column, "message": self.message}
        if self.sheet:
            out = {"sheet": self.sheet, **out}
        if self.hint:
            out["hint"] = self.hint
        return out


@dataclass
class Unit:
    """One save unit: a row (one sheet) or a main row with its child rows (several sheets)."""

    row: int  # row number of the (main) row
    values: dict  # what ``save``/``save_each`` gets: the row's values, plus child lists
    key: str = ""  # the link key (several sheets)
    child_rows: dict[str, list[int]] = field(default_factory=dict)  # child key -> row numbers, record order
    index: int = 0  # position among the units, stable for the same file


@dataclass
class Validation:
    valid_rows: list[dict] = field(default_factory=list)
    valid_row_numbers: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    bad_rows: dict[int, list[Any]] = field(default_factory=dict)  # row number -> original values
    total: int = 0
    # of the valid rows: what ``clean_batch`` warned about (``WARNINGS_FIELD``); imported anyway
    warnings: list[RowError] = field(default_factory=list)
    source_rows: list[list[Any]] = field(default_factory=list, repr=False)
    hints: dict[int, str] = field(default_factory=dict)  # row number -> hint (spec.hints)
    hint_header: str = ""
    # the rows with errors as save units (what could be read of them): see ``add_errors``
    erroneous: list[Unit] = field(default_factory=list, repr=False)

    @property
    def bad_count(self) -> int:
        return len(self.bad_rows)

    def add_errors(self, errors: list[RowError]) -> None:
        """More errors of rows already in error (what the save would refuse too), each on a
        column that has none yet."""
        taken = {(e.row, e.column) for e in self.errors}
        self.errors.extend(e for e in errors if (e.row, e.column) not in taken)
        self.errors.sort(key=lambda e: e.row)

    def units(self) -> list[Unit]:
        return [
            Unit(row=row_no, values=values, index=i)
            for i, (values, row_no) in enumerate(zip(self.valid_rows, self.valid_row_numbers, strict=True))
        ]

    def reject(self, unit: Unit, errors: list[RowError]) -> None:
        """A row the save refused: it moves to the bad rows with its errors."""
        self.bad_rows[unit.row] = list(self.source_rows[unit.row - 2])
        self.errors.extend(errors)
        self.errors.sort(key=lambda e: e.row)


def check_headers(spec: ImportSpec, headers: list[str]) -> list[tuple[int, Any]]:
    """The plan: (column index in the file, Column) for each spec column; FileError when wrong."""
    return _check_columns(spec.columns, headers, spec.strict_headers)


def _check_columns(
    columns: Sequence[Column], headers: list[str], strict: bool, where: str = ""
) -> list[tuple[int, Column]]:
    expected = [c.header for c in columns]
    if strict:
        for i, want in enumerate(expected):
            got = headers[i] if i < len(headers) else ""
            if got != want:
                raise FileError(
                    f"{where}第{i + 1}列表头应为「{want}」,实际为「{got or '空'}」。请使用下载的模板,不要增删或调整列"
                )
        if len(headers) > len(expected):
            raise FileError(f"{where}第{len(expected) + 1}列「{headers[len(expected)]}」不在模板中。请使用下载的模板")
        return list(enumerate(columns))
    positions = {h: i for i, h in reversed(list(enumerate(headers)))}
    missing = [c.header for c in columns if c.required and c.header not in positions]
    if missing:
        raise FileError(f"{where}缺少必填列: " + "、".join(f"「{m}」" for m in missing) + "。请使用下载的模板")
    if not any(c.header in positions for c in columns):
        raise FileError(f"{where}表头与模板不符,请使用下载的模板")
    return [(positions[c.header], c) for c in columns if c.header in positions]


def check_book_headers(spec: ImportSpec, sheets: dict[str, Sheet]) -> dict[str, list[tuple[int, Column]]]:
    """The plan of every sheet of a multi-sheet file; FileError naming the sheet when wrong."""
    return {
        part.sheet_name: _check_columns(
            part.columns, sheets[part.sheet_name].headers, spec.strict_headers, f"工作表「{part.sheet_name}」"
        )
        for part in spec.sheets()
    }


def merge(errors: list[tuple[str, str]], more: list[tuple[str, str]]) -> None:
    """Add the errors of a later check, on the columns that have none yet: every check runs on
    every row, so a row reports all its problems at once (a bad unit and price next to a bad
    商品编号), and a cell that could not be read is not reported again as, say, empty."""
    if not more:
        return
    taken = {column for column, _ in errors}
    errors.extend(e for e in more if e[0] not in taken)


def validate(spec: ImportSpec, actor, sheet: Sheet, progress=None, constants: dict | None = None) -> Validation:
    """Every check on every row: the cells, the row (``clean_row``), then the rows together
    (``clean_batch``, which sees the rows with errors too, what could be read of them).
    ``constants``: the upload values (``spec.upload_fields``) every row gets."""
    # (cell index, converter, field, header, required) of each column, looked up once
    plan = [
        (idx, compile_column(column), column.field, column.header, column.required)
        for idx, column in check_headers(spec, sheet.headers)
    ]
    out = Validation(total=0, source_rows=sheet.rows)
    errors = out.errors
    clean_row = spec.clean_row
    hints = spec.hints
    hint_rows: dict[int, dict] = {}  # rejected rows with an error in the hinted column
    read: list[tuple[int, dict[str, Any], list[tuple[str, str]]]] = []  # (row number, values, errors)
    failed = 0
    for i, raw in enumerate(sheet.rows):
        if not any(v not in (None, "") for v in raw):
            continue
        out.total += 1
        row_no = i + 2
        values: dict[str, Any] = {}
        row_errors: list[tuple[str, str]] = []
        width = len(raw)
        for idx, conv, name, header, required in plan:
            value, error = conv(raw[idx] if idx < width else None)
            if error:
                row_errors.append((header, error))
            elif required and (value is None or value == ""):
                row_errors.append((header, "必填项不能为空"))
            values[name] = value
        if constants:
            values.update(constants)
        if clean_row is not None:
            merge(row_errors, clean_row(values))
        read.append((row_no, values, row_errors))
        failed += bool(row_errors)
        if progress is not None and out.total % 2000 == 0:
            progress.update(done=out.total - failed, failed=failed, stage="校验")
    if spec.clean_batch is not None and read:
        for index, problems in spec.clean_batch(actor, [values for _, values, _ in read]).items():
            merge(read[index][2], problems)
    for row_no, values, row_errors in read:
        row_warnings = values.pop(WARNINGS_FIELD, None)
        if row_errors:
            out.bad_rows[row_no] = list(sheet.rows[row_no - 2])
            out.erroneous.append(Unit(row=row_no, values=values))
            if hints is not None and len(hint_rows) < hints.max_rows and any(c == hints.column for c, _ in row_errors):
                hint_rows[row_no] = values
            if len(errors) < MAX_ERRORS_KEPT:
                errors.extend(RowError(row_no, col, msg) for col, msg in row_errors)
        else:
            out.valid_rows.append(values)
            out.valid_row_numbers.append(row_no)
            if row_warnings and len(out.warnings) < MAX_ERRORS_KEPT:
                out.warnings.extend(RowError(row_no, col, msg) for col, msg in row_warnings)
    errors.sort(key=lambda e: e.row)
    if hints is not None and hint_rows:
        out.hint_header = hints.header
        out.hints = {r: h for r, h in hints.compute(actor, hint_rows).items() if h}
        for err in errors:
            if err.column == hints.column and err.row in out.hints:
                err.hint = out.hints[err.row]
    return out


# --- several sheets ---------------------------------------------------------------------------


@dataclass
class BookValidation:
    """The result of a multi-sheet file: valid records as units, errors naming sheet and row."""

    parts: list[SheetSpec]  # the main sheet first
    headers: dict[str, list[str]]  # sheet name -> headers as uploaded
    source_rows: dict[str, list[list[Any]]] = field(default_factory=dict, repr=False)
    valid_units: list[Unit] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    bad_rows: dict[str, dict[int, list[Any]]] = field(default_factory=dict)  # sheet -> row -> values
    total: int = 0  # records (main rows)
    bad_units: int = 0
    unlinked: dict[str, int] = field(default_factory=dict)  # child sheet -> rows tied to no main row
    erroneous: list[Unit] = field(default_factory=list, repr=False)  # records with errors, as read

    @property
    def bad_count(self) -> int:
        return self.bad_units

    @property
    def valid_rows(self) -> list[dict]:
        return [u.values for u in self.valid_units]

    def units(self) -> list[Unit]:
        return list(self.valid_units)

    def _mark_bad(self, sheet: str, row_no: int) -> None:
        self.bad_rows.setdefault(sheet, {})[row_no] = list(self.source_rows[sheet][row_no - 2])

    def _add_bad_unit(self, unit: Unit, errors: list[RowError]) -> None:
        self.bad_units += 1
        self.erroneous.append(unit)
        self.errors.extend(errors)
        self._mark_bad(self.parts[0].sheet_name, unit.row)
        for part in self.parts[1:]:
            for row_no in unit.child_rows.get(part.key, []):
                self._mark_bad(part.sheet_name, row_no)

    def reject(self, unit: Unit, errors: list[RowError]) -> None:
        """A record the save refused: all its rows move to the bad rows."""
        self.valid_units = [u for u in self.valid_units if u is not unit]
        self._add_bad_unit(unit, errors)
        self.sort_errors()

    def sort_errors(self) -> None:
        order = {p.sheet_name: i for i, p in enumerate(self.parts)}
        self.errors.sort(key=lambda e: (order.get(e.sheet, 0), e.row))

    def add_errors(self, errors: list[RowError]) -> None:
        """More errors of records already in error, each on a cell that has none yet."""
        taken = {(e.sheet, e.row, e.column) for e in self.errors}
        self.errors.extend(e for e in errors if (e.sheet, e.row, e.column) not in taken)
        self.sort_errors()


@dataclass
class _Main:
    row: int
    key: str
    values: dict
    errors: list[tuple[str, str]]
    children: dict[str, list[tuple[int, dict]]]
    child_errors: list[RowError] = field(default_factory=list)


def _empty(raw: list[Any]) -> bool:
    return not any(v not in (None, "") for v in raw)


def _convert(plan: list[tuple[int, Column, Converter]], raw: list[Any]) -> tuple[dict, list[tuple[str, str]]]:
    values: dict[str, Any] = {}
    row_errors: list[tuple[str, str]] = []
    width = len(raw)
    for idx, column, conv in plan:
        value, error = conv(raw[idx] if idx < width else None)
        if error:
            row_errors.append((column.header, error))
        elif column.required and (value is None or value == ""):
            row_errors.append((column.header, "必填项不能为空"))
        values[column.field] = value
    return values, row_errors


def validate_book(spec: ImportSpec, actor, sheets: dict[str, Sheet], progress=None,
                  constants: dict | None = None) -> BookValidation:
    """Check every cell of every sheet, tie child rows to main rows by the link key, group records.
    ``constants``: the upload values (``spec.upload_fields``) every main row gets."""
    parts = spec.sheets()
    plans = {
        name: [(idx, column, compile_column(column)) for idx, column in plan]
        for name, plan in check_book_headers(spec, sheets).items()
    }
    main, children = parts[0], parts[1:]
    out = BookValidation(
        parts=parts, headers={p.sheet_name: sheets[p.sheet_name].headers for p in parts},
        source_rows={p.sheet_name: sheets[p.sheet_name].rows for p in parts},
    )
    heads: list[_Main] = []
    by_key: dict[str, list[_Main]] = {}
    for i, raw in enumerate(sheets[main.sheet_name].rows):
        if _empty(raw):
            continue
        values, row_errors = _convert(plans[main.sheet_name], raw)
        if constants:
            values.update(constants)
        if main.clean_row is not None:
            merge(row_errors, main.clean_row(values))
        key = values.pop(LINK_FIELD, None) or ""
        head = _Main(i + 2, key, values, row_errors, {c.key: [] for c in children})
        heads.append(head)
        if key:
            by_key.setdefault(key, []).append(head)
        if progress is not None and len(heads) % 500 == 0:
            progress.update(done=0, stage="校验")
    out.total = len(heads)
    for key, same in by_key.items():
        if len(same) > 1:
            rows = "、".join(str(h.row) for h in same)
            for h in same:
                h.errors.append((main.link, f"{main.link}「{key}」在{main.sheet_name}中重复(第{rows}行)"))
    for part in children:
        plan = plans[part.sheet_name]
        for i, raw in enumerate(sheets[part.sheet_name].rows):
            if _empty(raw):
                continue
            row_no = i + 2
            values, row_errors = _convert(plan, raw)
            if part.clean_row is not None:
                merge(row_errors, part.clean_row(values))
            key = values.pop(LINK_FIELD, None) or ""
            owners = by_key.get(key)
            if owners is None:
                if key:
                    row_errors.append(
                        (part.link, f"{main.sheet_name}中没有{main.link}为「{key}」的行, 无法对应到{spec.title}")
                    )
                out.unlinked[part.sheet_name] = out.unlinked.get(part.sheet_name, 0) + 1
                out._mark_bad(part.sheet_name, row_no)
                out.errors.extend(RowError(row_no, col, msg, part.sheet_name) for col, msg in row_errors)
                continue
            head = owners[0]
            head.children[part.key].append((row_no, values))
            head.child_errors.extend(RowError(row_no, col, msg, part.sheet_name) for col, msg in row_errors)
    for head in heads:
        if not head.key or len(by_key[head.key]) > 1:
            continue
        for part in children:
            count = len(head.children[part.key])
            if count < part.min_rows:
                what = part.title or "行"
                where = f"{part.sheet_name}中{'没有' if count == 0 else ''}{part.link}为「{head.key}」的{what}"
                head.errors.append(
                    (main.link, where if count == 0 else f"{where}至少需要 {part.min_rows} 行, 实际 {count} 行")
                )
    candidates: list[Unit] = []
    for head in heads:
        record = dict(head.values)
        for part in children:
            record[part.key] = [values for _, values in head.children[part.key]]
        unit = Unit(
            row=head.row, values=record, key=head.key, index=len(candidates),
            child_rows={part.key: [row_no for row_no, _ in head.children[part.key]] for part in children},
        )
        candidates.append(unit)
        if head.errors or head.child_errors:
            errors = [RowError(head.row, col, msg, main.sheet_name) for col, msg in head.errors]
            out._add_bad_unit(unit, errors + head.child_errors)
        else:
            out.valid_units.append(unit)
    if spec.clean_batch is not None and out.valid_units:
        batch_errors = spec.clean_batch(actor, out.valid_rows)
        if batch_errors:
            keep = []
            for index, unit in enumerate(out.valid_units):
                problems = batch_errors.get(index)
                if problems:
                    out._add_bad_unit(unit, [_placed(spec, unit, col, msg) for col, msg in problems])
                else:
                    keep.append(unit)
            out.valid_units = keep
    out.sort_errors()
    return out


_PATH = re.compile(r"^(?P<key>[A-Za-z_]\w*)\[(?P<index>\d+)\](?:\.(?P<field>\w+))?$")


def _placed(spec: ImportSpec, unit: Unit, column: str, message: str) -> RowError:
    """A ``clean_batch`` problem of a multi-sheet record: on the main row under the header
    ``column``, or on a child row when ``column`` is a path ``lines[1].qty`` (the second row of
    child sheet "lines", in the column whose field is ``qty``)."""
    parts = spec.sheets()
    match = _PATH.match(column or "")
    if match:
        part = next((p for p in parts[1:] if p.key == match["key"]), None)
        rows = unit.child_rows.get(match["key"], []) if part is not None else []
        index = int(match["index"])
        if part is not None and index < len(rows):
            found = part.column_by_field().get(match["field"] or "")
            return RowError(rows[index], found.header if found else "", message, part.sheet_name)
    return RowError(unit.row, column, message, parts[0].sheet_name)


def locate(spec: ImportSpec, unit: Unit, exc: ServiceError) -> list[RowError]:
    """The errors of a refused save, on the rows and columns they are about.

    ``FieldError.field`` is a path in the record: ``"g_name"`` (main row), ``"items[1].g_model"``
    (the second child row of "items"), ``"items"`` or ``""`` (the record as a whole).
    """
    parts = spec.sheets()
    main = parts[0]
    sheet = main.sheet_name if spec.multi_sheet else ""
    by_key = {p.key: p for p in parts[1:]}
    main_fields = main.column_by_field()
    label = spec.field_label or (lambda path: "")
    out: list[RowError] = []
    for error in exc.errors or [None]:
        if error is None:
            out.append(RowError(unit.row, "", exc.message, sheet))
            continue
        path, message = error.field, error.message
        match = _PATH.match(path or "")
        if match and match["key"] in by_key:
            part = by_key[match["key"]]
            rows = unit.child_rows.get(part.key, [])
            index = int(match["index"])
            if index < len(rows):
                column = part.column_by_field().get(match["field"] or "")
                out.append(RowError(rows[index], column.header if column else label(path), message, part.sheet_name))
                continue
        column = main_fields.get(path or "")
        out.append(RowError(unit.row, column.header if column else label(path), message, sheet))
    return out

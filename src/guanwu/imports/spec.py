"""Declaring an Excel import: columns, checks and how valid rows are saved.

A module registers one ``ImportSpec`` per kind of file; the pipeline (``pipeline.py``) does the
rest — template, reading, per-cell conversion, Chinese errors, error workbook, progress, and the
all-or-nothing / valid-rows-only choice — the same way for every module::

    register(ImportSpec(
        key="members", title="成员", columns=[
            Column("用户名", "username", required=True, max_length=150),
            Column("角色", "role", required=True, choices=[("admin", "企业管理员"), ("operator", "操作员")]),
        ],
        save=save_members,            # save(actor, rows) -> int, called inside one transaction
        clean_batch=check_members,    # optional: cross-row and database checks, in bulk
    ))

A file may hold one record per several rows on several sheets: the main sheet (``sheet_name``,
e.g. "表头") has one row per record and child sheets (``children``) hold its detail rows, tied
to it by a link column with the user's own key (1, 2, 3...)::

    register(ImportSpec(
        key="declarations", title="报关单", sheet_name="表头", unit="份报关单",
        columns=[...head columns...],
        children=[SheetSpec(key="items", sheet_name="表体", title="商品项", columns=[...],
                            link="报关单序号", min_rows=1)],
        save_each=save_declaration,   # save_each(actor, record), one savepoint per record
    ))

The link column ("报关单序号") is added as the first column of every sheet. The pipeline
checks each cell as for a single sheet, then that the keys of the main sheet are unique, that
every child row's key exists and that each record has ``min_rows`` child rows. A record is
``{**head values, "items": [child values, in file order]}``; the save unit is one record with
all its rows: in valid-rows-only mode a record with an error on any of its rows is skipped.

``clean_batch`` of a multi-sheet spec may name a child row's cell by a path in the record
(``("items[1].g_model", message)``: the second child row of "items", the column of field
``g_model``); any other first element is a header of the main sheet.

``upload_fields`` are values given once with the file (the 商品批次号 of a cross-border import):
the upload form and the API ask for them, ``check_upload`` refuses a wrong one at once, and each
row (each record) gets them as values of its own.

``save_each`` (single or multi-sheet specs) saves one record in a savepoint; a ``ServiceError``
it raises becomes errors on that record's rows, placed by ``FieldError.field``: ``"g_name"`` on
the main row, ``"items[1].g_model"`` on the second child row of "items", in the column whose
``field`` is ``g_model`` (``field_label`` names fields that have no column).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from guanwu.core.numbers import INT32_MAX

RowErrors = list[tuple[str, str]]  # (column header, Chinese message)


@dataclass(frozen=True)
class Column:
    header: str  # Chinese header as in the template (without the required mark)
    field: str
    required: bool = False
    kind: str = "str"  # str | int | decimal | date | bool | choice | code
    max_length: int | None = None
    max_digits: int = 19
    decimal_places: int = 5
    max_int: int = INT32_MAX  # an int cell's bound: its field's (``core.fields.Field.max_int``)
    choices: Sequence[tuple[str, str]] = ()  # (value, label)
    code_table: str = ""  # params table slug: values checked against it; dropdown in the template
    help: str = ""
    example: str = ""
    width: int = 16
    # False: a code column only reads the cell ("502 - 美国" -> "502") and leaves checking the
    # code to the save hook's service; the template still offers the dropdown.
    check_code: bool = True
    fmt: str = ""  # the 格式 text of the 说明 sheet, when the kind's own does not say it

    def __post_init__(self) -> None:
        if self.choices and self.kind == "str":
            object.__setattr__(self, "kind", "choice")
        if self.code_table and self.kind == "str":
            object.__setattr__(self, "kind", "code")

    @property
    def marked_header(self) -> str:
        return f"*{self.header}" if self.required else self.header


LINK_FIELD = "__link__"  # the field of the link column in the values of a row (not in records)
# ``clean_batch`` may put a row's warnings here, ``[(column header, message)]``: unusual but
# accepted (the row is imported); the pipeline takes them out of the values and lists them.
WARNINGS_FIELD = "__warnings__"


@dataclass
class SheetSpec:
    """A child sheet: rows tied to a main-sheet row by the link column."""

    key: str  # the list's key in each record ("items")
    sheet_name: str  # "表体"
    columns: list[Column]
    link: str = ""  # header of the link column; defaults to the spec's ``link``
    title: str = ""  # what one row is ("商品项"), for messages
    min_rows: int = 0  # rows each record needs (1: a main row without child rows is an error)
    clean_row: Callable[[dict], RowErrors] | None = None
    description: str = ""

    def column_by_field(self) -> dict[str, Column]:
        return {c.field: c for c in self.columns}


@dataclass
class RowHints:
    """An extra column of the error workbook (and a hint beside the error on screen) for the
    rejected rows whose error is in ``column``: e.g. HS-code suggestions for a row whose 商品编号
    is missing or not in the tariff. ``compute(actor, {row number: values})`` answers
    ``{row number: hint}`` (rows it has nothing for are left out)."""

    column: str  # header of the column whose errors get a hint
    header: str  # header of the column the error workbook adds
    compute: Callable[[Any, dict[int, dict]], dict[int, str]]
    max_rows: int = 500  # hints for the first rows only: a file of 100k bad codes is not a list to read


@dataclass
class ImportSpec:
    key: str
    title: str
    columns: list[Column]
    save: Callable[[Any, list[dict]], int] | None = None
    clean_row: Callable[[dict], RowErrors] | None = None
    clean_batch: Callable[[Any, list[dict]], dict[int, RowErrors]] | None = None
    strict_headers: bool = False  # headers must match the template exactly, in order
    admin_only: bool = False
    sheet_name: str = "数据"
    description: str = ""
    list_url_name: str = ""  # where to go back after the import
    extra: dict = field(default_factory=dict)
    # save one record in its own savepoint (instead of ``save`` with all rows at once)
    save_each: Callable[[Any, dict], Any] | None = None
    children: list[SheetSpec] = field(default_factory=list)
    link: str = ""  # header of the main sheet's key column; defaults to the first child's link
    link_help: str = ""
    field_label: Callable[[str], str] | None = None  # Chinese name of a field path without a column
    unit: str = "行"  # what is counted: "行", or "份报关单" for one record of several rows
    hints: RowHints | None = None  # single-sheet imports only
    # values asked with the file (e.g. 商品批次号, 出口日期): converted like cells, checked at
    # upload by ``check_upload(actor, values)`` (raises ServiceError), stored with the job and
    # given to every (main) row as if each had these columns
    upload_fields: list[Column] = field(default_factory=list)
    check_upload: Callable[[Any, dict], None] | None = None

    def __post_init__(self) -> None:
        if self.save is None and self.save_each is None:
            raise ValueError(f"import {self.key!r} needs save or save_each")
        if not self.children:
            return
        self.link = self.link or self.children[0].link
        if not self.link:
            raise ValueError(f"import {self.key!r}: child sheets need a link column")
        names = [self.sheet_name, *(c.sheet_name for c in self.children)]
        if len(set(names)) != len(names) or "代码" in names or "说明" in names:
            raise ValueError(f"import {self.key!r}: sheet names must be unique and not 代码/说明")
        for child in self.children:
            child.link = child.link or self.link

    @property
    def multi_sheet(self) -> bool:
        return bool(self.children)

    def column_by_header(self) -> dict[str, Column]:
        return {c.header: c for c in self.columns}

    def column_by_field(self) -> dict[str, Column]:
        return {c.field: c for c in self.columns}

    def link_column(self, header: str) -> Column:
        return Column(header, LINK_FIELD, required=True, width=12, help=self.link_help, fmt="文本或数字, 本文件内自编",
                      example="1")

    def sheets(self) -> list[SheetSpec]:
        """Every sheet of the file, the main one first, with its link column first (multi-sheet)."""
        if not self.children:
            return [SheetSpec("", self.sheet_name, list(self.columns), clean_row=self.clean_row)]
        out = [SheetSpec("", self.sheet_name, [self.link_column(self.link), *self.columns], link=self.link,
                         clean_row=self.clean_row, description=self.description)]
        for child in self.children:
            out.append(SheetSpec(
                child.key, child.sheet_name, [self.link_column(child.link), *child.columns], link=child.link,
                title=child.title, min_rows=child.min_rows, clean_row=child.clean_row,
                description=child.description,
            ))
        return out


_SPECS: dict[str, ImportSpec] = {}


def register(spec: ImportSpec) -> ImportSpec:
    _SPECS[spec.key] = spec
    return spec


def get_spec(key: str) -> ImportSpec | None:
    return _SPECS.get(key)


def all_specs() -> list[ImportSpec]:
    return list(_SPECS.values())


def column_of(f: Any, **changes: Any) -> Column:
    """The import column of a ``core.fields.Field``: same label, length, digits and choices.
    Codes are read as codes ("502 - 美国" -> "502") and checked by the service that saves them,
    so the message is the one the form and the API give."""
    kind = {"date": "date", "decimal": "decimal", "int": "int", "bool": "bool"}.get(f.kind, "str")
    values: dict[str, Any] = {
        "header": f.label, "field": f.name, "required": f.required, "kind": kind, "max_length": f.max_length,
        "max_digits": f.max_digits, "decimal_places": f.decimal_places, "max_int": f.max_int,
        "choices": tuple(f.choices),
        "code_table": f.code_table, "check_code": False, "help": f.help, "example": f.example, "width": f.width,
    }
    values.update(changes)
    return Column(**values)


def columns_from(spec: Any, overrides: dict[str, dict[str, Any]] | None = None) -> list[Column]:
    """The import columns of every imported, non-file field of a ``core.fields.FieldSpec``."""
    overrides = overrides or {}
    return [column_of(f, **overrides.get(f.name, {})) for f in spec if f.imported and f.kind != "file"]

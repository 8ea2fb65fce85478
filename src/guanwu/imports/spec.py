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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

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
    choices: Sequence[tuple[str, str]] = ()  # (value, label)
    code_table: str = ""  # params table slug: values checked against it; dropdown in the template
    help: str = ""
    example: str = ""
    width: int = 16

    def __post_init__(self) -> None:
        if self.choices and self.kind == "str":
            object.__setattr__(self, "kind", "choice")
        if self.code_table and self.kind == "str":
            object.__setattr__(self, "kind", "code")

    @property
    def marked_header(self) -> str:
        return f"*{self.header}" if self.required else self.header


@dataclass
class ImportSpec:
    key: str
    title: str
    columns: list[Column]
    save: Callable[[Any, list[dict]], int]
    clean_row: Callable[[dict], RowErrors] | None = None
    clean_batch: Callable[[Any, list[dict]], dict[int, RowErrors]] | None = None
    strict_headers: bool = False  # headers must match the template exactly, in order
    admin_only: bool = False
    sheet_name: str = "数据"
    description: str = ""
    list_url_name: str = ""  # where to go back after the import
    extra: dict = field(default_factory=dict)

    def column_by_header(self) -> dict[str, Column]:
        return {c.header: c for c in self.columns}


_SPECS: dict[str, ImportSpec] = {}


def register(spec: ImportSpec) -> ImportSpec:
    _SPECS[spec.key] = spec
    return spec


def get_spec(key: str) -> ImportSpec | None:
    return _SPECS.get(key)


def all_specs() -> list[ImportSpec]:
    return list(_SPECS.values())
